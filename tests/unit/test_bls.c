/* Boot Loader Specification Type #1 entries. */
#include "testlib.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot/bls.h"

#define F(p, s)                     \
	{                           \
		p, s, sizeof(s) - 1 \
	}

static void dump_warnings(const struct kj_warnings *w)
{
	if (!getenv("KJ_TEST_VERBOSE"))
		return;
	for (size_t i = 0; i < w->n; i++)
		fprintf(stderr, "  warning: %s\n", w->v[i]);
}

static int scan(const struct kj_memfile *f, size_t n,
		const struct kj_vars *vars, struct kj_entry_list *out,
		struct kj_warnings *w)
{
	struct kj_root root = {
		.name = "esp", .dirfd = -1, .mem = f, .n_mem = n
	};
	int r = kj_bls_scan(&root, vars, out, w);

	dump_warnings(w);
	return r;
}

static const struct kj_entry *by_id(const struct kj_entry_list *l,
				    const char *id)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].id, id))
			return &l->v[i];
	fail_msg("no entry %s", id);
	return NULL;
}

static size_t n_default(const struct kj_entry_list *l)
{
	size_t n = 0;

	for (size_t i = 0; i < l->n; i++)
		n += l->v[i].is_default;
	return n;
}

static void test_version_cmp(void **state)
{
	static const char *const ascending[] = {
		"1.0~rc1", "1.0",     "1.0^1", "1.0.1", "1.2",	 "1.10",
		"6.1-2",   "6.1.1-1", "6.2a",  "6.2.a", "6.2.0", "10",
	};
	size_t n = sizeof(ascending) / sizeof(*ascending);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(kj_bls_version_cmp(ascending[i], ascending[i]),
				 0);
		for (size_t j = i + 1; j < n; j++) {
			if (kj_bls_version_cmp(ascending[i], ascending[j]) >= 0)
				fail_msg("%s should sort before %s",
					 ascending[i], ascending[j]);
			assert_true(kj_bls_version_cmp(ascending[j],
						       ascending[i]) > 0);
		}
	}
	assert_int_equal(kj_bls_version_cmp("007", "7"), 0);
	assert_int_equal(kj_bls_version_cmp("a_b", "a+b"), 0); /* junk */
	assert_true(kj_bls_version_cmp("abc", "abd") < 0);
	assert_true(kj_bls_version_cmp("1a", "1") > 0);
	assert_true(kj_bls_version_cmp("", "0") < 0);
}

static void test_fedora_entries(void **state)
{
	static const char e1[] =
		"title Fedora Linux (6.5.6-300.fc39.x86_64) 39\n"
		"version 6.5.6-300.fc39.x86_64\n"
		"linux /vmlinuz-6.5.6-300.fc39.x86_64\n"
		"initrd /initramfs-6.5.6-300.fc39.x86_64.img $tuned_initrd\n"
		"initrd /early.img\n"
		"options $kernelopts\n"
		"options  quiet   \n"
		"grub_users $grub_users\n"
		"grub_arg --unrestricted\n"
		"grub_class fedora\n";
	static const char e2[] =
		"# comment\n\n"
		"title Fedora Linux (6.6.2-201.fc39.x86_64) 39\n"
		"version 6.6.2-201.fc39.x86_64\n"
		"linux /vmlinuz-6.6.2-201.fc39.x86_64\n"
		"initrd /initramfs-6.6.2-201.fc39.x86_64.img\n"
		"options root=UUID=abcd ro ${extra}\n"
		"devicetree /dtb/board.dtb\n";
	const struct kj_memfile files[] = {
		F("/loader/entries/aaaa-6.5.6-300.fc39.x86_64.conf", e1),
		F("/loader/entries/aaaa-6.6.2-201.fc39.x86_64.conf", e2),
		F("/loader/entries/README", "not an entry"),
	};
	struct kj_entry_list out = { 0 };
	struct kj_warnings w = { 0 };
	struct kj_vars vars = { 0 };
	const struct kj_entry *e;

	(void)state;
	kj_vars_set(&vars, "kernelopts", "root=UUID=1234 ro rhgb");
	kj_vars_set(&vars, "tuned_initrd", "/tuned.img");
	kj_vars_set(&vars, "extra", "");
	kj_vars_set(&vars, "saved_entry", "aaaa-6.5.6-300.fc39.x86_64");
	assert_int_equal(scan(files, 3, &vars, &out, &w), 2);
	/* Newest first (file names, decreasing version). */
	assert_string_equal(out.v[0].id, "aaaa-6.6.2-201.fc39.x86_64");
	assert_string_equal(out.v[1].id, "aaaa-6.5.6-300.fc39.x86_64");

	e = by_id(&out, "aaaa-6.5.6-300.fc39.x86_64");
	assert_string_equal(e->title,
			    "Fedora Linux (6.5.6-300.fc39.x86_64) 39");
	assert_int_equal(e->type, KJ_ENTRY_LINUX);
	assert_int_equal(e->source, KJ_SOURCE_BLS);
	assert_string_equal(e->kernel, "/vmlinuz-6.5.6-300.fc39.x86_64");
	assert_int_equal(e->n_initrd, 3);
	assert_string_equal(e->initrd[0],
			    "/initramfs-6.5.6-300.fc39.x86_64.img");
	assert_string_equal(e->initrd[1], "/tuned.img");
	assert_string_equal(e->initrd[2], "/early.img");
	assert_string_equal(e->cmdline, "root=UUID=1234 ro rhgb quiet");
	assert_string_equal(e->config,
			    "/loader/entries/aaaa-6.5.6-300.fc39.x86_64.conf");
	assert_string_equal(e->root_name, "esp");
	assert_true(e->is_default); /* saved_entry */
	assert_int_equal(n_default(&out), 1);

	e = by_id(&out, "aaaa-6.6.2-201.fc39.x86_64");
	assert_string_equal(e->cmdline, "root=UUID=abcd ro");
	assert_string_equal(e->devicetree, "/dtb/board.dtb");
	assert_null(e->unsupported);
	assert_int_equal(w.n, 0);
	kj_entry_list_free(&out);
	kj_vars_free(&vars);
}

