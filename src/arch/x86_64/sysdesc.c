/* What the running x86 system knows that the next kernel needs: the
 * running kernel's boot_params (screen, EDD, EFI memory map info), the
 * ACPI RSDP, SMBIOS, and the EFI runtime services as mapped now. Missing
 * files are not errors (the fields stay empty and sys->note says why);
 * malformed ones are. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86_64/x86.h"
#include "abi/x86_bootparam.h"
#include "arch/x86_64/fw_tables.h"
#include "sys/sysroot.h"

#define BP_SIZE sizeof(struct kj_boot_params)
#define EFI_MAP_MAX 512
#define EFI_MEMDESC_VERSION 1

static int read_hex_file(const char *path, uint64_t *out, struct kj_err *err)
{
	char *text, *end;
	unsigned long long v;
	int r = kj_sys_read(path, 128, &text, NULL, err);

	if (r < 0)
		return r;
	errno = 0;
	v = strtoull(text, &end, 16);
	if (errno || end == text || (*end && *end != '\n')) {
		free(text);
		return kj_fail(err, EINVAL, "%s: not a hex number", path);
	}
	free(text);
	*out = v;
	return 0;
}

/* The value after "KEY=" in /sys/firmware/efi/systab, 0 when absent. */
static uint64_t systab_value(const char *text, const char *key)
{
	size_t klen = strlen(key);
	const char *l = text;

	while (l && *l) {
		if (!strncmp(l, key, klen) && l[klen] == '=')
			return strtoull(l + klen + 1, NULL, 16);
		l = strchr(l, '\n');
		if (l)
			l++;
	}
	return 0;
}

static int read_efi_map(struct kj_efi_desc *efi, struct kj_err *err)
{
	static const char *const field[] = { "type", "phys_addr", "virt_addr",
					     "num_pages", "attribute" };
	char path[128];
	size_t n;

	for (n = 0;; n++) {
		snprintf(path, sizeof(path),
			 "/sys/firmware/efi/runtime-map/%zu/type", n);
		if (!kj_sys_exists(path))
			break;
		if (n == EFI_MAP_MAX)
			return kj_fail(err, E2BIG,
				       "/sys/firmware/efi/runtime-map: more than %d entries",
				       EFI_MAP_MAX);
	}
	if (n == 0)
		return 0;
	efi->map = calloc(n, sizeof(*efi->map));
	if (!efi->map)
		return kj_fail(err, ENOMEM, "EFI runtime map: out of memory");
	for (size_t i = 0; i < n; i++) {
		uint64_t v[5];

		for (size_t f = 0; f < 5; f++) {
			int r;

			snprintf(path, sizeof(path),
				 "/sys/firmware/efi/runtime-map/%zu/%s", i,
				 field[f]);
			r = read_hex_file(path, &v[f], err);
			if (r < 0)
				return r;
		}
		efi->map[i].type = (uint32_t)v[0];
		efi->map[i].phys_addr = v[1];
		efi->map[i].virt_addr = v[2];
		efi->map[i].num_pages = v[3];
		efi->map[i].attribute = v[4];
	}
	efi->map_n = n;
	return 0;
}

/* The next kernel keeps using EFI runtime services only with the
 * running kernel's virtual mappings: its boot_params must carry a
 * version-1 memory map and the kernel must export the runtime map. */
static int read_efi(struct kj_sysdesc *sys, const struct kj_boot_params *bp,
		    struct kj_err *err)
{
	const struct kj_efi_info *ei = &bp->efi_info;
	struct kj_efi_desc *efi = &sys->efi;
	int r;

	if (!sys->boot_data) {
		kj_sysdesc_note(sys, "EFI: /sys/kernel/boot_params/data "
				"unreadable, the next kernel starts without "
				"EFI");
		return 0;
	}
	if (ei->efi_memmap_size == 0 ||
	    ei->efi_memdesc_version != EFI_MEMDESC_VERSION) {
		kj_sysdesc_note(sys, "EFI: running boot_params carry no "
				"usable EFI memory map (version %" PRIu32 "), "
				"the next kernel starts without EFI",
				ei->efi_memdesc_version);
		return 0;
	}
	if (!kj_sys_exists("/sys/firmware/efi/runtime-map/0")) {
		kj_sysdesc_note(sys, "EFI: no /sys/firmware/efi/runtime-map "
				"(CONFIG_EFI_RUNTIME_MAP), the next kernel "
				"starts without EFI");
		return 0;
	}
	r = read_hex_file("/sys/firmware/efi/fw_vendor", &efi->fw_vendor, err);
	if (r == 0)
		r = read_hex_file("/sys/firmware/efi/runtime", &efi->runtime,
				  err);
	if (r == 0)
		r = read_hex_file("/sys/firmware/efi/config_table",
				  &efi->config_table, err);
	if (r == 0)
		r = read_efi_map(efi, err);
	if (r < 0)
		return r;
	efi->systab = ei->efi_systab | (uint64_t)ei->efi_systab_hi << 32;
	efi->loader_signature = ei->efi_loader_signature;
	efi->valid = true;
	return 0;
}

