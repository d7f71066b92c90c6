/* SHA-256: portable C rounds plus an x86 SHA-NI block function.
 *
 * Freestanding on purpose (see sha256.h): no libc, no function pointers
 * (the purgatory is a PIE blob without run-time relocations, so a
 * pointer table would need fixing up), no floating point. */
#include "core/sha256.h"

#include "core/sha256_x8.h"

#if defined(__x86_64__) || defined(__i386__)
#define KJ_SHA256_X86 1
#include <cpuid.h>
#include <immintrin.h>
#endif

const uint32_t kj_sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define K kj_sha256_k

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
#define BSIG0(x) (ROR(x, 2) ^ ROR(x, 13) ^ ROR(x, 22))
#define BSIG1(x) (ROR(x, 6) ^ ROR(x, 11) ^ ROR(x, 25))
#define SSIG0(x) (ROR(x, 7) ^ ROR(x, 18) ^ ((x) >> 3))
#define SSIG1(x) (ROR(x, 17) ^ ROR(x, 19) ^ ((x) >> 10))
#define CH(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define MAJ(x, y, z) (((x) & (y)) | ((z) & ((x) | (y))))

/* One round; the caller rotates the variable names instead of moving
 * eight values around. */
#define RND(a, b, c, d, e, f, g, h, k, w)                               \
	do {                                                            \
		uint32_t t1_ = (h) + BSIG1(e) + CH(e, f, g) + (k) + (w); \
		(d) += t1_;                                             \
		(h) = t1_ + BSIG0(a) + MAJ(a, b, c);                    \
	} while (0)

/* Schedule word j (mod 16) in place, for rounds 16..63. */
#define SCHED(j)                                                         \
	(w[(j)&15] += SSIG1(w[((j) - 2) & 15]) + w[((j) - 7) & 15] +     \
		      SSIG0(w[((j) - 15) & 15]))

/* Sixteen rounds starting at round i; W is the expression for word j. */
#define RND16(i, W)                                                      \
	do {                                                             \
		RND(a, b, c, d, e, f, g, h, K[(i) + 0], W(0));           \
		RND(h, a, b, c, d, e, f, g, K[(i) + 1], W(1));           \
		RND(g, h, a, b, c, d, e, f, K[(i) + 2], W(2));           \
		RND(f, g, h, a, b, c, d, e, K[(i) + 3], W(3));           \
		RND(e, f, g, h, a, b, c, d, K[(i) + 4], W(4));           \
		RND(d, e, f, g, h, a, b, c, K[(i) + 5], W(5));           \
		RND(c, d, e, f, g, h, a, b, K[(i) + 6], W(6));           \
		RND(b, c, d, e, f, g, h, a, K[(i) + 7], W(7));           \
		RND(a, b, c, d, e, f, g, h, K[(i) + 8], W(8));           \
		RND(h, a, b, c, d, e, f, g, K[(i) + 9], W(9));           \
		RND(g, h, a, b, c, d, e, f, K[(i) + 10], W(10));         \
		RND(f, g, h, a, b, c, d, e, K[(i) + 11], W(11));         \
		RND(e, f, g, h, a, b, c, d, K[(i) + 12], W(12));         \
		RND(d, e, f, g, h, a, b, c, K[(i) + 13], W(13));         \
		RND(c, d, e, f, g, h, a, b, K[(i) + 14], W(14));         \
		RND(b, c, d, e, f, g, h, a, K[(i) + 15], W(15));         \
	} while (0)

#define WLOAD(j) (w[j] = load_be32(p + 4 * (j)))
#define WSCHED(j) SCHED(j)

static inline uint32_t load_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void blocks_portable(uint32_t st[8], const uint8_t *p, size_t n)
{
	uint32_t w[16];

	for (; n; n--, p += KJ_SHA256_BLOCK) {
		uint32_t a = st[0], b = st[1], c = st[2], d = st[3];
		uint32_t e = st[4], f = st[5], g = st[6], h = st[7];
		int i;

		RND16(0, WLOAD);
		for (i = 16; i < 64; i += 16)
			RND16(i, WSCHED);
		st[0] += a;
		st[1] += b;
		st[2] += c;
		st[3] += d;
		st[4] += e;
		st[5] += f;
		st[6] += g;
		st[7] += h;
	}
}

