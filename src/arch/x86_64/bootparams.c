#include "arch/x86_64/bootparams.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loaders/bzimage.h"
#include "sys/sysroot.h"

#define HDR_START 0x1f1
#define HDR_AREA_END 0x290 /* edd_mbr_sig_buffer follows the header */
#define BP_SIZE sizeof(struct kj_boot_params)
#define E820_ZP KJ_E820_MAX_ENTRIES_ZEROPAGE
#define HEAP_END 0xe000 /* conventional end of the real-mode heap */
#define EFI_MEMDESC_VERSION 1
#define E820_CAP (KJ_MEMMAP_MAX + KJ_MEMMAP_MAX_CRASH)

static size_t align16(size_t v)
{
	return (v + 15) & ~(size_t)15;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* ---- what the running system knows ---- */

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

static int read_efi_map(struct kj_x86_sysinfo *si, struct kj_err *err)
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
		if (n == KJ_EFI_MAP_MAX)
			return kj_fail(err, E2BIG,
				       "/sys/firmware/efi/runtime-map: more than %d entries",
				       KJ_EFI_MAP_MAX);
	}
	if (n == 0)
		return 0;
	si->efi_map = calloc(n, sizeof(*si->efi_map));
	if (!si->efi_map)
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
		si->efi_map[i].type = (uint32_t)v[0];
		si->efi_map[i].phys_addr = v[1];
		si->efi_map[i].virt_addr = v[2];
		si->efi_map[i].num_pages = v[3];
		si->efi_map[i].attribute = v[4];
	}
	si->efi_map_n = n;
	return 0;
}

static int read_efi(struct kj_x86_sysinfo *si, const char *systab,
		    struct kj_err *err)
{
	const struct kj_efi_info *ei = &si->running.efi_info;
	uint64_t vendor = 0, runtime = 0, tables = 0;
	int r;

	if (!si->have_boot_params) {
		snprintf(si->note, sizeof(si->note),
			 "EFI: /sys/kernel/boot_params/data unreadable, "
			 "the next kernel starts without EFI");
		return 0;
	}
	if (ei->efi_memmap_size == 0 ||
	    ei->efi_memdesc_version != EFI_MEMDESC_VERSION) {
		snprintf(si->note, sizeof(si->note),
			 "EFI: running boot_params carry no usable EFI memory "
			 "map (version %" PRIu32 "), the next kernel starts "
			 "without EFI", ei->efi_memdesc_version);
		return 0;
	}
	if (!kj_sys_exists("/sys/firmware/efi/runtime-map/0")) {
		snprintf(si->note, sizeof(si->note),
			 "EFI: no /sys/firmware/efi/runtime-map "
			 "(CONFIG_EFI_RUNTIME_MAP), the next kernel starts "
			 "without EFI");
		return 0;
	}
	r = read_hex_file("/sys/firmware/efi/fw_vendor", &vendor, err);
	if (r == 0)
		r = read_hex_file("/sys/firmware/efi/runtime", &runtime, err);
	if (r == 0)
		r = read_hex_file("/sys/firmware/efi/config_table", &tables,
				  err);
	if (r < 0)
		return r;
	si->efi_setup.fw_vendor = vendor;
	si->efi_setup.runtime = runtime;
	si->efi_setup.tables = tables;
	si->efi_setup.smbios = systab_value(systab, "SMBIOS");
	r = read_efi_map(si, err);
	if (r < 0)
		return r;
	si->efi_info = *ei;
	si->efi = true;
	return 0;
}

int kj_x86_sysinfo_read(struct kj_x86_sysinfo *si, struct kj_err *err)
{
	char *data = NULL, *systab = NULL;
	size_t len;
	int r;

	memset(si, 0, sizeof(*si));
	if (kj_sys_read("/sys/kernel/boot_params/data", BP_SIZE, &data, &len,
			NULL) == 0) {
		if (len == BP_SIZE) {
			memcpy(&si->running, data, BP_SIZE);
			si->have_boot_params = true;
		}
		free(data);
	}
	if (si->have_boot_params)
		si->acpi_rsdp = si->running.acpi_rsdp_addr;
	if (kj_sys_read("/sys/firmware/efi/systab", 4096, &systab, NULL,
			NULL) < 0)
		return 0; /* not an EFI system: BIOS tables, kernel scans */
	if (!si->acpi_rsdp)
		si->acpi_rsdp = systab_value(systab, "ACPI20");
	if (!si->acpi_rsdp)
		si->acpi_rsdp = systab_value(systab, "ACPI");
	r = read_efi(si, systab, err);
	free(systab);
	if (r < 0)
		kj_x86_sysinfo_free(si);
	return r;
}

