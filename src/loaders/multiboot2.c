#include "loaders/multiboot2.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/le.h"
#include "loaders/addr_fields.h"

#define FAR_SEARCH (64 * 1024) /* look this far only to explain a miss */
#define FIXED 16 /* magic, architecture, header_length, checksum */

static const char *const info_names[KJ_MB2_INFO_COUNT] = {
	[KJ_MB2_END] = "end",
	[KJ_MB2_CMDLINE] = "command line",
	[KJ_MB2_LOADER_NAME] = "boot loader name",
	[KJ_MB2_MODULE] = "modules",
	[KJ_MB2_BASIC_MEMINFO] = "basic memory information",
	[KJ_MB2_BOOTDEV] = "BIOS boot device",
	[KJ_MB2_MMAP] = "memory map",
	[KJ_MB2_VBE] = "VBE information",
	[KJ_MB2_FRAMEBUFFER] = "framebuffer information",
	[KJ_MB2_ELF_SECTIONS] = "ELF sections",
	[KJ_MB2_APM] = "APM table",
	[KJ_MB2_EFI32] = "EFI 32-bit system table",
	[KJ_MB2_EFI64] = "EFI 64-bit system table",
	[KJ_MB2_SMBIOS] = "SMBIOS tables",
	[KJ_MB2_ACPI_OLD] = "ACPI 1.0 RSDP",
	[KJ_MB2_ACPI_NEW] = "ACPI 2.0 RSDP",
	[KJ_MB2_NETWORK] = "network (DHCP ACK)",
	[KJ_MB2_EFI_MMAP] = "EFI memory map",
	[KJ_MB2_EFI_BS] = "EFI boot services not terminated",
	[KJ_MB2_EFI32_IH] = "EFI 32-bit image handle",
	[KJ_MB2_EFI64_IH] = "EFI 64-bit image handle",
	[KJ_MB2_LOAD_BASE] = "image load base address",
};

/* Why a request cannot be met, for the ones that never can after kexec. */
static const char *const never_why[KJ_MB2_INFO_COUNT] = {
	[KJ_MB2_BOOTDEV] = "the BIOS boot drive is unknown after kexec",
	[KJ_MB2_VBE] = "the VBE BIOS state is not known after kexec",
	[KJ_MB2_ELF_SECTIONS] = "kjump does not load ELF section headers",
	[KJ_MB2_APM] = "APM is a BIOS interface kjump cannot query",
	[KJ_MB2_EFI32] = "x86_64 firmware has a 64-bit system table",
	[KJ_MB2_NETWORK] = "there was no network boot",
	[KJ_MB2_EFI_BS] = "EFI boot services are gone after kexec",
	[KJ_MB2_EFI32_IH] = "there is no EFI image handle after kexec",
	[KJ_MB2_EFI64_IH] = "there is no EFI image handle after kexec",
};

const char *kj_mb2_info_name(unsigned int type, char *buf, size_t bufsz)
{
	if (type < KJ_MB2_INFO_COUNT)
		return info_names[type];
	snprintf(buf, bufsz, "tag %u", type);
	return buf;
}

static bool checksum_ok(const uint8_t *h)
{
	return (uint32_t)(kj_le32(h) + kj_le32(h + 4) + kj_le32(h + 8) +
			  kj_le32(h + 12)) == 0;
}

/* What the search saw besides a valid header, to explain a miss. */
struct miss {
	long bad_sum, misaligned, wrong_arch, far;
	uint32_t arch;
};

static long search(const uint8_t *data, size_t size, struct miss *m)
{
	size_t limit = size < FAR_SEARCH ? size : FAR_SEARCH;

	m->bad_sum = m->misaligned = m->wrong_arch = m->far = -1;
	for (size_t off = 0; off + FIXED <= limit; off += 4) {
		const uint8_t *h = data + off;

		if (kj_le32(h) != KJ_MB2_HEADER_MAGIC)
			continue;
		if (!checksum_ok(h)) {
			if (m->bad_sum < 0 && off < KJ_MB2_SEARCH)
				m->bad_sum = (long)off;
			continue;
		}
		if (off >= KJ_MB2_SEARCH) {
			if (m->far < 0)
				m->far = (long)off;
			continue;
		}
		if (off % KJ_MB2_ALIGN) {
			if (m->misaligned < 0)
				m->misaligned = (long)off;
			continue;
		}
		if (kj_le32(h + 4) != KJ_MB2_ARCH_I386) {
			if (m->wrong_arch < 0) {
				m->wrong_arch = (long)off;
				m->arch = kj_le32(h + 4);
			}
			continue;
		}
		return (long)off;
	}
	return -1;
}

