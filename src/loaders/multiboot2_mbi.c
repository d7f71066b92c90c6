#include "loaders/multiboot2_mbi.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "loaders/multiboot2.h"

#define FOUR_G (1ull << 32)
#define RSDP_V1_LEN 20
#define RSDP_V2_MIN 36
#define EFI_DESC_MIN 40

/* Writes tags into buf, or only counts when buf is NULL: the size and the
 * build cannot disagree. */
struct mbi {
	uint8_t *buf;
	size_t pos;
	size_t tag; /* start of the open tag */
};

static void put(struct mbi *m, size_t off, uint64_t v, int n)
{
	if (!m->buf)
		return;
	for (int i = 0; i < n; i++)
		m->buf[off + i] = (uint8_t)(v >> (8 * i));
}

static void put_bytes(struct mbi *m, const void *p, size_t n)
{
	if (m->buf && n)
		memcpy(m->buf + m->pos, p, n);
	m->pos += n;
}

static void put_str(struct mbi *m, const char *s)
{
	put_bytes(m, s ? s : "", strlen(s ? s : "") + 1);
}

static void tag_begin(struct mbi *m, uint32_t type)
{
	m->tag = m->pos;
	put(m, m->pos, type, 4);
	m->pos += 8;
}

static void tag_end(struct mbi *m)
{
	put(m, m->tag + 4, m->pos - m->tag, 4);
	m->pos = (m->pos + 7) & ~(size_t)7; /* padding: calloc'd zeros */
}

static void tag_u32(struct mbi *m, uint32_t v)
{
	put(m, m->pos, v, 4);
	m->pos += 4;
}

static void tag_u64(struct mbi *m, uint64_t v)
{
	put(m, m->pos, v, 8);
	m->pos += 8;
}

uint64_t kj_mb2_mbi_available(const struct kj_mb2_mbi_in *in)
{
	uint64_t a = KJ_MB2_BIT(KJ_MB2_CMDLINE) |
		     KJ_MB2_BIT(KJ_MB2_LOADER_NAME) | KJ_MB2_BIT(KJ_MB2_MODULE);

	if (in->nmap)
		a |= KJ_MB2_BIT(KJ_MB2_MMAP) | KJ_MB2_BIT(KJ_MB2_BASIC_MEMINFO);
	if (in->load_base_valid)
		a |= KJ_MB2_BIT(KJ_MB2_LOAD_BASE);
	if (in->fb)
		a |= KJ_MB2_BIT(KJ_MB2_FRAMEBUFFER);
	if (in->efi64_systab)
		a |= KJ_MB2_BIT(KJ_MB2_EFI64);
	if (in->rsdp_v1_len)
		a |= KJ_MB2_BIT(KJ_MB2_ACPI_OLD);
	if (in->rsdp_v2_len)
		a |= KJ_MB2_BIT(KJ_MB2_ACPI_NEW);
	if (in->smbios_len)
		a |= KJ_MB2_BIT(KJ_MB2_SMBIOS);
	if (in->efi_mmap_len)
		a |= KJ_MB2_BIT(KJ_MB2_EFI_MMAP);
	return a;
}

static int check_in(const struct kj_mb2_mbi_in *in, struct kj_err *err)
{
	if (in->nmods > KJ_MB2_MAX_MODULES)
		return kj_fail(err, E2BIG,
			       "Multiboot 2: %zu modules (at most %d)",
			       in->nmods, KJ_MB2_MAX_MODULES);
	if (in->nmap > KJ_MB2_MAX_MMAP)
		return kj_fail(err, E2BIG,
			       "Multiboot 2: %zu memory map entries (at most "
			       "%d)",
			       in->nmap, KJ_MB2_MAX_MMAP);
	for (size_t i = 0; i < in->nmods; i++)
		if (in->mods[i].start + in->mods[i].size > FOUR_G)
			return kj_fail(err, EINVAL,
				       "Multiboot 2: module %zu ends above "
				       "4 GiB",
				       i);
	if (in->rsdp_v1_len && in->rsdp_v1_len != RSDP_V1_LEN)
		return kj_fail(err, EINVAL,
			       "Multiboot 2: ACPI 1.0 RSDP is %zu bytes, not "
			       "%d",
			       in->rsdp_v1_len, RSDP_V1_LEN);
	if (in->rsdp_v2_len && (in->rsdp_v2_len < RSDP_V2_MIN ||
				in->rsdp_v2_len > KJ_MB2_MAX_BLOB))
		return kj_fail(err, EINVAL,
			       "Multiboot 2: ACPI 2.0 RSDP of %zu bytes",
			       in->rsdp_v2_len);
	if (in->smbios_len > KJ_MB2_MAX_BLOB ||
	    in->efi_mmap_len > KJ_MB2_MAX_BLOB)
		return kj_fail(err, E2BIG,
			       "Multiboot 2: SMBIOS or EFI memory map larger "
			       "than %u bytes",
			       KJ_MB2_MAX_BLOB);
	if (in->efi_mmap_len && (in->efi_desc_size < EFI_DESC_MIN ||
				 in->efi_mmap_len % in->efi_desc_size))
		return kj_fail(err, EINVAL,
			       "Multiboot 2: EFI memory map of %zu bytes does "
			       "not hold whole %u-byte descriptors",
			       in->efi_mmap_len, in->efi_desc_size);
	if (in->fb && in->fb->type != KJ_MB2_FB_RGB &&
	    in->fb->type != KJ_MB2_FB_EGA_TEXT)
		return kj_fail(err, EINVAL,
			       "Multiboot 2: framebuffer type %u (only RGB and "
			       "EGA text are passed)",
			       in->fb->type);
	return 0;
}

