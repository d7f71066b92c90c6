/* arm64 Linux Image: header parsing and placement; see arm64_image.h.
 *
 * Offsets are those of booting.rst and of PE/COFF; every read is checked
 * against the real file size first, sizes in headers are never trusted. */
#include "loaders/arm64_image.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "core/le.h"
#include "core/placement.h"

#define PAGE_4K 4096ull
#define GIB (1ull << 30)
#define INITRD_WINDOW (32 * GIB) /* booting.rst: 1 GiB aligned, 32 GiB */
#define PHYS_48 (1ull << 48)
/* More than any kernel needs, and small enough that page rounding and
 * placement arithmetic cannot overflow. */
#define IMAGE_SIZE_MAX (4 * GIB)

enum {
	OFF_CODE0 = 0x00,
	OFF_CODE1 = 0x04,
	OFF_TEXT_OFFSET = 0x08,
	OFF_IMAGE_SIZE = 0x10,
	OFF_FLAGS = 0x18,
	OFF_MAGIC = KJ_ARM64_MAGIC_OFFSET,
	OFF_PE = 0x3c,
	/* PE/COFF, relative to the "PE\0\0" signature */
	PE_MACHINE = 4,
	PE_NSECTIONS = 6,
	PE_OPT_SIZE = 20,
	PE_OPT = 24,
	PE_OPT_SIZE_OF_IMAGE = 56,
	PE_SECTION_SIZE = 40,
	SEC_RAW_SIZE = 16,
	SEC_RAW_PTR = 20,
};

bool kj_arm64_image_probe(const uint8_t *data, size_t size)
{
	return size >= KJ_ARM64_HEADER_SIZE &&
	       kj_le32(data + OFF_MAGIC) == KJ_ARM64_MAGIC;
}

const char *kj_arm64_page_size_name(const struct kj_arm64_image *img)
{
	switch (img->page_size) {
	case 4096:
		return "4K";
	case 16384:
		return "16K";
	case 65536:
		return "64K";
	default:
		return "unspecified";
	}
}

/* With "MZ" at 0: the PE header at pe_offset must be in the file, and so
 * must every section's raw data (that is how a cut-off download shows). */
static int parse_pe(const uint8_t *d, size_t size, const char *name,
		    struct kj_arm64_image *img, struct kj_err *err)
{
	uint64_t pe = img->pe_offset, sec, end = 0;
	uint16_t nsec, optsz;

	if (size < 2 || d[0] != 'M' || d[1] != 'Z')
		return 0;
	if (pe < KJ_ARM64_HEADER_SIZE || pe + PE_OPT > size)
		return kj_fail(err, EINVAL,
			       "%s: truncated: the EFI stub's PE header at "
			       "0x%" PRIx64 " is beyond the file (%zu bytes)",
			       name, pe, size);
	if (kj_le32(d + pe) != 0x00004550) /* "PE\0\0" */
		return kj_fail(err, EINVAL,
			       "%s: starts with MZ but has no PE signature at "
			       "0x%" PRIx64,
			       name, pe);
	if (kj_le16(d + pe + PE_MACHINE) != KJ_ARM64_PE_MACHINE)
		return kj_fail(err, EINVAL,
			       "%s: the EFI stub is for PE machine 0x%04x, "
			       "not arm64 (0xaa64)",
			       name, kj_le16(d + pe + PE_MACHINE));
	nsec = kj_le16(d + pe + PE_NSECTIONS);
	optsz = kj_le16(d + pe + PE_OPT_SIZE);
	if (optsz >= PE_OPT_SIZE_OF_IMAGE + 4 &&
	    pe + PE_OPT + PE_OPT_SIZE_OF_IMAGE + 4 <= size)
		img->pe_size_of_image =
			kj_le32(d + pe + PE_OPT + PE_OPT_SIZE_OF_IMAGE);
	sec = pe + PE_OPT + optsz;
	if (sec + (uint64_t)nsec * PE_SECTION_SIZE > size)
		return kj_fail(err, EINVAL,
			       "%s: truncated: the EFI stub's %u section "
			       "headers end beyond the file (%zu bytes)",
			       name, nsec, size);
	for (uint16_t i = 0; i < nsec; i++) {
		uint64_t s = sec + (uint64_t)i * PE_SECTION_SIZE;
		uint64_t raw = kj_le32(d + s + SEC_RAW_SIZE);
		uint64_t ptr = kj_le32(d + s + SEC_RAW_PTR);

		if (raw && ptr + raw > end)
			end = ptr + raw;
	}
	if (end > size)
		return kj_fail(err, EINVAL,
			       "%s: truncated: the EFI stub's sections promise "
			       "%" PRIu64 " bytes, the file has %zu",
			       name, end, size);
	img->efi_stub = true;
	img->pe_file_end = end;
	return 0;
}

