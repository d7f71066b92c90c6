/* The Multiboot 2 loader entry and planner (struct kj_loader
 * kj_loader_multiboot2). It sits after Multiboot 1 in the table: an image
 * carrying both headers (Xen) boots by Multiboot 1 unless --type
 * multiboot2 (or a GRUB `multiboot2` entry's hint) asks for this one.
 *
 * Boot information, in GRUB's tag order (tests/vm/test_probe_grub.py):
 *  - strings: the kernel's and each module's are "PATH ARGS", as
 *    kexec-tools and kjump's Multiboot 1 loader give them, where GRUB
 *    gives the arguments only: Xen, the Multiboot 2 kernel people kexec,
 *    drops the first word of both unless the boot loader calls itself
 *    GRUB 2 (Xen's cmdline_cook), so GRUB's form would cost an argument;
 *  - memory map and basic meminfo from the generic map; load base for
 *    relocatable images;
 *  - ACPI RSDP copies and SMBIOS tables from the system description
 *    when it could read them;
 *  - the EFI 64-bit system table and the EFI memory map (what the
 *    running kernel kept: its runtime map; the boot-services map is
 *    gone) after an EFI boot, asked for or not, as GRUB does. Boot
 *    services are gone after kexec, and there is no tag saying they are
 *    (18 means the opposite): an image that needs them says so itself
 *    (Xen 4.17 at its 32-bit entry: "Bootloader shutdown EFI x64 boot
 *    services!"), which is better than it guessing BIOS and failing
 *    without a word;
 *  - the console's linear framebuffer when the header asks for one and
 *    the running kernel knows it.
 * Not passed (no source after Linux ran): BIOS boot device, APM, VBE,
 * ELF section headers. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/le.h"
#include "loaders/loader.h"
#include "loaders/multiboot2.h"
#include "loaders/multiboot2_mbi.h"
#include "loaders/multiboot_layout.h"

#define BELOW_4G 0xffffffffull
#define MIB (1ull << 20)
#define LOW_MAX 0xa0000ull
#define EFI_DESC_SIZE 48 /* what Linux and OVMF use for version 1 */
/* As for Multiboot 1 (multiboot1.h): the specification sets no limit. */
#define MB2_CMDLINE_MAX 4096

static const char *const why_4g =
	"Multiboot 2 keeps everything below 4 GiB, --mem-min/--mem-max";

static const struct kj_mb_module_rules module_rules = {
	.cmdline_max = MB2_CMDLINE_MAX,
	.why = why_4g,
	.first_retry_from_1mib = true,
};

static bool mb2_probe(const uint8_t *data, size_t size)
{
	return kj_mb2_find(data, size) >= 0;
}

/* The runtime EFI map as version 1 descriptors of EFI_DESC_SIZE bytes. */
static uint8_t *efi_map_bytes(const struct kj_efi_desc *efi, size_t *len)
{
	uint8_t *b = calloc(efi->map_n ? efi->map_n : 1, EFI_DESC_SIZE);

	if (!b)
		return NULL;
	for (size_t i = 0; i < efi->map_n; i++) {
		uint8_t *d = b + i * EFI_DESC_SIZE;
		const struct kj_efi_memdesc_generic *m = &efi->map[i];

		d[0] = (uint8_t)m->type; /* u32 type, u32 pad */
		d[1] = (uint8_t)(m->type >> 8);
		d[2] = (uint8_t)(m->type >> 16);
		d[3] = (uint8_t)(m->type >> 24);
		kj_put_le64(d + 8, m->phys_addr);
		kj_put_le64(d + 16, m->virt_addr);
		kj_put_le64(d + 24, m->num_pages);
		kj_put_le64(d + 32, m->attribute);
	}
	*len = efi->map_n * EFI_DESC_SIZE;
	return b;
}

/* The SMBIOS version from its entry point: "_SM_" (2.x) keeps it at 6
 * and 7, "_SM3_" at 7 and 8. */
static void smbios_version(const struct kj_fw_blob *e, uint8_t *major,
			   uint8_t *minor)
{
	bool v3 = e->len >= 9 && !memcmp(e->data, "_SM3_", 5);

	*major = e->len >= 9 ? e->data[v3 ? 7 : 6] : 0;
	*minor = e->len >= 9 ? e->data[v3 ? 8 : 7] : 0;
}

static void framebuffer(const struct kj_framebuffer *f,
			struct kj_mb2_framebuffer *fb)
{
	memset(fb, 0, sizeof(*fb));
	fb->addr = f->addr;
	fb->pitch = f->pitch;
	fb->width = f->width;
	fb->height = f->height;
	fb->bpp = f->bpp;
	fb->type = KJ_MB2_FB_RGB;
	fb->red_pos = f->red_pos;
	fb->red_size = f->red_size;
	fb->green_pos = f->green_pos;
	fb->green_size = f->green_size;
	fb->blue_pos = f->blue_pos;
	fb->blue_size = f->blue_size;
}

