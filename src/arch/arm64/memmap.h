/* Where kexec_load segments may go on arm64, from /proc/iomem text.
 *
 * arm64 has no /sys/firmware/memmap: /proc/iomem is the only map. Its
 * top-level "System RAM" lines are the RAM; nested "reserved" lines are
 * memblock reservations inside it (the UEFI memory map and runtime data a
 * kernel booted under UEFI reads again, /reserved-memory regions, the
 * DTB's /memreserve/ blocks, firmware tables) and nested "Crash kernel"
 * lines the crash regions. A normal load may use RAM minus both (the
 * loaded crash kernel survives it), a panic load only the crash regions.
 * "Kernel code" and "Kernel data" are the running kernel, which kexec may
 * overwrite. This is kexec-tools' arm64 rule as well.
 *
 * Pure text parsing (the caller reads the file through the sysroot). */
#ifndef KJ_ARCH_ARM64_MEMMAP_H
#define KJ_ARCH_ARM64_MEMMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "core/plan.h"

#define KJ_ARM64_MAX_RAM 64
#define KJ_ARM64_MAX_RESERVED 512
#define KJ_ARM64_MAX_CRASH 4 /* high and low, with room */

struct kj_arm64_iomem {
	struct kj_range ram[KJ_ARM64_MAX_RAM]; /* sorted */
	size_t nram;
	struct kj_range reserved[KJ_ARM64_MAX_RESERVED];
	size_t nreserved;
	struct kj_range crash[KJ_ARM64_MAX_CRASH];
	size_t ncrash;
};

/* Parse /proc/iomem text. -EPERM when every address reads 0 (not root),
 * -E2BIG past a cap, -ENOENT without any System RAM. */
int kj_arm64_iomem_parse(const char *text, struct kj_arm64_iomem *m,
			 struct kj_err *err);

/* The usable ranges (sorted, at most max; the count is returned): RAM
 * minus reserved and crash regions, or for a panic load the crash
 * regions. */
size_t kj_arm64_usable(const struct kj_arm64_iomem *m, bool panic,
		       struct kj_range *out, size_t max);

#endif
