/* The digest the purgatory checks for each segment before the jump, and
 * which algorithm computes it.
 *
 * The check is there to catch the loaded image being corrupted between
 * load and exec (a device that was not quiesced and still DMAs into
 * memory, bad RAM), not an attacker: whoever can write that memory can
 * rewrite the purgatory as well. So the default is XXH64 (xxh64.h), a
 * non-cryptographic 64-bit hash over every byte that runs at memory
 * speed even under QEMU's TCG; SHA-256 (sha256_list.h) stays available.
 *
 * User space (at load) and the purgatory (before the jump) use this same
 * code, so they cannot disagree about the definition. Freestanding. */
#ifndef KJ_CORE_SEGMENT_DIGEST_H
#define KJ_CORE_SEGMENT_DIGEST_H

#include <stddef.h>
#include <stdint.h>

/* The numbers are ABI: the purgatory's parameter block carries them. */
enum kj_digest_alg {
	KJ_DIGEST_XXH64 = 1,  /* xxhsum -H1 of the segment, 8 bytes */
	KJ_DIGEST_SHA256 = 2, /* sha256_list.h, 32 bytes */
};

#define KJ_DIGEST_MAX 32

/* Bytes of digest alg produces: 8 or 32, 0 for an unknown alg. */
size_t kj_digest_len(uint32_t alg);

/* "xxh64", "sha256" (the --checks spelling), or NULL. */
const char *kj_digest_name(uint32_t alg);

/* Digest of data[0..len) into out[0..kj_digest_len(alg)), most
 * significant byte first (as xxhsum and sha256sum print it). Returns the
 * length written, 0 (and nothing written) for an unknown alg. */
size_t kj_segment_digest(uint32_t alg, const void *data, size_t len,
			 uint8_t out[KJ_DIGEST_MAX]);

#endif
