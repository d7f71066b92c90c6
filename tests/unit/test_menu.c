/* The menu without a terminal: key decoding (escape sequences, Enter
 * spellings), the line editor, selection and the countdown on a fake
 * clock, and /etc/kjump.conf. */
#include "testlib.h"

#include "boot/menu_conf.h"
#include "boot/menu_edit.h"
#include "boot/menu_keys.h"
#include "boot/menu_model.h"
#include "boot/menu_term.h"

/* Feed a string; collect the keys (flushing at the end like a timeout). */
static size_t decode(const char *bytes, size_t n, int *keys, size_t max)
{
	struct kj_keydec d;
	size_t got = 0;
	int k;

	kj_keydec_init(&d);
	for (size_t i = 0; i < n; i++) {
		k = kj_keydec_feed(&d, (unsigned char)bytes[i]);
		if (k != KJ_KEY_NONE && got < max)
			keys[got++] = k;
	}
	k = kj_keydec_flush(&d);
	if (k != KJ_KEY_NONE && got < max)
		keys[got++] = k;
	return got;
}

#define DECODE(s, keys) decode(s, sizeof(s) - 1, keys, 16)

static void keys_arrows_and_editing(void **state)
{
	int k[16];

	assert_int_equal(DECODE("\x1b[A\x1b[B\x1b[C\x1b[D", k), 4);
	assert_int_equal(k[0], KJ_KEY_UP);
	assert_int_equal(k[1], KJ_KEY_DOWN);
	assert_int_equal(k[2], KJ_KEY_RIGHT);
	assert_int_equal(k[3], KJ_KEY_LEFT);
	/* Application mode (ESC O x) and the vt220 ~ forms. */
	assert_int_equal(DECODE("\x1bOA\x1bOH\x1bOF", k), 3);
	assert_int_equal(k[0], KJ_KEY_UP);
	assert_int_equal(k[1], KJ_KEY_HOME);
	assert_int_equal(k[2], KJ_KEY_END);
	assert_int_equal(DECODE("\x1b[1~\x1b[4~\x1b[7~\x1b[8~\x1b[3~", k), 5);
	assert_int_equal(k[0], KJ_KEY_HOME);
	assert_int_equal(k[1], KJ_KEY_END);
	assert_int_equal(k[2], KJ_KEY_HOME);
	assert_int_equal(k[3], KJ_KEY_END);
	assert_int_equal(k[4], KJ_KEY_DELETE);
	/* xterm's modified arrows (ESC [ 1 ; 5 A) are still arrows. */
	assert_int_equal(DECODE("\x1b[1;5A", k), 1);
	assert_int_equal(k[0], KJ_KEY_UP);
	/* Unknown sequences are one unknown key, not stray letters. */
	assert_int_equal(DECODE("\x1b[15~x", k), 2);
	assert_int_equal(k[0], KJ_KEY_UNKNOWN);
	assert_int_equal(k[1], 'x');
}

static void keys_enter_backspace_esc(void **state)
{
	int k[16];

	/* CR LF is one Enter; CR alone and LF alone are one each. */
	assert_int_equal(DECODE("\r\n\r\n", k), 4 / 2);
	assert_int_equal(DECODE("1\r2\n", k), 4);
	assert_int_equal(k[1], KJ_KEY_ENTER);
	assert_int_equal(k[3], KJ_KEY_ENTER);
	assert_int_equal(DECODE("\x7f\x08\x01\x05\x03", k), 5);
	assert_int_equal(k[0], KJ_KEY_BACKSPACE);
	assert_int_equal(k[1], KJ_KEY_BACKSPACE);
	assert_int_equal(k[2], KJ_KEY_HOME);
	assert_int_equal(k[3], KJ_KEY_END);
	assert_int_equal(k[4], KJ_KEY_INTERRUPT);
	/* A lone ESC is a key only once no more bytes come. */
	assert_int_equal(DECODE("\x1b", k), 1);
	assert_int_equal(k[0], KJ_KEY_ESC);
	/* A sequence longer than the buffer cannot overrun it. */
	assert_int_equal(DECODE("\x1b[111111111111111111111A", k) >= 1, 1);
}

