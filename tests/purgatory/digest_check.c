/* Runs the purgatory's own builds of the digest objects (freestanding
 * flags, -mgeneral-regs-only; SHA-NI and AVX2 through target attributes)
 * in user space: the VM tests cannot reach the SHA-NI path because TCG
 * lacks it, and this checks the freestanding XXH64 against answers that
 * come from xxHash's self-test and from xxhsum. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/segment_digest.h"
#include "core/sha256_list.h"

static int same_hex(const char *impl, const char *what, const uint8_t *d,
		    const char *want)
{
	char got[65];
	size_t i;

	for (i = 0; i < strlen(want) / 2; i++)
		snprintf(got + 2 * i, 3, "%02x", d[i]);
	if (strcmp(got, want)) {
		printf("FAIL %s %s: %s\n", impl, what, got);
		return 1;
	}
	return 0;
}

static int check(const char *what, const void *msg, size_t len,
		 const char *want)
{
	uint8_t d[32];

	kj_sha256(msg, len, d);
	return same_hex("", what, d, want);
}

/* The segment of check_segment() below, with its answers. */
static const uint8_t *segment(size_t *len)
{
	static uint8_t buf[9 * KJ_SHA256_LIST_CHUNK + 5];
	size_t i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 7 + (i >> 9));
	*len = sizeof(buf);
	return buf;
}

/* xxHash's self-test vectors (xxhsum's sanity check buffer) and the
 * segment's `xxhsum -H1`. */
static int xxh64_vectors(void)
{
	static const struct {
		size_t len;
		const char *want;
	} v[] = {
		{ 0, "ef46db3751d8e999" },  { 1, "e934a84adb052768" },
		{ 4, "9136a0dca57457ee" },  { 14, "8282dcc4994e35c8" },
		{ 222, "b641ae8cb691c174" },
	};
	uint64_t gen = 2654435761u;
	uint8_t buf[222], d[KJ_DIGEST_MAX];
	const uint8_t *seg;
	size_t i, len;
	int bad = 0;

	for (i = 0; i < sizeof(buf); i++) {
		buf[i] = (uint8_t)(gen >> 56);
		gen *= 11400714785074694797ull;
	}
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		kj_segment_digest(KJ_DIGEST_XXH64, buf, v[i].len, d);
		bad |= same_hex("xxh64", "vector", d, v[i].want);
	}
	seg = segment(&len);
	kj_segment_digest(KJ_DIGEST_XXH64, seg, len, d);
	bad |= same_hex("xxh64", "segment digest", d, "999049a15cd8ed0a");
	printf("xxh64 %s\n", bad ? "FAIL" : "ok");
	return bad;
}

/* 9 chunks and 5 bytes: one eight-chunk group, one single, one tail. The
 * answer is from Python's hashlib (see tests/unit/test_segment_digest.c). */
static int check_segment(const char *impl)
{
	uint8_t d[KJ_DIGEST_MAX];
	size_t len;
	const uint8_t *buf = segment(&len);

	kj_segment_digest(KJ_DIGEST_SHA256, buf, len, d);
	return same_hex(impl, "segment digest", d,
			"532cd79af09b0646f4b526980cde837b"
			"10b19aeb1229d8d032c76d5a549d129f");
}

static int vectors(const char *impl)
{
	static char million[1000000];
	int bad = 0;

	memset(million, 'a', sizeof(million));
	bad |= check("empty", "", 0,
		     "e3b0c44298fc1c149afbf4c8996fb924"
		     "27ae41e4649b934ca495991b7852b855");
	bad |= check("abc", "abc", 3,
		     "ba7816bf8f01cfea414140de5dae2223"
		     "b00361a396177a9cb410ff61f20015ad");
	bad |= check("448",
		     "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		     56,
		     "248d6a61d20638b8e5c026930c3e6039"
		     "a33ce45964ff2167f6ecedd419db06c1");
	bad |= check("million", million, sizeof(million),
		     "cdc76e5c9914fb9281a1c7e284d73e67"
		     "f1809a48a497200e046d39ccc7112cd0");
	bad |= check_segment(impl);
	printf("%s %s\n", impl, bad ? "FAIL" : "ok");
	return bad;
}

int main(void)
{
	int bad = xxh64_vectors();

	kj_sha256_force_impl(KJ_SHA256_PORTABLE);
	bad |= vectors("portable");
	if (kj_sha256_have_shani()) {
		kj_sha256_force_impl(KJ_SHA256_SHANI);
		bad |= vectors("sha-ni");
	} else {
		printf("sha-ni not available on this CPU\n");
	}
	kj_sha256_force_impl(KJ_SHA256_AVX2);
	if (kj_sha256_active_impl() == KJ_SHA256_AVX2)
		bad |= vectors("avx2");
	else
		printf("avx2 not available on this CPU\n");
	return bad;
}
