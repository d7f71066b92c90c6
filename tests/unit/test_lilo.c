/* Tests for the LILO config parser (src/boot/lilo.c). */
#include "testlib.h"
#include "entries_testlib.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boot/lilo.h"

#define F(p, s) { p, s, sizeof(s) - 1 }
#define N(a) (sizeof(a) / sizeof((a)[0]))

struct result {
	struct kj_entry_list list;
	struct kj_warnings warn;
	struct kj_lilo_info info;
};

static void scan_mem(struct result *res, const struct kj_memfile *files,
		     size_t n)
{
	struct kj_root root = { .name = "mem", .dirfd = -1, .mem = files,
				.n_mem = n };

	memset(res, 0, sizeof(*res));
	assert_int_equal(kj_lilo_scan_info(&root, &res->list, &res->warn,
					   &res->info),
			 0);
	dump(res);
}

static void test_basic(void **state)
{
	static const struct kj_memfile files[] = {
		F("/etc/lilo.conf",
		  "# global options\n"
		  "boot=/dev/sda\n"
		  "prompt\n"
		  "timeout=150\n"
		  "lba32\n"
		  "root=/dev/sda1\n"
		  "read-only\n"
		  "append=\"quiet splash\"\n"
		  "initrd=/boot/initrd.img\n"
		  "default=old\n"
		  "\n"
		  "image=/boot/vmlinuz   # the current kernel\n"
		  "\tlabel=linux\n"
		  "image = /boot/vmlinuz.old\n"
		  "\tlabel = old\n"
		  "\tappend = \"console=ttyS0 \\\"q\\\" a\\\\b\"\n"
		  "\troot=UUID=1234-abcd\n"
		  "\tread-write\n"
		  "\tinitrd=/boot/initrd.old\n"
		  "image=/boot/vmlinuz-nolabel\n"
		  "\tliteral=\"root=/dev/sdb1 init=/bin/sh\"\n"
		  "\tnoinitrd\n"
		  "other=/dev/sda3\n"
		  "\tlabel=windows\n"
		  "\ttable=/dev/sda\n"),
	};
	struct result res;
	const struct kj_entry *e;

	(void)state;
	scan_mem(&res, files, N(files));
	assert_int_equal(res.list.n, 4);
	assert_int_equal(res.warn.n, 0);
	assert_string_equal(res.info.config, "/etc/lilo.conf");
	assert_int_equal(res.info.timeout, 150);
	assert_true(res.info.prompt);

	e = get(&res, "linux");
	assert_int_equal(e->type, KJ_ENTRY_LINUX);
	assert_string_equal(e->title, "linux");
	assert_string_equal(e->kernel, "/boot/vmlinuz");
	assert_string_equal(e->cmdline, "ro root=/dev/sda1 quiet splash");
	assert_int_equal(e->n_initrd, 1);
	assert_string_equal(e->initrd[0], "/boot/initrd.img");
	assert_false(e->is_default);
	assert_int_equal(e->source, KJ_SOURCE_LILO);
	assert_string_equal(e->config, "/etc/lilo.conf");
	assert_int_equal(e->config_line, 12);
	assert_string_equal(e->root_name, "mem");

	/* per-image options override the global ones */
	e = get(&res, "old");
	assert_true(e->is_default);
	assert_string_equal(e->cmdline,
			    "rw root=UUID=1234-abcd console=ttyS0 \"q\" a\\b");
	assert_string_equal(e->initrd[0], "/boot/initrd.old");

	/* no label: the file name; literal= is the whole line */
	e = get(&res, "vmlinuz-nolabel");
	assert_string_equal(e->cmdline, "root=/dev/sdb1 init=/bin/sh");
	assert_int_equal(e->n_initrd, 0);

	e = get(&res, "windows");
	assert_int_equal(e->type, KJ_ENTRY_UNSUPPORTED);
	assert_null(e->kernel);
	assert_string_equal(e->unsupported,
			    "/dev/sda3: chain-loads another system's boot "
			    "sector");
	result_free(&res);
}

static void test_first_is_default(void **state)
{
	static const struct kj_memfile files[] = {
		F("/boot/lilo.conf",
		  "root=current\n"
		  "delay=20\n"
		  "image=vmlinuz label=a addappend=\"x=1\" append=base\n"
		  "image=/dev/fd0 label=floppy range=1-100\n"
		  "image=/vmlinuz-b label=b alias=bee optional\n"
		  "image=/missing label=gone optional\n"),
		F("/vmlinuz-b", "kernel"),
	};
	struct result res;
	const struct kj_entry *e;

	(void)state;
	scan_mem(&res, files, N(files));
	assert_string_equal(res.info.config, "/boot/lilo.conf");
	assert_false(res.info.prompt);
	assert_int_equal(res.info.delay, 20);
	assert_int_equal(res.list.n, 3);
	e = get(&res, "a");
	assert_true(e->is_default);
	/* relative to the config's directory; root=current is left out */
	assert_string_equal(e->kernel, "/boot/vmlinuz");
	assert_string_equal(e->cmdline, "base x=1");
	assert_int_equal(get(&res, "floppy")->type, KJ_ENTRY_UNSUPPORTED);
	assert_non_null(find(&res, "b"));
	assert_null(find(&res, "gone"));
	result_free(&res);
}

