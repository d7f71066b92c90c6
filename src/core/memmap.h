/* The physical memory map of the running machine, arch-neutral.
 *
 * Filled by the arch layer (kj_arch_memmap_read: the firmware's map from
 * /sys/firmware/memmap where the platform has one, else /proc/iomem) and
 * read by the loaders, which turn it into what their protocol hands the
 * next kernel (an e820 table, a Multiboot map). "Crash kernel" regions
 * are recorded too: they are the only usable memory for --panic loads.
 * Parsing here is pure; the reading lives in sys/memmap_read.c. */
#ifndef KJ_CORE_MEMMAP_H
#define KJ_CORE_MEMMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/plan.h"

#define KJ_MEMMAP_MAX 1024         /* entries kept; more is an error */
#define KJ_MEMMAP_MAX_CRASH 4      /* "Crash kernel" regions (high and low) */
#define KJ_MEMMAP_MAX_RESERVED 1024 /* holes inside RAM; more is an error */
/* Room for any list of ranges made from a map: every cut may split one. */
#define KJ_MEMMAP_RANGES_MAX \
	(KJ_MEMMAP_MAX + KJ_MEMMAP_MAX_CRASH + KJ_MEMMAP_MAX_RESERVED)

/* What a range of physical memory is, in firmware terms (ACPI's address
 * range types, which e820 and Multiboot both number the same way). */
enum kj_mem_type {
	KJ_MEM_RAM = 1,
	KJ_MEM_RESERVED,
	KJ_MEM_ACPI,          /* ACPI tables, reclaimable */
	KJ_MEM_NVS,           /* ACPI non-volatile storage */
	KJ_MEM_UNUSABLE,      /* bad RAM */
	KJ_MEM_PMEM,          /* persistent memory */
	KJ_MEM_PRAM,          /* persistent memory (legacy) */
	KJ_MEM_SOFT_RESERVED, /* EFI specific-purpose memory */
};

struct kj_memmap_entry {
	uint64_t start;
	uint64_t end; /* exclusive */
	enum kj_mem_type type;
};

struct kj_memmap {
	struct kj_memmap_entry e[KJ_MEMMAP_MAX]; /* sorted by start */
	size_t n;
	struct kj_range crash[KJ_MEMMAP_MAX_CRASH];
	size_t ncrash;
	/* Ranges /proc/iomem says are taken, at any depth: firmware and
	 * driver reservations inside System RAM ("reserved", "ACPI Tables",
	 * device ranges). Never told to a kernel; kept free of segments. */
	struct kj_range reserved[KJ_MEMMAP_MAX_RESERVED];
	size_t nreserved;
	bool iomem_zeroed;  /* /proc/iomem showed only zeros (not root) */
	const char *source; /* "/sys/firmware/memmap" or "/proc/iomem" */
};

/* Append one entry [start, end) (kept sorted). */
int kj_memmap_add(struct kj_memmap *mm, uint64_t start, uint64_t end,
		  enum kj_mem_type type, struct kj_err *err);

/* The type for a name as the kernel prints it ("System RAM" -> RAM);
 * 0 for a name that is not a memory type (e.g. "PCI Bus 0000:00"). */
enum kj_mem_type kj_memmap_type(const char *name);
const char *kj_memmap_type_name(enum kj_mem_type type);

/* The type as the firmware numbers it: e820 and the Multiboot memory
 * map both use ACPI's address range types (1 RAM, 2 reserved, 3 ACPI,
 * 4 NVS, 5 unusable, 7 persistent, 12 legacy persistent, 0xefffffff
 * soft-reserved). */
uint32_t kj_memmap_firmware_type(enum kj_mem_type type);

/* Parse /proc/iomem text. With want_map, top-level lines of known types
 * become map entries; "Crash kernel" lines at any depth are recorded, and
 * every other range that is not RAM or the running kernel's own
 * ("Kernel code", ...) as reserved. A line that does not parse is an
 * error naming its number. Returns -EPERM if every address reads as 0. */
int kj_memmap_parse_iomem(struct kj_memmap *mm, const char *text,
			  bool want_map, struct kj_err *err);

/* Where segments may go: System RAM (adjacent entries merged) minus
 * every range anything says is not free (the map's other entries, the
 * reserved ranges, the crash regions), or for panic loads the crash
 * regions minus the same. Sorted; returns the count written (<= max). */
size_t kj_memmap_usable(const struct kj_memmap *mm, bool panic,
			struct kj_range *out, size_t max);

/* The map a kernel should be told about: the whole map, or for a panic
 * load what a crash kernel owns: RAM only inside the crash regions and
 * below low_keep (x86 keeps the first 640 KiB for its real-mode
 * trampoline), every other entry as it is. Sorted; returns the count
 * written (<= max). */
size_t kj_memmap_view(const struct kj_memmap *mm, bool panic,
		      uint64_t low_keep, struct kj_memmap_entry *out,
		      size_t max);

/* The error to give when kj_memmap_usable() found nothing; name is the
 * kernel file. */
int kj_memmap_no_room(const struct kj_memmap *mm, bool panic,
		      const char *name, struct kj_err *err);

#endif
