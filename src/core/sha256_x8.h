/* Eight SHA-256 messages side by side in the lanes of AVX2 registers.
 *
 * One message at a time cannot go faster than its chain of rounds; eight
 * independent ones can share each instruction. Used for the chunk lists
 * of segment_digest.h on CPUs with AVX2 but no SHA-NI (Intel Haswell to
 * Comet Lake), where it is about four times the portable code. Freestanding
 * like sha256.c; inside the purgatory AVX needs CR4.OSXSAVE and XCR0, which
 * the purgatory turns on around verification. */
#ifndef KJ_CORE_SHA256_X8_H
#define KJ_CORE_SHA256_X8_H

#include <stddef.h>
#include <stdint.h>

/* 1 if this CPU runs AVX2 and the OS (or purgatory) enabled its state. */
int kj_sha256_have_avx2(void);

/* Compress nblocks 64-byte blocks of each of eight messages into
 * state[lane][0..7]. Only call when kj_sha256_have_avx2(). */
void kj_sha256_x8_blocks(uint32_t state[8][8], const uint8_t *const msg[8],
			 size_t nblocks);

#endif
