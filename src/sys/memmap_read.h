/* Reading the running system's memory map through the sysroot: the
 * pieces each arch's kj_arch_memmap_read() puts together. */
#ifndef KJ_SYS_MEMMAP_READ_H
#define KJ_SYS_MEMMAP_READ_H

#include <stdbool.h>

#include "core/err.h"
#include "core/memmap.h"

/* Add /sys/firmware/memmap/N/{start,end,type} (the map the firmware
 * handed the running kernel). Returns the number of entries (0 when the
 * platform has none) or -errno. */
int kj_sys_firmware_memmap(struct kj_memmap *mm, struct kj_err *err);

/* Read /proc/iomem: its "Crash kernel" regions, and with want_map its
 * top-level ranges of known types. -EPERM when addresses read as 0. */
int kj_sys_iomem(struct kj_memmap *mm, bool want_map, struct kj_err *err);

#endif
