/* The memory map a device tree describes: what an arm64 kjump uses when
 * /proc/iomem reads as zeros (not root), so that an unprivileged
 * --dry-run still shows a plan.
 *
 *   RAM       the reg of every node with device_type "memory"
 *   reserved  the /memreserve/ block, the reg of /reserved-memory's
 *             children, and the running kernel's initrd (/chosen)
 *
 * Less than /proc/iomem knows (the kernel's own memblock reservations,
 * the UEFI memory map of a UEFI boot, the crash kernel region), so a
 * root load may place segments elsewhere; the map's source says so.
 * Pure; the tree is checked in full first. */
#ifndef KJ_ARCH_ARM64_DT_MEMORY_H
#define KJ_ARCH_ARM64_DT_MEMORY_H

#include <stddef.h>

#include "core/err.h"
#include "core/memmap.h"

/* Add the tree's RAM to mm (entries) and its reservations to
 * mm->reserved. -ENOENT: no memory node (a UEFI boot: the EFI stub
 * removes them); -EINVAL: a malformed tree or reg. name: for messages. */
int kj_arm64_dt_memory(const void *fdt, size_t len, const char *name,
		       struct kj_memmap *mm, struct kj_err *err);

#endif
