/* The Multiboot 2 loader entry and planner, written against the load
 * pipeline of issue 10 (interfaces.md: struct kj_loader, kj_load_input,
 * kj_layout, kj_entry_regs). It compiles once that lands; until then it
 * is kept out of the build (#if 0) and the parts it calls (header parse,
 * placement, MBI builder) are built and tested on their own.
 *
 * Assumptions to check when wiring (the lead's names may differ):
 *   - struct kj_sysdesc carries the RSDP *bytes* next to acpi_rsdp: the
 *     revision 0 one (rsdp_v1, rsdp_v1_len = 20) and the revision 2 one
 *     (rsdp_v2, rsdp_v2_len = its length field), and the SMBIOS structure
 *     table bytes (smbios_table, smbios_table_len, smbios_major,
 *     smbios_minor): the MBI copies them;
 *   - struct kj_framebuffer has addr, pitch, width, height, bpp, text and
 *     the RGB field positions/sizes;
 *   - struct kj_memmap has e[] and n, generic entries;
 *   - kj_layout_add() returns the chosen address in *addr.
 * --type spellings: "multiboot2" and kexec-tools' "multiboot2-x86". */
#if 0

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arch/arch.h"
#include "core/placement.h"
#include "core/plan.h"
#include "core/request.h"
#include "core/sysdesc.h"
#include "loaders/loader.h"
#include "loaders/multiboot2.h"
#include "loaders/multiboot2_mbi.h"

#define FOUR_G_LAST 0xffffffffull

static bool mb2_probe(const uint8_t *data, size_t size)
{
	return kj_mb2_find(data, size) >= 0;
}

static void mb2_framebuffer(const struct kj_framebuffer *f,
			    struct kj_mb2_framebuffer *out)
{
	memset(out, 0, sizeof(*out));
	out->addr = f->addr;
	out->pitch = f->pitch;
	out->width = f->width;
	out->height = f->height;
	out->bpp = f->bpp;
	out->type = f->text ? KJ_MB2_FB_EGA_TEXT : KJ_MB2_FB_RGB;
	out->red_pos = f->red_pos;
	out->red_size = f->red_size;
	out->green_pos = f->green_pos;
	out->green_size = f->green_size;
	out->blue_pos = f->blue_pos;
	out->blue_size = f->blue_size;
}

/* The MBI input from what the load step gathered. The framebuffer is
 * passed only when the image asks (header tag or information request). */
static void mbi_input(const struct kj_load_input *in, const struct kj_mb2 *mb,
		      const struct kj_mb2_module *mods,
		      struct kj_mb2_framebuffer *fb, struct kj_mb2_mbi_in *mi)
{
	const struct kj_sysdesc *sys = in->sys;
	bool fb_wanted = mb->has_fb ||
			 (mb->requested | mb->requested_opt) &
				 KJ_MB2_BIT(KJ_MB2_FRAMEBUFFER) ||
			 mb->has_console;

	memset(mi, 0, sizeof(*mi));
	mi->cmdline = in->cmdline;
	mi->loader_name = "kjump " KJ_VERSION;
	mi->mods = mods;
	mi->nmods = in->n_modules;
	mi->map = in->mm->e;
	mi->nmap = in->mm->n;
	/* As GRUB: the revision 0 RSDP is the old tag, the revision 2+ one
	 * the new tag; EFI firmware has both (the ACPI and ACPI20 entries of
	 * /sys/firmware/efi/systab), a BIOS usually one. */
	if (sys->rsdp_v1_len == 20) {
		mi->rsdp_v1 = sys->rsdp_v1;
		mi->rsdp_v1_len = 20;
	}
	if (sys->rsdp_v2_len >= 36) {
		mi->rsdp_v2 = sys->rsdp_v2;
		mi->rsdp_v2_len = sys->rsdp_v2_len;
	}
	if (sys->efi.valid) {
		mi->efi64_systab = sys->efi.systab;
		mi->efi_mmap = sys->efi.map;
		mi->efi_mmap_len = sys->efi.map_len;
		mi->efi_desc_size = sys->efi.desc_size;
		mi->efi_desc_version = sys->efi.desc_version;
	}
	mi->smbios = sys->smbios_table;
	mi->smbios_len = sys->smbios_table_len;
	mi->smbios_major = sys->smbios_major;
	mi->smbios_minor = sys->smbios_minor;
	mi->load_base_valid = mb->relocatable;
	mi->load_base = (uint32_t)mb->lowest;
	if (fb_wanted && sys->fb.valid) {
		mb2_framebuffer(&sys->fb, fb);
		mi->fb = fb;
	}
}

