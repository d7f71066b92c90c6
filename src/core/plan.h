/* A load plan: the segments, entry point and flags handed to kexec_load.
 *
 * Plain data. Loaders build it, `kjump load --dry-run` prints it, the
 * syscall layer executes it. Nothing here touches the kernel.
 *
 * Ownership: a segment's buffer is either borrowed (it must outlive the
 * plan, e.g. a mapped kernel image) or owned (malloc'd, freed by
 * kj_plan_free()). kj_plan_add() takes an owned buffer over even when it
 * fails, so callers never free a buffer they handed in as owned. */
#ifndef KJ_CORE_PLAN_H
#define KJ_CORE_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define KJ_PLAN_MAX_SEGMENTS 16 /* KEXEC_SEGMENT_MAX */
#define KJ_PAGE_SIZE 4096ull

/* kexec_load flags, as in <linux/kexec.h>; the arch adds its KEXEC_ARCH_* */
#define KJ_KEXEC_ON_CRASH 0x1ul
#define KJ_KEXEC_PRESERVE_CONTEXT 0x2ul   /* kexec jump */
#define KJ_KEXEC_UPDATE_ELFCOREHDR 0x4ul  /* crash hotplug, x86 (6.5+) */
#define KJ_KEXEC_CRASH_HOTPLUG_SUPPORT 0x8ul /* crash hotplug (6.10+) */
/* The kexec-hardboot patch's flag (MultiROM); the same bit as
 * KJ_KEXEC_UPDATE_ELFCOREHDR, which is why it is sent only to kernels
 * that say they carry the patch. */
#define KJ_KEXEC_HARDBOOT 0x4ul

/* A physical range [start, end): end is exclusive. */
struct kj_range {
	uint64_t start;
	uint64_t end;
};

struct kj_segment {
	const void *buf; /* NULL with bufsz 0: memsz of zeroes */
	size_t bufsz;
	uint64_t mem;    /* physical, page aligned */
	size_t memsz;    /* page multiple, >= bufsz */
	char what[32];   /* "kernel", "initrd", "boot_params", ... */
	bool owned;      /* buf was malloc'd; kj_plan_free() frees it */
	char digest[65]; /* what the purgatory checks, in hex; "" if none */
};

/* How the purgatory enters the next kernel: the CPU mode its protocol
 * wants and the registers it is handed. One list for every arch, so that
 * plans print the same way; each arch's purgatory takes the modes it can. */
enum kj_entry_mode {
	KJ_MODE_NONE,
	KJ_MODE_X86_LINUX64, /* 64-bit, reg[0] = rsi (boot_params) */
	KJ_MODE_X86_PM32,    /* 32-bit protected mode, paging off:
				reg[0] = eax, reg[1] = ebx, reg[2] = esi */
	KJ_MODE_ARM64_LINUX, /* MMU and D-cache off, reg[0..3] = x0..x3 */
	KJ_MODE_X86_REAL16,  /* real mode (BIOS IVT, interrupts off), pc the
				linear entry: reg[0] = cs << 16 | ip,
				reg[1] = ss << 16 | sp, reg[2] = ds (also
				es, fs, gs), reg[3] = edx | flags << 32
				(KJ_REAL16_LEGACY_*) */
};

/* KJ_MODE_X86_REAL16 flags: BIOS-era state to put back for real-mode
 * code after Linux ran (it moved the 8259s and stopped the PIT). */
#define KJ_REAL16_LEGACY_PIC (1ull << 0)
#define KJ_REAL16_LEGACY_TIMER (1ull << 1)

#define KJ_ENTRY_REGS 4

struct kj_entry_regs {
	enum kj_entry_mode mode;
	uint64_t pc;                 /* the next kernel's entry */
	uint64_t reg[KJ_ENTRY_REGS]; /* as the mode names them */
};

/* "linux64", "pm32", "arm64"; and the name of register i in that mode,
 * NULL past the mode's last one. */
const char *kj_entry_mode_name(enum kj_entry_mode mode);
const char *kj_entry_reg_name(enum kj_entry_mode mode, size_t i);

struct kj_plan {
	struct kj_segment seg[KJ_PLAN_MAX_SEGMENTS];
	size_t nseg;
	uint64_t entry;       /* kexec entry: the purgatory's entry point */
	unsigned long flags;  /* the arch's KEXEC_ARCH_* | KJ_KEXEC_ON_CRASH */
	const char *cmdline;  /* for printing; may be NULL; borrowed, or
				 cmdline_owned when the loader extended it */
	char *cmdline_owned;  /* freed by kj_plan_free() */
	struct kj_entry_regs next; /* where the purgatory goes next */
	char note[160];       /* what the loader could not honour, for -v */
	const char *algorithm; /* the purgatory's check: "xxh64", "sha256";
				  NULL when it checks nothing */
};

void kj_plan_init(struct kj_plan *plan);

/* Free owned buffers and reset the plan to empty. */
void kj_plan_free(struct kj_plan *plan);

/* Append a segment; memsz is rounded up to a page. If owned, the plan
 * takes buf over, also on failure. Returns the index or -errno. */
int kj_plan_add(struct kj_plan *plan, const char *what, const void *buf,
		size_t bufsz, uint64_t mem, size_t memsz, bool owned,
		struct kj_err *err);

/* Index of the segment called what, or -1. */
int kj_plan_find(const struct kj_plan *plan, const char *what);

/* Record what the purgatory checks for segment i: the digest of
 * algorithm alg (enum kj_digest_alg) in hex, and the plan's algorithm,
 * for --dry-run. The arch's purgatory fill calls it. */
void kj_plan_set_digest(struct kj_plan *plan, size_t i, uint32_t alg,
			const uint8_t *digest);

/* Check the plan before it may reach the kernel: 1..16 segments,
 * page-aligned mem and memsz, bufsz <= memsz, every segment inside one
 * usable range (System RAM, or the crash region for panic loads), inside
 * [mem_min, mem_max] (0 = no limit, mem_max is the last usable byte),
 * no two segments overlapping, and the entry inside a segment. */
int kj_plan_validate(const struct kj_plan *plan, const struct kj_range *ram,
		     size_t nram, uint64_t mem_min, uint64_t mem_max,
		     struct kj_err *err);

/* Does [mem, mem+len) overlap a planned segment? */
bool kj_plan_overlaps(const struct kj_plan *plan, uint64_t mem, uint64_t len);

/* "210 MiB", "4 KiB", "1.5 GiB", "123 bytes": for messages. */
const char *kj_size_str(uint64_t bytes, char *buf, size_t bufsz);

#endif