/* The console, when the firmware left a linear framebuffer (VESA, EFI
 * GOP) and told the running kernel about it. */
static void read_fb(struct kj_sysdesc *sys, const struct kj_boot_params *bp)
{
	const struct kj_screen_info *si = &bp->screen_info;
	struct kj_framebuffer *fb = &sys->fb;

	if (si->orig_video_isVGA != KJ_VIDEO_TYPE_VLFB &&
	    si->orig_video_isVGA != KJ_VIDEO_TYPE_EFI)
		return;
	if (!si->lfb_base || !si->lfb_width || !si->lfb_height ||
	    !si->lfb_linelength || !si->lfb_depth)
		return;
	fb->addr = si->lfb_base;
	if (si->capabilities & KJ_VIDEO_CAPABILITY_64BIT_BASE)
		fb->addr |= (uint64_t)si->ext_lfb_base << 32;
	fb->pitch = si->lfb_linelength;
	fb->width = si->lfb_width;
	fb->height = si->lfb_height;
	fb->bpp = (uint8_t)si->lfb_depth;
	fb->red_pos = si->red_pos;
	fb->red_size = si->red_size;
	fb->green_pos = si->green_pos;
	fb->green_size = si->green_size;
	fb->blue_pos = si->blue_pos;
	fb->blue_size = si->blue_size;
	fb->valid = true;
}

int kj_x86_sysdesc_read(struct kj_sysdesc *sys, struct kj_err *err)
{
	struct kj_boot_params bp;
	char *data = NULL, *systab = NULL;
	uint64_t efi20 = 0, efi10 = 0;
	size_t len;
	int r = 0;

	memset(sys, 0, sizeof(*sys));
	memset(&bp, 0, sizeof(bp));
	if (kj_sys_read("/sys/kernel/boot_params/data", BP_SIZE, &data, &len,
			NULL) == 0) {
		if (len == BP_SIZE) {
			memcpy(&bp, data, BP_SIZE);
			sys->boot_data = (uint8_t *)data;
			sys->boot_data_len = BP_SIZE;
			sys->acpi_rsdp = bp.acpi_rsdp_addr;
			sys->boot_initrd.start =
				bp.hdr.ramdisk_image |
				(uint64_t)bp.ext_ramdisk_image << 32;
			sys->boot_initrd.end =
				sys->boot_initrd.start +
				(bp.hdr.ramdisk_size |
				 (uint64_t)bp.ext_ramdisk_size << 32);
			read_fb(sys, &bp);
		} else {
			free(data);
		}
	}
	/* Without it: not an EFI system (BIOS tables, the kernel scans). */
	if (kj_sys_read("/sys/firmware/efi/systab", 4096, &systab, NULL,
			NULL) == 0) {
		sys->efi_boot = true;
		efi20 = systab_value(systab, "ACPI20");
		efi10 = systab_value(systab, "ACPI");
		if (!sys->acpi_rsdp)
			sys->acpi_rsdp = efi20 ? efi20 : efi10;
		sys->smbios = systab_value(systab, "SMBIOS");
		r = read_efi(sys, &bp, err);
		free(systab);
	}
	if (r == 0) {
		kj_x86_read_rsdp(sys, efi20, efi10, bp.acpi_rsdp_addr);
		kj_x86_read_smbios(sys);
	}
	if (r < 0)
		kj_x86_sysdesc_free(sys);
	return r;
}

void kj_x86_sysdesc_free(struct kj_sysdesc *sys)
{
	free(sys->efi.map);
	free(sys->boot_data);
	kj_fw_blob_free(&sys->rsdp_v1);
	kj_fw_blob_free(&sys->rsdp_v2);
	kj_fw_blob_free(&sys->smbios_entry);
	kj_fw_blob_free(&sys->smbios_table);
	memset(sys, 0, sizeof(*sys));
}