static void test_sort_keys(void **state)
{
	const struct kj_memfile files[] = {
		F("/loader/entries/zzz.conf", "linux /z\n"),
		F("/loader/entries/a-1.conf",
		  "sort-key fedora\nmachine-id m1\nversion 1.9\nlinux /a\n"),
		F("/loader/entries/b-2.conf",
		  "sort-key fedora\nmachine-id m1\nversion 1.10\nlinux /b\n"),
		F("/loader/entries/c.conf",
		  "sort-key arch\nversion 0.1\nlinux /c\n"),
		F("/loader/entries/d.conf",
		  "sort-key fedora\nmachine-id m0\nlinux /d\n"),
		F("/loader/entries/aaa.conf", "linux /aaa\n"),
		F("/loader/entries/win.conf", "title Windows\nefi /w.efi\n"),
		F("/loader/entries/arm.conf",
		  "linux /arm\narchitecture aa64\n"),
		F("/loader/entries/x64.conf", "linux /x\narchitecture X64\n"),
		F("/loader/entries/broken.conf", "title nothing to boot\n"),
		F("/boot/loader/entries/other.conf", "linux /boot/o\n"),
	};
	static const char *const order[] = { "c",   "d",     "b-2",
					     "a-1", "zzz",   "x64",
					     "win", "other", "aaa" };
	struct kj_entry_list out = { 0 };
	struct kj_warnings w = { 0 };
	const struct kj_entry *e;

	(void)state;
	assert_int_equal(
		scan(files, sizeof(files) / sizeof(*files), NULL, &out, &w), 9);
	for (size_t i = 0; i < 9; i++)
		assert_string_equal(out.v[i].id, order[i]);
	e = by_id(&out, "win");
	assert_int_equal(e->type, KJ_ENTRY_UNSUPPORTED);
	assert_null(e->kernel);
	assert_non_null(e->unsupported);
	assert_string_equal(by_id(&out, "zzz")->title, "zzz");
	assert_string_equal(by_id(&out, "c")->title, "0.1");
	assert_string_equal(by_id(&out, "other")->config,
			    "/boot/loader/entries/other.conf");
	assert_true(out.v[0].is_default);
	assert_int_equal(n_default(&out), 1);
	assert_int_equal(w.n, 1);
	assert_string_equal(w.v[0], "/loader/entries/broken.conf: no linux "
				    "key, entry skipped");
	kj_entry_list_free(&out);
	kj_warnings_free(&w);
}

