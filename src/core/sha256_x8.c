/* Eight-lane SHA-256 with GCC vector types; the target attribute makes
 * them AVX2 (one 256-bit register holds the same word of all eight
 * messages). See sha256_x8.h. */
#include "core/sha256_x8.h"

#include "core/sha256.h"

#if defined(__x86_64__)
#include <cpuid.h>

typedef uint32_t v8u __attribute__((vector_size(32)));

#define AVX2 __attribute__((target("avx2")))
#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static inline uint32_t load_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

int kj_sha256_have_avx2(void)
{
	unsigned int a, b, c, d, xcr0_lo, xcr0_hi;

	if (!__get_cpuid(1, &a, &b, &c, &d))
		return 0;
	/* OSXSAVE: CR4.OSXSAVE is on, so XGETBV tells what state is. */
	if (!(c & bit_AVX) || !(c & bit_OSXSAVE))
		return 0;
	__asm__ volatile("xgetbv" : "=a"(xcr0_lo), "=d"(xcr0_hi) : "c"(0));
	if ((xcr0_lo & 6) != 6) /* SSE and AVX state */
		return 0;
	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
		return 0;
	return !!(b & bit_AVX2);
}

/* Gathering with scalar loads is as fast as an 8x8 transpose on real
 * CPUs and several times faster under QEMU, which emulates shuffles. */
AVX2 static void load_words(v8u w[16], const uint8_t *const msg[8],
			    size_t off)
{
	for (int j = 0; j < 16; j++)
		for (int l = 0; l < 8; l++)
			w[j][l] = load_be32(msg[l] + off + 4 * j);
}

AVX2 void kj_sha256_x8_blocks(uint32_t state[8][8],
			      const uint8_t *const msg[8], size_t nblocks)
{
	v8u s[8], w[16];

	for (int j = 0; j < 8; j++)
		for (int l = 0; l < 8; l++)
			s[j][l] = state[l][j];
	for (size_t blk = 0; blk < nblocks; blk++) {
		v8u a = s[0], b = s[1], c = s[2], d = s[3];
		v8u e = s[4], f = s[5], g = s[6], h = s[7];

		load_words(w, msg, blk * KJ_SHA256_BLOCK);
		for (int i = 0; i < 64; i++) {
			v8u wi, t1, t2;

			if (i < 16) {
				wi = w[i];
			} else {
				v8u x = w[(i - 15) & 15], y = w[(i - 2) & 15];

				wi = w[i & 15] += (ROR(x, 7) ^ ROR(x, 18) ^
						   (x >> 3)) +
						  w[(i - 7) & 15] +
						  (ROR(y, 17) ^ ROR(y, 19) ^
						   (y >> 10));
			}
			t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) +
			     (g ^ (e & (f ^ g))) + kj_sha256_k[i] + wi;
			t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) +
			     (((a ^ b) & (b ^ c)) ^ b);
			h = g;
			g = f;
			f = e;
			e = d + t1;
			d = c;
			c = b;
			b = a;
			a = t1 + t2;
		}
		s[0] += a;
		s[1] += b;
		s[2] += c;
		s[3] += d;
		s[4] += e;
		s[5] += f;
		s[6] += g;
		s[7] += h;
	}
	for (int j = 0; j < 8; j++)
		for (int l = 0; l < 8; l++)
			state[l][j] = s[j][l];
}

#else

int kj_sha256_have_avx2(void)
{
	return 0;
}

void kj_sha256_x8_blocks(uint32_t state[8][8], const uint8_t *const msg[8],
			 size_t nblocks)
{
}

#endif
