/* SHA-256 blocks with the Armv8 SHA2 instructions (FEAT_SHA256), what
 * the arm64 purgatory and an arm64 kjump hash with where the CPU has them
 * (Graviton, Ampere, Cortex-A53 and later with the crypto extension,
 * QEMU's -cpu max): several times the portable rounds' speed.
 *
 * Freestanding like sha256.c: in the purgatory (no libc) the ID register
 * says whether the instructions exist; in a hosted build the kernel's
 * HWCAP_SHA2 does (reading ID registers from EL0 is emulated, but only
 * since Linux 4.11). The purgatory's entry code turns on FP/SIMD access,
 * which these instructions need. */
/* Hidden, so the position-independent purgatory reaches the round
 * constants PC-relative, not through a GOT entry it would have to fix
 * up (a static libkjump does not care). */
#pragma GCC visibility push(hidden)
#include "core/sha256.h"
#pragma GCC visibility pop

#if defined(__aarch64__)
#include <arm_neon.h>

#if __STDC_HOSTED__
#include <sys/auxv.h>
#define HWCAP_SHA2_BIT (1ul << 6) /* <asm/hwcap.h> HWCAP_SHA2 */
#endif

int kj_sha256_have_armce(void)
{
#if __STDC_HOSTED__
	return !!(getauxval(AT_HWCAP) & HWCAP_SHA2_BIT);
#else
	uint64_t isar0;

	__asm__ volatile("mrs %0, id_aa64isar0_el1" : "=r"(isar0));
	return ((isar0 >> 12) & 0xf) >= 1; /* ID_AA64ISAR0_EL1.SHA2 */
#endif
}

/* Four rounds with the schedule words in m0 (W[4i..4i+3]); while more
 * are needed, m0 becomes W[4i+16..4i+19] from it and the next three. */
#define QROUND(i, m0, m1, m2, m3)                                         \
	do {                                                              \
		uint32x4_t wk_ = vaddq_u32(m0, vld1q_u32(&kj_sha256_k[4 * (i)])); \
		uint32x4_t t_ = abcd;                                     \
		abcd = vsha256hq_u32(abcd, efgh, wk_);                    \
		efgh = vsha256h2q_u32(efgh, t_, wk_);                     \
		if ((i) < 12)                                             \
			m0 = vsha256su1q_u32(vsha256su0q_u32(m0, m1), m2, \
					     m3);                         \
	} while (0)

static inline uint32x4_t load_be(const uint8_t *p)
{
	return vreinterpretq_u32_u8(vrev32q_u8(vld1q_u8(p)));
}

__attribute__((target("arch=armv8-a+crypto"))) void
kj_sha256_blocks_armce(uint32_t st[8], const uint8_t *p, size_t n)
{
	uint32x4_t abcd = vld1q_u32(&st[0]), efgh = vld1q_u32(&st[4]);

	for (; n; n--, p += KJ_SHA256_BLOCK) {
		uint32x4_t abcd0 = abcd, efgh0 = efgh;
		uint32x4_t m0 = load_be(p), m1 = load_be(p + 16);
		uint32x4_t m2 = load_be(p + 32), m3 = load_be(p + 48);

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
		abcd = vaddq_u32(abcd, abcd0);
		efgh = vaddq_u32(efgh, efgh0);
	}
	vst1q_u32(&st[0], abcd);
	vst1q_u32(&st[4], efgh);
}
#endif