/* What the system description has for the tags GRUB fills from the
 * firmware: RSDP copies, SMBIOS, EFI, and the console's framebuffer
 * when the image asks for one (header tag or information request). */
static int firmware_tags(const struct kj_load_input *in,
			 const struct kj_mb2 *mb, struct kj_mb2_mbi_in *mi,
			 struct kj_mb2_framebuffer *fb, uint8_t **efimap,
			 struct kj_err *err)
{
	const struct kj_sysdesc *sys = in->sys;
	uint64_t asked = mb->requested | mb->requested_opt;

	mi->rsdp_v1 = sys->rsdp_v1.data;
	mi->rsdp_v1_len = sys->rsdp_v1.len;
	mi->rsdp_v2 = sys->rsdp_v2.data;
	mi->rsdp_v2_len = sys->rsdp_v2.len;
	if (sys->smbios_entry.len && sys->smbios_table.len) {
		mi->smbios = sys->smbios_table.data;
		mi->smbios_len = sys->smbios_table.len;
		smbios_version(&sys->smbios_entry, &mi->smbios_major,
			       &mi->smbios_minor);
	}
	if (sys->fb.valid && sys->fb.addr + sys->fb.pitch > sys->fb.addr &&
	    (mb->has_fb || asked & KJ_MB2_BIT(KJ_MB2_FRAMEBUFFER))) {
		framebuffer(&sys->fb, fb);
		mi->fb = fb;
	}
	if (sys->efi.valid) {
		mi->efi64_systab = sys->efi.systab;
		*efimap = efi_map_bytes(&sys->efi, &mi->efi_mmap_len);
		if (!*efimap)
			return kj_fail(err, ENOMEM, "out of memory");
		mi->efi_mmap = *efimap;
		mi->efi_desc_size = EFI_DESC_SIZE;
		mi->efi_desc_version = 1;
	}
	return 0;
}

/* --verbose: what the image asked for (optionally) that it does not
 * get, and optional header tags that were not used. */
static void not_passed(const struct kj_mb2 *mb, uint64_t available,
		       struct kj_plan *plan)
{
	uint64_t missing = (mb->requested | mb->requested_opt) & ~available;
	char list[112] = "", buf[16];
	size_t n = 0;

	for (unsigned int t = 0; t < 64 && n < sizeof(list); t++)
		if (missing & KJ_MB2_BIT(t))
			n += (size_t)snprintf(
				list + n, sizeof(list) - n, "%s%s",
				n ? ", " : "",
				kj_mb2_info_name(t, buf, sizeof(buf)));
	if (mb->ignored)
		snprintf(plan->note, sizeof(plan->note),
			 "optional header tags not used: 0x%x (EFI entry and "
			 "boot services are gone after kexec)%s%s",
			 mb->ignored, n ? "; not passed: " : "", list);
	else if (n)
		snprintf(plan->note, sizeof(plan->note),
			 "asked for but not passed: %s", list);
}

static int add_mbi(const struct kj_layout *l, const struct kj_load_input *in,
		   const struct kj_mb2 *mb, const struct kj_mb_module *mods,
		   uint64_t min, uint64_t *addr, struct kj_err *err)
{
	struct kj_mb2_framebuffer fb;
	struct kj_memmap_entry *map =
		calloc(KJ_MEMMAP_RANGES_MAX, sizeof(*map));
	struct kj_place_req pr = { .what = "multiboot2 info",
				   .min = min,
				   .max = BELOW_4G,
				   .why = why_4g };
	char name[64];
	struct kj_mb2_mbi_in mi = { .cmdline = l->plan->cmdline,
				    .loader_name = name,
				    .mods = mods,
				    .nmods = in->n_modules,
				    .load_base_valid = mb->relocatable,
				    .load_base = (uint32_t)mb->image.lowest };
	uint8_t *efimap = NULL, *buf = NULL;
	size_t len;
	int r;

	if (!map)
		return kj_fail(err, ENOMEM, "out of memory");
	snprintf(name, sizeof(name), "kjump %s", KJ_VERSION);
	mi.map = map;
	mi.nmap = kj_memmap_view(in->mm, in->req->panic, LOW_MAX, map,
				 KJ_MEMMAP_RANGES_MAX);
	r = firmware_tags(in, mb, &mi, &fb, &efimap, err);
	if (r == 0)
		r = kj_mb2_check_requests(mb, kj_mb2_mbi_available(&mi),
					  in->name, err);
	if (r == 0)
		not_passed(mb, kj_mb2_mbi_available(&mi), l->plan);
	if (r == 0)
		r = kj_mb2_mbi_size(&mi, &pr.size, err);
	if (r == 0)
		r = kj_layout_place(l, &pr, addr, err);
	if (r == -ENOSPC && pr.min > MIB) {
		pr.min = MIB;
		r = kj_layout_place(l, &pr, addr, err);
	}
	if (r == 0)
		r = kj_mb2_mbi_build(&mi, *addr, &buf, &len, err);
	if (r == 0)
		r = kj_plan_add(l->plan, "multiboot2 info", buf, len, *addr,
				len, true, err);
	free(efimap);
	free(map);
	return r < 0 ? r : 0;
}

