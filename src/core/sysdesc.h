/* What the running system's firmware and boot loader told it, for the
 * next kernel: plain data, read by the arch layer (kj_arch_sysdesc_read)
 * through the sysroot, used by the loaders whose protocol passes it on.
 * Every field is a firmware concept, not an arch header's layout. */
#ifndef KJ_CORE_SYSDESC_H
#define KJ_CORE_SYSDESC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/plan.h"

/* One EFI memory descriptor (UEFI spec, EFI_MEMORY_DESCRIPTOR v1). */
struct kj_efi_memdesc_generic {
	uint32_t type;
	uint64_t phys_addr;
	uint64_t virt_addr;
	uint64_t num_pages;
	uint64_t attribute;
};

/* The firmware's EFI runtime services, as the running kernel mapped
 * them: what a next kernel needs to keep using them after kexec. */
struct kj_efi_desc {
	bool valid;            /* everything below is complete and usable */
	uint64_t systab;       /* EFI system table, physical */
	uint64_t fw_vendor, runtime, config_table;
	uint32_t loader_signature; /* x86 efi_info: "EL64" */
	struct kj_efi_memdesc_generic *map; /* the runtime map, malloc'd */
	size_t map_n;
};

struct kj_sysdesc {
	uint64_t acpi_rsdp;    /* 0 = unknown: the next kernel searches */
	uint64_t smbios;       /* SMBIOS entry point, 0 = unknown */
	struct kj_efi_desc efi;
	/* The running kernel's own boot data: on x86 its boot_params (4 KiB:
	 * screen_info, EDD, ...), on arm64 its flattened device tree. */
	uint8_t *boot_data;    /* malloc'd, NULL = unreadable */
	size_t boot_data_len;
	/* Where the running kernel's initrd was put by its boot loader (x86:
	 * boot_params' ramdisk fields); with retain_initrd it is still
	 * there, for --reuseinitrd. {0, 0} = unknown. */
	struct kj_range boot_initrd;
	char note[160];        /* what is missing and why, for --verbose */
};

#endif
