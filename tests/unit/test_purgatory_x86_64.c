/* The user-space side of the x86_64 purgatory: the embedded image and
 * the parameter block kj_purgatory_x86_64_prepare() fills. */
#include "testlib.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86_64/purgatory.h"
#include "core/segment_digest.h"

static uint8_t seg_a[5000], seg_b[77];

static struct kj_purgatory_seg segs[2] = {
	{ seg_a, sizeof(seg_a), 0x1000000 },
	{ seg_b, sizeof(seg_b), 0x2000000 },
};

static struct kj_purgatory_setup base(void)
{
	struct kj_purgatory_setup s = {
		.entry_mode = KJ_ENTRY_LINUX64,
		.entry = 0x1000200,
		.rsi = 0x7000,
		.flags = KJ_PURG_VERIFY | KJ_PURG_SERIAL,
		.digest_alg = KJ_DIGEST_XXH64,
		.segs = segs,
		.nsegs = 2,
	};
	return s;
}

static void params_of(const uint8_t *blob, struct kj_purgatory_params *p)
{
	memcpy(p, blob + KJ_PURGATORY_PARAMS_OFFSET, sizeof(*p));
}

static int setup(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(seg_a); i++)
		seg_a[i] = (uint8_t)(i * 7);
	memset(seg_b, 0x5a, sizeof(seg_b));
	unsetenv("KJUMP_TEST_CORRUPT_SEGMENT");
	return 0;
}

static void test_image(void **state)
{
	struct kj_purgatory_params p;
	const uint8_t *img;
	size_t len;

	(void)state;
	img = kj_purgatory_x86_64_image(&len);
	assert_true(len > KJ_PURGATORY_PARAMS_OFFSET + sizeof(p));
	assert_true(len < 64 * 1024);
	params_of(img, &p);
	assert_int_equal(p.magic, KJ_PURGATORY_MAGIC);
	assert_int_equal(p.version, KJ_PURGATORY_ABI_VERSION);
	assert_int_equal(p.nsegments, 0);
}

static void test_fill_linux64(void **state)
{
	struct kj_purgatory_setup s = base();
	struct kj_purgatory_params p;
	struct kj_err err = { 0 };
	uint8_t *blob, d[32];
	size_t len, img_len;

	(void)state;
	assert_int_equal(kj_purgatory_x86_64_prepare(&s, &blob, &len, &err),
			 0);
	kj_purgatory_x86_64_image(&img_len);
	assert_int_equal(len, img_len);
	params_of(blob, &p);
	assert_int_equal(p.magic, KJ_PURGATORY_MAGIC);
	assert_int_equal(p.entry_mode, KJ_ENTRY_LINUX64);
	assert_int_equal(p.entry, 0x1000200);
	assert_int_equal(p.rsi, 0x7000);
	assert_int_equal(p.flags, KJ_PURG_VERIFY | KJ_PURG_SERIAL);
	assert_int_equal(p.serial_port, 0x3f8);
	assert_int_equal(p.serial_baud, 115200);
	assert_int_equal(p.nsegments, 2);
	assert_int_equal(p.digest_alg, KJ_DIGEST_XXH64);
	assert_int_equal(p.segments[0].mem, 0x1000000);
	assert_int_equal(p.segments[0].len, sizeof(seg_a));
	kj_segment_digest(KJ_DIGEST_XXH64, seg_a, sizeof(seg_a), d);
	assert_memory_equal(p.segments[0].digest, d, 8);
	kj_segment_digest(KJ_DIGEST_XXH64, seg_b, sizeof(seg_b), d);
	assert_memory_equal(p.segments[1].digest, d, 8);
	/* The rest of the digest field stays zero. */
	assert_memory_equal(p.segments[1].digest + 8, (uint8_t[24]){ 0 }, 24);
	/* The code around the block is untouched. */
	assert_memory_equal(blob, kj_purgatory_x86_64_image(&img_len),
			    KJ_PURGATORY_PARAMS_OFFSET);
	free(blob);
}

static void test_fill_pm32(void **state)
{
	struct kj_purgatory_setup s = base();
	struct kj_purgatory_params p;
	struct kj_err err = { 0 };
	uint8_t *blob;
	size_t len;

	(void)state;
	s.entry_mode = KJ_ENTRY_PM32;
	s.entry = 0x100000;
	s.eax = 0x2badb002;
	s.ebx = 0x9000;
	s.flags = 0;
	s.serial_port = 0x2f8;
	s.serial_baud = 9600;
	assert_int_equal(kj_purgatory_x86_64_prepare(&s, &blob, &len, &err),
			 0);
	params_of(blob, &p);
	assert_int_equal(p.entry_mode, KJ_ENTRY_PM32);
	assert_int_equal(p.eax, 0x2badb002);
	assert_int_equal(p.ebx, 0x9000);
	assert_int_equal(p.serial_port, 0x2f8);
	assert_int_equal(p.serial_baud, 9600);
	assert_int_equal(p.nsegments, 0); /* no VERIFY: no table */
	assert_int_equal(p.digest_alg, 0);
	free(blob);
}