static void test_loader_conf_default(void **state)
{
	const struct kj_memfile files[] = {
		F("/loader/loader.conf",
		  "timeout 3\n#default nope\ndefault arch-*\n"),
		F("/loader/entries/arch-lts.conf", "linux /lts\n"),
		F("/loader/entries/arch.conf", "linux /main\n"),
		F("/loader/entries/fedora.conf", "linux /f\n"),
	};
	const struct kj_memfile files2[] = {
		F("/loader/loader.conf", "default fedora.conf\n"),
		F("/loader/entries/arch.conf", "linux /main\n"),
		F("/loader/entries/fedora.conf", "linux /f\n"),
	};
	struct kj_entry_list out = { 0 };
	struct kj_warnings w = { 0 };

	(void)state;
	assert_int_equal(scan(files, 4, NULL, &out, &w), 3);
	assert_true(by_id(&out, "arch-lts")->is_default);
	assert_int_equal(n_default(&out), 1);
	kj_entry_list_free(&out);
	assert_int_equal(scan(files2, 3, NULL, &out, &w), 2);
	assert_true(by_id(&out, "fedora")->is_default);
	kj_entry_list_free(&out);
	assert_int_equal(w.n, 0);
}

static void test_own_grubenv(void **state)
{
	static const char env[] = "# GRUB Environment Block\n"
				  "kernelopts=root=/dev/vda2 ro\n"
				  "saved_entry=old\n"
				  "#####################";
	const struct kj_memfile files[] = {
		F("/boot/grub2/grubenv", env),
		F("/boot/loader/entries/new.conf",
		  "linux /boot/vmlinuz-new\noptions $kernelopts $missing\n"),
		F("/boot/loader/entries/old.conf",
		  "linux /boot/vmlinuz-old\noptions $kernelopts\n"),
	};
	struct kj_entry_list out = { 0 };
	struct kj_warnings w = { 0 };

	(void)state;
	assert_int_equal(scan(files, 3, NULL, &out, &w), 2);
	assert_string_equal(out.v[0].id, "old");
	assert_string_equal(out.v[1].id, "new");
	assert_true(out.v[0].is_default);
	assert_string_equal(out.v[1].cmdline, "root=/dev/vda2 ro");
	assert_int_equal(w.n, 1);
	assert_string_equal(w.v[0], "/boot/loader/entries/new.conf:2: "
				    "$missing is not set");
	kj_entry_list_free(&out);
	kj_warnings_free(&w);
}

static void test_empty_and_hostile(void **state)
{
	static char big[KJ_BLS_MAX_FILE_SIZE + 2];
	const struct kj_memfile files[] = {
		F("/loader/entries/.hidden.conf", "linux /h\n"),
		F("/loader/entries/.conf", "linux /h\n"),
		{ "/loader/entries/big.conf", big, sizeof(big) },
		F("/loader/entries/nul.conf", "linux /n\0ull\noptions a\n"),
		F("/loader/entries/unterminated.conf", "options ${x\nlinux"),
	};
	struct kj_entry_list out = { 0 };
	struct kj_warnings w = { 0 };

	(void)state;
	memset(big, 'a', sizeof(big));
	assert_int_equal(scan(files, 0, NULL, &out, &w), 0);
	assert_int_equal(scan(files, 5, NULL, &out, &w), 1);
	assert_string_equal(out.v[0].id, "nul");
	assert_string_equal(out.v[0].kernel, "/n");
	assert_int_equal(w.n, 3); /* too big; empty linux, so no linux */
	kj_entry_list_free(&out);
	kj_warnings_free(&w);
}

/* Issue 15, case 9: boot counting. A "bad" entry (no tries left) keeps
 * its id without the counter, sorts after the good ones and is not the
 * default while a good one exists. */