static int mb2_plan(const struct kj_load_input *in, struct kj_plan *plan,
		    struct kj_err *err)
{
	struct kj_layout l = {
		.plan = plan,
		.ram = in->usable,
		.nram = in->n_usable,
		.mem_min = in->req->mem_min,
		.mem_max = in->req->mem_max,
		.name = in->name,
	};
	struct kj_mb2_module mods[KJ_MB2_MAX_MODULES];
	struct kj_mb2_framebuffer fb;
	struct kj_mb2_mbi_in mi;
	struct kj_mb2 *mb;
	uint64_t base, mbi_addr;
	uint8_t *mbi;
	size_t mbi_len;
	int r;

	if (in->n_modules > KJ_MB2_MAX_MODULES)
		return kj_fail(err, E2BIG, "%s: %zu modules (at most %d)",
			       in->name, in->n_modules, KJ_MB2_MAX_MODULES);
	mb = malloc(sizeof(*mb));
	if (!mb)
		return kj_fail(err, ENOMEM, "%s: out of memory", in->name);
	r = kj_mb2_parse(in->kernel, in->kernel_len, in->name, mb, err);
	if (r == 0 && mb->relocatable) {
		r = kj_mb2_place(mb, in->usable, in->n_usable, plan,
				 in->req->mem_min, in->req->mem_max, in->name,
				 &base, err);
		if (r == 0)
			kj_mb2_relocate(mb, base);
	}
	/* Image segments first: fixed addresses, before anything floats. */
	if (r == 0)
		r = kj_plan_add_chunks(plan, in->kernel, in->kernel_len,
				       mb->chunk, mb->nchunk,
				       KJ_PLAN_MAX_SEGMENTS - 2 - in->n_modules,
				       in->usable, in->n_usable, in->name, err);
	for (size_t i = 0; r == 0 && i < in->n_modules; i++) {
		struct kj_place_req pr = {
			.what = "module",
			.size = in->modules[i].len,
			.align = KJ_PAGE_SIZE, /* always: module-align tag */
			.max = FOUR_G_LAST,
			.why = "Multiboot 2 modules lie below 4 GiB",
		};

		r = kj_layout_add(&l, "module", in->modules[i].data,
				  in->modules[i].len, in->modules[i].len, false,
				  &pr, &mods[i].start, err);
		mods[i].size = in->modules[i].len;
		mods[i].cmdline = in->modules[i].args;
	}
	if (r == 0) {
		mbi_input(in, mb, mods, &fb, &mi);
		r = kj_mb2_check_requests(mb, kj_mb2_mbi_available(&mi),
					  in->name, err);
	}
	if (r == 0)
		r = kj_mb2_mbi_size(&mi, &mbi_len, err);
	if (r == 0) {
		struct kj_place_req pr = {
			.what = "Multiboot 2 information",
			.size = mbi_len,
			.align = KJ_PAGE_SIZE,
			.max = FOUR_G_LAST,
			.why = "EBX is 32 bits",
		};

		r = kj_layout_place(&l, &pr, &mbi_addr, err);
	}
	if (r == 0)
		r = kj_mb2_mbi_build(&mi, mbi_addr, &mbi, &mbi_len, err);
	if (r == 0)
		r = kj_plan_add(plan, "mbi", mbi, mbi_len, mbi_addr, mbi_len,
				true, err) < 0
			    ? -EINVAL
			    : 0;
	if (r == 0) {
		plan->next.mode = KJ_MODE_X86_PM32;
		plan->next.pc = mb->entry;
		plan->next.reg[0] = KJ_MB2_BOOT_MAGIC; /* eax */
		plan->next.reg[1] = mbi_addr;	       /* ebx */
		plan->next.reg[2] = 0;		       /* esi */
	}
	free(mb);
	return r;
}

static const char *const mb2_types[] = { "multiboot2", "multiboot2-x86",
					 NULL };

const struct kj_loader kj_loader_multiboot2 = {
	.name = "Multiboot 2",
	.types = mb2_types,
	.arch = KJ_ARCH_X86_64,
	.probe = mb2_probe,
	.plan = mb2_plan,
	.file_check = NULL, /* the kernel's file loader takes no Multiboot */
	.inspect = NULL,    /* kj_mb2 fields; to write with kj_report */
};

#endif
