/* Issue 15, case 13: every cap on what a hostile disk can make kjump
 * read or keep warns, naming the file; nothing is dropped or cut without
 * a word. (The GRUB word cap, the GRUB loop cap and the BLS file cap are
 * in test_grub.c and test_bls.c, next to their parsers.) */
#include "testlib.h"

#include "boot/bls.h"
#include "boot/entry.h"
#include "boot/grub.h"
#include "boot/syslinux.h"

static bool warned(const struct kj_warnings *w, const char *needle)
{
	for (size_t i = 0; i < w->n; i++)
		if (strstr(w->v[i], needle))
			return true;
	if (getenv("KJ_TEST_VERBOSE"))
		for (size_t i = 0; i < w->n; i++)
			fprintf(stderr, "  warning: %s\n", w->v[i]);
	return false;
}

/* The warning list itself: its last slot says it is full. */
static void warning_list(void **state)
{
	struct kj_warnings w = { 0 };

	(void)state;
	for (int i = 0; i < 300; i++)
		kj_warn(&w, "/boot/grub/grub.cfg", (unsigned)i + 1, "w%d", i);
	assert_int_equal(w.n, 256);
	assert_string_equal(w.v[254], "/boot/grub/grub.cfg:255: w254");
	assert_string_equal(w.v[255], "/boot/grub/grub.cfg: more than 255 "
				      "warnings, the rest is not shown");
	kj_warnings_free(&w);
}

/* A BLS value that grows past 16 KiB by expansion. */
static void bls_expansion(void **state)
{
	static const char entry[] = "linux /vmlinuz\noptions $big $big\n";
	const struct kj_memfile files[] = {
		{ "/loader/entries/a.conf", entry, sizeof(entry) - 1 },
	};
	struct kj_root root = {
		.name = "esp", .dirfd = -1, .mem = files, .n_mem = 1
	};
	struct kj_entry_list out = { 0 };
	struct kj_warnings w = { 0 };
	struct kj_vars vars = { 0 };
	char *big = malloc(10000);

	(void)state;
	assert_non_null(big);
	memset(big, 'b', 9999);
	big[9999] = '\0';
	assert_int_equal(kj_vars_set(&vars, "big", big), 0);
	assert_int_equal(kj_bls_scan(&root, &vars, &out, &w), 1);
	assert_true(warned(&w, "/loader/entries/a.conf:2: value longer than "
			       "16383 bytes, cut"));
	assert_int_equal(strlen(out.v[0].cmdline), 16383);
	kj_entry_list_free(&out);
	kj_warnings_free(&w);
	kj_vars_free(&vars);
	free(big);
}

/* GRUB variables: a value over the store's limit, and too many names. */
static void grub_variables(void **state)
{
	size_t cap = 64 * 1024 + 600 * 32, len;
	char *cfg = malloc(cap);
	struct kj_memfile f = { "/boot/grub/grub.cfg", cfg, 0 };
	struct kj_root root = {
		.name = "d", .dirfd = -1, .mem = &f, .n_mem = 1
	};
	struct kj_rootset set = { &root, 1 };
	struct kj_entry_list out = { 0 };
	struct kj_warnings w = { 0 };

	(void)state;
	assert_non_null(cfg);
	len = (size_t)sprintf(cfg, "set x=");
	memset(cfg + len, 'x', 20000);
	len += 20000;
	cfg[len++] = '\n';
	for (int i = 0; i < 600; i++)
		len += (size_t)sprintf(cfg + len, "v%d=1\n", i);
	len += (size_t)sprintf(cfg + len, "menuentry m { linux /k; }\n");
	f.size = len;
	assert_int_equal(kj_grub_scan(&set, 0, &out, &w), 1);
	assert_true(warned(&w, "grub.cfg:1: set x: value longer than 16383 "
			       "bytes, not set"));
	assert_true(warned(&w, "more than 512 variables, not set"));
	kj_entry_list_free(&out);
	kj_warnings_free(&w);
	free(cfg);
}

/* syslinux MENU BEGIN nesting. */
static void syslinux_menu_depth(void **state)
{
	char cfg[80 * 16 + 64];
	size_t len = 0;
	struct kj_memfile f = { "/syslinux.cfg", cfg, 0 };
	struct kj_root root = {
		.name = "d", .dirfd = -1, .mem = &f, .n_mem = 1
	};
	struct kj_entry_list out = { 0 };
	struct kj_warnings w = { 0 };

	(void)state;
	for (int i = 0; i < 70; i++)
		len += (size_t)sprintf(cfg + len, "MENU BEGIN\n");
	len += (size_t)sprintf(cfg + len, "LABEL deep\n KERNEL /k\n");
	f.size = len;
	assert_int_equal(kj_syslinux_scan_info(&root, &out, &w, NULL), 0);
	assert_int_equal(out.n, 1);
	assert_true(warned(&w, "/syslinux.cfg:65: submenus nested deeper "
			       "than 64, flattened there"));
	kj_entry_list_free(&out);
	kj_warnings_free(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(warning_list),
		cmocka_unit_test(bls_expansion),
		cmocka_unit_test(grub_variables),
		cmocka_unit_test(syslinux_menu_depth),
	};
	return cmocka_run_group_tests_name("caps", tests, NULL, NULL);
}
