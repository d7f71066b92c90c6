/* SHA-256 (FIPS 180-4) for segment digests.
 *
 * The same source builds into libkjump and, freestanding, into the
 * purgatory: it needs only <stdint.h>/<stddef.h> and calls no libc.
 * On x86_64 it uses the SHA-NI instructions when CPUID reports them
 * (plus SSSE3 and SSE4.1), else a portable C implementation (and, for
 * many messages at once, sha256_x8.h). Inside the
 * purgatory the SHA-NI path additionally needs CR4.OSFXSR set, which the
 * purgatory's entry code does before any C runs. */
#ifndef KJ_CORE_SHA256_H
#define KJ_CORE_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define KJ_SHA256_LEN   32
#define KJ_SHA256_BLOCK 64

struct kj_sha256 {
	uint32_t h[8];
	uint64_t total;	/* bytes hashed so far */
	uint32_t used;	/* bytes waiting in buf */
	uint8_t buf[KJ_SHA256_BLOCK];
};

/* The 64 round constants (FIPS 180-4 section 4.2.2), shared with the
 * eight-lane code in sha256_x8.c. */
extern const uint32_t kj_sha256_k[64];

void kj_sha256_init(struct kj_sha256 *ctx);
void kj_sha256_update(struct kj_sha256 *ctx, const void *data, size_t len);
/* Writes the digest; ctx must be re-initialised before reuse. */
void kj_sha256_final(struct kj_sha256 *ctx, uint8_t out[KJ_SHA256_LEN]);
void kj_sha256(const void *data, size_t len, uint8_t out[KJ_SHA256_LEN]);

/* Which block function runs. AUTO probes CPUID once: SHA-NI, else AVX2,
 * else portable. AVX2 hashes single messages with the portable code and
 * runs eight at once where segment_digest.h has eight chunks to hash.
 * Forcing a path this CPU lacks is refused (AUTO is used instead). Meant
 * for tests and benchmarks; not thread-safe against concurrent hashing. */
enum kj_sha256_impl {
	KJ_SHA256_AUTO = 0,
	KJ_SHA256_PORTABLE,
	KJ_SHA256_SHANI,
	KJ_SHA256_AVX2,
};

void kj_sha256_force_impl(enum kj_sha256_impl impl);
/* The implementation that the next update will use (never AUTO). */
enum kj_sha256_impl kj_sha256_active_impl(void);
/* 1 if this CPU can run the SHA-NI path. */
int kj_sha256_have_shani(void);

#endif
