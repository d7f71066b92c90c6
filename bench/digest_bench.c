/* Throughput of the purgatory's checks: build/bench/digest_bench [MiB].
 *
 * Links the purgatory's own objects (freestanding, -mgeneral-regs-only),
 * so it measures the code that runs before the jump: XXH64 (the default),
 * XXH3-64 (bench/xxh3.c, the candidate it was chosen over) and the
 * SHA-256 chunk list on each path this CPU has. `make digest-bench` runs
 * it here and inside QEMU TCG with -cpu qemu64 and -cpu max
 * (bench/digest_tcg.py), which is what the VM tests and `make bench` see.
 * XXH3 is checked against xxHash's self-test vectors before it is timed;
 * XXH64 has its own tests (tests/unit/test_xxh64.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/segment_digest.h"
#include "core/sha256.h"
#include "core/sha256_list.h"
#include "xxh3.h"

static uint8_t *buf;
static size_t len;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t run_xxh64(void)
{
	uint8_t d[KJ_DIGEST_MAX];

	kj_segment_digest(KJ_DIGEST_XXH64, buf, len, d);
	return d[0];
}

static uint64_t run_xxh3(void)
{
	return kj_xxh3_64(buf, len);
}

static uint64_t run_sha256(void)
{
	uint8_t d[KJ_DIGEST_MAX];

	kj_segment_digest(KJ_DIGEST_SHA256, buf, len, d);
	return d[0];
}

static void run(const char *name, uint64_t (*fn)(void), int reps)
{
	double best = 1e9;
	uint64_t r = 0;

	for (int i = 0; i < reps; i++) {
		double t = now();

		r ^= fn();
		t = now() - t;
		if (t < best)
			best = t;
	}
	printf("%-26s %9.1f MB/s  (%zu MiB, best of %d, %02x)\n", name,
	       len / best / 1e6, len >> 20, reps, (unsigned)(r & 0xff));
	fflush(stdout);
}

/* xxHash's self-test vectors for XXH3-64 (seed 0) over its test buffer. */
static int xxh3_ok(void)
{
	static const struct {
		size_t len;
		uint64_t want;
	} v[] = {
		{ 0, 0x2D06800538D394C2ull },	 { 1, 0xC44BDFF4074EECDBull },
		{ 6, 0x27B56A84CD2D7325ull },	 { 12, 0xA713DAF0DFBB77E7ull },
		{ 24, 0xA3FE70BF9D3510EBull },	 { 48, 0x397DA259ECBA1F11ull },
		{ 80, 0xBCDEFBBB2C47C90Aull },	 { 195, 0xCD94217EE362EC3Aull },
		{ 403, 0xCDEB804D65C6DEA4ull },	 { 512, 0x617E49599013CB6Bull },
		{ 2048, 0xDD59E2C3A5F038E0ull }, { 2240, 0x6E73A90539CF2948ull },
		{ 2367, 0xCB37AEB9E5D361EDull },
	};
	static uint8_t b[2367];
	uint64_t gen = 2654435761u;

	for (size_t i = 0; i < sizeof(b); i++) {
		b[i] = (uint8_t)(gen >> 56);
		gen *= 11400714785074694797ull;
	}
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (kj_xxh3_64(b, v[i].len) != v[i].want) {
			printf("xxh3: wrong answer for %zu bytes\n", v[i].len);
			return 0;
		}
	return 1;
}

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 64;
	static const struct {
		const char *name;
		enum kj_sha256_impl impl;
	} sha[] = {
		{ "sha256 list, portable", KJ_SHA256_PORTABLE },
		{ "sha256 list, avx2 x8", KJ_SHA256_AVX2 },
		{ "sha256 list, sha-ni", KJ_SHA256_SHANI },
	};

	len = mib << 20;
	buf = malloc(len ? len : 1);
	if (!buf || !len)
		return 1;
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(i * 2654435761u >> 13);
	run("xxh64 (default check)", run_xxh64, 5);
	if (!xxh3_ok())
		return 1;
	run("xxh3-64 (scalar)", run_xxh3, 5);
	for (size_t i = 0; i < sizeof(sha) / sizeof(sha[0]); i++) {
		kj_sha256_force_impl(sha[i].impl);
		if (kj_sha256_active_impl() != sha[i].impl) {
			printf("%-26s not on this CPU\n", sha[i].name);
			continue;
		}
		run(sha[i].name, run_sha256, 1);
	}
	free(buf);
	return 0;
}
