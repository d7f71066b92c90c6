/* The generic memory map types of the load pipeline (issue 10's
 * interfaces.md): what the arch reads from the firmware map, in types of
 * its own rather than e820 numbers.
 *
 * Only the types the Multiboot 2 information builder needs are here; the
 * lead's core/memmap.h (range math, /proc/iomem parsing) replaces this
 * file with the same names when the load pipeline lands. */
#ifndef KJ_CORE_MEMMAP_H
#define KJ_CORE_MEMMAP_H

#include <stdint.h>

enum kj_mem_type {
	KJ_MEM_RAM = 1,
	KJ_MEM_RESERVED,
	KJ_MEM_ACPI,
	KJ_MEM_NVS,
	KJ_MEM_UNUSABLE,
	KJ_MEM_PMEM,
	KJ_MEM_PRAM,
	KJ_MEM_SOFT_RESERVED,
};

struct kj_memmap_entry {
	uint64_t start, end; /* end is exclusive */
	enum kj_mem_type type;
};

#endif
