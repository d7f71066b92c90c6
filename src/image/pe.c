#include "image/pe.h"

#include "core/le.h"

#include <errno.h>
#include <string.h>

#define DOS_HEADER 64  /* e_lfanew sits at 0x3c */
#define COFF_HEADER 20 /* after the 4-byte signature */
#define OPT_NEEDED 72  /* optional header bytes we read */
#define SECTION_HEADER 40

bool kj_pe_probe(const uint8_t *data, size_t size)
{
	uint32_t off;

	if (!data || size < DOS_HEADER || data[0] != 'M' || data[1] != 'Z')
		return false;
	off = kj_le32(data + 0x3c);
	return off <= size - 4 && !memcmp(data + off, "PE\0\0", 4);
}

const char *kj_pe_machine_name(uint16_t machine)
{
	switch (machine) {
	case KJ_PE_MACHINE_X86_64:
		return "x86_64";
	case KJ_PE_MACHINE_I386:
		return "i386";
	case KJ_PE_MACHINE_ARM64:
		return "arm64";
	case KJ_PE_MACHINE_RISCV64:
		return "riscv64";
	default:
		return NULL;
	}
}

static int read_optional(const uint8_t *opt, size_t len, const char *name,
			 struct kj_pe *pe, struct kj_err *err)
{
	if (len < OPT_NEEDED)
		return kj_fail(err, EINVAL,
			       "%s: PE optional header is %zu bytes, too short "
			       "(at least %d)",
			       name, len, OPT_NEEDED);
	pe->opt_magic = kj_le16(opt);
	if (pe->opt_magic == KJ_PE_OPT_PE32)
		pe->image_base = kj_le32(opt + 28);
	else if (pe->opt_magic == KJ_PE_OPT_PE32PLUS)
		pe->image_base = kj_le64(opt + 24);
	else
		return kj_fail(err, EINVAL,
			       "%s: PE optional header magic 0x%x is neither "
			       "PE32 nor PE32+",
			       name, pe->opt_magic);
	pe->entry = kj_le32(opt + 16);
	pe->section_align = kj_le32(opt + 32);
	pe->file_align = kj_le32(opt + 36);
	pe->image_major = kj_le16(opt + 44);
	pe->image_minor = kj_le16(opt + 46);
	pe->size_of_image = kj_le32(opt + 56);
	pe->size_of_headers = kj_le32(opt + 60);
	pe->subsystem = kj_le16(opt + 68);
	return 0;
}

static int read_section(const uint8_t *h, size_t size, const char *name,
			unsigned int i, struct kj_pe_section *s,
			struct kj_err *err)
{
	memcpy(s->name, h, 8);
	s->name[8] = '\0';
	s->vsize = kj_le32(h + 8);
	s->vaddr = kj_le32(h + 12);
	s->raw_size = kj_le32(h + 16);
	s->raw_off = kj_le32(h + 20);
	s->characteristics = kj_le32(h + 36);
	s->file_off = s->raw_off;
	s->file_size = s->raw_size < s->vsize ? s->raw_size : s->vsize;
	/* Only the bytes a loader reads must be in the file; SizeOfRawData
	 * may round past the end of the last section. */
	if (s->file_size &&
	    (s->file_off > size || s->file_size > size - s->file_off))
		return kj_fail(err, EINVAL,
			       "%s: PE section %u (%s): bytes 0x%zx+0x%zx lie "
			       "past the end of the file (%zu bytes)",
			       name, i, s->name, s->file_off, s->file_size,
			       size);
	if ((uint64_t)s->vaddr + s->vsize > UINT32_MAX)
		return kj_fail(err, EINVAL,
			       "%s: PE section %u (%s): 0x%x+0x%x runs past "
			       "the 4 GiB image space",
			       name, i, s->name, s->vaddr, s->vsize);
	return 0;
}

static bool overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return alen && blen && a < b + blen && b < a + alen;
}

