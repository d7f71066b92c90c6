/* XXH3-64, see xxh3.h. Inputs of 0-16, 17-128, 129-240 and more bytes
 * take different paths, as the specification defines them.
 *
 * Written to give XXH3 its best chance under emulation: each 1 KiB
 * block is unrolled with constant secret offsets, so the compiler turns
 * the secret into immediates instead of loads (twice as fast under TCG
 * as the plain loop). */
#include "xxh3.h"

#include "core/le.h"

#define P32_1 0x9E3779B1u
#define P32_2 0x85EBCA77u
#define P32_3 0xC2B2AE3Du
#define P64_1 0x9E3779B185EBCA87ull
#define P64_2 0xC2B2AE3D27D4EB4Full
#define P64_3 0x165667B19E3779F9ull
#define P64_4 0x85EBCA77C2B2AE63ull
#define P64_5 0x27D4EB2F165667C5ull
#define PMX_1 0x165667919E3779F9ull
#define PMX_2 0x9FB21C651E98DF25ull

#define STRIPE 64
#define SECRET_LEN 192
#define STRIPES_PER_BLOCK ((SECRET_LEN - STRIPE) / 8) /* 16 */
#define BLOCK (STRIPE * STRIPES_PER_BLOCK)	     /* 1024 */

static const uint8_t secret[SECRET_LEN] = {
	0xb8, 0xfe, 0x6c, 0x39, 0x23, 0xa4, 0x4b, 0xbe, 0x7c, 0x01, 0x81, 0x2c,
	0xf7, 0x21, 0xad, 0x1c, 0xde, 0xd4, 0x6d, 0xe9, 0x83, 0x90, 0x97, 0xdb,
	0x72, 0x40, 0xa4, 0xa4, 0xb7, 0xb3, 0x67, 0x1f, 0xcb, 0x79, 0xe6, 0x4e,
	0xcc, 0xc0, 0xe5, 0x78, 0x82, 0x5a, 0xd0, 0x7d, 0xcc, 0xff, 0x72, 0x21,
	0xb8, 0x08, 0x46, 0x74, 0xf7, 0x43, 0x24, 0x8e, 0xe0, 0x35, 0x90, 0xe6,
	0x81, 0x3a, 0x26, 0x4c, 0x3c, 0x28, 0x52, 0xbb, 0x91, 0xc3, 0x00, 0xcb,
	0x88, 0xd0, 0x65, 0x8b, 0x1b, 0x53, 0x2e, 0xa3, 0x71, 0x64, 0x48, 0x97,
	0xa2, 0x0d, 0xf9, 0x4e, 0x38, 0x19, 0xef, 0x46, 0xa9, 0xde, 0xac, 0xd8,
	0xa8, 0xfa, 0x76, 0x3f, 0xe3, 0x9c, 0x34, 0x3f, 0xf9, 0xdc, 0xbb, 0xc7,
	0xc7, 0x0b, 0x4f, 0x1d, 0x8a, 0x51, 0xe0, 0x4b, 0xcd, 0xb4, 0x59, 0x31,
	0xc8, 0x9f, 0x7e, 0xc9, 0xd9, 0x78, 0x73, 0x64, 0xea, 0xc5, 0xac, 0x83,
	0x34, 0xd3, 0xeb, 0xc3, 0xc5, 0x81, 0xa0, 0xff, 0xfa, 0x13, 0x63, 0xeb,
	0x17, 0x0d, 0xdd, 0x51, 0xb7, 0xf0, 0xda, 0x49, 0xd3, 0x16, 0x55, 0x26,
	0x29, 0xd4, 0x68, 0x9e, 0x2b, 0x16, 0xbe, 0x58, 0x7d, 0x47, 0xa1, 0xfc,
	0x8f, 0xf8, 0xb8, 0xd1, 0x7a, 0xd0, 0x31, 0xce, 0x45, 0xcb, 0x3a, 0x8f,
	0x95, 0x16, 0x04, 0x28, 0xaf, 0xd7, 0xfb, 0xca, 0xbb, 0x4b, 0x40, 0x7e,
};

static inline uint64_t rotl64(uint64_t x, int r)
{
	return x << r | x >> (64 - r);
}

