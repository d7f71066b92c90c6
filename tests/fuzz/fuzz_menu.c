/* libFuzzer target for the menu's input handling: the bytes are both a
 * kjump.conf (src/boot/menu_conf.c) and keystrokes from a serial line
 * driving the key decoder, the menu model and the line editor; and, as a
 * title from a disk, they go through the terminal escaping of
 * core/safe_text.c, whose output must hold no control byte. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "boot/menu_conf.h"
#include "boot/menu_edit.h"
#include "boot/menu_keys.h"
#include "boot/menu_model.h"
#include "core/safe_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void keystrokes(const uint8_t *data, size_t size)
{
	static struct kj_edit ed;
	struct kj_menu_model m;
	struct kj_keydec d;
	bool editing = false;
	long t;

	kj_keydec_init(&d);
	kj_menu_model_init(&m, 7, 3, 1000, 0);
	for (size_t i = 0; i < size; i++) {
		int key = kj_keydec_feed(&d, data[i]);

		if (key == KJ_KEY_NONE)
			continue;
		if (editing) {
			if (kj_edit_key(&ed, key) != KJ_EDIT_CONTINUE)
				editing = false;
			if (ed.cur > ed.len || ed.len >= KJ_EDIT_MAX ||
			    strlen(ed.text) != ed.len)
				__builtin_trap();
			continue;
		}
		t = -1;
		switch (kj_menu_model_key(&m, key, &t)) {
		case KJ_MENU_EDIT:
			kj_edit_init(&ed, "console=ttyS0 quiet");
			editing = true;
			/* fall through */
		case KJ_MENU_BOOT:
			if (t < 0 || t >= 7)
				__builtin_trap();
			break;
		default:
			break;
		}
		if (m.sel < 0 || m.sel >= 7 || m.n_num >= sizeof(m.num))
			__builtin_trap();
	}
}

static void escaped(const uint8_t *data, size_t size)
{
	char *s = strndup((const char *)data, size), *esc, buf[64];
	size_t cols, chars = 0;

	if (!s)
		return;
	esc = kj_safe_strdup(s);
	if (!esc) {
		free(s);
		return;
	}
	/* No control byte survives; what is left is ASCII or UTF-8, one
	 * column per character, as kj_safe_width counts. */
	for (const char *p = esc; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c < 0x20 || c == 0x7f)
			__builtin_trap();
		chars += (c & 0xc0) != 0x80;
	}
	if (chars != kj_safe_width(s))
		__builtin_trap();
	cols = kj_safe_copy(buf, sizeof(buf), s, 20);
	if (cols > 20 || strlen(buf) >= sizeof(buf))
		__builtin_trap();
	free(esc);
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kj_menu_conf conf;
	struct kj_warnings w = { 0 };
	struct kj_err err = { 0 };

	if (kj_menu_conf_parse(&conf, "kjump.conf", (const char *)data, size,
			       &w, &err) == 0) {
		for (size_t i = 0; i < conf.n_rules; i++)
			if (!conf.rules[i].arg || !conf.rules[i].arg[0])
				__builtin_trap();
		kj_menu_conf_free(&conf);
	}
	kj_warnings_free(&w);
	keystrokes(data, size);
	escaped(data, size);
	return 0;
}
