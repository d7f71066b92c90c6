#include "testlib.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/plan.h"

static const struct kj_range ram[] = {
	{ 0x1000, 0x9f000 },
	{ 0x100000, 0x40000000 },
};

static void add_ok(struct kj_plan *p, const char *what, uint64_t mem,
		   size_t memsz)
{
	static const char data[16] = "x";
	struct kj_err err;

	assert_true(kj_plan_add(p, what, data, sizeof(data), mem, memsz, false,
				&err) >= 0);
}

static void test_add_rounds_and_finds(void **state)
{
	struct kj_plan p;
	struct kj_err err;
	char *owned = malloc(10);

	kj_plan_init(&p);
	assert_int_equal(kj_plan_add(&p, "kernel", owned, 10, 0x1000000, 5,
				     true, &err),
			 0);
	assert_int_equal(p.seg[0].memsz, 4096); /* max(bufsz, memsz) paged */
	assert_true(p.seg[0].owned);
	add_ok(&p, "initrd", 0x2000000, 8192);
	assert_int_equal(kj_plan_find(&p, "initrd"), 1);
	assert_int_equal(kj_plan_find(&p, "nothing"), -1);
	assert_true(kj_plan_overlaps(&p, 0x1000fff, 1));
	assert_false(kj_plan_overlaps(&p, 0x1001000, 0x1000));
	kj_plan_free(&p); /* frees owned; ASan catches a leak or double free */
	assert_int_equal(p.nseg, 0);
}

static void test_add_too_many_frees_owned(void **state)
{
	struct kj_plan p;
	struct kj_err err;

	kj_plan_init(&p);
	for (int i = 0; i < KJ_PLAN_MAX_SEGMENTS; i++)
		add_ok(&p, "s", 0x100000 + (uint64_t)i * 0x1000, 0x1000);
	assert_int_equal(kj_plan_add(&p, "extra", malloc(4), 4, 0x200000,
				     4096, true, &err),
			 -E2BIG);
	assert_non_null(strstr(err.msg, "extra: more than 16 segments"));
	kj_plan_free(&p);
}

static void test_validate_ok(void **state)
{
	struct kj_plan p;
	struct kj_err err;

	kj_plan_init(&p);
	add_ok(&p, "kernel", 0x1000000, 0x200000);
	add_ok(&p, "purgatory", 0x9e000, 0x1000);
	p.entry = 0x9e000;
	assert_int_equal(kj_plan_validate(&p, ram, 2, 0, 0, &err), 0);
	kj_plan_free(&p);
}

static void expect_invalid(struct kj_plan *p, int code, const char *msg,
			   uint64_t mem_min, uint64_t mem_max)
{
	struct kj_err err;

	kj_err_clear(&err);
	assert_int_equal(kj_plan_validate(p, ram, 2, mem_min, mem_max, &err),
			 -code);
	if (!strstr(err.msg, msg))
		fail_msg("got \"%s\", want \"%s\"", err.msg, msg);
	kj_plan_free(p);
}

static void test_validate_errors(void **state)
{
	struct kj_plan p;

	kj_plan_init(&p);
	expect_invalid(&p, EINVAL, "no segments", 0, 0);

	add_ok(&p, "kernel", 0x1000800, 0x1000);
	p.entry = 0x1000800;
	expect_invalid(&p, EINVAL, "kernel: segment 0x1000800+0x1000 is not page aligned", 0, 0);

	add_ok(&p, "kernel", 0x1000000, 0x1000);
	p.seg[0].bufsz = 0x2000;
	p.entry = 0x1000000;
	expect_invalid(&p, EINVAL, "kernel: 8 KiB of data do not fit in a 4 KiB segment", 0, 0);

	add_ok(&p, "kernel", 0xa0000, 0x1000); /* the VGA hole */
	p.entry = 0xa0000;
	expect_invalid(&p, EADDRNOTAVAIL, "kernel: 0xa0000-0xa0fff is not inside usable RAM", 0, 0);

	add_ok(&p, "kernel", 0x1000000, 0x2000);
	add_ok(&p, "initrd", 0x1001000, 0x1000);
	p.entry = 0x1000000;
	expect_invalid(&p, EINVAL, "initrd: 0x1001000-0x1001fff overlaps kernel at 0x1000000-0x1001fff", 0, 0);

	add_ok(&p, "kernel", 0x1000000, 0x1000);
	p.entry = 0x1000000;
	expect_invalid(&p, ERANGE, "kernel: 0x1000000 is below --mem-min 0x2000000", 0x2000000, 0);

	add_ok(&p, "kernel", 0x1000000, 0x2000);
	p.entry = 0x1000000;
	expect_invalid(&p, ERANGE, "ends above --mem-max 0x1000fff", 0, 0x1000fff);

	add_ok(&p, "kernel", 0x1000000, 0x1000);
	p.entry = 0x5000000;
	expect_invalid(&p, EINVAL, "entry 0x5000000 is outside every segment", 0, 0);
}

static void test_size_str(void **state)
{
	char b[32];

	assert_string_equal(kj_size_str(123, b, sizeof(b)), "123 bytes");
	assert_string_equal(kj_size_str(4096, b, sizeof(b)), "4 KiB");
	assert_string_equal(kj_size_str(210ull << 20, b, sizeof(b)), "210 MiB");
	assert_string_equal(kj_size_str(3ull << 29, b, sizeof(b)), "1.5 GiB");
	/* Rounded up, never "1.10". */
	assert_string_equal(kj_size_str((2ull << 20) - 1, b, sizeof(b)), "2 MiB");
	assert_string_equal(kj_size_str((1ull << 20) + 1, b, sizeof(b)), "1.1 MiB");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_rounds_and_finds),
		cmocka_unit_test(test_add_too_many_frees_owned),
		cmocka_unit_test(test_validate_ok),
		cmocka_unit_test(test_validate_errors),
		cmocka_unit_test(test_size_str),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