static int mb2_plan(const struct kj_load_input *in, struct kj_plan *plan,
		    struct kj_err *err)
{
	const struct kj_layout l = kj_input_layout(in, plan);
	struct kj_mb_module mods[KJ_MB2_MAX_MODULES];
	char *lines[KJ_MB2_MAX_MODULES] = { 0 };
	struct kj_mb2 *mb = malloc(sizeof(*mb));
	uint64_t base, next, mbi = 0;
	int r;

	if (!mb)
		return kj_fail(err, ENOMEM, "out of memory");
	r = kj_mb2_parse(in->kernel, in->kernel_len, in->name, mb, err);
	if (r < 0)
		goto out;
	r = kj_mb_kernel_cmdline(in, plan, MB2_CMDLINE_MAX, err);
	if (r == 0)
		r = kj_mb_check_module_count(in, KJ_MB2_MAX_MODULES, err);
	if (r < 0)
		goto out;
	if (mb->relocatable) {
		r = kj_mb2_place(mb, in->usable, in->n_usable, plan,
				 in->req->mem_min, in->req->mem_max, in->name,
				 &base, err);
		if (r < 0)
			goto out;
		kj_mb2_relocate(mb, base);
	}
	r = kj_plan_add_chunks(plan, in->kernel, in->kernel_len,
			       mb->image.chunk, mb->image.nchunk,
			       KJ_PLAN_MAX_SEGMENTS - 2 - in->n_modules,
			       in->usable, in->n_usable, in->name, err);
	if (r < 0)
		goto out;
	next = (mb->image.end + KJ_PAGE_SIZE - 1) & ~(KJ_PAGE_SIZE - 1);
	r = kj_mb_add_modules(&l, in, &module_rules, mods, lines, &next, err);
	if (r == 0)
		r = add_mbi(&l, in, mb, mods, next, &mbi, err);
	if (r < 0)
		goto out;
	plan->next.mode = KJ_MODE_X86_PM32;
	plan->next.pc = mb->image.entry;
	plan->next.reg[0] = KJ_MB2_BOOT_MAGIC; /* eax */
	plan->next.reg[1] = mbi;	       /* ebx */
out:
	for (size_t i = 0; i < KJ_MB2_MAX_MODULES; i++)
		free(lines[i]);
	free(mb);
	return r;
}

static const char *layout_name(const struct kj_mb2 *mb)
{
	return mb->image.elf_bits == 64	  ? "elf64"
	       : mb->image.elf_bits == 32 ? "elf32"
					  : "address";
}

static void mb2_describe(const uint8_t *data, size_t size, char *buf,
			 size_t bufsz)
{
	struct kj_mb2 mb;

	if (kj_mb2_parse(data, size, "", &mb, NULL) == 0)
		snprintf(buf, bufsz, "%s, entry 0x%x%s", layout_name(&mb),
			 mb.image.entry, mb.relocatable ? ", relocatable" : "");
	else
		snprintf(buf, bufsz, "unparsable header");
}

static int mb2_inspect(const uint8_t *data, size_t size, const char *name,
		       struct kj_report *r, struct kj_err *err)
{
	struct kj_mb2 mb;
	int rc = kj_mb2_parse(data, size, name, &mb, err);

	if (rc < 0)
		return rc;
	kj_report_hex(r, "header_offset", mb.header_offset);
	kj_report_uint(r, "header_length", mb.header_length);
	kj_report_str(r, "layout", layout_name(&mb));
	kj_mb_image_report(r, &mb.image);
	kj_report_hex(r, "requests", mb.requested);
	kj_report_hex(r, "optional_requests", mb.requested_opt);
	kj_report_bool(r, "relocatable", mb.relocatable);
	if (mb.relocatable) {
		kj_report_hex(r, "reloc_min", mb.reloc_min);
		kj_report_hex(r, "reloc_max", mb.reloc_max);
		kj_report_hex(r, "reloc_align", mb.reloc_align);
		kj_report_uint(r, "reloc_preference", mb.reloc_pref);
	}
	if (mb.has_console)
		kj_report_hex(r, "console_flags", mb.console_flags);
	if (mb.has_fb) {
		kj_report_uint(r, "fb_width", mb.fb_width);
		kj_report_uint(r, "fb_height", mb.fb_height);
		kj_report_uint(r, "fb_depth", mb.fb_depth);
	}
	kj_report_hex(r, "ignored_tags", mb.ignored);
	return 0;
}

static const char *const mb2_types[] = { "multiboot2", "multiboot2-x86", NULL };

const struct kj_loader kj_loader_multiboot2 = {
	.name = "multiboot2",
	.types = mb2_types,
	.arch = KJ_ARCH_X86_64,
	.summary = "Multiboot 2 kernel (Xen, ...), --module",
	.takes = KJ_TAKES_MODULES,
	.probe = mb2_probe,
	.plan = mb2_plan,
	.describe = mb2_describe,
	.inspect = mb2_inspect,
};
