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

/* The console's linear framebuffer, as the firmware set it up and the
 * running kernel was told (VESA or EFI GOP): pixel layout, not a mode. */
struct kj_framebuffer {
	bool valid;
	uint64_t addr;
	uint32_t pitch, width, height; /* bytes per line, pixels */
	uint8_t bpp;
	uint8_t red_pos, red_size, green_pos, green_size, blue_pos, blue_size;
};

/* Bytes of firmware tables as the firmware has them, for protocols that
 * hand over copies (Multiboot 2); NULL/0 when unreadable (note says why). */
struct kj_fw_blob {
	uint8_t *data; /* malloc'd */
	size_t len;
};

struct kj_sysdesc {
	uint64_t acpi_rsdp;    /* 0 = unknown: the next kernel searches */
	uint64_t smbios;       /* SMBIOS entry point, 0 = unknown */
	struct kj_efi_desc efi;
	bool efi_boot;         /* the running system booted through EFI */
	/* ACPI RSDPs: revision 0 (20 bytes) and revision 2 or later (its
	 * length field), separate structures where the firmware has both. */
	struct kj_fw_blob rsdp_v1, rsdp_v2;
	/* SMBIOS: the entry point structure and the structure table. */
	struct kj_fw_blob smbios_entry, smbios_table;
	struct kj_framebuffer fb;
	/* The running kernel's own boot data: on x86 its boot_params (4 KiB:
	 * screen_info, EDD, ...), on arm64 its flattened device tree. */
	uint8_t *boot_data;    /* malloc'd, NULL = unreadable */
	size_t boot_data_len;
	/* Where the running kernel's initrd was put by its boot loader (x86:
	 * boot_params' ramdisk fields); with retain_initrd it is still
	 * there, for --reuseinitrd. {0, 0} = unknown. */
	struct kj_range boot_initrd;
	char note[512];        /* what is missing and why, for --verbose */
};

/* Add "; what" to sys->note (cut at its size). */
void kj_sysdesc_note(struct kj_sysdesc *sys, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Free what the blobs hold (the arch's free calls it). */
void kj_fw_blob_free(struct kj_fw_blob *b);

#endif
