#include "boot/menu_model.h"

#include <string.h>

#include "boot/menu_keys.h"

void kj_menu_model_init(struct kj_menu_model *m, size_t n, long def,
			long timeout_ms, long long now)
{
	memset(m, 0, sizeof(*m));
	m->counting = timeout_ms >= 0;
	m->deadline = now + (timeout_ms > 0 ? timeout_ms : 0);
	kj_menu_model_reset(m, n, def, -1);
}

void kj_menu_model_reset(struct kj_menu_model *m, size_t n, long def, long sel)
{
	m->n = n;
	m->def = def >= 0 && (size_t)def < n ? def : -1;
	if (sel >= 0 && (size_t)sel < n)
		m->sel = sel;
	else
		m->sel = m->def >= 0 ? m->def : (n ? 0 : -1);
	m->n_num = 0;
	m->num[0] = '\0';
}

/* The entry the typed digits name, or -1. */
static long typed_entry(const struct kj_menu_model *m)
{
	long v = 0;

	if (m->n_num == 0)
		return -1;
	for (size_t i = 0; i < m->n_num; i++)
		v = v * 10 + (m->num[i] - '0');
	return v >= 1 && (size_t)v <= m->n ? v - 1 : -1;
}

static enum kj_menu_action move(struct kj_menu_model *m, long by)
{
	long to = m->sel + by;

	m->n_num = 0;
	m->num[0] = '\0';
	if (m->n == 0)
		return KJ_MENU_REDRAW;
	/* Wrap around, like GRUB's menu does not but a short list wants. */
	if (to < 0)
		to = (long)m->n - 1;
	if ((size_t)to >= m->n)
		to = 0;
	m->sel = to;
	return KJ_MENU_REDRAW;
}

static enum kj_menu_action digit(struct kj_menu_model *m, int key)
{
	long e;

	if (m->n_num + 1 >= sizeof(m->num))
		return KJ_MENU_NONE;
	m->num[m->n_num++] = (char)key;
	m->num[m->n_num] = '\0';
	e = typed_entry(m);
	if (e >= 0)
		m->sel = e;
	return KJ_MENU_REDRAW;
}

enum kj_menu_action kj_menu_model_key(struct kj_menu_model *m, int key,
				      long *target)
{
	bool was_counting = m->counting;
	long e;

	m->counting = false;
	switch (key) {
	case KJ_KEY_UP:
		return move(m, -1);
	case KJ_KEY_DOWN:
		return move(m, 1);
	case KJ_KEY_BACKSPACE:
		if (m->n_num)
			m->num[--m->n_num] = '\0';
		return KJ_MENU_REDRAW;
	case KJ_KEY_ENTER:
		e = m->n_num ? typed_entry(m) : m->sel;
		m->n_num = 0;
		m->num[0] = '\0';
		if (e < 0)
			return KJ_MENU_REDRAW;
		*target = e;
		return KJ_MENU_BOOT;
	case 'e':
		if (m->sel < 0)
			return KJ_MENU_REDRAW;
		*target = m->sel;
		return KJ_MENU_EDIT;
	case 'r':
		return KJ_MENU_RESCAN;
	case 's':
		return KJ_MENU_SHELL;
	case 'q':
		return KJ_MENU_QUIT;
	}
	if (key >= '0' && key <= '9')
		return digit(m, key);
	return was_counting ? KJ_MENU_REDRAW : KJ_MENU_NONE;
}

enum kj_menu_action kj_menu_model_tick(struct kj_menu_model *m, long long now,
				       long *target)
{
	if (!m->counting || now < m->deadline || m->def < 0)
		return KJ_MENU_NONE;
	m->counting = false;
	*target = m->def;
	return KJ_MENU_BOOT;
}

long kj_menu_model_seconds_left(const struct kj_menu_model *m, long long now)
{
	long long left;

	if (!m->counting)
		return -1;
	left = m->deadline - now;
	return left <= 0 ? 0 : (long)((left + 999) / 1000);
}

long kj_menu_model_next_tick(const struct kj_menu_model *m, long long now)
{
	long long left;

	if (!m->counting)
		return -1;
	left = m->deadline - now;
	if (left <= 0)
		return 0;
	return left % 1000 ? (long)(left % 1000) : 1000;
}
