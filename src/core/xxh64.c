/* XXH64, see xxh64.h. */
#include "core/xxh64.h"

#include "core/le.h"

#define P1 0x9E3779B185EBCA87ull
#define P2 0xC2B2AE3D27D4EB4Full
#define P3 0x165667B19E3779F9ull
#define P4 0x85EBCA77C2B2AE63ull
#define P5 0x27D4EB2F165667C5ull

static inline uint64_t rotl64(uint64_t x, int r)
{
	return x << r | x >> (64 - r);
}

static inline uint64_t round64(uint64_t acc, uint64_t lane)
{
	return rotl64(acc + lane * P2, 31) * P1;
}

static inline uint64_t merge(uint64_t acc, uint64_t v)
{
	return (acc ^ round64(0, v)) * P1 + P4;
}

/* One 32-byte stripe into the four accumulators. */
static inline void stripe(uint64_t a[4], const uint8_t *p)
{
	a[0] = round64(a[0], kj_load_le64(p));
	a[1] = round64(a[1], kj_load_le64(p + 8));
	a[2] = round64(a[2], kj_load_le64(p + 16));
	a[3] = round64(a[3], kj_load_le64(p + 24));
}

uint64_t kj_xxh64(const void *data, size_t len)
{
	const uint8_t *p = data, *end = p + len;
	uint64_t acc;

	if (len >= 32) {
		uint64_t a[4] = { P1 + P2, P2, 0, -P1 };

		/* Four stripes a turn: under QEMU's TCG every loop turn
		 * costs a jump between translated blocks, and fewer, longer
		 * turns hash about 1.5 times faster (bench/digest_bench.c). */
		for (; end - p >= 128; p += 128) {
			stripe(a, p);
			stripe(a, p + 32);
			stripe(a, p + 64);
			stripe(a, p + 96);
		}
		for (; end - p >= 32; p += 32)
			stripe(a, p);
		acc = rotl64(a[0], 1) + rotl64(a[1], 7) + rotl64(a[2], 12) +
		      rotl64(a[3], 18);
		for (int i = 0; i < 4; i++)
			acc = merge(acc, a[i]);
	} else {
		acc = P5;
	}
	acc += len;
	for (; end - p >= 8; p += 8)
		acc = rotl64(acc ^ round64(0, kj_load_le64(p)), 27) * P1 + P4;
	if (end - p >= 4) {
		acc = rotl64(acc ^ (kj_load_le32(p) * P1), 23) * P2 + P3;
		p += 4;
	}
	for (; p < end; p++)
		acc = rotl64(acc ^ (*p * P5), 11) * P1;
	acc ^= acc >> 33;
	acc *= P2;
	acc ^= acc >> 29;
	acc *= P3;
	return acc ^ (acc >> 32);
}