void kj_x86_sysinfo_free(struct kj_x86_sysinfo *si)
{
	free(si->efi_map);
	si->efi_map = NULL;
	si->efi_map_n = 0;
	si->efi = false;
}

/* ---- the segment ---- */

struct layout {
	size_t hdr_end;   /* 0x202 + jump offset: end of the setup header */
	uint16_t version;
	size_t cmdline_off, cmdline_len; /* len includes the NUL */
	struct kj_e820_entry *e820;
	size_t e820_n;
	size_t ext_off;   /* SETUP_E820_EXT link, 0 = none */
	size_t efi_off;   /* SETUP_EFI link, 0 = none */
	size_t map_off, map_len;
	size_t rng_off;   /* SETUP_RNG_SEED link, 0 = none */
	size_t total;
};

/* Turn [start, end) inside one RAM entry into a reserved entry. */
static int carve(struct layout *l, uint64_t start, uint64_t end)
{
	struct kj_e820_entry *e = l->e820, ram;
	size_t i;

	for (i = 0; i < l->e820_n; i++)
		if (e[i].type == KJ_E820_RAM && e[i].addr <= start &&
		    end <= e[i].addr + e[i].size)
			break;
	if (i == l->e820_n)
		return -EINVAL;
	ram = e[i];
	/* Make room for up to two more entries after i. */
	memmove(&e[i + 3], &e[i + 1], (l->e820_n - i - 1) * sizeof(*e));
	l->e820_n += 2;
	e[i].addr = ram.addr;
	e[i].size = start - ram.addr;
	e[i].type = KJ_E820_RAM;
	e[i + 1].addr = start;
	e[i + 1].size = end - start;
	e[i + 1].type = KJ_E820_RESERVED;
	e[i + 2].addr = end;
	e[i + 2].size = ram.addr + ram.size - end;
	e[i + 2].type = KJ_E820_RAM;
	/* Drop the empty pieces. */
	for (size_t j = i + 3; j-- > i;)
		if (e[j].size == 0) {
			memmove(&e[j], &e[j + 1],
				(l->e820_n - j - 1) * sizeof(*e));
			l->e820_n--;
		}
	return 0;
}

static int plan_layout(const struct kj_x86_bootparams_in *in, struct layout *l,
		       struct kj_err *err)
{
	const char *name = in->name ? in->name : "kernel";
	size_t cmax, off;
	bool efi = in->efi && in->sys && in->sys->efi;

	memset(l, 0, sizeof(*l));
	if (in->image_len < 0x208 || get32(in->image + 0x202) != KJ_HDRS_MAGIC)
		return kj_fail(err, EINVAL, "%s: no setup header", name);
	l->hdr_end = 0x202 + (size_t)in->image[0x201];
	l->version = get16(in->image + 0x206);
	if (l->hdr_end > in->image_len || l->hdr_end > HDR_AREA_END ||
	    l->hdr_end < 0x22c)
		return kj_fail(err, EINVAL,
			       "%s: setup header ends at 0x%zx, outside 0x22c..0x%x",
			       name, l->hdr_end, HDR_AREA_END);
	cmax = l->version >= 0x206 && l->hdr_end >= 0x23c
		       ? get32(in->image + 0x238)
		       : 255;
	l->cmdline_len = strlen(in->cmdline) + 1;
	if (l->cmdline_len - 1 > cmax)
		return kj_fail(err, E2BIG,
			       "%s: command line is %zu bytes, the kernel takes at most %zu",
			       name, l->cmdline_len - 1, cmax);

	/* Two spare entries: a reserved range splits one RAM entry in 3. */
	l->e820 = calloc(E820_CAP + 2, sizeof(*l->e820));
	if (!l->e820)
		return kj_fail(err, ENOMEM, "boot_params: out of memory");
	l->e820_n = kj_memmap_e820(in->mm, in->panic, l->e820, E820_CAP);
	if (l->e820_n == 0) {
		free(l->e820);
		return kj_fail(err, EINVAL, "%s: empty memory map", name);
	}
	if (in->reserved_size &&
	    carve(l, in->reserved_addr,
		  in->reserved_addr + in->reserved_size) < 0) {
		free(l->e820);
		return kj_fail(err, EINVAL,
			       "%s: reserved range 0x%" PRIx64 "+0x%" PRIx64
			       " is not inside one RAM entry",
			       name, in->reserved_addr, in->reserved_size);
	}

