/* The x86 Linux boot data: the zero page (struct boot_params), with the
 * command line and the setup_data links after it (SETUP_E820_EXT when
 * the map has more than 128 entries, SETUP_EFI and the EFI runtime map,
 * SETUP_RNG_SEED). Pointers in it are physical, so it is built for a
 * known load address: size first, place the segment, then build. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86_64/x86.h"
#include "abi/x86_bootparam.h"

#define HDR_START 0x1f1
#define HDR_AREA_END 0x290 /* edd_mbr_sig_buffer follows the header */
#define BP_SIZE sizeof(struct kj_boot_params)
#define E820_ZP KJ_E820_MAX_ENTRIES_ZEROPAGE
#define E820_CAP KJ_MEMMAP_RANGES_MAX
#define HEAP_END 0xe000 /* conventional end of the real-mode heap */
#define EFI_MEMDESC_VERSION 1
#define LOW_RAM_END 0xa0000ull /* a crash kernel keeps the first 640 KiB */
#define RNG_SEED_MAX 64
/* A vmlinux has no setup header: this stands in for one (protocol
 * 2.15, cmdline_size 2047), the minimum a 64-bit kernel reads. */
#define VMLINUX_HDR_END 0x268
#define VMLINUX_PROTOCOL 0x020f
#define VMLINUX_CMDLINE_MAX 2047

struct layout {
	uint8_t header[HDR_AREA_END - HDR_START]; /* the setup header */
	size_t hdr_end;   /* end of the setup header in the zero page */
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

static size_t align16(size_t v)
{
	return (v + 15) & ~(size_t)15;
}

static void vmlinux_header(struct layout *l)
{
	uint8_t *h = l->header - HDR_START;

	h[0x1fe] = 0x55;
	h[0x1ff] = 0xaa;
	h[0x200] = 0xeb;
	h[0x201] = VMLINUX_HDR_END - 0x202;
	memcpy(h + 0x202, "HdrS", 4);
	h[0x206] = VMLINUX_PROTOCOL & 0xff;
	h[0x207] = VMLINUX_PROTOCOL >> 8;
	h[0x238] = VMLINUX_CMDLINE_MAX & 0xff;
	h[0x239] = VMLINUX_CMDLINE_MAX >> 8;
	l->hdr_end = VMLINUX_HDR_END;
	l->version = VMLINUX_PROTOCOL;
}

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

static int make_e820(const struct kj_linux_boot *b, struct layout *l,
		     const char *name, struct kj_err *err)
{
	struct kj_memmap_entry *view = calloc(E820_CAP, sizeof(*view));
	size_t n;

	/* Two spare entries: a reserved range splits one RAM entry in 3. */
	l->e820 = calloc(E820_CAP + 2, sizeof(*l->e820));
	if (!view || !l->e820) {
		free(view);
		return kj_fail(err, ENOMEM, "boot_params: out of memory");
	}
	n = kj_memmap_view(b->mm, b->panic, LOW_RAM_END, view, E820_CAP);
	for (size_t i = 0; i < n; i++) {
		l->e820[i].addr = view[i].start;
		l->e820[i].size = view[i].end - view[i].start;
		l->e820[i].type = kj_memmap_firmware_type(view[i].type);
	}
	l->e820_n = n;
	free(view);
	if (n == 0)
		return kj_fail(err, EINVAL, "%s: empty memory map", name);
	if (b->elfcorehdr_size &&
	    carve(l, b->elfcorehdr_addr,
		  b->elfcorehdr_addr + b->elfcorehdr_size) < 0)
		return kj_fail(err, EINVAL,
			       "%s: reserved range 0x%" PRIx64 "+0x%" PRIx64
			       " is not inside one RAM entry",
			       name, b->elfcorehdr_addr, b->elfcorehdr_size);
	return 0;
}

static int plan_layout(const struct kj_linux_boot *b,
		       const struct kj_sysdesc *sys, struct layout *l,
		       struct kj_err *err)
{
	const char *name = b->name ? b->name : "kernel";
	bool efi = b->efi && sys && sys->efi.valid;
	bool setup_data;
	size_t off;
	int r;