long kj_mb2_find(const uint8_t *data, size_t size)
{
	struct miss m;
	long off = search(data, size, &m);

	return off < 0 ? -ENOENT : off;
}

static int no_header(const struct miss *m, const char *name, struct kj_err *err)
{
	if (m->wrong_arch >= 0)
		return kj_fail(err, ENOEXEC,
			       "%s: Multiboot 2 header at offset 0x%lx is for "
			       "architecture %u%s, not i386 (0)",
			       name, m->wrong_arch, m->arch,
			       m->arch == KJ_MB2_ARCH_MIPS32 ? " (MIPS32)"
							     : "");
	if (m->misaligned >= 0)
		return kj_fail(err, ENOEXEC,
			       "%s: Multiboot 2 header at offset 0x%lx is not "
			       "8-byte aligned",
			       name, m->misaligned);
	if (m->bad_sum >= 0)
		return kj_fail(err, ENOEXEC,
			       "%s: Multiboot 2 header at offset 0x%lx has a "
			       "bad checksum",
			       name, m->bad_sum);
	if (m->far >= 0)
		return kj_fail(err, ENOEXEC,
			       "%s: Multiboot 2 header at offset 0x%lx is past "
			       "the first 32 KiB",
			       name, m->far);
	return kj_fail(err, ENOEXEC,
		       "%s: no Multiboot 2 header in the first 32 KiB", name);
}

/* Smallest size of each header tag type. */
static uint32_t min_size(uint16_t type)
{
	switch (type) {
	case KJ_MB2_HT_ADDRESS:
	case KJ_MB2_HT_RELOCATABLE:
		return 24;
	case KJ_MB2_HT_FRAMEBUFFER:
		return 20;
	case KJ_MB2_HT_ENTRY:
	case KJ_MB2_HT_CONSOLE:
	case KJ_MB2_HT_ENTRY_EFI32:
	case KJ_MB2_HT_ENTRY_EFI64:
		return 12;
	default:
		return 8;
	}
}

static int info_request(struct kj_mb2 *mb, const uint8_t *t, uint32_t tsize,
			bool optional, const char *name, struct kj_err *err)
{
	for (uint32_t i = 8; i + 4 <= tsize; i += 4) {
		uint32_t type = kj_le32(t + i);

		if (type >= KJ_MB2_INFO_COUNT) {
			if (optional)
				continue;
			return kj_fail(err, ENOTSUP,
				       "%s: Multiboot 2 image requires "
				       "information tag %u, which the "
				       "specification does not define",
				       name, type);
		}
		if (optional)
			mb->requested_opt |= KJ_MB2_BIT(type);
		else
			mb->requested |= KJ_MB2_BIT(type);
	}
	return 0;
}

static int refuse_efi(const char *name, const char *what, struct kj_err *err)
{
	return kj_fail(err, ENOTSUP,
		       "%s: Multiboot 2 image requires %s (a required header "
		       "tag), but EFI boot services are gone after kexec",
		       name, what);
}

static int relocatable_tag(struct kj_mb2 *mb, const uint8_t *t,
			   const char *name, struct kj_err *err)
{
	mb->relocatable = true;
	mb->reloc_min = kj_le32(t + 8);
	mb->reloc_max = kj_le32(t + 12);
	mb->reloc_align = kj_le32(t + 16);
	mb->reloc_pref = kj_le32(t + 20);
	if (mb->reloc_align & (mb->reloc_align - 1))
		return kj_fail(err, EINVAL,
			       "%s: Multiboot 2 relocatable alignment 0x%x is "
			       "not a power of two",
			       name, mb->reloc_align);
	if (mb->reloc_pref > KJ_MB2_PREF_HIGH)
		mb->reloc_pref = KJ_MB2_PREF_NONE; /* as GRUB does */
	return 0;
}

