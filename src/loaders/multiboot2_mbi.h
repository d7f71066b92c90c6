/* The Multiboot 2 boot information (MBI) the kernel finds in EBX.
 *
 * u32 total_size, u32 reserved, then 8-aligned tags {u32 type, u32 size,
 * ...} and an end tag; no pointers inside, so only where it goes must be
 * known (8-aligned, below 4 GiB). Built in GRUB's order (the reference a
 * Multiboot 2 kernel is tested against): load base, command line, boot
 * loader name, modules, memory map, basic meminfo, framebuffer, EFI
 * 64-bit system table, ACPI old and new RSDP, SMBIOS, EFI memory map.
 * A tag is written only when its input is there (see the fields).
 * A pure function: size first, place, then build. */
#ifndef KJ_LOADERS_MULTIBOOT2_MBI_H
#define KJ_LOADERS_MULTIBOOT2_MBI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/memmap.h"
#include "loaders/multiboot_layout.h"

#define KJ_MB2_MAX_MODULES 64
#define KJ_MB2_MAX_MMAP 512
#define KJ_MB2_MAX_BLOB (1u << 20) /* RSDP, SMBIOS, EFI map bytes */

/* framebuffer types */
#define KJ_MB2_FB_INDEXED 0
#define KJ_MB2_FB_RGB 1
#define KJ_MB2_FB_EGA_TEXT 2

struct kj_mb2_framebuffer {
	uint64_t addr;
	uint32_t pitch, width, height;
	uint8_t bpp;
	uint8_t type; /* KJ_MB2_FB_RGB or KJ_MB2_FB_EGA_TEXT */
	uint8_t red_pos, red_size, green_pos, green_size, blue_pos, blue_size;
};

struct kj_mb2_mbi_in {
	const char *cmdline;	 /* the kernel's, always written */
	const char *loader_name; /* always written */
	const struct kj_mb_module *mods;
	size_t nmods;
	const struct kj_memmap_entry *map; /* generic map; meminfo from it */
	size_t nmap;
	/* ACPI RSDPs, copied bytes: v1 is 20 bytes, v2 its length field. */
	const uint8_t *rsdp_v1;
	size_t rsdp_v1_len;
	const uint8_t *rsdp_v2;
	size_t rsdp_v2_len;
	uint64_t efi64_systab;	 /* 0: no EFI */
	const uint8_t *efi_mmap; /* EFI memory descriptors */
	size_t efi_mmap_len;
	uint32_t efi_desc_size, efi_desc_version;
	const uint8_t *smbios; /* SMBIOS structure table bytes */
	size_t smbios_len;
	uint8_t smbios_major, smbios_minor;
	bool load_base_valid; /* relocatable images */
	uint32_t load_base;
	const struct kj_mb2_framebuffer *fb; /* when asked for and known */
};

/* KJ_MB2_BIT() of every tag this input produces (for
 * kj_mb2_check_requests()). */
uint64_t kj_mb2_mbi_available(const struct kj_mb2_mbi_in *in);

int kj_mb2_mbi_size(const struct kj_mb2_mbi_in *in, size_t *size,
		    struct kj_err *err);

/* Build for physical address addr (8-aligned, the whole block below
 * 4 GiB) into a malloc'd *buf of *len bytes. */
int kj_mb2_mbi_build(const struct kj_mb2_mbi_in *in, uint64_t addr,
		     uint8_t **buf, size_t *len, struct kj_err *err);

#endif
