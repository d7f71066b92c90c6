/* The contract between the loader and our arm64 purgatory.
 *
 * The purgatory is a position-independent flat blob. The loader copies it
 * into a kexec segment of KJ_ARM64_PURG_MEMSZ bytes (the file is shorter:
 * the rest is its stack, variables and page tables, which the kernel
 * zero-fills), aligned to KJ_ARM64_PURG_ALIGN, fills the parameter block
 * at KJ_ARM64_PURG_PARAMS_OFFSET and sets the kexec entry to the load
 * address + KJ_ARM64_PURG_ENTRY_OFFSET. Linux's relocate_kernel enters it
 * with the MMU and caches off, at the exception level the old kernel ran
 * at. Included by both sides: fixed-width types only, no libc. */
#ifndef KJ_ARCH_ARM64_PURGATORY_ABI_H
#define KJ_ARCH_ARM64_PURGATORY_ABI_H

#define KJ_ARM64_PURG_ENTRY_OFFSET 0x0
#define KJ_ARM64_PURG_PARAMS_OFFSET 0x100
#define KJ_ARM64_PURG_MAGIC 0x3450504bu /* "KPP4" little-endian */
#define KJ_ARM64_PURG_ABI_VERSION 2	/* 2: digest_alg is kj_digest_alg */
#define KJ_ARM64_PURG_MAX_SEGMENTS 16
#define KJ_ARM64_PURG_MEMSZ (256 * 1024) /* the whole footprint */
#define KJ_ARM64_PURG_ALIGN 4096
#define KJ_ARM64_PURG_DIGEST_LEN 32 /* KJ_DIGEST_MAX */

/* flags */
#define KJ_ARM64_PURG_VERIFY (1u << 0) /* check every segment's digest */
#define KJ_ARM64_PURG_SERIAL (1u << 1) /* progress lines on the PL011 */
/* Test and measurement only: hash with the MMU (and so the D-cache)
 * off, as kexec-tools' purgatory does. */
#define KJ_ARM64_PURG_VERIFY_MMU_OFF (1u << 2)

/* Offsets the purgatory's assembly reads (asserted by the glue). */
#define KJ_ARM64_PURG_P_NSEGMENTS 64 /* struct kj_arm64_purg_params */
#define KJ_ARM64_PURG_P_SEGMENTS 72
#define KJ_ARM64_PURG_SEG_SIZE 48 /* struct kj_arm64_purg_segment */

#ifndef __ASSEMBLER__
#include <stdint.h>

struct kj_arm64_purg_segment {
	uint64_t mem; /* physical address */
	uint64_t len; /* bytes covered by the digest */
	uint8_t digest[KJ_ARM64_PURG_DIGEST_LEN]; /* kj_segment_digest():
						     kj_digest_len() bytes */
};

struct kj_arm64_purg_params {
	uint32_t magic;	  /* KJ_ARM64_PURG_MAGIC, set by the build */
	uint32_t version; /* KJ_ARM64_PURG_ABI_VERSION, set by the build */
	uint32_t flags;
	uint32_t digest_alg; /* VERIFY: enum kj_digest_alg
				(core/segment_digest.h) */
	uint64_t entry;	     /* where the next kernel starts (its pc) */
	uint64_t x[4];	     /* x0..x3 for it: x0 = DTB, x1..x3 = 0 */
	uint64_t uart_base;  /* PL011 physical base; 0 = none. Failures are
				printed there even without the SERIAL flag */
	uint32_t nsegments;
	uint32_t reserved;
	struct kj_arm64_purg_segment segments[KJ_ARM64_PURG_MAX_SEGMENTS];
};
#endif /* __ASSEMBLER__ */

#endif