	memset(l, 0, sizeof(*l));
	if (!b->header) {
		vmlinux_header(l);
	} else {
		if (b->header_len > sizeof(l->header))
			return kj_fail(err, EINVAL,
				       "%s: setup header of %zu bytes is "
				       "longer than the zero page has room for",
				       name, b->header_len);
		memcpy(l->header, b->header, b->header_len);
		l->hdr_end = HDR_START + b->header_len;
		l->version = b->protocol;
	}
	l->cmdline_len = strlen(b->cmdline ? b->cmdline : "") + 1;
	/* A bzImage's own cmdline_size was checked by its loader. */
	if (!b->header && l->cmdline_len - 1 > VMLINUX_CMDLINE_MAX)
		return kj_fail(err, E2BIG,
			       "%s: command line is %zu bytes, the kernel takes "
			       "at most %d",
			       name, l->cmdline_len - 1, VMLINUX_CMDLINE_MAX);
	if (b->rng_seed_len > RNG_SEED_MAX)
		return kj_fail(err, E2BIG, "boot_params: RNG seed over %d bytes",
			       RNG_SEED_MAX);
	r = make_e820(b, l, name, err);
	if (r < 0) {
		free(l->e820);
		return r;
	}

	setup_data = l->version >= 0x209 && l->hdr_end >= 0x258;
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
		l->map_len = sys->efi.map_n * sizeof(struct kj_efi_memdesc);
		off += l->map_len;
	}
	/* Only a nicety: an old protocol simply goes without. */
	if (b->rng_seed_len && setup_data) {
		l->rng_off = align16(off);
		off = l->rng_off + sizeof(struct kj_setup_data) +
		      b->rng_seed_len;
	}
	if ((l->ext_off || l->efi_off) && !setup_data) {
		free(l->e820);
		return kj_fail(err, ENOTSUP,
			       "%s: protocol %u.%02u has no setup_data for %zu e820 entries or EFI data",
			       name, l->version >> 8, l->version & 0xff,
			       l->e820_n);
	}
	l->total = off;
	return 0;
}

