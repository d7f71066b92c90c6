/* The purgatory's segment digests (segment_digest.h): XXH64 by default,
 * or SHA-256 over the SHA-256s of 64 KiB chunks (sha256_list.h). SHA-256
 * answers come from Python's hashlib (independent of our code); every
 * block-function path must give the same answer, and the eight-lane
 * function must match eight single-lane runs. XXH64 itself is checked
 * against xxhsum in test_xxh64.c. */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/segment_digest.h"
#include "core/sha256_list.h"
#include "core/sha256_x8.h"
#include "core/xxh64.h"

#define CHUNK KJ_SHA256_LIST_CHUNK

static uint8_t *pattern(size_t len)
{
	uint8_t *b = malloc(len ? len : 1);

	assert_non_null(b);
	for (size_t i = 0; i < len; i++)
		b[i] = (uint8_t)(i * 7 + (i >> 9));
	return b;
}

static void check(const void *data, size_t len, const char *want)
{
	uint8_t d[32];
	char got[65];

	assert_int_equal(kj_segment_digest(KJ_DIGEST_SHA256, data, len, d), 32);
	kj_test_hex32(d, got);
	assert_string_equal(got, want);
}

/* hashlib: sha256(b"".join(sha256(b[i:i+65536]).digest() ...)) */
static void known_answers(void)
{
	uint8_t *b = pattern(17 * CHUNK + 3);

	check("", 0, "e3b0c44298fc1c149afbf4c8996fb924"
		     "27ae41e4649b934ca495991b7852b855");
	check("abc", 3, "4f8b42c22dd3729b519ba6f68d2da7cc"
			"5b2d606d05daed5ad5128cc03e6c6358");
	check(b, 9 * CHUNK + 5, "532cd79af09b0646f4b526980cde837b"
				"10b19aeb1229d8d032c76d5a549d129f");
	check(b, 16 * CHUNK, "0a31863cfc8a1e2b250070614c62f1db"
			     "52fc0d267ad3cd97ec18277d7ecf976e");
	check(b, 17 * CHUNK + 3, "99da0c81f9abebf398e35e6ad8527d75"
				 "32c7372b9efcda5aaa1257dc7f32dcae");
	free(b);
}

static const enum kj_sha256_impl impls[] = {
	KJ_SHA256_PORTABLE, KJ_SHA256_SHANI, KJ_SHA256_AVX2
};

static void test_known_answers_every_path(void **state)
{
	int ran = 0;

	for (size_t i = 0; i < sizeof(impls) / sizeof(impls[0]); i++) {
		kj_sha256_force_impl(impls[i]);
		if (kj_sha256_active_impl() != impls[i]) {
			printf("# sha256 path %d not on this CPU, skipped\n",
			       impls[i]);
			continue;
		}
		known_answers();
		ran++;
	}
	kj_sha256_force_impl(KJ_SHA256_AUTO);
	assert_true(ran >= 1);
}

/* Lengths around the chunk and eight-chunk edges, every path agreeing
 * with the portable one. */
static void test_paths_agree_at_edges(void **state)
{
	static const size_t lens[] = {
		1, 63, 64, CHUNK - 1, CHUNK, CHUNK + 1, 8 * CHUNK - 1,
		8 * CHUNK, 8 * CHUNK + 1, 15 * CHUNK + 4095, 24 * CHUNK,
	};
	uint8_t *b = pattern(24 * CHUNK);

	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		uint8_t want[32], got[32];

		kj_sha256_force_impl(KJ_SHA256_PORTABLE);
		kj_sha256_list(b, lens[i], want);
		for (size_t j = 1; j < sizeof(impls) / sizeof(impls[0]); j++) {
			kj_sha256_force_impl(impls[j]);
			if (kj_sha256_active_impl() != impls[j])
				continue;
			kj_sha256_list(b, lens[i], got);
			assert_memory_equal(got, want, 32);
		}
	}
	kj_sha256_force_impl(KJ_SHA256_AUTO);
	free(b);
}

/* One flipped byte anywhere changes the digest (the list covers every
 * chunk, including the ones hashed in eight lanes). */