	l->cmdline_off = BP_SIZE;
	off = align16(l->cmdline_off + l->cmdline_len);
	if (l->e820_n > E820_ZP) {
		l->ext_off = off;
		off = align16(off + sizeof(struct kj_setup_data) +
			      (l->e820_n - E820_ZP) * sizeof(*l->e820));
	}
	if (efi) {
		l->efi_off = off;
		off = align16(off + sizeof(struct kj_setup_data) +
			      sizeof(struct kj_efi_setup_data));
		l->map_off = off;
		l->map_len = in->sys->efi_map_n * sizeof(struct kj_efi_memdesc);
		off += l->map_len;
	}
	if (in->rng_seed_len > KJ_RNG_SEED_MAX) {
		free(l->e820);
		return kj_fail(err, E2BIG, "boot_params: RNG seed over %d bytes",
			       KJ_RNG_SEED_MAX);
	}
	/* Only a nicety: an old protocol simply goes without. */
	if (in->rng_seed_len && l->version >= 0x209 && l->hdr_end >= 0x258) {
		l->rng_off = align16(off);
		off = l->rng_off + sizeof(struct kj_setup_data) +
		      in->rng_seed_len;
	}
	/* setup_data needs protocol 2.09; the header field must exist. */
	if ((l->ext_off || l->efi_off) &&
	    (l->version < 0x209 || l->hdr_end < 0x258)) {
		free(l->e820);
		return kj_fail(err, ENOTSUP,
			       "%s: protocol %u.%02u has no setup_data for %zu e820 entries or EFI data",
			       name, l->version >> 8, l->version & 0xff,
			       l->e820_n);
	}
	l->total = off;
	return 0;
}

int kj_x86_bootparams_size(const struct kj_x86_bootparams_in *in,
			   size_t *size, struct kj_err *err)
{
	struct layout l;
	int r = plan_layout(in, &l, err);

	if (r < 0)
		return r;
	free(l.e820);
	*size = l.total;
	return 0;
}

static void default_screen(struct kj_screen_info *si)
{
	/* An 80x25 VGA text console, as a BIOS would leave it. */
	si->orig_video_cols = 80;
	si->orig_video_lines = 25;
	si->orig_video_isVGA = 1;
	si->orig_video_points = 16;
}

static void set_mem_k(struct kj_boot_params *bp, const struct layout *l)
{
	for (size_t i = 0; i < l->e820_n; i++) {
		const struct kj_e820_entry *e = &l->e820[i];
		uint64_t k;

		if (e->type != KJ_E820_RAM || e->addr > 0x100000 ||
		    e->addr + e->size <= 0x100000)
			continue;
		/* KiB of RAM above 1 MiB, for loaders that still look. */
		k = (e->addr + e->size - 0x100000) >> 10;
		bp->screen_info.ext_mem_k = k > 0xfc00 ? 0xfc00 : (uint16_t)k;
		bp->alt_mem_k = k > 0xffffffff ? 0xffffffff : (uint32_t)k;
	}
}

static uint64_t link_setup_data(uint8_t *buf, uint64_t addr, size_t off,
				uint64_t next, uint32_t type, size_t len)
{
	struct kj_setup_data sd = { .next = next, .type = type,
				    .len = (uint32_t)len };

	memcpy(buf + off, &sd, sizeof(sd));
	return addr + off;
}

int kj_x86_bootparams_build(const struct kj_x86_bootparams_in *in,
			    uint64_t addr, uint8_t **out, size_t *len,
			    struct kj_err *err)
{
	struct kj_boot_params *bp;
	struct layout l;
	uint64_t chain = 0, cmd;
	uint8_t *buf;
	int r;

	if (addr & (KJ_PAGE_SIZE - 1))
		return kj_fail(err, EINVAL, "boot_params: 0x%" PRIx64
			       " is not page aligned", addr);
	r = plan_layout(in, &l, err);
	if (r < 0)
		return r;
	buf = calloc(1, l.total);
	if (!buf) {
		free(l.e820);
		return kj_fail(err, ENOMEM, "boot_params: out of memory");
	}
	bp = (struct kj_boot_params *)buf;