static int check_overlaps(const struct kj_pe *pe, const char *name,
			  struct kj_err *err)
{
	for (unsigned int i = 0; i < pe->nsections; i++)
		for (unsigned int j = i + 1; j < pe->nsections; j++) {
			const struct kj_pe_section *a = &pe->sec[i];
			const struct kj_pe_section *b = &pe->sec[j];

			if (overlap(a->file_off, a->file_size, b->file_off,
				    b->file_size))
				return kj_fail(err, EINVAL,
					       "%s: PE sections %u (%s) and %u "
					       "(%s) overlap in the file",
					       name, i, a->name, j, b->name);
			if (overlap(a->vaddr, a->vsize, b->vaddr, b->vsize))
				return kj_fail(err, EINVAL,
					       "%s: PE sections %u (%s) and %u "
					       "(%s) overlap in memory",
					       name, i, a->name, j, b->name);
		}
	return 0;
}

int kj_pe_parse(const uint8_t *data, size_t size, const char *name,
		struct kj_pe *pe, struct kj_err *err)
{
	const uint8_t *coff;
	size_t opt_len, table;
	int r;

	memset(pe, 0, sizeof(*pe));
	if (!data || size < 2 || data[0] != 'M' || data[1] != 'Z')
		return kj_fail(err, ENOEXEC, "%s: no MZ signature", name);
	if (size < DOS_HEADER)
		return kj_fail(err, EINVAL,
			       "%s: DOS header cut short (%zu of %d bytes)",
			       name, size, DOS_HEADER);
	pe->pe_offset = kj_le32(data + 0x3c);
	if (pe->pe_offset > size || size - pe->pe_offset < 4 + COFF_HEADER)
		return kj_fail(err, EINVAL,
			       "%s: PE header at 0x%x lies past the end of the "
			       "file (%zu bytes)",
			       name, pe->pe_offset, size);
	if (memcmp(data + pe->pe_offset, "PE\0\0", 4))
		return kj_fail(err, ENOEXEC,
			       "%s: no PE signature at offset 0x%x", name,
			       pe->pe_offset);
	coff = data + pe->pe_offset + 4;
	pe->machine = kj_le16(coff);
	pe->nsections = kj_le16(coff + 2);
	opt_len = kj_le16(coff + 16);
	pe->characteristics = kj_le16(coff + 18);
	if (pe->nsections == 0 || pe->nsections > KJ_PE_MAX_SECTIONS)
		return kj_fail(err, EINVAL,
			       "%s: %u PE sections (1 to %d supported)", name,
			       pe->nsections, KJ_PE_MAX_SECTIONS);
	table = (size_t)pe->pe_offset + 4 + COFF_HEADER;
	if (opt_len > size - table)
		return kj_fail(
			err, EINVAL,
			"%s: PE optional header (%zu bytes at 0x%zx) cut "
			"off by the end of the file",
			name, opt_len, table);
	r = read_optional(data + table, opt_len, name, pe, err);
	if (r < 0)
		return r;
	table += opt_len;
	if ((size_t)pe->nsections * SECTION_HEADER > size - table)
		return kj_fail(err, EINVAL,
			       "%s: PE section table (%u entries at 0x%zx) cut "
			       "off by the end of the file",
			       name, pe->nsections, table);
	for (unsigned int i = 0; i < pe->nsections; i++) {
		r = read_section(data + table + (size_t)i * SECTION_HEADER,
				 size, name, i, &pe->sec[i], err);
		if (r < 0)
			return r;
	}
	return check_overlaps(pe, name, err);
}

const struct kj_pe_section *kj_pe_find(const struct kj_pe *pe, const char *name)
{
	size_t n = strlen(name);

	if (n > 8)
		return NULL;
	for (unsigned int i = 0; i < pe->nsections; i++)
		if (!memcmp(pe->sec[i].name, name, n) &&
		    (n == 8 || pe->sec[i].name[n] == '\0'))
			return &pe->sec[i];
	return NULL;
}
