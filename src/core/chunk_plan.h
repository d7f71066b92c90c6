/* Put an image's load chunks (ELF program headers, a Multiboot a.out
 * range) into a plan as page-aligned kexec segments.
 *
 * Chunks need not start on a page boundary (a Multiboot kernel linked at
 * 0x20100): each segment covers whole pages around its chunks, the bytes
 * around them zero. Chunks that share a page go into one segment; if
 * there are more segments than the budget allows, the closest neighbours
 * are merged too (the gap between them is zero-filled). A segment that
 * is one page-aligned chunk borrows the image bytes, others are copied. */
#ifndef KJ_CORE_CHUNK_PLAN_H
#define KJ_CORE_CHUNK_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/plan.h"

#define KJ_CHUNKS_MAX 32

/* One piece of an image in memory: file bytes [offset, offset+filesz)
 * go to paddr, then memsz - filesz zeroes (bss). */
struct kj_load_chunk {
	uint64_t offset;
	uint64_t filesz;
	uint64_t paddr;
	uint64_t memsz;
};

/* chunks: at most KJ_CHUNKS_MAX, sorted by paddr, non-overlapping, inside
 * image. Each segment must be free RAM (ram/nram, clear of the plan), else
 * -EADDRNOTAVAIL naming the range. Segments are called "kernel", "kernel.1",
 * ... */
int kj_plan_add_chunks(struct kj_plan *plan, const uint8_t *image,
		       size_t image_len, const struct kj_load_chunk *chunk,
		       size_t n, size_t budget, const struct kj_range *ram,
		       size_t nram, const char *name, struct kj_err *err);

#endif