	/* Start from what the firmware told the running kernel (screen,
	 * EDD, EDID...), then replace everything that is ours to say. */
	if (in->sys && in->sys->have_boot_params)
		memcpy(bp, &in->sys->running, BP_SIZE);
	else
		default_screen(&bp->screen_info);
	memset(&bp->hdr, 0, HDR_AREA_END - HDR_START);
	memcpy((uint8_t *)bp + HDR_START, in->image + HDR_START,
	       l.hdr_end - HDR_START);
	if (in->sys && in->sys->have_boot_params && l.hdr_end >= 0x240)
		bp->hdr.hardware_subarch =
			in->sys->running.hdr.hardware_subarch;

	bp->tboot_addr = 0;
	bp->cc_blob_address = 0;
	bp->scratch = 0;
	bp->sentinel = 0;
	bp->acpi_rsdp_addr = in->sys ? in->sys->acpi_rsdp : 0;

	bp->hdr.type_of_loader = KJ_LOADER_TYPE_UNDEFINED;
	bp->hdr.ext_loader_ver = 0;
	bp->hdr.ext_loader_type = 0;
	bp->hdr.loadflags |= KJ_LOADED_HIGH | KJ_CAN_USE_HEAP;
	bp->hdr.loadflags &= (uint8_t)~KJ_KEEP_SEGMENTS;
	bp->hdr.heap_end_ptr = HEAP_END - 0x200;
	bp->hdr.code32_start = (uint32_t)in->kernel_addr;

	cmd = addr + l.cmdline_off;
	memcpy(buf + l.cmdline_off, in->cmdline, l.cmdline_len);
	bp->hdr.cmd_line_ptr = (uint32_t)cmd;
	bp->ext_cmd_line_ptr = (uint32_t)(cmd >> 32);

	bp->hdr.ramdisk_image = (uint32_t)in->initrd_addr;
	bp->ext_ramdisk_image = (uint32_t)(in->initrd_addr >> 32);
	bp->hdr.ramdisk_size = (uint32_t)in->initrd_size;
	bp->ext_ramdisk_size = (uint32_t)(in->initrd_size >> 32);

	memset(bp->e820_table, 0, sizeof(bp->e820_table));
	bp->e820_entries = (uint8_t)(l.e820_n > E820_ZP ? E820_ZP : l.e820_n);
	memcpy(bp->e820_table, l.e820, bp->e820_entries * sizeof(*l.e820));
	set_mem_k(bp, &l);
	if (l.ext_off) {
		size_t n = l.e820_n - E820_ZP;

		memcpy(buf + l.ext_off + sizeof(struct kj_setup_data),
		       l.e820 + E820_ZP, n * sizeof(*l.e820));
		chain = link_setup_data(buf, addr, l.ext_off, chain,
					KJ_SETUP_E820_EXT,
					n * sizeof(*l.e820));
	}

	memset(&bp->efi_info, 0, sizeof(bp->efi_info));
	if (l.efi_off) {
		const struct kj_x86_sysinfo *si = in->sys;
		uint64_t map = addr + l.map_off;

		memcpy(buf + l.efi_off + sizeof(struct kj_setup_data),
		       &si->efi_setup, sizeof(si->efi_setup));
		chain = link_setup_data(buf, addr, l.efi_off, chain,
					KJ_SETUP_EFI, sizeof(si->efi_setup));
		if (l.map_len)
			memcpy(buf + l.map_off, si->efi_map, l.map_len);
		bp->efi_info.efi_loader_signature =
			si->efi_info.efi_loader_signature;
		bp->efi_info.efi_systab = si->efi_info.efi_systab;
		bp->efi_info.efi_systab_hi = si->efi_info.efi_systab_hi;
		bp->efi_info.efi_memdesc_version = EFI_MEMDESC_VERSION;
		bp->efi_info.efi_memdesc_size = sizeof(struct kj_efi_memdesc);
		bp->efi_info.efi_memmap = (uint32_t)map;
		bp->efi_info.efi_memmap_hi = (uint32_t)(map >> 32);
		bp->efi_info.efi_memmap_size = (uint32_t)l.map_len;
	}
	if (l.rng_off) {
		memcpy(buf + l.rng_off + sizeof(struct kj_setup_data),
		       in->rng_seed, in->rng_seed_len);
		chain = link_setup_data(buf, addr, l.rng_off, chain,
					KJ_SETUP_RNG_SEED, in->rng_seed_len);
	}
	if (l.version >= 0x209 && l.hdr_end >= 0x258)
		bp->hdr.setup_data = chain;

	free(l.e820);
	*out = buf;
	*len = l.total;
	return 0;
}