static void test_every_chunk_counts(void **state)
{
	size_t len = 9 * CHUNK + 100;
	uint8_t *b = pattern(len);
	uint8_t base[32], d[32];

	kj_sha256_list(b, len, base);
	for (size_t off = 0; off < len; off += CHUNK / 2 + 17) {
		b[off] ^= 1;
		kj_sha256_list(b, len, d);
		assert_memory_not_equal(d, base, 32);
		b[off] ^= 1;
	}
	b[len - 1] ^= 0x80;
	kj_sha256_list(b, len, d);
	assert_memory_not_equal(d, base, 32);
	free(b);
}

/* The eight-lane block function against eight one-lane runs of the same
 * blocks, lanes of different content and start state. */
static void test_x8_matches_single_lanes(void **state)
{
	uint8_t *b = pattern(8 * 4 * 64 + 8);
	const uint8_t *msg[8];
	uint32_t st[8][8];

	if (!kj_sha256_have_avx2())
		skip();
	for (int l = 0; l < 8; l++) {
		msg[l] = b + l * (4 * 64) + l; /* unaligned on purpose */
		for (int j = 0; j < 8; j++)
			st[l][j] = kj_sha256_k[l * 8 + j];
	}
	kj_sha256_x8_blocks(st, msg, 4);
	for (int l = 0; l < 8; l++) {
		struct kj_sha256 one;

		kj_sha256_force_impl(KJ_SHA256_PORTABLE);
		kj_sha256_init(&one);
		for (int j = 0; j < 8; j++)
			one.h[j] = kj_sha256_k[l * 8 + j];
		kj_sha256_update(&one, msg[l], 4 * 64);
		assert_int_equal(one.used, 0);
		assert_memory_equal(one.h, st[l], sizeof(st[l]));
	}
	kj_sha256_force_impl(KJ_SHA256_AUTO);
	free(b);
}

/* XXH64 as a segment digest: 8 bytes, most significant first, so the
 * hex is what `xxhsum -H1` prints. */
static void test_xxh64_digest(void **state)
{
	uint8_t *b = pattern(3 * CHUNK + 11), d[KJ_DIGEST_MAX];
	uint64_t h = kj_xxh64(b, 3 * CHUNK + 11);

	memset(d, 0xee, sizeof(d));
	assert_int_equal(kj_segment_digest(KJ_DIGEST_XXH64, b, 3 * CHUNK + 11,
					   d),
			 8);
	for (int i = 0; i < 8; i++)
		assert_int_equal(d[i], (uint8_t)(h >> (56 - 8 * i)));
	assert_int_equal(d[8], 0xee); /* nothing past the digest */
	assert_int_equal(kj_segment_digest(KJ_DIGEST_XXH64, "", 0, d), 8);
	assert_memory_equal(d, "\xef\x46\xdb\x37\x51\xd8\xe9\x99", 8);
	free(b);
}

static void test_names_and_lengths(void **state)
{
	uint8_t d[KJ_DIGEST_MAX];

	assert_int_equal(kj_digest_len(KJ_DIGEST_XXH64), 8);
	assert_int_equal(kj_digest_len(KJ_DIGEST_SHA256), 32);
	assert_int_equal(kj_digest_len(0), 0);
	assert_int_equal(kj_digest_len(3), 0);
	assert_string_equal(kj_digest_name(KJ_DIGEST_XXH64), "xxh64");
	assert_string_equal(kj_digest_name(KJ_DIGEST_SHA256), "sha256");
	assert_null(kj_digest_name(0));
	memset(d, 0xee, sizeof(d));
	assert_int_equal(kj_segment_digest(7, "abc", 3, d), 0);
	assert_int_equal(d[0], 0xee);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_answers_every_path),
		cmocka_unit_test(test_paths_agree_at_edges),
		cmocka_unit_test(test_every_chunk_counts),
		cmocka_unit_test(test_x8_matches_single_lanes),
		cmocka_unit_test(test_xxh64_digest),
		cmocka_unit_test(test_names_and_lengths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
