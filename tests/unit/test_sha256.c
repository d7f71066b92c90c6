/* SHA-256: FIPS 180-4 vectors, odd split points, and agreement between
 * the portable and SHA-NI block functions. */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sha256.h"
#include "core/sha256_x8.h"

static void check_oneshot(const void *msg, size_t len, const char *want)
{
	uint8_t d[32];
	char got[65];

	kj_sha256(msg, len, d);
	kj_test_hex32(d, got);
	assert_string_equal(got, want);
}

static const char *v_empty =
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
static const char *v_abc =
	"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
static const char *m448 =
	"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
static const char *v448 =
	"248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
static const char *m896 =
	"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
	"hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
static const char *v896 =
	"cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1";
static const char *vmillion =
	"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";

static int impls[] = { KJ_SHA256_PORTABLE, KJ_SHA256_SHANI };

static void vectors_with(enum kj_sha256_impl impl)
{
	char *a;

	kj_sha256_force_impl(impl);
	check_oneshot("", 0, v_empty);
	check_oneshot("abc", 3, v_abc);
	check_oneshot(m448, strlen(m448), v448);
	check_oneshot(m896, strlen(m896), v896);
	a = malloc(1000000);
	assert_non_null(a);
	memset(a, 'a', 1000000);
	check_oneshot(a, 1000000, vmillion);
	free(a);
	kj_sha256_force_impl(KJ_SHA256_AUTO);
}

static void test_vectors(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(impls) / sizeof(impls[0]); i++) {
		if (impls[i] == KJ_SHA256_SHANI && !kj_sha256_have_shani()) {
			printf("# SHA-NI not available, skipped\n");
			continue;
		}
		vectors_with(impls[i]);
	}
}

/* One million 'a' fed in uneven pieces crosses every buffer state. */
static void test_incremental(void **state)
{
	static const size_t steps[] = { 1, 63, 64, 65, 7, 127, 128, 1000, 3 };
	uint8_t chunk[1000], d[32];
	struct kj_sha256 ctx;
	size_t left = 1000000, k = 0;
	char got[65];

	(void)state;
	memset(chunk, 'a', sizeof(chunk));
	kj_sha256_init(&ctx);
	while (left) {
		size_t n = steps[k++ % (sizeof(steps) / sizeof(steps[0]))];

		if (n > left)
			n = left;
		kj_sha256_update(&ctx, chunk, n);
		left -= n;
	}
	kj_sha256_final(&ctx, d);
	kj_test_hex32(d, got);
	assert_string_equal(got, vmillion);

	/* 896-bit message split at every position. */
	for (k = 0; k <= strlen(m896); k++) {
		kj_sha256_init(&ctx);
		kj_sha256_update(&ctx, m896, k);
		kj_sha256_update(&ctx, "", 0);
		kj_sha256_update(&ctx, m896 + k, strlen(m896) - k);
		kj_sha256_final(&ctx, d);
		kj_test_hex32(d, got);
		assert_string_equal(got, v896);
	}
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint8_t rnd8(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint8_t)rng;
}

/* Both block functions agree on random data of every small length and
 * on a few large ones, at unaligned offsets. */
static void test_impls_agree(void **state)
{
	size_t max = 70000, len, i;
	uint8_t *buf = malloc(max + 16), a[32], b[32];

	(void)state;
	assert_non_null(buf);
	for (i = 0; i < max + 16; i++)
		buf[i] = rnd8();
	if (!kj_sha256_have_shani()) {
		printf("# SHA-NI not available, comparison skipped\n");
		free(buf);
		return;
	}
	for (len = 0; len < max; len = len < 300 ? len + 1 : len * 3 + 17) {
		size_t off = len % 13;

		kj_sha256_force_impl(KJ_SHA256_PORTABLE);
		assert_int_equal(kj_sha256_active_impl(), KJ_SHA256_PORTABLE);
		kj_sha256(buf + off, len, a);
		kj_sha256_force_impl(KJ_SHA256_SHANI);
		assert_int_equal(kj_sha256_active_impl(), KJ_SHA256_SHANI);
		kj_sha256(buf + off, len, b);
		assert_memory_equal(a, b, 32);
	}
	kj_sha256_force_impl(KJ_SHA256_AUTO);
	free(buf);
}

static void test_force_auto(void **state)
{
	enum kj_sha256_impl want;

	(void)state;
	want = kj_sha256_have_shani()  ? KJ_SHA256_SHANI
	       : kj_sha256_have_avx2() ? KJ_SHA256_AVX2
				       : KJ_SHA256_PORTABLE;
	kj_sha256_force_impl(KJ_SHA256_AUTO);
	assert_int_equal(kj_sha256_active_impl(), want);
	kj_sha256_force_impl(KJ_SHA256_PORTABLE);
	assert_int_equal(kj_sha256_active_impl(), KJ_SHA256_PORTABLE);
	/* AVX2 mode hashes single messages with the portable rounds. */
	if (kj_sha256_have_avx2()) {
		kj_sha256_force_impl(KJ_SHA256_AVX2);
		assert_int_equal(kj_sha256_active_impl(), KJ_SHA256_AVX2);
		vectors_with(KJ_SHA256_AVX2);
	}
	kj_sha256_force_impl(KJ_SHA256_AUTO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_incremental),
		cmocka_unit_test(test_impls_agree),
		cmocka_unit_test(test_force_auto),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