int kj_arm64_image_parse(const uint8_t *data, size_t size, const char *name,
			 struct kj_arm64_image *out, struct kj_err *err)
{
	struct kj_arm64_image img = { 0 };

	if (size < KJ_ARM64_HEADER_SIZE)
		return kj_fail(err, EINVAL,
			       "%s: truncated: %zu bytes, an arm64 Image "
			       "header is %d",
			       name, size, KJ_ARM64_HEADER_SIZE);
	img.code0 = kj_le32(data + OFF_CODE0);
	img.code1 = kj_le32(data + OFF_CODE1);
	img.text_offset = kj_le64(data + OFF_TEXT_OFFSET);
	img.image_size = kj_le64(data + OFF_IMAGE_SIZE);
	img.flags = kj_le64(data + OFF_FLAGS);
	img.magic = kj_le32(data + OFF_MAGIC);
	img.pe_offset = kj_le32(data + OFF_PE);
	img.file_size = size;
	if (img.magic != KJ_ARM64_MAGIC)
		return kj_fail(err, EINVAL,
			       "%s: not an arm64 Image (magic 0x%08x at 0x38, "
			       "expected 0x%08x \"ARM\\x64\")",
			       name, img.magic, KJ_ARM64_MAGIC);
	if (img.flags & KJ_ARM64_FLAG_BE)
		return kj_fail(err, EINVAL,
			       "%s: big-endian arm64 kernel (flags 0x%" PRIx64
			       "): only little-endian kernels are supported",
			       name, img.flags);
	if (img.image_size == 0)
		return kj_fail(err, EINVAL,
			       "%s: image_size is 0 (a kernel older than 3.17 "
			       "that does not state its size)",
			       name);
	if (img.text_offset >= KJ_ARM64_BASE_ALIGN || img.text_offset % PAGE_4K)
		return kj_fail(err, EINVAL,
			       "%s: text_offset 0x%" PRIx64 " is not a "
			       "4 KiB-aligned offset inside the 2 MiB window",
			       name, img.text_offset);
	if (img.image_size > IMAGE_SIZE_MAX)
		return kj_fail(err, EINVAL,
			       "%s: image_size 0x%" PRIx64 " is implausibly "
			       "large (over 4 GiB)",
			       name, img.image_size);
	if (img.image_size < size)
		return kj_fail(err, EINVAL,
			       "%s: image_size 0x%" PRIx64 " is smaller than "
			       "the file (%zu bytes)",
			       name, img.image_size, size);
	switch ((img.flags & KJ_ARM64_FLAG_PAGE_MASK) >>
		KJ_ARM64_FLAG_PAGE_SHIFT) {
	case 1:
		img.page_size = 4096;
		break;
	case 2:
		img.page_size = 16384;
		break;
	case 3:
		img.page_size = 65536;
		break;
	default:
		img.page_size = 0;
	}
	img.phys_anywhere = img.flags & KJ_ARM64_FLAG_PHYS_ANY;
	if (parse_pe(data, size, name, &img, err))
		return -EINVAL;
	*out = img;
	return 0;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

int kj_arm64_image_place(const struct kj_arm64_image *img, const char *name,
			 const struct kj_range *usable, size_t nusable,
			 const struct kj_plan *plan, uint64_t initrd_size,
			 uint64_t mem_min, uint64_t mem_max,
			 struct kj_arm64_layout *out, struct kj_err *err)
{
	uint64_t memsz = img->image_size > img->file_size ? img->image_size
							  : img->file_size;
	struct kj_place_req kr = {
		.what = "kernel",
		.align = KJ_ARM64_BASE_ALIGN,
		.max = img->phys_anywhere ? PHYS_48 - 1 : 0,
		.why = "2 MiB-aligned base + text_offset",
	};
	uint64_t base, wlo, whi;
	int rc;

