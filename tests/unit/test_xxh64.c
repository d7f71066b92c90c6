/* XXH64 (core/xxh64.h) against answers that do not come from our code:
 * the reference vectors of xxHash's own self-test (xxhsum's sanity
 * check, over its PRIME32/PRIME64 test buffer), and Debian's `xxhsum -H1`
 * for every length 0..4096 and around the four-stripe and 64 KiB edges
 * when it is installed (package xxhash). */
#include "testlib.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/segment_digest.h"
#include "core/xxh64.h"

#define XXHSUM "/usr/bin/xxhsum"

/* xxhsum's self-test buffer: byte i is the top byte of PRIME32 * PRIME64^i. */
static uint8_t *sanity_buffer(size_t len)
{
	uint64_t gen = 2654435761u;
	uint8_t *b = malloc(len ? len : 1);

	assert_non_null(b);
	for (size_t i = 0; i < len; i++) {
		b[i] = (uint8_t)(gen >> 56);
		gen *= 11400714785074694797ull;
	}
	return b;
}

static void test_reference_vectors(void **state)
{
	static const struct {
		size_t len;
		uint64_t want;
	} v[] = {
		{ 0, 0xEF46DB3751D8E999ull },	{ 1, 0xE934A84ADB052768ull },
		{ 4, 0x9136A0DCA57457EEull },	{ 14, 0x8282DCC4994E35C8ull },
		{ 222, 0xB641AE8CB691C174ull },
	};
	uint8_t *b = sanity_buffer(222);

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		assert_int_equal(kj_xxh64(b, v[i].len), v[i].want);
	free(b);
}

/* The lengths the independent check covers: every one up to 4096, then
 * the edges of the 128-byte turns and of sha256_list's 64 KiB chunks. */
static size_t check_len(size_t i, size_t *n)
{
	static const size_t big[] = {
		65535, 65536, 65537, 131071, 131072, 131073, 1048576 + 127,
		1048576 + 128, 1048576 + 129,
	};

	*n = 4097 + sizeof(big) / sizeof(big[0]);
	return i < 4097 ? i : big[i - 4097];
}

static void write_file(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* One xxhsum run over one file per length; its lines are "HASH  PATH". */
static void test_against_xxhsum(void **state)
{
	size_t n, max = 1048576 + 129, done = 0;
	uint8_t *b = sanity_buffer(max);
	char *dir = kj_test_tmpdir(), cmd[512], line[4096];
	FILE *out;

	if (access(XXHSUM, X_OK)) {
		printf("# %s not installed (package xxhash): skipped\n",
		       XXHSUM);
		free(b);
		kj_test_rmtree(dir);
		free(dir);
		skip();
	}
	check_len(0, &n);
	for (size_t i = 0; i < n; i++) {
		char path[PATH_MAX];

		snprintf(path, sizeof(path), "%s/%zu", dir, check_len(i, &n));
		write_file(path, b, check_len(i, &n));
	}
	snprintf(cmd, sizeof(cmd), "cd '%s' && ls | xargs " XXHSUM " -H1", dir);
	out = popen(cmd, "r");
	assert_non_null(out);
	while (fgets(line, sizeof(line), out)) {
		unsigned long long want;
		size_t len;

		assert_int_equal(sscanf(line, "%16llx %zu", &want, &len), 2);
		assert_true(len <= max);
		if (kj_xxh64(b, len) != want)
			fail_msg("length %zu: ours %016llx, xxhsum %016llx",
				 len, (unsigned long long)kj_xxh64(b, len),
				 want);
		done++;
	}
	assert_int_equal(pclose(out), 0);
	assert_int_equal(done, n);
	free(b);
	kj_test_rmtree(dir);
	free(dir);
}

/* The data's alignment does not change the answer. */
static void test_unaligned(void **state)
{
	uint8_t *b = sanity_buffer(5000 + 8);
	uint64_t want = kj_xxh64(b, 5000);

	for (int off = 1; off < 8; off++) {
		uint8_t *c = malloc(5000 + off);

		assert_non_null(c);
		memcpy(c + off, b, 5000);
		assert_int_equal(kj_xxh64(c + off, 5000), want);
		free(c);
	}
	free(b);
}

/* Flip each bit of a segment in turn: every one changes the digest.
 * 4173 bytes: 32 four-stripe turns, one more stripe, then the 8-, 4- and
 * 1-byte tail steps; then bits spread over a 1 MiB segment. */
static void test_every_flipped_bit_caught(void **state)
{
	size_t len = 4173, big = 1048576 + 5;
	uint8_t *b = sanity_buffer(big);
	uint64_t base = kj_xxh64(b, len);

	for (size_t bit = 0; bit < 8 * len; bit++) {
		b[bit / 8] ^= (uint8_t)(1u << bit % 8);
		if (kj_xxh64(b, len) == base)
			fail_msg("bit %zu flipped, same digest", bit);
		b[bit / 8] ^= (uint8_t)(1u << bit % 8);
	}
	assert_int_equal(kj_xxh64(b, len), base);
	base = kj_xxh64(b, big);
	for (size_t bit = 0; bit < 8 * big; bit += 8 * 4093 + 3) {
		b[bit / 8] ^= (uint8_t)(1u << bit % 8);
		assert_int_not_equal(kj_xxh64(b, big), base);
		b[bit / 8] ^= (uint8_t)(1u << bit % 8);
	}
	b[big - 1] ^= 0x80;
	assert_int_not_equal(kj_xxh64(b, big), base);
	free(b);
}

/* A shorter or longer segment with the same bytes is another digest
 * (the length is mixed in): truncation is caught too. */
static void test_length_counts(void **state)
{
	uint8_t *b = calloc(1, 4097);

	assert_non_null(b);
	for (size_t len = 1; len <= 4096; len++)
		assert_int_not_equal(kj_xxh64(b, len), kj_xxh64(b, len - 1));
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference_vectors),
		cmocka_unit_test(test_against_xxhsum),
		cmocka_unit_test(test_unaligned),
		cmocka_unit_test(test_every_flipped_bit_caught),
		cmocka_unit_test(test_length_counts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