static void term_ansi_by_name(void **state)
{
	assert_true(kj_term_is_ansi("linux"));
	assert_true(kj_term_is_ansi("xterm-256color"));
	assert_true(kj_term_is_ansi("vt100"));
	assert_false(kj_term_is_ansi("dumb"));
	assert_false(kj_term_is_ansi(""));
	assert_false(kj_term_is_ansi(NULL));
	assert_false(kj_term_is_ansi("xtermish"));
}

static void type(struct kj_edit *ed, const char *s)
{
	while (*s)
		assert_int_equal(kj_edit_key(ed, (unsigned char)*s++),
				 KJ_EDIT_CONTINUE);
}

static void editor(void **state)
{
	static struct kj_edit ed;

	kj_edit_init(&ed, "quiet splash");
	assert_int_equal(ed.cur, 12);
	kj_edit_key(&ed, KJ_KEY_BACKSPACE);
	kj_edit_key(&ed, KJ_KEY_BACKSPACE);
	assert_string_equal(ed.text, "quiet spla");
	kj_edit_key(&ed, KJ_KEY_HOME);
	type(&ed, "ro ");
	assert_string_equal(ed.text, "ro quiet spla");
	kj_edit_key(&ed, KJ_KEY_RIGHT);
	kj_edit_key(&ed, KJ_KEY_DELETE);
	assert_string_equal(ed.text, "ro qiet spla");
	kj_edit_key(&ed, KJ_KEY_LEFT);
	kj_edit_key(&ed, KJ_KEY_LEFT);
	kj_edit_key(&ed, KJ_KEY_LEFT);
	kj_edit_key(&ed, KJ_KEY_LEFT);
	kj_edit_key(&ed, KJ_KEY_LEFT);
	kj_edit_key(&ed, KJ_KEY_LEFT); /* at 0: stays */
	kj_edit_key(&ed, KJ_KEY_BACKSPACE);
	assert_int_equal(ed.cur, 0);
	kj_edit_key(&ed, KJ_KEY_END);
	type(&ed, "sh");
	assert_string_equal(ed.text, "ro qiet splash");
	kj_edit_key(&ed, KJ_KEY_END);
	kj_edit_key(&ed, KJ_KEY_DELETE); /* at the end: nothing */
	kj_edit_key(&ed, KJ_KEY_RIGHT);
	assert_int_equal(ed.len, strlen("ro qiet splash"));
	/* Control bytes and unknown keys are not inserted. */
	kj_edit_key(&ed, 0x02);
	kj_edit_key(&ed, KJ_KEY_UNKNOWN);
	assert_string_equal(ed.text, "ro qiet splash");
	assert_int_equal(kj_edit_key(&ed, KJ_KEY_ENTER), KJ_EDIT_ACCEPT);
	assert_int_equal(kj_edit_key(&ed, KJ_KEY_ESC), KJ_EDIT_CANCEL);
	assert_int_equal(kj_edit_key(&ed, KJ_KEY_INTERRUPT), KJ_EDIT_CANCEL);
}

static void editor_cap(void **state)
{
	static struct kj_edit ed;
	static char big[KJ_EDIT_MAX + 100];

	memset(big, 'a', sizeof(big) - 1);
	kj_edit_init(&ed, big);
	assert_int_equal(ed.len, KJ_EDIT_MAX - 1);
	kj_edit_key(&ed, 'b');
	assert_int_equal(ed.len, KJ_EDIT_MAX - 1);
	assert_int_equal(ed.text[KJ_EDIT_MAX - 1], '\0');
	kj_edit_init(&ed, NULL);
	assert_string_equal(ed.text, "");
}