	memsz = align_up(memsz, KJ_PAGE_SIZE);
	kr.size = img->text_offset + memsz;
	if (!kj_place_clamp(&kr.min, &kr.max, mem_min, mem_max))
		return kj_fail(err, EINVAL,
			       "%s: --mem-min 0x%" PRIx64
			       " is above --mem-max 0x%" PRIx64,
			       name, mem_min, mem_max);
	rc = kj_place(usable, nusable, plan, &kr, &base, err);
	if (rc)
		return rc;
	out->kernel_base = base;
	out->kernel_addr = base + img->text_offset;
	out->kernel_memsz = memsz;
	out->initrd_addr = 0;
	out->initrd_size = initrd_size;
	if (!initrd_size)
		return 0;

	/* The 1 GiB-aligned window of 32 GiB that holds the kernel, above
	 * the kernel's end. */
	wlo = out->kernel_addr + memsz;
	whi = (base & ~(GIB - 1)) + INITRD_WINDOW - 1;
	{
		struct kj_place_req ir = {
			.what = "initrd",
			.size = initrd_size,
			.align = KJ_PAGE_SIZE,
			.min = wlo,
			.max = whi,
			.why = "the kernel's 1 GiB-aligned 32 GiB window",
		};

		if (!kj_place_clamp(&ir.min, &ir.max, mem_min, mem_max))
			return kj_fail(err, ENOSPC,
				       "%s: no room for the initrd above the "
				       "kernel below --mem-max 0x%" PRIx64,
				       name, mem_max);
		return kj_place(usable, nusable, plan, &ir, &out->initrd_addr,
				err);
	}
}

/* The loader-table entry. */
#include "loaders/loader.h"

/* kjump's spelling and kexec-tools' arm64 --type name. */
static const char *const arm64_image_types[] = { "arm64", "Image", NULL };

static int arm64_image_plan(const struct kj_load_input *in,
			    struct kj_plan *plan, struct kj_err *err)
{
	const struct kj_load_request *req = in->req;
	struct kj_layout l = kj_input_layout(in, plan);
	struct kj_linux_boot b = { 0 };
	struct kj_arm64_image img;
	struct kj_arm64_layout lay;
	uint64_t dtb_addr, after;
	int rc;

