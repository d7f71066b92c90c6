/* Runs the purgatory's own builds of sha256.o, sha256_x8.o and
 * segment_digest.o (freestanding flags, -mgeneral-regs-only, SHA-NI and
 * AVX2 through target attributes) in user space: the VM tests cannot
 * reach the SHA-NI path because TCG lacks it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/segment_digest.h"

static int same_hex(const char *impl, const char *what,
		    const uint8_t d[32], const char *want)
{
	char got[65];
	int i;

	for (i = 0; i < 32; i++)
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

/* 9 chunks and 5 bytes: one eight-chunk group, one single, one tail.
 * The answer is from Python's hashlib (see tests/unit/test_segment_digest.c). */
static int check_segment(const char *impl)
{
	static uint8_t buf[9 * KJ_DIGEST_CHUNK + 5];
	uint8_t d[32];
	size_t i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 7 + (i >> 9));
	kj_segment_digest(buf, sizeof(buf), d);
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
	int bad = 0;

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
