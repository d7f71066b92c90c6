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

/* kexec_load flags, as in <linux/kexec.h> */
#define KJ_KEXEC_ON_CRASH 0x1ul
#define KJ_KEXEC_ARCH_X86_64 (62ul << 16)

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

/* What the purgatory hands the next kernel; printed by --dry-run. */
struct kj_plan_regs {
	bool valid;
	uint32_t mode;   /* KJ_ENTRY_LINUX64, KJ_ENTRY_PM32 (purgatory_abi.h) */
	uint64_t entry;  /* next kernel's entry, where purgatory jumps */
	uint64_t rsi;    /* LINUX64: boot_params */
	uint32_t eax, ebx; /* PM32 */
};

struct kj_plan {
	struct kj_segment seg[KJ_PLAN_MAX_SEGMENTS];
	size_t nseg;
	uint64_t entry;       /* kexec entry: the purgatory's entry point */
	unsigned long flags;  /* KJ_KEXEC_ARCH_X86_64 | KJ_KEXEC_ON_CRASH */
	const char *cmdline;  /* for printing; may be NULL; borrowed, or
				 cmdline_owned when the loader extended it */
	char *cmdline_owned;  /* freed by kj_plan_free() */
	struct kj_plan_regs regs;
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
