/* The arm64 purgatory's user-space glue (arch/arm64/purgatory.c): what
 * it writes into the parameter block, and what it refuses. Runs over a
 * synthetic image, and over the real blob when it is built
 * (build/purgatory/arm64/purgatory.bin, make purgatory-arm64). */
#include "testlib.h"

#include <errno.h>

#include "arch/arm64/purgatory.h"
#include "core/segment_digest.h"

#define IMG_LEN 0x1000

static uint8_t *image(size_t *len)
{
	static uint8_t img[IMG_LEN];
	struct kj_arm64_purg_params p = { .magic = KJ_ARM64_PURG_MAGIC,
					  .version =
						  KJ_ARM64_PURG_ABI_VERSION };

	memset(img, 0xc3, sizeof(img));
	memcpy(img + KJ_ARM64_PURG_PARAMS_OFFSET, &p, sizeof(p));
	*len = sizeof(img);
	return img;
}

static struct kj_arm64_purg_params params(const uint8_t *blob)
{
	struct kj_arm64_purg_params p;

	memcpy(&p, blob + KJ_ARM64_PURG_PARAMS_OFFSET, sizeof(p));
	return p;
}

static uint8_t seg0[5000], seg1[70000];
static const struct kj_arm64_purg_seg segs[] = {
	{ seg0, sizeof(seg0), 0x48000000 },
	{ seg1, sizeof(seg1), 0x49000000 },
};

static struct kj_arm64_purg_setup setup(void)
{
	struct kj_arm64_purg_setup s = {
		.entry = 0x40200000,
		.x = { 0x4ff00000, 0, 0, 0 },
		.flags = KJ_ARM64_PURG_VERIFY | KJ_ARM64_PURG_SERIAL,
		.digest_alg = KJ_DIGEST_XXH64,
		.uart_base = 0x09000000,
		.segs = segs,
		.nsegs = 2,
	};

	for (size_t i = 0; i < sizeof(seg0); i++)
		seg0[i] = (uint8_t)(i * 13);
	for (size_t i = 0; i < sizeof(seg1); i++)
		seg1[i] = (uint8_t)(i >> 3);
	return s;
}

static void check_filled(const uint8_t *img, size_t len)
{
	struct kj_arm64_purg_setup s = setup();
	struct kj_err err = { 0 };
	struct kj_arm64_purg_params p;
	uint8_t *blob, d[32];
	size_t blen;

	unsetenv("KJUMP_TEST_CORRUPT_SEGMENT");
	assert_int_equal(
		kj_arm64_purgatory_fill(img, len, &s, &blob, &blen, &err), 0);
	assert_int_equal(blen, len);
	/* Everything outside the block is the image. */
	assert_memory_equal(blob, img, KJ_ARM64_PURG_PARAMS_OFFSET);
	assert_memory_equal(blob + KJ_ARM64_PURG_PARAMS_OFFSET + sizeof(p),
			    img + KJ_ARM64_PURG_PARAMS_OFFSET + sizeof(p),
			    len - KJ_ARM64_PURG_PARAMS_OFFSET - sizeof(p));
	p = params(blob);
	assert_int_equal(p.magic, KJ_ARM64_PURG_MAGIC);
	assert_int_equal(p.flags, KJ_ARM64_PURG_VERIFY | KJ_ARM64_PURG_SERIAL);
	assert_int_equal(p.digest_alg, KJ_DIGEST_XXH64);
	assert_int_equal(p.entry, 0x40200000);
	assert_int_equal(p.x[0], 0x4ff00000);
	assert_int_equal(p.x[1] | p.x[2] | p.x[3], 0);
	assert_int_equal(p.uart_base, 0x09000000);
	assert_int_equal(p.nsegments, 2);
	assert_int_equal(p.segments[1].mem, 0x49000000);
	assert_int_equal(p.segments[1].len, sizeof(seg1));
	assert_int_equal(
		kj_segment_digest(KJ_DIGEST_XXH64, seg1, sizeof(seg1), d), 8);
	assert_memory_equal(p.segments[1].digest, d, 8);
	free(blob);

	/* --checks=sha256: the chunk-list SHA-256, all 32 bytes. */
	s.digest_alg = KJ_DIGEST_SHA256;
	assert_int_equal(
		kj_arm64_purgatory_fill(img, len, &s, &blob, &blen, &err), 0);
	p = params(blob);
	assert_int_equal(p.digest_alg, KJ_DIGEST_SHA256);
	kj_segment_digest(KJ_DIGEST_SHA256, seg1, sizeof(seg1), d);
	assert_memory_equal(p.segments[1].digest, d, 32);
	free(blob);
	s.digest_alg = KJ_DIGEST_XXH64;

	/* The test hook spoils exactly one digest. */
	setenv("KJUMP_TEST_CORRUPT_SEGMENT", "0", 1);
	assert_int_equal(
		kj_arm64_purgatory_fill(img, len, &s, &blob, &blen, &err), 0);
	p = params(blob);
	kj_segment_digest(KJ_DIGEST_XXH64, seg0, sizeof(seg0), d);
	assert_int_equal(p.segments[0].digest[0], d[0] ^ 0xff);
	assert_memory_equal(p.segments[0].digest + 1, d + 1, 7);
	free(blob);
	setenv("KJUMP_TEST_CORRUPT_SEGMENT", "2", 1);
	assert_int_equal(
		kj_arm64_purgatory_fill(img, len, &s, &blob, &blen, &err),
		-EINVAL);
	assert_non_null(strstr(err.msg, "not one of the 2 segment indexes"));
	unsetenv("KJUMP_TEST_CORRUPT_SEGMENT");

	/* Without verification no segment is recorded. */
	s.flags = 0;
	assert_int_equal(
		kj_arm64_purgatory_fill(img, len, &s, &blob, &blen, &err), 0);
	assert_int_equal(params(blob).nsegments, 0);
	free(blob);
}

