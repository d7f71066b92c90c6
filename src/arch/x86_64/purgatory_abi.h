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
			      segments, EAX/EBX/ESI from the block */
#define KJ_ENTRY_REAL16  2 /* real mode, registers from real16; the
			      whole blob must sit below 1 MiB */

/* real16.flags: what to put back for BIOS code before the jump */
#define KJ_RM_LEGACY_PIC   (1u << 0) /* 8259s at vectors 0x08/0x70 */
#define KJ_RM_LEGACY_TIMER (1u << 1) /* PIT channel 0 at 18.2 Hz */

/* KJ_ENTRY_REAL16: the real-mode state at the jump to cs:ip, e.g. for a
 * Linux real-mode kernel header: cs = seg + 0x20, ip = 0, ds = es = fs
 * = gs = ss = seg, sp = heap end; a boot sector: cs:ip 0:7c00, dl the
 * drive. EFLAGS is 0x2, the IDT the real-mode one at 0 (limit 0x3ff). */
struct kj_purgatory_real16 {
	uint16_t cs, ip, ss, sp;
	uint16_t ds, es, fs, gs;
	uint32_t eax, ebx, ecx, edx, esi, edi, ebp;
	uint32_t flags; /* KJ_RM_* */
} __attribute__((packed));

/* flags */
#define KJ_PURG_VERIFY  (1u << 0) /* check every segment's digest */
#define KJ_PURG_SERIAL  (1u << 1) /* print progress on serial_port */
#define KJ_PURG_VGA     (1u << 2) /* print progress on the VGA text screen */
#define KJ_PURG_RESET_VGA (1u << 3) /* VGA back to 80x25 text first */
/* Kexec jump: the return address relocate_kernel called us with is
 * written into the command line's "kexec_jump_back_entry=0x" followed
 * by 16 zeroes (boot_params at rsi, or esi in PM32 mode). */
#define KJ_PURG_JUMP_BACK (1u << 4)

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
	/* Appended for issue 12 (32-bit Linux and real-mode entry). */
	uint32_t esi;       /* KJ_ENTRY_PM32: ESI (the 32-bit Linux boot
			       protocol's boot_params; 0 for Multiboot) */
	struct kj_purgatory_real16 real16; /* KJ_ENTRY_REAL16 */
} __attribute__((packed));

#endif