static void model_keys(void **state)
{
	struct kj_menu_model m;
	long t = -1;

	kj_menu_model_init(&m, 5, 2, 10000, 0);
	assert_int_equal(m.sel, 2);
	assert_int_equal(kj_menu_model_key(&m, KJ_KEY_DOWN, &t),
			 KJ_MENU_REDRAW);
	assert_int_equal(m.sel, 3);
	assert_false(m.counting);
	kj_menu_model_key(&m, KJ_KEY_DOWN, &t);
	kj_menu_model_key(&m, KJ_KEY_DOWN, &t); /* wraps */
	assert_int_equal(m.sel, 0);
	kj_menu_model_key(&m, KJ_KEY_UP, &t);
	assert_int_equal(m.sel, 4);
	assert_int_equal(kj_menu_model_key(&m, KJ_KEY_ENTER, &t), KJ_MENU_BOOT);
	assert_int_equal(t, 4);
	/* Numbers count from 1; Enter boots the typed one. */
	kj_menu_model_key(&m, '2', &t);
	assert_string_equal(m.num, "2");
	assert_int_equal(m.sel, 1);
	assert_int_equal(kj_menu_model_key(&m, KJ_KEY_ENTER, &t), KJ_MENU_BOOT);
	assert_int_equal(t, 1);
	assert_int_equal(m.n_num, 0);
	/* Out of range: nothing boots; backspace corrects. */
	kj_menu_model_key(&m, '9', &t);
	t = -1;
	assert_int_equal(kj_menu_model_key(&m, KJ_KEY_ENTER, &t),
			 KJ_MENU_REDRAW);
	assert_int_equal(t, -1);
	kj_menu_model_key(&m, '1', &t);
	kj_menu_model_key(&m, '2', &t);
	kj_menu_model_key(&m, KJ_KEY_BACKSPACE, &t);
	kj_menu_model_key(&m, KJ_KEY_ENTER, &t);
	assert_int_equal(t, 0);
	/* Too many digits are ignored, not overflowed. */
	for (int i = 0; i < 20; i++)
		kj_menu_model_key(&m, '0', &t);
	assert_true(m.n_num < sizeof(m.num));
	kj_menu_model_key(&m, KJ_KEY_UP, &t);
	assert_int_equal(m.n_num, 0);
	assert_int_equal(kj_menu_model_key(&m, 'e', &t), KJ_MENU_EDIT);
	assert_int_equal(t, m.sel);
	assert_int_equal(kj_menu_model_key(&m, 'r', &t), KJ_MENU_RESCAN);
	assert_int_equal(kj_menu_model_key(&m, 's', &t), KJ_MENU_SHELL);
	assert_int_equal(kj_menu_model_key(&m, 'q', &t), KJ_MENU_QUIT);
	assert_int_equal(kj_menu_model_key(&m, 'x', &t), KJ_MENU_NONE);
}

static void model_countdown(void **state)
{
	struct kj_menu_model m;
	long t = -1;

	/* A fake clock in ms: 3 s from t=1000. */
	kj_menu_model_init(&m, 3, 1, 3000, 1000);
	assert_int_equal(kj_menu_model_seconds_left(&m, 1000), 3);
	assert_int_equal(kj_menu_model_seconds_left(&m, 1001), 3);
	assert_int_equal(kj_menu_model_seconds_left(&m, 2000), 2);
	assert_int_equal(kj_menu_model_next_tick(&m, 1000), 1000);
	assert_int_equal(kj_menu_model_next_tick(&m, 1250), 750);
	assert_int_equal(kj_menu_model_tick(&m, 3999, &t), KJ_MENU_NONE);
	assert_int_equal(kj_menu_model_tick(&m, 4000, &t), KJ_MENU_BOOT);
	assert_int_equal(t, 1);
	/* It fires once. */
	assert_int_equal(kj_menu_model_tick(&m, 5000, &t), KJ_MENU_NONE);
	assert_int_equal(kj_menu_model_seconds_left(&m, 5000), -1);

	/* Any key stops it. */
	kj_menu_model_init(&m, 3, 1, 3000, 0);
	assert_int_equal(kj_menu_model_key(&m, 'x', &t), KJ_MENU_REDRAW);
	assert_int_equal(kj_menu_model_tick(&m, 10000, &t), KJ_MENU_NONE);
	assert_int_equal(kj_menu_model_next_tick(&m, 0), -1);

	/* Timeout 0 boots at once; no countdown waits forever. */
	kj_menu_model_init(&m, 3, 0, 0, 500);
	assert_int_equal(kj_menu_model_tick(&m, 500, &t), KJ_MENU_BOOT);
	kj_menu_model_init(&m, 3, 0, -1, 0);
	assert_int_equal(kj_menu_model_tick(&m, 1000000, &t), KJ_MENU_NONE);

	/* No entries or no default yet: the countdown holds, and the
	 * default found by a rescan boots once it runs out. */
	kj_menu_model_init(&m, 0, -1, 1000, 0);
	assert_int_equal(m.sel, -1);
	assert_int_equal(kj_menu_model_tick(&m, 2000, &t), KJ_MENU_NONE);
	kj_menu_model_reset(&m, 4, 3, -1);
	assert_int_equal(m.sel, 3);
	assert_int_equal(kj_menu_model_tick(&m, 2001, &t), KJ_MENU_BOOT);
	assert_int_equal(t, 3);
	/* A rescan keeps a valid highlight, drops a stale one. */
	kj_menu_model_reset(&m, 4, 0, 2);
	assert_int_equal(m.sel, 2);
	kj_menu_model_reset(&m, 2, 7, 5);
	assert_int_equal(m.def, -1);
	assert_int_equal(m.sel, 0);
}

