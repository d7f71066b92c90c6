/* The physical memory map of the running machine, as e820 sees it.
 *
 * Read from /sys/firmware/memmap/N/{start,end,type} (the map the firmware
 * handed the running kernel), else from the top level of /proc/iomem.
 * The "Crash kernel" regions of /proc/iomem are recorded too: they are
 * the only usable memory for --panic loads. All reads go through the
 * sysroot layer, so KJUMP_SYSROOT points them at a fixture tree. */
#ifndef KJ_ARCH_X86_64_MEMMAP_H
#define KJ_ARCH_X86_64_MEMMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/x86_64/bootparam.h"
#include "core/err.h"
#include "core/plan.h"

#define KJ_MEMMAP_MAX 512     /* entries kept; more is an error */
#define KJ_MEMMAP_MAX_CRASH 4 /* "Crash kernel" regions (high and low) */

struct kj_memmap_entry {
	uint64_t start;
	uint64_t end;  /* exclusive */
	uint32_t type; /* KJ_E820_* */
};

struct kj_memmap {
	struct kj_memmap_entry e[KJ_MEMMAP_MAX]; /* sorted by start */
	size_t n;
	struct kj_range crash[KJ_MEMMAP_MAX_CRASH];
	size_t ncrash;
	bool iomem_zeroed; /* /proc/iomem showed only zeros (not root) */
	const char *source; /* "/sys/firmware/memmap" or "/proc/iomem" */
};

/* Read the map of the running system (through the sysroot). */
int kj_memmap_read(struct kj_memmap *mm, struct kj_err *err);

/* Parse /proc/iomem text. With want_map, top-level lines of known types
 * become map entries; "Crash kernel" lines at any depth are recorded.
 * Returns -EPERM if every address reads as zero. */
int kj_memmap_parse_iomem(struct kj_memmap *mm, const char *text,
			  bool want_map, struct kj_err *err);

/* Append one entry [start, end) (kept sorted). */
int kj_memmap_add(struct kj_memmap *mm, uint64_t start, uint64_t end,
		  uint32_t type, struct kj_err *err);

/* e820 type for a name as the kernel prints it ("System RAM" -> 1);
 * 0 for a name that is not a memory type (e.g. "PCI Bus 0000:00"). */
uint32_t kj_memmap_type(const char *name);
const char *kj_memmap_type_name(uint32_t type);

/* Where segments may go: System RAM (adjacent entries merged), or for
 * panic loads the crash regions. Returns the count written (<= max). */
size_t kj_memmap_usable(const struct kj_memmap *mm, bool panic,
			struct kj_range *out, size_t max);

/* The e820 table for the next kernel. For panic loads, RAM is only the
 * crash regions plus the first 640 KiB; everything else is copied.
 * Returns the number of entries (at most max). */
size_t kj_memmap_e820(const struct kj_memmap *mm, bool panic,
		      struct kj_e820_entry *out, size_t max);

#endif
