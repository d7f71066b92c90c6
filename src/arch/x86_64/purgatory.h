/* User-space side of the x86_64 purgatory: copy the embedded blob and
 * fill its parameter block (purgatory_abi.h) for one load.
 *
 * The loader places the returned blob as one more kexec segment, at an
 * address aligned to KJ_PURGATORY_X86_64_ALIGN, with memsz = blob_len
 * rounded up to a page (the blob already contains its .bss and stack),
 * and sets the kexec entry to that address + KJ_PURGATORY_ENTRY_OFFSET. For
 * KJ_ENTRY_PM32 the whole blob must lie below 4 GiB (the purgatory turns
 * paging off while running from it), for KJ_ENTRY_REAL16 below 1 MiB
 * (it runs from there in real mode); it refuses otherwise, printing why. */
#ifndef KJ_ARCH_X86_64_PURGATORY_H
#define KJ_ARCH_X86_64_PURGATORY_H

#include <stddef.h>
#include <stdint.h>

#include "arch/x86_64/purgatory_abi.h"
#include "core/err.h"

#define KJ_PURGATORY_X86_64_ALIGN 4096

/* One segment the purgatory checks: its digest covers buf[0..bufsz),
 * as it will sit at physical address mem. The part of a segment beyond
 * bufsz (memsz > bufsz) is zero-filled by the kernel and NOT covered.
 * Pass every segment except the purgatory's own (which holds the table). */
struct kj_purgatory_seg {
	const void *buf;
	size_t bufsz;
	uint64_t mem;
};

struct kj_purgatory_setup {
	uint32_t entry_mode;	/* KJ_ENTRY_LINUX64, _PM32 or _REAL16 */
	uint64_t entry;		/* physical entry of the next kernel */
	uint64_t rsi;		/* LINUX64: boot_params address */
	uint32_t eax, ebx;	/* PM32: e.g. 0x2badb002 and the MBI */
	uint32_t esi;		/* PM32: boot_params for a 32-bit Linux */
	struct kj_purgatory_real16 real16; /* KJ_ENTRY_REAL16 */
	uint32_t flags;		/* KJ_PURG_* */
	uint32_t digest_alg;	/* with KJ_PURG_VERIFY: enum kj_digest_alg */
	uint16_t serial_port;	/* 0 means COM1, 0x3f8 */
	uint32_t serial_baud;	/* 0 means 115200 */
	const struct kj_purgatory_seg *segs; /* digested if KJ_PURG_VERIFY */
	size_t nsegs;		/* at most KJ_PURGATORY_MAX_SEGMENTS */
};

/* Build the purgatory for one load. On success *blob is a malloc'd copy
 * of the image (caller frees) and *blob_len its size.
 *
 * Test only: if the environment variable KJUMP_TEST_CORRUPT_SEGMENT=N is
 * set, the recorded digest of segment N (0-based) is deliberately wrong,
 * so that a VM test can watch the purgatory refuse to boot. Nothing but
 * the fills (arch/purgatory_fill.c) reads that variable. */
int kj_purgatory_x86_64_prepare(const struct kj_purgatory_setup *setup,
				uint8_t **blob, size_t *blob_len,
				struct kj_err *err);

/* The embedded, unfilled image (for `kjump inspect`-style reporting). */
const uint8_t *kj_purgatory_x86_64_image(size_t *len);

#endif