static int one_tag(struct kj_mb2 *mb, const uint8_t *t, uint16_t type,
		   bool optional, uint32_t tsize, const char *name,
		   struct kj_err *err)
{
	switch (type) {
	case KJ_MB2_HT_INFO_REQUEST:
		return info_request(mb, t, tsize, optional, name, err);
	case KJ_MB2_HT_ADDRESS:
		mb->has_address = true;
		mb->header_addr = kj_le32(t + 8);
		mb->load_addr = kj_le32(t + 12);
		mb->load_end_addr = kj_le32(t + 16);
		mb->bss_end_addr = kj_le32(t + 20);
		return 0;
	case KJ_MB2_HT_ENTRY:
		mb->has_entry = true;
		mb->entry_addr = kj_le32(t + 8);
		return 0;
	case KJ_MB2_HT_CONSOLE:
		mb->has_console = true;
		mb->console_flags = kj_le32(t + 8);
		return 0;
	case KJ_MB2_HT_FRAMEBUFFER:
		mb->has_fb = true;
		mb->fb_required = !optional;
		mb->fb_width = kj_le32(t + 8);
		mb->fb_height = kj_le32(t + 12);
		mb->fb_depth = kj_le32(t + 16);
		return 0;
	case KJ_MB2_HT_MODULE_ALIGN:
		mb->module_align = true;
		return 0;
	case KJ_MB2_HT_RELOCATABLE:
		return relocatable_tag(mb, t, name, err);
	case KJ_MB2_HT_EFI_BS:
	case KJ_MB2_HT_ENTRY_EFI32:
	case KJ_MB2_HT_ENTRY_EFI64:
		if (!optional)
			return refuse_efi(name,
					  type == KJ_MB2_HT_EFI_BS
						  ? "EFI boot services"
					  : type == KJ_MB2_HT_ENTRY_EFI32
						  ? "its EFI i386 entry point"
						  : "its EFI amd64 entry point",
					  err);
		mb->ignored |= 1u << type;
		return 0;
	default:
		if (!optional)
			return kj_fail(err, ENOTSUP,
				       "%s: Multiboot 2 header has required "
				       "tag type %u, which kjump does not know",
				       name, type);
		if (type < 32)
			mb->ignored |= 1u << type;
		return 0;
	}
}

static int parse_tags(struct kj_mb2 *mb, const uint8_t *data, const char *name,
		      struct kj_err *err)
{
	size_t pos = mb->header_offset + FIXED;
	size_t end = mb->header_offset + mb->header_length;
	int r;

	while (pos + 8 <= end) {
		const uint8_t *t = data + pos;
		uint16_t type = kj_le16(t), flags = kj_le16(t + 2);
		uint32_t tsize = kj_le32(t + 4);

		if (tsize < min_size(type))
			return kj_fail(err, EINVAL,
				       "%s: Multiboot 2 header tag type %u at "
				       "offset 0x%zx is %u bytes (at least %u)",
				       name, type, pos, tsize, min_size(type));
		if (tsize > end - pos)
			return kj_fail(err, EINVAL,
				       "%s: Multiboot 2 header tag type %u at "
				       "offset 0x%zx runs past header_length",
				       name, type, pos);
		if (type == KJ_MB2_HT_END)
			return 0;
		r = one_tag(mb, t, type, flags & KJ_MB2_TAG_OPTIONAL, tsize,
			    name, err);
		if (r < 0)
			return r;
		pos += (tsize + 7) & ~(size_t)7;
	}
	return kj_fail(err, EINVAL, "%s: Multiboot 2 header has no end tag",
		       name);
}

static int layout_address(size_t size, const char *name, struct kj_mb2 *mb,
			  struct kj_err *err)
{
	struct kj_addr_fields f = {
		.header_addr = mb->header_addr,
		.load_addr = mb->load_addr,
		.load_end_addr = mb->load_end_addr,
		.bss_end_addr = mb->bss_end_addr,
		.entry_addr = mb->entry_addr,
	};
	int r;

	if (!mb->has_entry)
		return kj_fail(err, EINVAL,
			       "%s: Multiboot 2 address tag without an entry "
			       "address tag",
			       name);
	/* load_addr -1: the file is loaded from its first byte. */
	if (f.load_addr == UINT32_MAX) {
		if (f.header_addr < mb->header_offset)
			return kj_fail(err, EINVAL,
				       "%s: Multiboot 2 header_addr 0x%08x is "
				       "below the header's file offset",
				       name, f.header_addr);
		f.load_addr = f.header_addr - (uint32_t)mb->header_offset;
	}
	r = kj_addr_fields_layout(size, mb->header_offset, &f, "Multiboot 2",
				  name, &mb->image.chunk[0], err);
	if (r < 0)
		return r;
	mb->image.nchunk = 1;
	mb->image.entry = f.entry_addr;
	return 0;
}

static int layout_elf(const uint8_t *data, size_t size, const char *name,
		      struct kj_mb2 *mb, struct kj_err *err)
{
	if (!kj_elf_probe(data, size))
		return kj_fail(err, ENOEXEC,
			       "%s: Multiboot 2 image is not ELF and has no "
			       "address tag",
			       name);
	/* An entry address tag wins over e_entry. */
	if (mb->has_entry)
		mb->image.entry = mb->entry_addr;
	return kj_mb_elf_layout(data, size, "Multiboot 2", name, mb->has_entry,
				&mb->image, err);
}

static int check_relocatable(const struct kj_mb2 *mb, const char *name,
			     struct kj_err *err)
{
	uint64_t size = mb->image.end - mb->image.lowest;