/* 64x64 -> 128-bit product, halves xor-ed together. */
static inline uint64_t mul_fold(uint64_t a, uint64_t b)
{
	unsigned __int128 r = (unsigned __int128)a * b;

	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

static uint64_t avalanche(uint64_t x)
{
	x ^= x >> 37;
	x *= PMX_1;
	return x ^ (x >> 32);
}

static uint64_t avalanche_xxh64(uint64_t x)
{
	x ^= x >> 33;
	x *= P64_2;
	x ^= x >> 29;
	x *= P64_3;
	return x ^ (x >> 32);
}

static uint64_t upto16(const uint8_t *in, size_t len)
{
	if (len > 8) {
		uint64_t lo = (kj_load_le64(secret + 24) ^ kj_load_le64(secret + 32)) ^ kj_load_le64(in);
		uint64_t hi = (kj_load_le64(secret + 40) ^ kj_load_le64(secret + 48)) ^
			      kj_load_le64(in + len - 8);

		return avalanche(len + __builtin_bswap64(lo) + hi +
				 mul_fold(lo, hi));
	}
	if (len >= 4) {
		uint64_t v = (kj_load_le64(secret + 8) ^ kj_load_le64(secret + 16)) ^
			     ((uint64_t)kj_load_le32(in + len - 4) |
			      (uint64_t)kj_load_le32(in) << 32);

		v ^= rotl64(v, 49) ^ rotl64(v, 24);
		v *= PMX_2;
		v ^= (v >> 35) + len;
		v *= PMX_2;
		return v ^ (v >> 28);
	}
	if (len) {
		uint32_t c = (uint32_t)in[len - 1] | (uint32_t)len << 8 |
			     (uint32_t)in[0] << 16 |
			     (uint32_t)in[len >> 1] << 24;

		return avalanche_xxh64((uint64_t)(kj_load_le32(secret) ^
						  kj_load_le32(secret + 4)) ^
				       c);
	}
	return avalanche_xxh64(kj_load_le64(secret + 56) ^ kj_load_le64(secret + 64));
}

static inline uint64_t mix16(const uint8_t *in, size_t soff)
{
	return mul_fold(kj_load_le64(in) ^ kj_load_le64(secret + soff),
			kj_load_le64(in + 8) ^ kj_load_le64(secret + soff + 8));
}

static uint64_t upto128(const uint8_t *in, size_t len)
{
	uint64_t acc = len * P64_1;
	size_t rounds = ((len - 1) >> 5) + 1;

	for (size_t i = 0; i < rounds; i++) {
		acc += mix16(in + 16 * i, 32 * i);
		acc += mix16(in + len - 16 * i - 16, 32 * i + 16);
	}
	return avalanche(acc);
}

static uint64_t upto240(const uint8_t *in, size_t len)
{
	uint64_t acc = len * P64_1;
	size_t i;

	for (i = 0; i < 8; i++)
		acc += mix16(in + 16 * i, 16 * i);
	acc = avalanche(acc);
	for (i = 8; i < len / 16; i++)
		acc += mix16(in + 16 * i, 16 * (i - 8) + 3);
	acc += mix16(in + len - 16, 119); /* the specification's offset */
	return avalanche(acc);
}

#define INLINE static inline __attribute__((always_inline))

INLINE void accumulate(uint64_t acc[8], const uint8_t *stripe, size_t soff)
{
#pragma GCC unroll 8
	for (int i = 0; i < 8; i++) {
		uint64_t v = kj_load_le64(stripe + 8 * i);
		uint64_t k = v ^ kj_load_le64(secret + soff + 8 * i);

		acc[i ^ 1] += v;
		acc[i] += (k & 0xffffffffu) * (k >> 32);
	}
}

INLINE void scramble(uint64_t acc[8])
{
	for (int i = 0; i < 8; i++) {
		uint64_t a = acc[i];

		a ^= a >> 47;
		a ^= kj_load_le64(secret + SECRET_LEN - STRIPE + 8 * i);
		acc[i] = a * P32_1;
	}
}

/* One full block, written out stripe by stripe (GCC does not unroll a
 * 16-turn loop by itself) so that every secret offset is a constant. */
#define ACC(n) accumulate(acc, p + STRIPE * (n), 8 * (n))
static void block(uint64_t acc[8], const uint8_t *p)
{
	ACC(0);
	ACC(1);
	ACC(2);
	ACC(3);
	ACC(4);
	ACC(5);
	ACC(6);
	ACC(7);
	ACC(8);
	ACC(9);
	ACC(10);
	ACC(11);
	ACC(12);
	ACC(13);
	ACC(14);
	ACC(15);
	scramble(acc);
}

static uint64_t large(const uint8_t *in, size_t len)
{
	uint64_t acc[8] = { P32_3, P64_1, P64_2, P64_3,
			    P64_4, P32_2, P64_5, P32_1 };
	size_t blocks = (len - 1) / BLOCK, stripes, n;
	const uint8_t *p = in;
	uint64_t r = len * P64_1;

	for (n = 0; n < blocks; n++, p += BLOCK)
		block(acc, p);
	/* The last block, 1..BLOCK bytes: its full stripes except the
	 * last, then the input's last 64 bytes (which may overlap). */
	stripes = ((len - 1) - BLOCK * blocks) / STRIPE;
	for (n = 0; n < stripes; n++)
		accumulate(acc, p + STRIPE * n, 8 * n);
	accumulate(acc, in + len - STRIPE, SECRET_LEN - STRIPE - 7);
	for (n = 0; n < 4; n++)
		r += mul_fold(acc[2 * n] ^ kj_load_le64(secret + 11 + 16 * n),
			      acc[2 * n + 1] ^ kj_load_le64(secret + 19 + 16 * n));
	return avalanche(r);
}

uint64_t kj_xxh3_64(const void *data, size_t len)
{
	const uint8_t *in = data;

	if (len <= 16)
		return upto16(in, len);
	if (len <= 128)
		return upto128(in, len);
	if (len <= 240)
		return upto240(in, len);
	return large(in, len);
}