#ifdef KJ_SHA256_X86
#define SHANI_TARGET __attribute__((target("sha,sse4.1,ssse3")))

/* Four rounds (group i of 16) plus the schedule work that overlaps them:
 * m0 holds the words for this group, m1..m3 the next three, so the
 * macro is invoked with the four message registers rotated. */
#define QROUND(i, m0, m1, m2, m3)                                           \
	do {                                                                \
		__m128i k_ = _mm_loadu_si128((const __m128i *)&K[4 * (i)]); \
		__m128i x_ = _mm_add_epi32(m0, k_);                         \
		cdgh = _mm_sha256rnds2_epu32(cdgh, abef, x_);               \
		if ((i) >= 3 && (i) < 15) {                                 \
			m1 = _mm_add_epi32(m1, _mm_alignr_epi8(m0, m3, 4)); \
			m1 = _mm_sha256msg2_epu32(m1, m0);                  \
		}                                                           \
		x_ = _mm_shuffle_epi32(x_, 0x0e);                           \
		abef = _mm_sha256rnds2_epu32(abef, cdgh, x_);               \
		if ((i) >= 1 && (i) < 13)                                   \
			m3 = _mm_sha256msg1_epu32(m3, m0);                  \
	} while (0)

SHANI_TARGET
static void blocks_shani(uint32_t st[8], const uint8_t *p, size_t n)
{
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL,
					     0x0405060700010203ULL);
	__m128i abef, cdgh, t;

	/* The instructions want the state as {A,B,E,F} and {C,D,G,H}. */
	t = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&st[0]), 0xb1);
	cdgh = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&st[4]),
				 0x1b);
	abef = _mm_alignr_epi8(t, cdgh, 8);
	cdgh = _mm_blend_epi16(cdgh, t, 0xf0);

	for (; n; n--, p += KJ_SHA256_BLOCK) {
		__m128i abef0 = abef, cdgh0 = cdgh;
		__m128i m0, m1, m2, m3;

		m0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)p),
				      bswap);
		m1 = _mm_shuffle_epi8(
			_mm_loadu_si128((const __m128i *)(p + 16)), bswap);
		m2 = _mm_shuffle_epi8(
			_mm_loadu_si128((const __m128i *)(p + 32)), bswap);
		m3 = _mm_shuffle_epi8(
			_mm_loadu_si128((const __m128i *)(p + 48)), bswap);

		QROUND(0, m0, m1, m2, m3);
		QROUND(1, m1, m2, m3, m0);
		QROUND(2, m2, m3, m0, m1);
		QROUND(3, m3, m0, m1, m2);
		QROUND(4, m0, m1, m2, m3);
		QROUND(5, m1, m2, m3, m0);
		QROUND(6, m2, m3, m0, m1);
		QROUND(7, m3, m0, m1, m2);
		QROUND(8, m0, m1, m2, m3);
		QROUND(9, m1, m2, m3, m0);
		QROUND(10, m2, m3, m0, m1);
		QROUND(11, m3, m0, m1, m2);
		QROUND(12, m0, m1, m2, m3);
		QROUND(13, m1, m2, m3, m0);
		QROUND(14, m2, m3, m0, m1);
		QROUND(15, m3, m0, m1, m2);

		abef = _mm_add_epi32(abef, abef0);
		cdgh = _mm_add_epi32(cdgh, cdgh0);
	}

	t = _mm_shuffle_epi32(abef, 0x1b);
	cdgh = _mm_shuffle_epi32(cdgh, 0xb1);
	_mm_storeu_si128((__m128i *)&st[0], _mm_blend_epi16(t, cdgh, 0xf0));
	_mm_storeu_si128((__m128i *)&st[4], _mm_alignr_epi8(cdgh, t, 8));
}
#endif

