#include "testlib.h"

#include <errno.h>
#include <string.h>

#include "core/placement.h"

static const struct kj_range ram[] = {
	{ 0x1000, 0x9f000 },
	{ 0x100000, 0x80000000 },      /* 2 GiB */
	{ 0x100000000, 0x140000000 },  /* 1 GiB above 4 GiB */
};

static uint64_t place(const struct kj_plan *p, struct kj_place_req *req)
{
	struct kj_err err;
	uint64_t a = 0;

	kj_err_clear(&err);
	if (kj_place(ram, 3, p, req, &a, &err) < 0)
		fail_msg("%s", err.msg);
	return a;
}

static void test_bottom_up(void **state)
{
	struct kj_plan p;
	struct kj_place_req r = { .what = "kernel", .size = 0x3000,
				  .align = 0x200000, .min = 0x100000 };

	kj_plan_init(&p);
	assert_int_equal(place(&p, &r), 0x200000);
	/* A segment in the way pushes it to the next aligned slot. */
	kj_plan_add(&p, "x", NULL, 0, 0x200000, 0x201000, false, NULL);
	assert_int_equal(place(&p, &r), 0x600000);
	/* Page alignment fills the gap right after. */
	r.align = 0;
	assert_int_equal(place(&p, &r), 0x100000);
	r.min = 0x200000;
	assert_int_equal(place(&p, &r), 0x401000);
}

static void test_top_down(void **state)
{
	struct kj_plan p;
	struct kj_place_req r = { .what = "initrd", .size = 0x100001,
				  .max = 0x7fffffff, .top_down = true };

	kj_plan_init(&p);
	/* Size rounds to 0x101000; highest fit ends at the window's end. */
	assert_int_equal(place(&p, &r), 0x80000000 - 0x101000);
	kj_plan_add(&p, "x", NULL, 0, 0x7ff00000, 0x10000, false, NULL);
	assert_int_equal(place(&p, &r), 0x7ff00000 - 0x101000);
	/* No window: the high RAM wins. */
	r.max = 0;
	assert_int_equal(place(&p, &r), 0x140000000 - 0x101000);
	/* Alignment from the top. */
	r.align = 0x1000000;
	r.max = 0x7fffffff;
	assert_int_equal(place(&p, &r), 0x7f000000);
}

static void test_skips_many_segments(void **state)
{
	struct kj_plan p;
	struct kj_place_req r = { .what = "bp", .size = 0x2000,
				  .min = 0x100000, .max = 0x10ffff };

	kj_plan_init(&p);
	/* Every other page taken: no 2-page hole in the window. */
	for (int i = 0; i < 8; i++)
		kj_plan_add(&p, "x", NULL, 0, 0x100000 + (uint64_t)i * 0x2000,
			    0x1000, false, NULL);
	{
		struct kj_err err;
		uint64_t a;

		assert_int_equal(kj_place(ram, 3, &p, &r, &a, &err), -ENOSPC);
	}
	r.max = 0x111fff;
	assert_int_equal(place(&p, &r), 0x10f000);
	r.top_down = true;
	assert_int_equal(place(&p, &r), 0x110000);
}

static void test_no_room_message(void **state)
{
	struct kj_plan p;
	struct kj_err err;
	uint64_t a;
	struct kj_place_req r = {
		.what = "initrd", .size = 210ull << 20, .max = 0x7fffffff,
		.min = 0x7f000000, .top_down = true,
		.why = "initrd_addr_max, --mem-min/--mem-max",
	};

	kj_plan_init(&p);
	assert_int_equal(kj_place(ram, 3, &p, &r, &a, &err), -ENOSPC);
	assert_string_equal(err.msg,
			    "initrd: no room for 210 MiB in free RAM between "
			    "0x7f000000 and 0x7fffffff "
			    "(initrd_addr_max, --mem-min/--mem-max)");
	r.align = 0x3000;
	assert_int_equal(kj_place(ram, 3, &p, &r, &a, &err), -EINVAL);
}

static void test_fits_and_clamp(void **state)
{
	struct kj_plan p;
	uint64_t lo = 0x100000, hi = 0;

	kj_plan_init(&p);
	assert_true(kj_place_fits(ram, 3, &p, 0x100000, 0x500000));
	assert_false(kj_place_fits(ram, 3, &p, 0x100800, 0x1000));
	assert_false(kj_place_fits(ram, 3, &p, 0x9f000, 0x1000));
	/* Across two RAM ranges is not one hole. */
	assert_false(kj_place_fits(ram, 3, &p, 0x7ffff000, 0x2000));
	kj_plan_add(&p, "x", NULL, 0, 0x100000, 0x1000, false, NULL);
	assert_false(kj_place_fits(ram, 3, &p, 0x100000, 0x1000));

	assert_true(kj_place_clamp(&lo, &hi, 0x200000, 0x7fffffff));
	assert_int_equal(lo, 0x200000);
	assert_int_equal(hi, 0x7fffffff);
	hi = 0x3fffffff;
	assert_true(kj_place_clamp(&lo, &hi, 0, 0x7fffffff));
	assert_int_equal(hi, 0x3fffffff);
	assert_false(kj_place_clamp(&lo, &hi, 0x40000000, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bottom_up),
		cmocka_unit_test(test_top_down),
		cmocka_unit_test(test_skips_many_segments),
		cmocka_unit_test(test_no_room_message),
		cmocka_unit_test(test_fits_and_clamp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
