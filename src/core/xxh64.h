/* XXH64 with seed 0, written from the xxHash specification
 * (xxhash_spec.md, "XXH64 Algorithm Description"): the same value as
 * `xxhsum -H1`. The default segment check (segment_digest.h).
 *
 * Chosen over XXH3-64 by measurement (bench/digest_bench.c): the scalar
 * code, which is what a freestanding purgatory runs, hashes about three
 * times faster under QEMU TCG (one load, two multiplies and a rotate per
 * 8 bytes, against XXH3's extra secret mixing), and faster natively too;
 * XXH3 wins only with SIMD, which TCG emulates slowly. Portable C,
 * freestanding, so every arch's purgatory builds the same file. */
#ifndef KJ_CORE_XXH64_H
#define KJ_CORE_XXH64_H

#include <stddef.h>
#include <stdint.h>

uint64_t kj_xxh64(const void *data, size_t len);

#endif