static void conf_parse(void **state)
{
	static const char text[] = "# boot loader settings\n"
				   "  set-arg vga=normal  \n"
				   "remove-arg splash\r\n"
				   "\n"
				   "timeout 5\n"
				   "wait 12\n"
				   "default Debian GNU/Linux\n"
				   "state LABEL=KJUMP\n"
				   "timeout soon\n"
				   "set-arg\n"
				   "set-arg a b\n"
				   "frobnicate yes\n"
				   "remove-arg =x";
	struct kj_menu_conf c;
	struct kj_warnings w = { 0 };
	struct kj_err err = { 0 };

	assert_int_equal(kj_menu_conf_parse(&c, "kjump.conf", text,
					    sizeof(text) - 1, &w, &err),
			 0);
	assert_int_equal(c.n_rules, 2);
	assert_true(c.rules[0].set);
	assert_string_equal(c.rules[0].arg, "vga=normal");
	assert_false(c.rules[1].set);
	assert_string_equal(c.rules[1].arg, "splash");
	assert_int_equal(c.timeout, 5);
	assert_int_equal(c.wait, 12);
	assert_string_equal(c.default_entry, "Debian GNU/Linux");
	assert_string_equal(c.state, "LABEL=KJUMP");
	assert_int_equal(w.n, 5);
	assert_non_null(strstr(w.v[0], "kjump.conf:9:"));
	assert_non_null(strstr(w.v[3], "unknown setting 'frobnicate'"));
	kj_menu_conf_free(&c);
	kj_warnings_free(&w);
}

static void conf_caps_and_missing_file(void **state)
{
	struct kj_menu_conf c;
	struct kj_warnings w = { 0 };
	struct kj_err err = { 0 };
	char *text = malloc(64 * 40), *p = text;
	char *dir = kj_test_tmpdir(), path[PATH_MAX];

	for (int i = 0; i < 40; i++)
		p += sprintf(p, "set-arg a%d=1\n", i);
	assert_int_equal(
		kj_menu_conf_parse(&c, "k", text, strlen(text), &w, &err), 0);
	assert_int_equal(c.n_rules, KJ_CONF_MAX_RULES);
	assert_true(w.n > 0);
	kj_menu_conf_free(&c);
	kj_warnings_free(&w);
	/* A NUL inside a line makes it a warning, not a shorter value. */
	assert_int_equal(
		kj_menu_conf_parse(&c, "k", "timeout 5\0 0\n", 13, &w, &err),
		0);
	assert_int_equal(c.timeout, -1);
	assert_int_equal(w.n, 1);
	kj_menu_conf_free(&c);
	kj_warnings_free(&w);
	free(text);

	snprintf(path, sizeof(path), "%s/none.conf", dir);
	assert_int_equal(kj_menu_conf_load(&c, path, &w, &err), 0);
	assert_int_equal(c.n_rules, 0);
	assert_int_equal(c.timeout, -1);
	assert_int_equal(w.n, 0);
	kj_test_write(dir, "kjump.conf", "remove-arg quiet\nwait 0\n");
	snprintf(path, sizeof(path), "%s/kjump.conf", dir);
	assert_int_equal(kj_menu_conf_load(&c, path, &w, &err), 0);
	assert_int_equal(c.n_rules, 1);
	assert_int_equal(c.wait, 0);
	kj_menu_conf_free(&c);
	kj_test_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(keys_arrows_and_editing),
		cmocka_unit_test(keys_enter_backspace_esc),
		cmocka_unit_test(term_ansi_by_name),
		cmocka_unit_test(editor),
		cmocka_unit_test(editor_cap),
		cmocka_unit_test(model_keys),
		cmocka_unit_test(model_countdown),
		cmocka_unit_test(conf_parse),
		cmocka_unit_test(conf_caps_and_missing_file),
	};
	return cmocka_run_group_tests_name("menu", tests, NULL, NULL);
}