static void test_boot_counting(void **state)
{
	const struct kj_memfile files[] = {
		F("/loader/entries/os-9+0-1.conf", "title bad 9\nlinux /v9\n"),
		F("/loader/entries/os-1.conf", "title good 1\nlinux /v1\n"),
		F("/loader/entries/os-5+2-1.conf", "title try 5\nlinux /v5\n"),
		F("/loader/entries/os-7+0.conf", "title bad 7\nlinux /v7\n"),
		F("/loader/entries/odd+x.conf", "title odd\nlinux /vo\n"),
		F("/loader/loader.conf", "default os-9\n"),
	};
	const struct kj_memfile only_bad[] = {
		F("/loader/entries/os-9+0-1.conf", "title bad 9\nlinux /v9\n"),
		F("/loader/entries/os-8+0-3.conf", "title bad 8\nlinux /v8\n"),
		F("/loader/loader.conf", "default os-8\n"),
	};
	struct kj_entry_list out = { 0 };
	struct kj_warnings w = { 0 };

	(void)state;
	assert_int_equal(scan(files, 6, NULL, &out, &w), 5);
	/* Good and indeterminate first (decreasing version), bad last. */
	assert_string_equal(out.v[0].id, "os-5");
	assert_string_equal(out.v[1].id, "os-1");
	assert_string_equal(out.v[2].id, "odd+x");
	assert_string_equal(out.v[3].id, "os-9");
	assert_string_equal(out.v[4].id, "os-7");
	assert_string_equal(out.v[3].config, "/loader/entries/os-9+0-1.conf");
	/* loader.conf names the bad one: a good entry wins. */
	assert_int_equal(n_default(&out), 1);
	assert_true(out.v[0].is_default);
	assert_int_equal(w.n, 0);
	kj_entry_list_free(&out);
	kj_warnings_free(&w);

	/* os-1 alone with the bad one: os-1 is the default. */
	assert_int_equal(scan(files, 2, NULL, &out, &w), 2);
	assert_string_equal(out.v[0].id, "os-1");
	assert_true(out.v[0].is_default);
	assert_string_equal(out.v[1].id, "os-9");
	kj_entry_list_free(&out);
	kj_warnings_free(&w);

	/* Only bad entries: they can still be booted, and chosen. */
	assert_int_equal(scan(only_bad, 3, NULL, &out, &w), 2);
	assert_true(by_id(&out, "os-8")->is_default);
	kj_entry_list_free(&out);
	kj_warnings_free(&w);
}

/* Case 10: more than 256 entry files are all sorted, then cut, with a
 * warning; the default is the one the spec's order picks. */
static void test_many_entries(void **state)
{
	enum { N = 300 };
	struct kj_memfile *files = calloc(N + 1, sizeof(*files));
	char(*paths)[64] = calloc(N, 64), (*texts)[64] = calloc(N, 64);
	struct kj_entry_list out = { 0 };
	struct kj_warnings w = { 0 };
	bool warned = false;

	(void)state;
	assert_non_null(files);
	assert_non_null(paths);
	assert_non_null(texts);
	/* Table order is not name order: the newest is in the middle. */
	for (int i = 0; i < N; i++) {
		int v = (i * 7) % N;

		snprintf(paths[i], 64, "/loader/entries/k-%d.conf", v);
		snprintf(texts[i], 64, "title K %d\nlinux /k%d\n", v, v);
		files[i] = (struct kj_memfile){ paths[i], texts[i],
						strlen(texts[i]) };
	}
	assert_int_equal(scan(files, N, NULL, &out, &w), KJ_BLS_MAX_FILES);
	assert_string_equal(out.v[0].id, "k-299");
	assert_true(out.v[0].is_default);
	assert_string_equal(out.v[KJ_BLS_MAX_FILES - 1].id, "k-44");
	for (size_t i = 0; i < w.n; i++)
		warned |= strstr(w.v[i],
				 "300 boot loader entries, only the "
				 "first 256 in the specification's order") !=
			  NULL;
	assert_true(warned);
	kj_entry_list_free(&out);
	kj_warnings_free(&w);

	/* A default beyond the cut is kept. */
	files[N] = (struct kj_memfile){ "/loader/loader.conf", "default k-3\n",
					12 };
	assert_int_equal(scan(files, N + 1, NULL, &out, &w), KJ_BLS_MAX_FILES);
	assert_true(by_id(&out, "k-3")->is_default);
	assert_int_equal(n_default(&out), 1);
	kj_entry_list_free(&out);
	kj_warnings_free(&w);
	free(files);
	free(paths);
	free(texts);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version_cmp),
		cmocka_unit_test(test_fedora_entries),
		cmocka_unit_test(test_sort_keys),
		cmocka_unit_test(test_loader_conf_default),
		cmocka_unit_test(test_own_grubenv),
		cmocka_unit_test(test_empty_and_hostile),
		cmocka_unit_test(test_boot_counting),
		cmocka_unit_test(test_many_entries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
