/* --pass-memmap-cmdline: the crash kernel's memory map written as
 * kernel parameters too, "memmap=exactmap" and one memmap=SIZE@START
 * (RAM), SIZE#START (ACPI data) or SIZE$START (reserved, NVS) per range,
 * in KiB, as kexec-tools writes them. */
#ifndef KJ_CORE_MEMMAP_CMDLINE_H
#define KJ_CORE_MEMMAP_CMDLINE_H

#include <stddef.h>

#include "core/err.h"
#include "core/memmap.h"

/* The parameters (malloc'd, no leading space) for the n entries. */
int kj_memmap_cmdline(const struct kj_memmap_entry *e, size_t n, char **out,
		      struct kj_err *err);

#endif
