/* The contract between the loader and our x86_64 purgatory.
 *
 * The purgatory is a position-independent flat blob. The loader copies it
 * into a kexec segment, fills the parameter block that sits at
 * KJ_PURGATORY_PARAMS_OFFSET inside the blob, and sets the kexec entry to
 * the blob's load address + KJ_PURGATORY_ENTRY_OFFSET. This header is
 * included by both sides, so it uses only fixed-width types and no libc. */
#ifndef KJ_ARCH_X86_64_PURGATORY_ABI_H
#define KJ_ARCH_X86_64_PURGATORY_ABI_H

#include <stdint.h>

#define KJ_PURGATORY_ENTRY_OFFSET  0x0
#define KJ_PURGATORY_PARAMS_OFFSET 0x100
#define KJ_PURGATORY_MAGIC         0x47504a4bu /* "KJPG" little-endian */
#define KJ_PURGATORY_ABI_VERSION   3 /* 3: digest_alg picks the digest */
#define KJ_PURGATORY_MAX_SEGMENTS  16

/* How the purgatory enters the next kernel. */
#define KJ_ENTRY_LINUX64 0 /* 64-bit, RSI = boot_params (rsi field) */
#define KJ_ENTRY_PM32    1 /* 32-bit protected mode, paging off, flat
			      segments, EAX/EBX from the block */

/* flags */
#define KJ_PURG_VERIFY  (1u << 0) /* check every segment's digest */
#define KJ_PURG_SERIAL  (1u << 1) /* print progress on serial_port */

struct kj_purgatory_segment {
	uint64_t mem;       /* physical address */
	uint64_t len;       /* bytes covered by the digest */
	uint8_t digest[32]; /* kj_segment_digest(digest_alg) of len bytes at
			       mem, in its first kj_digest_len() bytes */
} __attribute__((packed));

struct kj_purgatory_params {
	uint32_t magic;     /* KJ_PURGATORY_MAGIC, set by the build */
	uint32_t version;   /* KJ_PURGATORY_ABI_VERSION, set by the build */
	uint32_t entry_mode;
	uint32_t flags;
	uint64_t entry;     /* physical address of the next kernel's entry */
	uint64_t rsi;       /* KJ_ENTRY_LINUX64: boot_params address */
	uint32_t eax;       /* KJ_ENTRY_PM32 */
	uint32_t ebx;       /* KJ_ENTRY_PM32 */
	uint16_t serial_port; /* I/O port, 0x3f8 for COM1 */
	uint16_t reserved0;
	uint32_t serial_baud; /* 115200 */
	uint32_t nsegments;
	uint32_t digest_alg; /* KJ_PURG_VERIFY: enum kj_digest_alg
				(core/segment_digest.h) */
	struct kj_purgatory_segment segments[KJ_PURGATORY_MAX_SEGMENTS];
} __attribute__((packed));

#endif