static void test_default_alias_and_global_literal(void **state)
{
	static const struct kj_memfile files[] = {
		F("/etc/lilo.conf",
		  "DEFAULT=bee\n"
		  "literal=\"only this\"\n"
		  "Image=/a\n Label=a\n"
		  "image=/b\n label=b\n alias=bee\n append=own\n"),
		F("/boot/lilo.conf", "image=/ignored\n"),
	};
	struct result res;

	(void)state;
	scan_mem(&res, files, N(files));
	assert_int_equal(res.list.n, 2);
	assert_true(get(&res, "b")->is_default);
	assert_false(get(&res, "a")->is_default);
	assert_string_equal(get(&res, "a")->cmdline, "only this");
	assert_string_equal(get(&res, "b")->cmdline, "own");
	result_free(&res);
}

static void test_broken(void **state)
{
	static const struct kj_memfile files[] = {
		F("/etc/lilo.conf",
		  "default=nothere\n"
		  "= stray\n"
		  "image=\n"
		  "image=/k\n"
		  "  label\n"
		  "  append=\"a b \\\n"
		  "c\"\n"
		  "  root=/dev/sda2 \\\n"
		  "  read-only\n"
		  "image=/k2 append=\"never closed\n"),
	};
	struct result res;
	const struct kj_entry *e;

	(void)state;
	scan_mem(&res, files, N(files));
	assert_int_equal(res.list.n, 2);
	e = get(&res, "k");
	assert_true(e->is_default);
	assert_string_equal(e->cmdline, "ro root=/dev/sda2 a b c");
	assert_string_equal(get(&res, "k2")->cmdline, "never closed ");
	assert_true(has_warning(&res, "/etc/lilo.conf:1: default=nothere"));
	assert_true(has_warning(&res, "/etc/lilo.conf:2: '=' without"));
	assert_true(has_warning(&res, "/etc/lilo.conf:3: image without"));
	assert_true(has_warning(&res, "/etc/lilo.conf:5: label needs"));
	assert_true(has_warning(&res, "/etc/lilo.conf:10: unterminated"));
	result_free(&res);
}

static void test_long_value(void **state)
{
	static char text[10000];
	struct kj_memfile files[] = { { "/etc/lilo.conf", text, 0 } };
	struct result res;

	(void)state;
	strcpy(text, "image=/k append=\"");
	memset(text + strlen(text), 'y', 5000);
	strcat(text, "\"\nimage=/k2\n");
	files[0].size = strlen(text);
	scan_mem(&res, files, N(files));
	assert_int_equal(res.list.n, 2);
	assert_int_equal(strlen(get(&res, "k")->cmdline), 4096);
	assert_true(has_warning(&res, ":1: value longer than 4096"));
	result_free(&res);
}

static void test_none(void **state)
{
	static const struct kj_memfile files[] = {
		F("/etc/other.conf", "image=/x\n"),
	};
	struct result res;

	(void)state;
	scan_mem(&res, files, N(files));
	assert_int_equal(res.list.n, 0);
	assert_null(res.info.config);
	result_free(&res);
}

static void test_too_many(void **state)
{
	static char text[600 * 12];
	struct kj_memfile files[] = { { "/etc/lilo.conf", text, 0 } };
	struct result res;

	(void)state;
	for (int i = 0; i < 600; i++)
		strcat(text, "image=/k\n");
	files[0].size = strlen(text);
	scan_mem(&res, files, N(files));
	assert_int_equal(res.list.n, KJ_MAX_ENTRIES);
	assert_true(has_warning(&res, ":513: more than 512 sections"));
	result_free(&res);
}

/* A directory root: /etc/lilo.conf may be a symlink, but it cannot lead
 * out of the root. */
static void test_dir_root(void **state)
{
	char tmpl[] = "/tmp/kj-lilo-XXXXXX", path[600], cmd[700];
	struct kj_root root;
	struct kj_err err;
	struct result res;
	char *tmp = mkdtemp(tmpl);
	FILE *f;

	(void)state;
	assert_non_null(tmp);
	snprintf(path, sizeof(path), "%s/outside.conf", tmp);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("image=/evil\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/root", tmp);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/root/etc", tmp);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/root/etc/lilo.conf", tmp);
	assert_int_equal(symlink("../../outside.conf", path), 0);
	snprintf(path, sizeof(path), "%s/root/boot", tmp);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/root/boot/lilo.conf", tmp);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("image=/boot/vmlinuz\n label=good\n", f);
	fclose(f);

	snprintf(path, sizeof(path), "%s/root", tmp);
	assert_int_equal(kj_root_open_dir(&root, path, "dir", &err), 0);
	memset(&res, 0, sizeof(res));
	assert_int_equal(kj_lilo_scan(&root, &res.list, &res.warn), 0);
	/* the escaping link resolves to /outside.conf inside the root,
	 * which does not exist: /boot/lilo.conf is used */
	assert_int_equal(res.list.n, 1);
	assert_string_equal(get(&res, "good")->kernel, "/boot/vmlinuz");
	assert_string_equal(get(&res, "good")->root_name, "dir");
	result_free(&res);
	kj_root_close(&root);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_first_is_default),
		cmocka_unit_test(test_default_alias_and_global_literal),
		cmocka_unit_test(test_broken),
		cmocka_unit_test(test_long_value),
		cmocka_unit_test(test_none),
		cmocka_unit_test(test_too_many),
		cmocka_unit_test(test_dir_root),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