	rc = kj_arm64_image_parse(in->kernel, in->kernel_len, in->name, &img,
				  err);
	if (rc)
		return rc;
	rc = kj_arm64_image_place(&img, in->name, in->usable, in->n_usable,
				  plan, in->initrd_len, req->mem_min,
				  req->mem_max, &lay, err);
	if (rc)
		return rc;
	rc = kj_plan_add(plan, "kernel", in->kernel, in->kernel_len,
			 lay.kernel_addr, lay.kernel_memsz, false, err);
	if (rc < 0)
		return rc;
	after = lay.kernel_addr + lay.kernel_memsz;
	if (in->initrd_len) {
		rc = kj_plan_add(plan, "initrd", in->initrd, in->initrd_len,
				 lay.initrd_addr, in->initrd_len, false, err);
		if (rc < 0)
			return rc;
		after = lay.initrd_addr + in->initrd_len;
	}
	if (req->panic) {
		struct kj_place_req pr = { .what = "elfcorehdr",
					   .size = in->elfcore_len,
					   .align = KJ_PAGE_SIZE };

		rc = kj_layout_add(&l, &pr, in->elfcore, in->elfcore_len, false,
				   &b.elfcorehdr_addr, err);
		if (rc < 0)
			return rc;
		b.elfcorehdr_size = in->elfcore_len;
	}
	b.name = in->name;
	b.dtb = in->dtb;
	b.dtb_len = in->dtb_len;
	b.cmdline = in->cmdline;
	b.kernel_addr = lay.kernel_addr;
	b.initrd_addr = in->initrd_len ? lay.initrd_addr : 0;
	b.initrd_size = in->initrd_len;
	b.panic = req->panic;
	b.rng_seed = in->rng_seed;
	b.rng_seed_len = in->rng_seed_len;
	b.mm = in->mm;
	{
		/* After the initrd, like kexec-tools; booting.rst: 8-byte
		 * aligned, at most 2 MiB, in RAM the kernel maps. */
		struct kj_place_req pr = { .what = "dtb",
					   .align = KJ_PAGE_SIZE,
					   .min = after };

		rc = kj_loader_add_linux_boot(&l, in, &b, &pr, &dtb_addr, err);
		if (rc)
			return rc;
	}
	plan->next.mode = KJ_MODE_ARM64_LINUX;
	plan->next.pc = lay.kernel_addr;
	plan->next.reg[0] = dtb_addr;
	plan->next.reg[1] = plan->next.reg[2] = plan->next.reg[3] = 0;
	return 0;
}

/* Linux's arm64 kexec_file_load takes an Image (kernels with
 * CONFIG_KEXEC_FILE; Debian's arm64 kernels have none). */
static int arm64_image_file_check(const struct kj_load_input *in,
				  struct kj_err *err)
{
	struct kj_arm64_image img;

	return kj_arm64_image_parse(in->kernel, in->kernel_len, in->name, &img,
				    err);
}

static void arm64_image_describe(const uint8_t *data, size_t size, char *buf,
				 size_t bufsz)
{
	struct kj_arm64_image img;

	if (kj_arm64_image_parse(data, size, "", &img, NULL))
		snprintf(buf, bufsz, "arm64 Image (invalid)");
	else
		snprintf(buf, bufsz, "text_offset 0x%llx, image_size %llu%s",
			 (unsigned long long)img.text_offset,
			 (unsigned long long)img.image_size,
			 img.efi_stub ? ", EFI stub" : "");
}

static int arm64_image_inspect(const uint8_t *data, size_t size,
			       const char *name, struct kj_report *out,
			       struct kj_err *err)
{
	struct kj_arm64_image img;
	int rc = kj_arm64_image_parse(data, size, name, &img, err);

	if (rc)
		return rc;
	kj_report_hex(out, "text_offset", img.text_offset);
	kj_report_uint(out, "image_size", img.image_size);
	kj_report_hex(out, "flags", img.flags);
	kj_report_str(out, "page_size", kj_arm64_page_size_name(&img));
	kj_report_bool(out, "placement_any", img.phys_anywhere);
	kj_report_bool(out, "efi_stub", img.efi_stub);
	kj_report_uint(out, "file_size", img.file_size);
	return 0;
}

const struct kj_loader kj_loader_arm64_image = {
	.name = "arm64 Image",
	.types = arm64_image_types,
	.arch = KJ_ARCH_ARM64,
	.summary = "arm64 Linux Image (booting.rst), with or without EFI stub",
	.takes = KJ_TAKES_INITRD | KJ_TAKES_DTB,
	.probe = kj_arm64_image_probe,
	.plan = arm64_image_plan,
	.file_check = arm64_image_file_check,
	.describe = arm64_image_describe,
	.inspect = arm64_image_inspect,
};