int kj_sha256_have_shani(void)
{
#ifdef KJ_SHA256_X86
	unsigned int a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d))
		return 0;
	if (!(c & bit_SSSE3) || !(c & bit_SSE4_1))
		return 0;
	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
		return 0;
	return !!(b & bit_SHA);
#else
	return 0;
#endif
}

/* 0 until probed; a plain int rather than a function pointer (see top). */
static int impl_sel;

static int impl_available(enum kj_sha256_impl impl)
{
	switch (impl) {
	case KJ_SHA256_PORTABLE:
		return 1;
	case KJ_SHA256_SHANI:
		return kj_sha256_have_shani();
	case KJ_SHA256_AVX2:
		return kj_sha256_have_avx2();
	default:
		return 0;
	}
}

void kj_sha256_force_impl(enum kj_sha256_impl impl)
{
	impl_sel = impl_available(impl) ? impl : KJ_SHA256_AUTO;
}

enum kj_sha256_impl kj_sha256_active_impl(void)
{
	if (impl_sel == KJ_SHA256_AUTO)
		impl_sel = kj_sha256_have_shani()  ? KJ_SHA256_SHANI
			   : kj_sha256_have_avx2() ? KJ_SHA256_AVX2
						   : KJ_SHA256_PORTABLE;
	return (enum kj_sha256_impl)impl_sel;
}

static void blocks(uint32_t st[8], const uint8_t *p, size_t n)
{
#ifdef KJ_SHA256_X86
	if (kj_sha256_active_impl() == KJ_SHA256_SHANI) {
		blocks_shani(st, p, n);
		return;
	}
#endif
	blocks_portable(st, p, n);
}

void kj_sha256_init(struct kj_sha256 *ctx)
{
	static const uint32_t iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};
	int i;

	for (i = 0; i < 8; i++)
		ctx->h[i] = iv[i];
	ctx->total = 0;
	ctx->used = 0;
}

void kj_sha256_update(struct kj_sha256 *ctx, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t n;

	ctx->total += len;
	if (ctx->used) {
		while (len && ctx->used < KJ_SHA256_BLOCK) {
			ctx->buf[ctx->used++] = *p++;
			len--;
		}
		if (ctx->used < KJ_SHA256_BLOCK)
			return;
		blocks(ctx->h, ctx->buf, 1);
		ctx->used = 0;
	}
	n = len / KJ_SHA256_BLOCK;
	if (n) {
		blocks(ctx->h, p, n);
		p += n * KJ_SHA256_BLOCK;
		len -= n * KJ_SHA256_BLOCK;
	}
	while (len--)
		ctx->buf[ctx->used++] = *p++;
}

void kj_sha256_final(struct kj_sha256 *ctx, uint8_t out[KJ_SHA256_LEN])
{
	uint64_t bits = ctx->total * 8;
	int i;

	ctx->buf[ctx->used++] = 0x80;
	if (ctx->used > KJ_SHA256_BLOCK - 8) {
		while (ctx->used < KJ_SHA256_BLOCK)
			ctx->buf[ctx->used++] = 0;
		blocks(ctx->h, ctx->buf, 1);
		ctx->used = 0;
	}
	while (ctx->used < KJ_SHA256_BLOCK - 8)
		ctx->buf[ctx->used++] = 0;
	for (i = 0; i < 8; i++)
		ctx->buf[KJ_SHA256_BLOCK - 1 - i] = (uint8_t)(bits >> (8 * i));
	blocks(ctx->h, ctx->buf, 1);
	for (i = 0; i < 8; i++) {
		out[4 * i] = (uint8_t)(ctx->h[i] >> 24);
		out[4 * i + 1] = (uint8_t)(ctx->h[i] >> 16);
		out[4 * i + 2] = (uint8_t)(ctx->h[i] >> 8);
		out[4 * i + 3] = (uint8_t)ctx->h[i];
	}
	ctx->used = 0;
}

void kj_sha256(const void *data, size_t len, uint8_t out[KJ_SHA256_LEN])
{
	struct kj_sha256 ctx;

	kj_sha256_init(&ctx);
	kj_sha256_update(&ctx, data, len);
	kj_sha256_final(&ctx, out);
}