	if (!mb->relocatable)
		return 0;
	if (size > mb->reloc_max || mb->reloc_min > mb->reloc_max - size)
		return kj_fail(err, EINVAL,
			       "%s: Multiboot 2 relocatable range 0x%08x-"
			       "0x%08x cannot hold the image (%" PRIu64
			       " bytes)",
			       name, mb->reloc_min, mb->reloc_max, size);
	return 0;
}

int kj_mb2_parse(const uint8_t *data, size_t size, const char *name,
		 struct kj_mb2 *mb, struct kj_err *err)
{
	struct miss m;
	size_t limit;
	long off;
	int r;

	memset(mb, 0, sizeof(*mb));
	off = search(data, size, &m);
	if (off < 0)
		return no_header(&m, name, err);
	mb->header_offset = (size_t)off;
	mb->header_length = kj_le32(data + off + 8);
	limit = size < KJ_MB2_SEARCH ? size : KJ_MB2_SEARCH;
	if (mb->header_length < FIXED + 8 ||
	    mb->header_length > limit - mb->header_offset)
		return kj_fail(err, EINVAL,
			       "%s: Multiboot 2 header_length %u at offset "
			       "0x%zx does not fit the first 32 KiB of the "
			       "file",
			       name, mb->header_length, mb->header_offset);
	r = parse_tags(mb, data, name, err);
	if (r < 0)
		return r;
	if (mb->has_address)
		r = layout_address(size, name, mb, err);
	else
		r = layout_elf(data, size, name, mb, err);
	if (r < 0)
		return r;
	kj_mb_image_extent(&mb->image);
	return check_relocatable(mb, name, err);
}

int kj_mb2_check_requests(const struct kj_mb2 *mb, uint64_t available,
			  const char *name, struct kj_err *err)
{
	uint64_t missing = mb->requested & ~available;
	char buf[16];

	if (missing) {
		unsigned int t = (unsigned int)__builtin_ctzll(missing);

		return kj_fail(
			err, ENOTSUP,
			"%s: Multiboot 2 image requires the %s (tag %u), "
			"which kjump cannot provide%s%s",
			name, kj_mb2_info_name(t, buf, sizeof(buf)), t,
			never_why[t] ? ": " : " on this system",
			never_why[t] ? never_why[t] : "");
	}
	if (mb->has_console && (mb->console_flags & KJ_MB2_CONSOLE_REQUIRED) &&
	    !(available & KJ_MB2_BIT(KJ_MB2_FRAMEBUFFER)))
		return kj_fail(err, ENOTSUP,
			       "%s: Multiboot 2 image requires a console "
			       "(console flags tag), and kjump knows no "
			       "framebuffer or text console of this system",
			       name);
	if (mb->has_fb && mb->fb_required &&
	    !(available & KJ_MB2_BIT(KJ_MB2_FRAMEBUFFER)))
		return kj_fail(err, ENOTSUP,
			       "%s: Multiboot 2 image requires a framebuffer "
			       "(%ux%ux%u), and kjump sets no video mode and "
			       "knows no framebuffer of this system",
			       name, mb->fb_width, mb->fb_height, mb->fb_depth);
	return 0;
}

int kj_mb2_place(const struct kj_mb2 *mb, const struct kj_range *ram,
		 size_t nram, const struct kj_plan *plan, uint64_t mem_min,
		 uint64_t mem_max, const char *name, uint64_t *base,
		 struct kj_err *err)
{
	uint64_t size = (mb->image.end - mb->image.lowest + KJ_PAGE_SIZE - 1) &
			~(KJ_PAGE_SIZE - 1);
	struct kj_place_req pr = {
		.what = "Multiboot 2 image",
		.size = size,
		.align = mb->reloc_align,
		.min = mb->reloc_min,
		.max = (uint64_t)mb->reloc_max - 1,
		.top_down = mb->reloc_pref == KJ_MB2_PREF_HIGH,
		.why = "its relocatable header tag, --mem-min/--mem-max",
	};

	if (!kj_place_clamp(&pr.min, &pr.max, mem_min, mem_max))
		return kj_fail(
			err, ENOSPC,
			"%s: Multiboot 2 relocatable range 0x%08x-0x%08x "
			"lies outside --mem-min/--mem-max",
			name, mb->reloc_min, mb->reloc_max);
	return kj_place(ram, nram, plan, &pr, base, err);
}

void kj_mb2_relocate(struct kj_mb2 *mb, uint64_t base)
{
	uint64_t delta = base - mb->image.lowest;

	for (size_t i = 0; i < mb->image.nchunk; i++)
		mb->image.chunk[i].paddr += delta;
	mb->image.entry = (uint32_t)(mb->image.entry + delta);
	mb->image.lowest += delta;
	mb->image.end += delta;
}