static void framebuffer_tag(struct mbi *m, const struct kj_mb2_framebuffer *f)
{
	tag_begin(m, KJ_MB2_FRAMEBUFFER);
	tag_u64(m, f->addr);
	tag_u32(m, f->pitch);
	tag_u32(m, f->width);
	tag_u32(m, f->height);
	put(m, m->pos, f->bpp, 1);
	put(m, m->pos + 1, f->type, 1);
	m->pos += 4; /* type, bpp, u16 reserved (as GRUB lays it out) */
	if (f->type == KJ_MB2_FB_RGB) {
		const uint8_t c[6] = {
			f->red_pos,    f->red_size, f->green_pos,
			f->green_size, f->blue_pos, f->blue_size
		};

		put_bytes(m, c, sizeof(c));
	}
	tag_end(m);
}

static void write_all(struct mbi *m, const struct kj_mb2_mbi_in *in)
{
	uint32_t lower, upper;

	m->pos = 8; /* total_size, reserved */
	if (in->load_base_valid) {
		tag_begin(m, KJ_MB2_LOAD_BASE);
		tag_u32(m, in->load_base);
		tag_end(m);
	}
	tag_begin(m, KJ_MB2_CMDLINE);
	put_str(m, in->cmdline);
	tag_end(m);
	tag_begin(m, KJ_MB2_LOADER_NAME);
	put_str(m, in->loader_name);
	tag_end(m);
	for (size_t i = 0; i < in->nmods; i++) {
		tag_begin(m, KJ_MB2_MODULE);
		tag_u32(m, (uint32_t)in->mods[i].start);
		tag_u32(m, (uint32_t)(in->mods[i].start + in->mods[i].size));
		put_str(m, in->mods[i].cmdline);
		tag_end(m);
	}
	if (in->nmap) {
		tag_begin(m, KJ_MB2_MMAP);
		tag_u32(m, 24); /* entry_size */
		tag_u32(m, 0);	/* entry_version */
		for (size_t i = 0; i < in->nmap; i++) {
			tag_u64(m, in->map[i].start);
			tag_u64(m, in->map[i].end - in->map[i].start);
			tag_u32(m, kj_memmap_firmware_type(in->map[i].type));
			tag_u32(m, 0);
		}
		tag_end(m);
		kj_mb_mem_info(in->map, in->nmap, &lower, &upper);
		tag_begin(m, KJ_MB2_BASIC_MEMINFO);
		tag_u32(m, lower);
		tag_u32(m, upper);
		tag_end(m);
	}
	if (in->fb)
		framebuffer_tag(m, in->fb);
	if (in->efi64_systab) {
		tag_begin(m, KJ_MB2_EFI64);
		tag_u64(m, in->efi64_systab);
		tag_end(m);
	}
	if (in->rsdp_v1_len) {
		tag_begin(m, KJ_MB2_ACPI_OLD);
		put_bytes(m, in->rsdp_v1, in->rsdp_v1_len);
		tag_end(m);
	}
	if (in->rsdp_v2_len) {
		tag_begin(m, KJ_MB2_ACPI_NEW);
		put_bytes(m, in->rsdp_v2, in->rsdp_v2_len);
		tag_end(m);
	}
	if (in->smbios_len) {
		tag_begin(m, KJ_MB2_SMBIOS);
		put(m, m->pos, in->smbios_major, 1);
		put(m, m->pos + 1, in->smbios_minor, 1);
		m->pos += 8; /* major, minor, 6 reserved */
		put_bytes(m, in->smbios, in->smbios_len);
		tag_end(m);
	}
	if (in->efi_mmap_len) {
		tag_begin(m, KJ_MB2_EFI_MMAP);
		tag_u32(m, in->efi_desc_size);
		tag_u32(m, in->efi_desc_version);
		put_bytes(m, in->efi_mmap, in->efi_mmap_len);
		tag_end(m);
	}
	tag_begin(m, KJ_MB2_END);
	tag_end(m);
	put(m, 0, m->pos, 4);
}

int kj_mb2_mbi_size(const struct kj_mb2_mbi_in *in, size_t *size,
		    struct kj_err *err)
{
	struct mbi m = { 0 };
	int r = check_in(in, err);

	if (r < 0)
		return r;
	write_all(&m, in);
	*size = m.pos;
	return 0;
}

int kj_mb2_mbi_build(const struct kj_mb2_mbi_in *in, uint64_t addr,
		     uint8_t **buf, size_t *len, struct kj_err *err)
{
	struct mbi m = { 0 };
	size_t size;
	int r;

	*buf = NULL;
	*len = 0;
	r = kj_mb2_mbi_size(in, &size, err);
	if (r < 0)
		return r;
	if (addr % 8)
		return kj_fail(
			err, EINVAL,
			"Multiboot 2: information block at 0x%llx is not "
			"8-byte aligned",
			(unsigned long long)addr);
	if (addr >= FOUR_G || size > FOUR_G - addr)
		return kj_fail(err, EINVAL,
			       "Multiboot 2: information block must lie below "
			       "4 GiB");
	m.buf = calloc(1, size);
	if (!m.buf)
		return kj_fail(err, ENOMEM, "Multiboot 2: out of memory");
	write_all(&m, in);
	*buf = m.buf;
	*len = size;
	return 0;
}
