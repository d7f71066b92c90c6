/* Issue 15, case 12: control bytes from a disk never reach a terminal.
 * The escaping helper itself, then the places that print for people:
 * the menu, `kjump list`'s table and its warnings on stderr. */
#include "testlib.h"

#include <fcntl.h>

#include "boot/menu_draw.h"
#include "core/safe_text.h"
#include "list_testlib.h"

static void expect(const char *in, const char *out)
{
	char buf[256];

	kj_safe_copy(buf, sizeof(buf), in, SIZE_MAX);
	if (strcmp(buf, out))
		fail_msg("\"%s\": got \"%s\", want \"%s\"", in, buf, out);
}

static void escapes(void **state)
{
	char buf[64], *dup;

	(void)state;
	expect("plain text (amd64) ~!", "plain text (amd64) ~!");
	expect("\x1b[2J\x1b]0;owned\a", "\\x1b[2J\\x1b]0;owned\\x07");
	expect("a\tb\nc\rd\x7f", "a\\x09b\\x0ac\\x0dd\\x7f");
	expect("back\\slash", "back\\slash");
	/* UTF-8 passes: é, €, an emoji. */
	expect("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
	       "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	/* C1 controls (CSI 0x9b as U+009B) and bidi overrides do not. */
	expect("x\302\2332J", "x\\xc2\\x9b2J");
	expect("\342\200\256evil", "\\xe2\\x80\\xaeevil");
	/* Invalid UTF-8: stray continuation, overlong, surrogate, cut. */
	expect("\x80\xff", "\\x80\\xff");
	expect("\xc0\xaf", "\\xc0\\xaf");
	expect("\xed\xa0\x80", "\\xed\\xa0\\x80");
	expect("end\xe2\x82", "end\\xe2\\x82");
	expect("\342\202A", "\\xe2\\x82A");

	/* Widths: a character is one column, an escape four. */
	assert_int_equal(kj_safe_width("ab\x1b"), 6);
	assert_int_equal(kj_safe_width("\xc3\xa9"), 1);
	assert_int_equal(kj_safe_width(NULL), 0);
	/* Cuts never split an escape or a character. */
	assert_int_equal(kj_safe_copy(buf, sizeof(buf), "ab\033cd", 5), 2);
	assert_string_equal(buf, "ab");
	assert_int_equal(kj_safe_copy(buf, sizeof(buf), "ab\033cd", 6), 6);
	assert_string_equal(buf, "ab\\x1b");
	assert_int_equal(kj_safe_copy(buf, 4, "\xc3\xa9\xc3\xa9", SIZE_MAX), 1);
	assert_string_equal(buf, "\xc3\xa9");
	assert_int_equal(kj_safe_copy(buf, 1, "x", SIZE_MAX), 0);
	assert_string_equal(buf, "");
	dup = kj_safe_strdup("\a\a\a");
	assert_string_equal(dup, "\\x07\\x07\\x07");
	free(dup);
}

/* No byte below 0x20 but newline (and the menu's own CR), no DEL. */
static void assert_clean(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		if ((c < 0x20 && c != '\n' && c != '\r') || c == 0x7f)
			fail_msg("byte 0x%02x at %zu in: %.*s", c, i, (int)len,
				 text);
	}
}

static void menu_output(void **state)
{
	struct kj_scan scan;
	struct kj_menu_model m = { 0 };
	struct kj_menu_screen s = { 0 };
	struct kj_warnings conf = { 0 };
	struct kj_entry *e;
	char *text = NULL;
	size_t len = 0;

	(void)state;
	memset(&scan, 0, sizeof(scan));
	e = kj_entry_list_add(&scan.entries);
	assert_non_null(e);
	e->id = strdup("evil");
	e->title = strdup("Evil\x1b[2J\x1b]0;owned\a title");
	e->root_name = strdup("/dev/sd\033b1");
	e->kernel = strdup("/vmlinuz");
	kj_warn(&scan.warnings, "/boot/grub/grub.cfg\x1b[31m", 3, "bad \a");
	kj_warn(&conf, "kjump.conf", 1, "x\x1b");
	kj_menu_model_init(&m, 1, 0, -1, 0);
	s.out = open_memstream(&text, &len);
	assert_non_null(s.out);
	s.ansi = false;
	kj_menu_draw(&s, &scan, &conf, &m, "error \x1b[5m");
	kj_menu_draw_status(&s, &scan, &m, 5);
	fclose(s.out);
	assert_clean(text, len);
	assert_non_null(strstr(text, "Evil\\x1b[2J\\x1b]0;owned\\x07 title"));
	assert_non_null(strstr(text, "/dev/sd\\x1bb1"));
	assert_non_null(strstr(text, "grub.cfg\\x1b[31m:3: bad \\x07"));
	assert_non_null(strstr(text, "kjump.conf:1: x\\x1b"));
	assert_non_null(strstr(text, "error \\x1b[5m"));
	free(text);
	kj_entry_list_free(&scan.entries);
	kj_warnings_free(&scan.warnings);
	kj_warnings_free(&conf);
}

/* (syslinux itself takes ESC and other C0 bytes for blanks, so the
 * config uses the bytes it keeps: DEL, C1 and invalid UTF-8.) */
static void list_output(void **state)
{
	char *root = kj_test_tmpdir(), *out, *err;

	(void)state;
	kj_test_write(root, "boot/syslinux/syslinux.cfg",
		      "UI menu.c32\n"
		      "DEFAULT \302\2332Jnothing\n"
		      "LABEL evil\n"
		      "  MENU LABEL Evil\x1b]0;owned\x07 title\n"
		      "  KERNEL /vmlinuz\x7f\xff\n");
	kj_test_run_list(root, false, &out, &err);
	if (getenv("KJ_TEST_VERBOSE"))
		fprintf(stderr, "stdout:\n%sstderr:\n%s", out, err);
	assert_clean(out, strlen(out));
	assert_clean(err, strlen(err));
	assert_non_null(strstr(out, "Evil\\x1b]0;owned\\x07 title"));
	assert_non_null(strstr(out, "/vmlinuz\\x7f\\xff"));
	assert_non_null(strstr(err, "DEFAULT \\xc2\\x9b2Jnothing names no "
				    "label"));
	free(out);
	free(err);
	kj_test_rmtree(root);
	free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(escapes),
		cmocka_unit_test(menu_output),
		cmocka_unit_test(list_output),
	};
	return cmocka_run_group_tests_name("safe text", tests, NULL, NULL);
}
