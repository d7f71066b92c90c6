/* The GRUB environment block and the variable store. */
#include "testlib.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot/grubenv.h"

#define HDR "# GRUB Environment Block\n"

static void test_parse_basic(void **state)
{
	static const char env[] =
		HDR "saved_entry=gnulinux-6.1-advanced\n"
		    "kernelopts=root=UUID=1 ro quiet\n"
		    "# a comment\n"
		    "empty=\n"
		    "##########################################";
	struct kj_vars v = { 0 };
	struct kj_warnings w = { 0 };

	(void)state;
	assert_int_equal(
		kj_grubenv_parse(env, sizeof(env) - 1, "grubenv", &v, &w), 0);
	assert_int_equal(w.n, 0);
	assert_int_equal(v.n, 3);
	assert_string_equal(kj_vars_get(&v, "saved_entry"),
			    "gnulinux-6.1-advanced");
	assert_string_equal(kj_vars_get(&v, "kernelopts"),
			    "root=UUID=1 ro quiet");
	assert_string_equal(kj_vars_get(&v, "empty"), "");
	assert_null(kj_vars_get(&v, "missing"));
	kj_vars_free(&v);
}

static void test_parse_escapes(void **state)
{
	/* grub-editenv writes "\\" for a backslash and a backslash before a
	 * real newline inside a value. */
	static const char env[] = HDR "a=back\\\\slash\n"
				      "b=two\\\nlines\n"
				      "c=x\\=y\n"
				      "d=last";
	struct kj_vars v = { 0 };
	struct kj_warnings w = { 0 };

	(void)state;
	assert_int_equal(
		kj_grubenv_parse(env, sizeof(env) - 1, "grubenv", &v, &w), 0);
	assert_string_equal(kj_vars_get(&v, "a"), "back\\slash");
	assert_string_equal(kj_vars_get(&v, "b"), "two\nlines");
	assert_string_equal(kj_vars_get(&v, "c"), "x=y");
	assert_string_equal(kj_vars_get(&v, "d"), "last");
	assert_int_equal(w.n, 0);
	kj_vars_free(&v);
}

static void test_parse_bad(void **state)
{
	static const char nohdr[] = "saved_entry=0\n";
	static const char badline[] = HDR "ok=1\nnot a pair\n=noname\nz=2\n";
	struct kj_vars v = { 0 };
	struct kj_warnings w = { 0 };

	(void)state;
	assert_int_equal(
		kj_grubenv_parse(nohdr, sizeof(nohdr) - 1, "env", &v, &w),
		-EINVAL);
	assert_int_equal(v.n, 0);
	assert_int_equal(w.n, 1);
	assert_string_equal(w.v[0], "env:1: not a GRUB environment block");
	kj_warnings_free(&w);

	assert_int_equal(
		kj_grubenv_parse(badline, sizeof(badline) - 1, "env", &v, &w),
		0);
	assert_int_equal(v.n, 2);
	assert_string_equal(kj_vars_get(&v, "z"), "2");
	assert_int_equal(w.n, 2);
	assert_string_equal(w.v[0], "env:3: not a NAME=VALUE line");
	assert_string_equal(w.v[1], "env:4: not a NAME=VALUE line");
	kj_warnings_free(&w);
	kj_vars_free(&v);

	/* Truncated in the middle of an escape, and a NUL in the block. */
	static const char trunc[] = HDR "a=b\\";
	static const char nul[] = HDR "a=1\n\0b=2\n";

	assert_int_equal(
		kj_grubenv_parse(trunc, sizeof(trunc) - 1, "e", &v, &w), 0);
	assert_string_equal(kj_vars_get(&v, "a"), "b\\");
	assert_int_equal(kj_grubenv_parse(nul, sizeof(nul) - 1, "e", &v, &w),
			 0);
	assert_null(kj_vars_get(&v, "b"));
	kj_vars_free(&v);
	kj_warnings_free(&w);
}

static void test_load_from_root(void **state)
{
	static const char env[] = HDR "next_entry=1\n";
	const struct kj_memfile files[] = {
		{ "/boot/grub/grubenv", env, sizeof(env) - 1 },
	};
	struct kj_root root = {
		.name = "r", .dirfd = -1, .mem = files, .n_mem = 1
	};
	struct kj_vars v = { 0 };
	struct kj_warnings w = { 0 };

	(void)state;
	assert_int_equal(kj_grubenv_load(&root, "/boot/grub/grubenv", &v, &w),
			 0);
	assert_string_equal(kj_vars_get(&v, "next_entry"), "1");
	assert_int_equal(kj_grubenv_load(&root, "/nope", &v, &w), -ENOENT);
	assert_int_equal(w.n, 0);
	kj_vars_free(&v);
}

static void test_vars_store(void **state)
{
	struct kj_vars v = { 0 }, c = { 0 };
	char big[KJ_VAR_VALUE_MAX + 1];
	char name[16];

	(void)state;
	assert_int_equal(kj_vars_set(&v, "a", "1"), 0);
	assert_int_equal(kj_vars_set(&v, "b", "2"), 0);
	assert_int_equal(kj_vars_set(&v, "a", "3"), 0);
	assert_int_equal(v.n, 2);
	assert_string_equal(kj_vars_get(&v, "a"), "3");
	assert_int_equal(kj_vars_set(&v, "", "x"), -EINVAL);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(kj_vars_set(&v, "big", big), -E2BIG);

	assert_int_equal(kj_vars_copy(&c, &v), 0);
	kj_vars_unset(&v, "a");
	assert_null(kj_vars_get(&v, "a"));
	assert_string_equal(kj_vars_get(&v, "b"), "2");
	assert_string_equal(kj_vars_get(&c, "a"), "3");
	kj_vars_unset(&v, "nothing");
	assert_null(kj_vars_get(NULL, "a"));

	for (int i = 0; i < KJ_VARS_MAX + 5; i++) {
		snprintf(name, sizeof(name), "v%d", i);
		kj_vars_set(&c, name, "x");
	}
	assert_int_equal(c.n, KJ_VARS_MAX);
	assert_int_equal(kj_vars_set(&c, "one_more", "x"), -E2BIG);
	kj_vars_free(&v);
	kj_vars_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_basic),
		cmocka_unit_test(test_parse_escapes),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_load_from_root),
		cmocka_unit_test(test_vars_store),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
