/* XXH3-64 with seed 0 and the default secret, written from the xxHash
 * specification (xxhash_spec.md, "XXH3 Algorithm Description"): the
 * same value as `xxhsum -H3`.
 *
 * Benchmark only: the candidate that lost to XXH64 as the purgatory's
 * check (see src/core/xxh64.h); bench/digest_bench.c measures both and
 * checks this one against xxhsum before timing it. */
#ifndef KJ_BENCH_XXH3_H
#define KJ_BENCH_XXH3_H

#include <stddef.h>
#include <stdint.h>

uint64_t kj_xxh3_64(const void *data, size_t len);

#endif