static void fills_a_synthetic_image(void **state)
{
	size_t len;
	uint8_t *img = image(&len);

	check_filled(img, len);
}

static void fills_the_real_blob(void **state)
{
	static uint8_t img[KJ_ARM64_PURG_MEMSZ];
	FILE *f = fopen("build/purgatory/arm64/purgatory.bin", "rb");
	size_t len;

	if (!f)
		skip();
	len = fread(img, 1, sizeof(img), f);
	fclose(f);
	assert_true(len > KJ_ARM64_PURG_PARAMS_OFFSET + 1000);
	check_filled(img, len);
}

static void expect(const uint8_t *img, size_t len,
		   const struct kj_arm64_purg_setup *s, int rc, const char *msg)
{
	struct kj_err err = { 0 };
	uint8_t *blob = (uint8_t *)1;
	size_t blen = 1;

	assert_int_equal(
		kj_arm64_purgatory_fill(img, len, s, &blob, &blen, &err), rc);
	assert_null(blob);
	assert_int_equal(blen, 0);
	if (!strstr(err.msg, msg))
		fail_msg("expected \"%s\" in \"%s\"", msg, err.msg);
}

static void refuses_bad_setups(void **state)
{
	struct kj_arm64_purg_seg many[KJ_ARM64_PURG_MAX_SEGMENTS + 1] = { 0 };
	struct kj_arm64_purg_setup s = setup();
	uint8_t bad[IMG_LEN];
	size_t len;
	uint8_t *img = image(&len);

	expect(img, 100, &s, -EINVAL, "image of 100 bytes");
	memcpy(bad, img, len);
	bad[KJ_ARM64_PURG_PARAMS_OFFSET] ^= 1;
	expect(bad, len, &s, -EINVAL, "image has magic 0x3450504a");
	s.flags |= 0x80;
	expect(img, len, &s, -EINVAL, "unknown flags 0x83");
	s = setup();
	s.digest_alg = 9;
	expect(img, len, &s, -EINVAL, "unknown digest algorithm 9");
	s = setup();
	s.uart_base = 0;
	expect(img, len, &s, -EINVAL, "no UART address");
	s.uart_base = 0x09000001;
	expect(img, len, &s, -EINVAL, "not 4-byte aligned");
	s = setup();
	s.entry = 0;
	expect(img, len, &s, -EINVAL, "no entry point");
	s = setup();
	s.segs = many;
	s.nsegs = KJ_ARM64_PURG_MAX_SEGMENTS + 1;
	expect(img, len, &s, -E2BIG, "17 segments to verify, at most 16");
	s.nsegs = 1;
	many[0].bufsz = 10;
	expect(img, len, &s, -EINVAL, "segment 0 has no buffer");
	many[0].buf = seg0;
	many[0].mem = UINT64_MAX - 4;
	expect(img, len, &s, -EINVAL, "wraps the address space");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fills_a_synthetic_image),
		cmocka_unit_test(fills_the_real_blob),
		cmocka_unit_test(refuses_bad_setups),
	};
	return cmocka_run_group_tests_name("arm64_purgatory", tests, NULL,
					   NULL);
}