int kj_x86_zeropage_size(const struct kj_linux_boot *b,
			    const struct kj_sysdesc *sys, size_t *size,
			    struct kj_err *err)
{
	struct layout l;
	int r = plan_layout(b, sys, &l, err);

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

static void put_efi(uint8_t *buf, uint64_t addr, const struct layout *l,
		    const struct kj_sysdesc *sys, struct kj_boot_params *bp,
		    uint64_t *chain)
{
	const struct kj_efi_desc *efi = &sys->efi;
	struct kj_efi_setup_data sd = { .fw_vendor = efi->fw_vendor,
					.runtime = efi->runtime,
					.tables = efi->config_table,
					.smbios = sys->smbios };
	uint64_t map = addr + l->map_off;

	memcpy(buf + l->efi_off + sizeof(struct kj_setup_data), &sd,
	       sizeof(sd));
	*chain = link_setup_data(buf, addr, l->efi_off, *chain, KJ_SETUP_EFI,
				 sizeof(sd));
	for (size_t i = 0; i < efi->map_n; i++) {
		struct kj_efi_memdesc d = {
			.type = efi->map[i].type,
			.phys_addr = efi->map[i].phys_addr,
			.virt_addr = efi->map[i].virt_addr,
			.num_pages = efi->map[i].num_pages,
			.attribute = efi->map[i].attribute,
		};

		memcpy(buf + l->map_off + i * sizeof(d), &d, sizeof(d));
	}
	bp->efi_info.efi_loader_signature = efi->loader_signature;
	bp->efi_info.efi_systab = (uint32_t)efi->systab;
	bp->efi_info.efi_systab_hi = (uint32_t)(efi->systab >> 32);
	bp->efi_info.efi_memdesc_version = EFI_MEMDESC_VERSION;
	bp->efi_info.efi_memdesc_size = sizeof(struct kj_efi_memdesc);
	bp->efi_info.efi_memmap = (uint32_t)map;
	bp->efi_info.efi_memmap_hi = (uint32_t)(map >> 32);
	bp->efi_info.efi_memmap_size = (uint32_t)l->map_len;
}

int kj_x86_zeropage_build(const struct kj_linux_boot *b,
			     const struct kj_sysdesc *sys, uint64_t addr,
			     uint8_t **out, size_t *len, struct kj_err *err)
{
	const struct kj_boot_params *running = NULL;
	struct kj_boot_params *bp;
	struct layout l;
	uint64_t chain = 0, cmd;
	uint8_t *buf;
	int r;

	if (addr & (KJ_PAGE_SIZE - 1))
		return kj_fail(err, EINVAL, "boot_params: 0x%" PRIx64
			       " is not page aligned", addr);
	r = plan_layout(b, sys, &l, err);
	if (r < 0)
		return r;
	buf = calloc(1, l.total);
	if (!buf) {
		free(l.e820);
		return kj_fail(err, ENOMEM, "boot_params: out of memory");
	}
	bp = (struct kj_boot_params *)buf;
	if (sys && sys->boot_data && sys->boot_data_len == BP_SIZE)
		running = (const struct kj_boot_params *)sys->boot_data;

	/* Start from what the firmware told the running kernel (screen,
	 * EDD, EDID...), then replace everything that is ours to say. */
	if (running)
		memcpy(bp, running, BP_SIZE);
	else
		default_screen(&bp->screen_info);
	memset(&bp->hdr, 0, HDR_AREA_END - HDR_START);
	memcpy(&bp->hdr, l.header, l.hdr_end - HDR_START);
	if (running && l.hdr_end >= 0x240)
		bp->hdr.hardware_subarch = running->hdr.hardware_subarch;

	bp->tboot_addr = 0;
	bp->cc_blob_address = 0;
	bp->scratch = 0;
	bp->sentinel = 0;
	bp->acpi_rsdp_addr = sys ? sys->acpi_rsdp : 0;

	bp->hdr.type_of_loader = KJ_LOADER_TYPE_UNDEFINED;
	bp->hdr.ext_loader_ver = 0;
	bp->hdr.ext_loader_type = 0;
	bp->hdr.loadflags |= KJ_LOADED_HIGH | KJ_CAN_USE_HEAP;
	bp->hdr.loadflags &= (uint8_t)~KJ_KEEP_SEGMENTS;
	bp->hdr.heap_end_ptr = HEAP_END - 0x200;
	bp->hdr.code32_start = (uint32_t)b->kernel_addr;

	cmd = addr + l.cmdline_off;
	memcpy(buf + l.cmdline_off, b->cmdline ? b->cmdline : "",
	       l.cmdline_len);
	bp->hdr.cmd_line_ptr = (uint32_t)cmd;
	bp->ext_cmd_line_ptr = (uint32_t)(cmd >> 32);

	bp->hdr.ramdisk_image = (uint32_t)b->initrd_addr;
	bp->ext_ramdisk_image = (uint32_t)(b->initrd_addr >> 32);
	bp->hdr.ramdisk_size = (uint32_t)b->initrd_size;
	bp->ext_ramdisk_size = (uint32_t)(b->initrd_size >> 32);

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
	if (l.efi_off)
		put_efi(buf, addr, &l, sys, bp, &chain);
	if (l.rng_off) {
		memcpy(buf + l.rng_off + sizeof(struct kj_setup_data),
		       b->rng_seed, b->rng_seed_len);
		chain = link_setup_data(buf, addr, l.rng_off, chain,
					KJ_SETUP_RNG_SEED, b->rng_seed_len);
	}
	if (l.version >= 0x209 && l.hdr_end >= 0x258)
		bp->hdr.setup_data = chain;

	free(l.e820);
	*out = buf;
	*len = l.total;
	return 0;
}
