/* `--checks=sha256`: SHA-256 over the list of SHA-256 digests of the
 * segment's 64 KiB chunks (the last one may be shorter; an empty segment
 * has an empty list). Until XXH64 became the default (segment_digest.h)
 * this was the only check.
 *
 * Every byte is still covered by SHA-256, but the chunks are independent
 * messages, so a CPU without SHA-NI can hash eight at once with AVX2
 * (sha256_x8.h) instead of walking one long chain of rounds: the cost of
 * verifying a 200 MiB initrd before the jump drops about fourfold there. */
#ifndef KJ_CORE_SHA256_LIST_H
#define KJ_CORE_SHA256_LIST_H

#include <stddef.h>
#include <stdint.h>

#include "core/sha256.h"

#define KJ_SHA256_LIST_CHUNK (64 * 1024)

void kj_sha256_list(const void *data, size_t len, uint8_t out[KJ_SHA256_LEN]);

#endif