static void test_corrupt_env(void **state)
{
	struct kj_purgatory_setup s = base();
	struct kj_purgatory_params p;
	struct kj_err err = { 0 };
	uint8_t *blob, d[32];
	size_t len;

	(void)state;
	setenv("KJUMP_TEST_CORRUPT_SEGMENT", "1", 1);
	s.digest_alg = KJ_DIGEST_SHA256;
	assert_int_equal(kj_purgatory_x86_64_prepare(&s, &blob, &len, &err),
			 0);
	params_of(blob, &p);
	kj_segment_digest(KJ_DIGEST_SHA256, seg_a, sizeof(seg_a), d);
	assert_memory_equal(p.segments[0].digest, d, 32);
	kj_segment_digest(KJ_DIGEST_SHA256, seg_b, sizeof(seg_b), d);
	assert_memory_not_equal(p.segments[1].digest, d, 32);
	free(blob);
	s.digest_alg = KJ_DIGEST_XXH64;

	setenv("KJUMP_TEST_CORRUPT_SEGMENT", "2", 1);
	assert_int_equal(kj_purgatory_x86_64_prepare(&s, &blob, &len, &err),
			 -EINVAL);
	assert_null(blob);
	assert_non_null(strstr(err.msg, "KJUMP_TEST_CORRUPT_SEGMENT=2"));
	setenv("KJUMP_TEST_CORRUPT_SEGMENT", "x", 1);
	assert_int_equal(kj_purgatory_x86_64_prepare(&s, &blob, &len, &err),
			 -EINVAL);
	unsetenv("KJUMP_TEST_CORRUPT_SEGMENT");
}

static void test_refusals(void **state)
{
	struct kj_purgatory_seg many[KJ_PURGATORY_MAX_SEGMENTS + 1];
	struct kj_purgatory_setup s;
	struct kj_err err = { 0 };
	uint8_t *blob;
	size_t len;

	(void)state;
	s = base();
	s.entry_mode = 7;
	assert_int_equal(kj_purgatory_x86_64_prepare(&s, &blob, &len, &err),
			 -EINVAL);
	assert_non_null(strstr(err.msg, "purgatory: unknown entry mode 7"));

	s = base();
	s.entry_mode = KJ_ENTRY_PM32;
	s.entry = 0x100000000ULL;
	assert_int_equal(kj_purgatory_x86_64_prepare(&s, &blob, &len, &err),
			 -EINVAL);
	assert_non_null(strstr(err.msg, "above 4 GiB"));

	s = base();
	s.digest_alg = 0; /* verification without an algorithm */
	assert_int_equal(kj_purgatory_x86_64_prepare(&s, &blob, &len, &err),
			 -EINVAL);
	assert_string_equal(err.msg, "purgatory: unknown digest algorithm 0");

	s = base();
	s.flags |= 1u << 7;
	assert_int_equal(kj_purgatory_x86_64_prepare(&s, &blob, &len, &err),
			 -EINVAL);

	s = base();
	memset(many, 0, sizeof(many));
	s.segs = many;
	s.nsegs = KJ_PURGATORY_MAX_SEGMENTS + 1;
	assert_int_equal(kj_purgatory_x86_64_prepare(&s, &blob, &len, &err),
			 -E2BIG);

	s = base();
	many[0] = (struct kj_purgatory_seg){ NULL, 10, 0x1000 };
	s.segs = many;
	s.nsegs = 1;
	assert_int_equal(kj_purgatory_x86_64_prepare(&s, &blob, &len, &err),
			 -EINVAL);
	assert_null(blob);
}

static void test_fill_pm32_linux_and_real16(void **state)
{
	struct kj_purgatory_setup s = base();
	struct kj_purgatory_params p;
	struct kj_err err = { 0 };
	uint8_t *blob;
	size_t len;

	(void)state;
	/* 32-bit Linux: ESI carries boot_params. */
	s.entry_mode = KJ_ENTRY_PM32;
	s.esi = 0x7000;
	assert_int_equal(kj_purgatory_x86_64_prepare(&s, &blob, &len, &err),
			 0);
	params_of(blob, &p);
	assert_int_equal(p.esi, 0x7000);
	free(blob);

	/* Real mode: the register block lands as given, at the end. */
	s = base();
	s.entry_mode = KJ_ENTRY_REAL16;
	s.real16 = (struct kj_purgatory_real16){
		.cs = 0x9020,
		.ip = 0,
		.ss = 0x9000,
		.sp = 0xe000,
		.ds = 0x9000,
		.es = 0x9000,
		.fs = 0x9000,
		.gs = 0x9000,
		.edx = 0x80,
		.flags = KJ_RM_LEGACY_PIC | KJ_RM_LEGACY_TIMER,
	};
	assert_int_equal(kj_purgatory_x86_64_prepare(&s, &blob, &len, &err),
			 0);
	params_of(blob, &p);
	assert_int_equal(p.entry_mode, KJ_ENTRY_REAL16);
	assert_int_equal(p.real16.cs, 0x9020);
	assert_int_equal(p.real16.ss, 0x9000);
	assert_int_equal(p.real16.sp, 0xe000);
	assert_int_equal(p.real16.edx, 0x80);
	assert_int_equal(p.real16.flags, 3);
	assert_int_equal(offsetof(struct kj_purgatory_params, esi),
			 offsetof(struct kj_purgatory_params, segments) +
				 sizeof(p.segments));
	free(blob);

	s.real16.flags = 4;
	assert_int_equal(kj_purgatory_x86_64_prepare(&s, &blob, &len, &err),
			 -EINVAL);
	assert_string_equal(err.msg, "purgatory: unknown real-mode flags 0x4");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_image, setup),
		cmocka_unit_test_setup(test_fill_linux64, setup),
		cmocka_unit_test_setup(test_fill_pm32, setup),
		cmocka_unit_test_setup(test_fill_pm32_linux_and_real16, setup),
		cmocka_unit_test_setup(test_corrupt_env, setup),
		cmocka_unit_test_setup(test_refusals, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
