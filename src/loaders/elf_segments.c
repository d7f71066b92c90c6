#include "loaders/elf_segments.h"

#include "core/le.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PT_LOAD 1
#define ET_EXEC 2
#define ET_DYN 3
#define MAX_PHDRS 256 /* headers scanned at all */

int kj_elf_probe(const uint8_t *data, size_t size)
{
	return size >= 52 && !memcmp(data, "\177ELF", 4) &&
	       (data[4] == 1 || data[4] == 2) && data[5] == 1;
}

static int cmp_chunk(const void *a, const void *b)
{
	const struct kj_load_chunk *x = a, *y = b;

	return x->paddr < y->paddr ? -1 : x->paddr > y->paddr;
}

/* Read program header i into a chunk; *load is set for PT_LOAD. */
static void read_phdr(const uint8_t *ph, unsigned int bits,
		      struct kj_load_chunk *c, uint64_t *vaddr, int *load)
{
	*load = kj_le32(ph) == PT_LOAD;
	if (bits == 32) {
		c->offset = kj_le32(ph + 4);
		*vaddr = kj_le32(ph + 8);
		c->paddr = kj_le32(ph + 12);
		c->filesz = kj_le32(ph + 16);
		c->memsz = kj_le32(ph + 20);
	} else {
		c->offset = kj_le64(ph + 8);
		*vaddr = kj_le64(ph + 16);
		c->paddr = kj_le64(ph + 24);
		c->filesz = kj_le64(ph + 32);
		c->memsz = kj_le64(ph + 40);
	}
}

static int check_chunk(const struct kj_load_chunk *c, size_t size,
		       unsigned int bits, const char *name, unsigned int i,
		       struct kj_err *err)
{
	uint64_t limit = bits == 32 ? UINT32_MAX : UINT64_MAX;

	if (c->filesz > c->memsz)
		return kj_fail(err, EINVAL,
			       "%s: program header %u: file size 0x%" PRIx64
			       " larger than memory size 0x%" PRIx64,
			       name, i, c->filesz, c->memsz);
	if (c->offset > size || c->filesz > size - c->offset)
		return kj_fail(err, EINVAL,
			       "%s: program header %u: bytes 0x%" PRIx64
			       "+0x%" PRIx64 " lie past the end of the file "
			       "(%zu bytes)",
			       name, i, c->offset, c->filesz, size);
	if (c->memsz - 1 > limit - c->paddr)
		return kj_fail(err, EINVAL,
			       "%s: program header %u: 0x%" PRIx64 "+0x%" PRIx64
			       " wraps around the address space",
			       name, i, c->paddr, c->memsz);
	return 0;
}

static int check_overlaps(const struct kj_elf_info *info, const char *name,
			  struct kj_err *err)
{
	for (size_t i = 1; i < info->nchunk; i++) {
		const struct kj_load_chunk *a = &info->chunk[i - 1];
		const struct kj_load_chunk *b = &info->chunk[i];

		if (b->paddr - a->paddr < a->memsz)
			return kj_fail(err, EINVAL,
				       "%s: segments at 0x%" PRIx64
				       "-0x%" PRIx64 " and 0x%" PRIx64
				       "-0x%" PRIx64 " overlap",
				       name, a->paddr, a->paddr + a->memsz - 1,
				       b->paddr, b->paddr + b->memsz - 1);
	}
	return 0;
}

/* An entry no PT_LOAD contains by virtual address may still be a
 * physical one inside a segment; anywhere else it would jump into
 * memory nothing was loaded to. */
static int check_physical_entry(const struct kj_elf_info *info,
				const char *name, struct kj_err *err)
{
	char ranges[160];
	size_t used = 0;

	for (size_t i = 0; i < info->nchunk; i++) {
		const struct kj_load_chunk *c = &info->chunk[i];

		if (info->entry >= c->paddr && info->entry - c->paddr < c->memsz)
			return 0;
		if (used < sizeof(ranges))
			used += (size_t)snprintf(ranges + used,
						 sizeof(ranges) - used,
						 "%s0x%" PRIx64 "-0x%" PRIx64,
						 i ? ", " : "", c->paddr,
						 c->paddr + c->memsz - 1);
	}
	return kj_fail(err, ENOEXEC,
		       "%s: entry point 0x%" PRIx64 " is outside every loaded "
		       "segment (%s)",
		       name, info->entry, ranges);
}

int kj_elf_parse(const uint8_t *data, size_t size, const char *name,
		 struct kj_elf_info *info, struct kj_err *err)
{
	uint64_t phoff, vaddr;
	unsigned int phentsize, phnum, type;
	bool found_entry = false;
	int r, load;

	memset(info, 0, sizeof(*info));
	if (!kj_elf_probe(data, size))
		return kj_fail(err, ENOEXEC, "%s: not a little-endian ELF file",
			       name);
	info->bits = data[4] == 1 ? 32 : 64;
	if (info->bits == 64 && size < 64)
		return kj_fail(err, EINVAL, "%s: ELF header cut short", name);
	type = kj_le16(data + 16);
	info->machine = kj_le16(data + 18);
	if (type != ET_EXEC && type != ET_DYN)
		return kj_fail(err, ENOEXEC,
			       "%s: ELF type %u is not an executable", name,
			       type);
	if (info->bits == 32) {
		info->entry_virt = kj_le32(data + 24);
		phoff = kj_le32(data + 28);
		phentsize = kj_le16(data + 42);
		phnum = kj_le16(data + 44);
	} else {
		info->entry_virt = kj_le64(data + 24);
		phoff = kj_le64(data + 32);
		phentsize = kj_le16(data + 54);
		phnum = kj_le16(data + 56);
	}
	if (phentsize != (info->bits == 32 ? 32u : 56u))
		return kj_fail(err, EINVAL,
			       "%s: program header size %u is wrong for ELF%u",
			       name, phentsize, info->bits);
	if (phnum == 0 || phnum > MAX_PHDRS)
		return kj_fail(err, EINVAL,
			       "%s: %u program headers (1 to %d supported)",
			       name, phnum, MAX_PHDRS);
	if (phoff > size || (uint64_t)phnum * phentsize > size - phoff)
		return kj_fail(
			err, EINVAL,
			"%s: program headers lie past the end of the file",
			name);
	info->entry = info->entry_virt;
	for (unsigned int i = 0; i < phnum; i++) {
		struct kj_load_chunk c;

		read_phdr(data + phoff + (uint64_t)i * phentsize, info->bits,
			  &c, &vaddr, &load);
		if (!load || c.memsz == 0)
			continue;
		r = check_chunk(&c, size, info->bits, name, i, err);
		if (r < 0)
			return r;
		if (info->nchunk >= KJ_ELF_MAX_LOAD)
			return kj_fail(err, E2BIG,
				       "%s: more than %d loadable segments",
				       name, KJ_ELF_MAX_LOAD);
		if (!found_entry && info->entry_virt >= vaddr &&
		    info->entry_virt - vaddr < c.memsz) {
			info->entry = info->entry_virt - vaddr + c.paddr;
			found_entry = true;
		}
		info->chunk[info->nchunk++] = c;
	}
	if (!info->nchunk)
		return kj_fail(err, ENOEXEC, "%s: no loadable segment", name);
	qsort(info->chunk, info->nchunk, sizeof(info->chunk[0]), cmp_chunk);
	r = check_overlaps(info, name, err);
	if (r == 0 && !found_entry)
		r = check_physical_entry(info, name, err);
	return r;
}
