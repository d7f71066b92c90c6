/* User-space side of the arm64 purgatory: copy the blob and fill its
 * parameter block (purgatory_abi.h) for one load.
 *
 * The loader places the result as one more kexec segment: bufsz = the
 * blob, memsz = KJ_ARM64_PURG_MEMSZ (its stack, variables and page tables
 * follow the file and are zero-filled by the kernel), at an address
 * aligned to KJ_ARM64_PURG_ALIGN, and sets the kexec entry to that
 * address + KJ_ARM64_PURG_ENTRY_OFFSET. The purgatory maps the segments
 * it verifies and its own memory; nothing else has to be said about the
 * memory map. */
#ifndef KJ_ARCH_ARM64_PURGATORY_H
#define KJ_ARCH_ARM64_PURGATORY_H

#include <stddef.h>
#include <stdint.h>

#include "arch/arm64/purgatory_abi.h"
#include "core/err.h"

/* One segment the purgatory checks: its digest covers buf[0..bufsz), as
 * it will sit at physical address mem (the zero-filled tail up to memsz
 * is not covered). Pass every segment except the purgatory's own. */
struct kj_arm64_purg_seg {
	const void *buf;
	size_t bufsz;
	uint64_t mem;
};

struct kj_arm64_purg_setup {
	uint64_t entry;	     /* the next kernel's first instruction */
	uint64_t x[4];	     /* x0 = DTB address, x1..x3 = 0 for Linux */
	uint32_t flags;	     /* KJ_ARM64_PURG_VERIFY | _SERIAL | ... */
	uint32_t digest_alg; /* VERIFY: enum kj_digest_alg */
	uint64_t uart_base;  /* the console PL011, 0 = none (then even a
				mismatch halts silently) */
	const struct kj_arm64_purg_seg *segs; /* digested if VERIFY */
	size_t nsegs; /* at most KJ_ARM64_PURG_MAX_SEGMENTS */
};

/* Fill a copy of the purgatory image (image, len: the blob as built). On
 * success *blob is malloc'd (caller frees), *blob_len its size (the file;
 * the segment's memsz is KJ_ARM64_PURG_MEMSZ).
 *
 * Test only: with KJUMP_TEST_CORRUPT_SEGMENT=N in the environment the
 * recorded digest of segment N (0-based) is deliberately wrong, so a VM
 * test can watch the purgatory refuse to boot. */
int kj_arm64_purgatory_fill(const uint8_t *image, size_t len,
			    const struct kj_arm64_purg_setup *setup,
			    uint8_t **blob, size_t *blob_len,
			    struct kj_err *err);

#if defined(__aarch64__)
/* The blob embedded in an arm64 libkjump (purgatory_blob.S). */
const uint8_t *kj_arm64_purgatory_image(size_t *len);
#endif

#endif
