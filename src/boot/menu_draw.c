#include "boot/menu_draw.h"

#include <string.h>

#include "core/safe_text.h"

static const char *title_of(const struct kj_entry *e)
{
	return e->title && *e->title ? e->title : e->id ? e->id : "?";
}

/* Print at most width columns of text, escaped (a title, a label or a
 * warning comes from a disk and must not drive the terminal). */
static void put_clean(FILE *out, const char *text, size_t width)
{
	kj_safe_write(out, text, strlen(text), width, NULL);
}

/* A group header: the device, and its label and type when known (the
 * label is read from the disk's superblock). */
static void draw_group(struct kj_menu_screen *s, const struct kj_scan *scan,
		       const struct kj_entry *e)
{
	const struct kj_root *root = kj_scan_root_of(scan, e);

	fputs(s->ansi ? "\033[1m" : "", s->out);
	put_clean(s->out, e->root_name ? e->root_name : "?", 40);
	if (root && root->fs_type) {
		fputs(" (", s->out);
		put_clean(s->out, root->fs_type, 16);
		if (root->fs_label) {
			fputc(' ', s->out);
			put_clean(s->out, root->fs_label, 32);
		}
		fputc(')', s->out);
	}
	fprintf(s->out, "%s\n", s->ansi ? "\033[0m" : "");
}

void kj_menu_draw(struct kj_menu_screen *s, const struct kj_scan *scan,
		  const struct kj_warnings *conf_warnings,
		  const struct kj_menu_model *m, const char *error)
{
	const char *last_root = NULL;

	if (s->ansi)
		fputs("\033[H\033[2J", s->out);
	else if (s->status_len)
		fputc('\n', s->out);
	s->status_len = 0;
	fputs("kjump boot menu\n", s->out);
	for (size_t i = 0; i < scan->entries.n; i++) {
		const struct kj_entry *e = &scan->entries.v[i];
		bool sel = (long)i == m->sel, bootable;

		if (!last_root || !e->root_name ||
		    strcmp(last_root, e->root_name)) {
			draw_group(s, scan, e);
			last_root = e->root_name;
		}
		bootable = e->type != KJ_ENTRY_UNSUPPORTED;
		fprintf(s->out, "%s%c%3zu %c ", sel && s->ansi ? "\033[7m" : "",
			sel ? '>' : ' ', i + 1, (long)i == m->def ? '*' : ' ');
		put_clean(s->out, title_of(e), KJ_MENU_WIDTH - 20);
		if (!bootable)
			fputs(" (cannot boot)", s->out);
		fprintf(s->out, "%s\n", sel && s->ansi ? "\033[0m" : "");
	}
	if (scan->entries.n == 0)
		fputs("  no boot entries found (yet)\n", s->out);
	for (size_t i = 0; i < scan->warnings.n; i++) {
		fputs("warning: ", s->out);
		put_clean(s->out, scan->warnings.v[i], 200);
		fputc('\n', s->out);
	}
	for (size_t i = 0; conf_warnings && i < conf_warnings->n; i++) {
		fputs("warning: ", s->out);
		put_clean(s->out, conf_warnings->v[i], 200);
		fputc('\n', s->out);
	}
	if (error && *error) {
		fputs("error: ", s->out);
		put_clean(s->out, error, 300);
		fputc('\n', s->out);
	}
	fputs("Number+Enter or up/down+Enter boots; e edit, r rescan, "
	      "s shell, q quit.\n",
	      s->out);
	fflush(s->out);
}

static void set_status(struct kj_menu_screen *s, const char *text)
{
	size_t n = strlen(text);

	fprintf(s->out, "\r%s", text);
	if (s->ansi)
		fputs("\033[K", s->out);
	else
		for (size_t i = n; i < s->status_len; i++)
			fputc(' ', s->out);
	if (!s->ansi && n < s->status_len) {
		/* Back to the end of the text on a terminal without
		 * erase-to-end-of-line. */
		fprintf(s->out, "\r%s", text);
	}
	s->status_len = n;
	fflush(s->out);
}

void kj_menu_draw_status(struct kj_menu_screen *s, const struct kj_scan *scan,
			 const struct kj_menu_model *m, long secs)
{
	char line[KJ_MENU_WIDTH + 1], title[KJ_MENU_WIDTH];
	long e = secs >= 0 ? m->def : m->sel;

	title[0] = '\0';
	if (e >= 0 && (size_t)e < scan->entries.n)
		kj_safe_copy(title, sizeof(title),
			     title_of(&scan->entries.v[e]), 44);
	if (secs >= 0 && e >= 0)
		snprintf(line, sizeof(line),
			 "%ld: %s boots in %ld s; "
			 "press a key to stop",
			 e + 1, title, secs);
	else if (m->n_num)
		snprintf(line, sizeof(line), "Boot entry: %s", m->num);
	else if (e >= 0)
		snprintf(line, sizeof(line), "Selected %ld: %s", e + 1, title);
	else
		snprintf(line, sizeof(line), "Waiting for disks...");
	set_status(s, line);
}

void kj_menu_draw_edit(struct kj_menu_screen *s, const struct kj_edit *ed)
{
	static const char prompt[] = "edit> ";
	const size_t w = KJ_MENU_WIDTH - sizeof(prompt);
	size_t start = ed->cur >= w ? ed->cur - w + 1 : 0, shown;

	shown = ed->len - start < w ? ed->len - start : w;
	fprintf(s->out, "\r%s", prompt);
	put_clean(s->out, ed->text + start, shown);
	if (s->ansi) {
		fputs("\033[K", s->out);
	} else {
		for (size_t i = sizeof(prompt) - 1 + shown; i < s->status_len;
		     i++)
			fputc(' ', s->out);
	}
	s->status_len = sizeof(prompt) - 1 + shown;
	/* Put the cursor back: reprint up to it (works without cursor
	 * addressing). */
	fprintf(s->out, "\r%s", prompt);
	put_clean(s->out, ed->text + start, ed->cur - start);
	fflush(s->out);
}

void kj_menu_draw_newline(struct kj_menu_screen *s)
{
	if (s->status_len)
		fputc('\n', s->out);
	s->status_len = 0;
	fflush(s->out);
}
