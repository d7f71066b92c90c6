#include "loaders/multiboot1.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#define FAR_SEARCH (64 * 1024) /* look this far only to explain a miss */
#define FOUR_G (1ull << 32)

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static bool valid_at(const uint8_t *data, size_t off)
{
	return rd32(data + off) == KJ_MB1_HEADER_MAGIC &&
	       (uint32_t)(rd32(data + off) + rd32(data + off + 4) +
			  rd32(data + off + 8)) == 0;
}

/* First valid header in [0, limit), or -1; *bad gets the first magic
 * with a wrong checksum (or -1). */
static long search(const uint8_t *data, size_t size, size_t limit, long *bad)
{
	if (limit > size)
		limit = size;
	*bad = -1;
	for (size_t off = 0; off + 12 <= limit; off += 4) {
		if (rd32(data + off) != KJ_MB1_HEADER_MAGIC)
			continue;
		if (valid_at(data, off))
			return (long)off;
		if (*bad < 0)
			*bad = (long)off;
	}
	return -1;
}

long kj_mb1_find(const uint8_t *data, size_t size)
{
	long bad, off = search(data, size, KJ_MB1_SEARCH, &bad);

	return off < 0 ? -ENOENT : off;
}

static int no_header(const uint8_t *data, size_t size, const char *name,
		     long bad, struct kj_err *err)
{
	long far_bad, far = search(data, size, FAR_SEARCH, &far_bad);

	if (bad >= 0)
		return kj_fail(err, ENOEXEC,
			       "%s: Multiboot header at offset 0x%lx has a bad "
			       "checksum",
			       name, bad);
	if (far >= 0)
		return kj_fail(err, ENOEXEC,
			       "%s: Multiboot header at offset 0x%lx is past "
			       "the first 8 KiB",
			       name, far);
	return kj_fail(err, ENOEXEC,
		       "%s: no Multiboot header in the first 8 KiB", name);
}

static int check_flags(struct kj_mb1 *mb, const char *name, struct kj_err *err)
{
	uint32_t unknown = mb->flags & 0xffffu & ~KJ_MB1_SUPPORTED;

	if (unknown)
		return kj_fail(err, ENOTSUP,
			       "%s: Multiboot header requires flag bit %d "
			       "(flags 0x%08x), which kjump does not support",
			       name, __builtin_ctz(unknown), mb->flags);
	mb->video_ignored = mb->flags & KJ_MB1_VIDEO_MODE;
	return 0;
}

/* The a.out kludge: the header says which part of the file goes where.
 * header_addr is where the header itself lands, which fixes the file
 * offset of load_addr. */
static int layout_aout(const uint8_t *data, size_t size, const char *name,
		       struct kj_mb1 *mb, struct kj_err *err)
{
	const uint8_t *h = data + mb->header_offset;
	uint64_t delta, offset, filesz, end, memend;

	if (size - mb->header_offset < 32)
		return kj_fail(err, EINVAL,
			       "%s: Multiboot a.out fields cut off by the end "
			       "of the file",
			       name);
	mb->aout = true;
	mb->header_addr = rd32(h + 12);
	mb->load_addr = rd32(h + 16);
	mb->load_end_addr = rd32(h + 20);
	mb->bss_end_addr = rd32(h + 24);
	mb->entry_addr = rd32(h + 28);
	if (mb->header_addr < mb->load_addr)
		return kj_fail(err, EINVAL,
			       "%s: Multiboot header_addr 0x%08x is below "
			       "load_addr 0x%08x",
			       name, mb->header_addr, mb->load_addr);
	delta = mb->header_addr - mb->load_addr;
	if (delta > mb->header_offset)
		return kj_fail(
			err, EINVAL,
			"%s: Multiboot load_addr 0x%08x would start 0x%" PRIx64
			" bytes before the file",
			name, mb->load_addr, delta - mb->header_offset);
	offset = mb->header_offset - delta;
	if (mb->load_end_addr) {
		if (mb->load_end_addr <= mb->load_addr)
			return kj_fail(err, EINVAL,
				       "%s: Multiboot load_end_addr 0x%08x is "
				       "not above load_addr 0x%08x",
				       name, mb->load_end_addr, mb->load_addr);
		filesz = mb->load_end_addr - mb->load_addr;
		if (filesz > size - offset)
			return kj_fail(err, EINVAL,
				       "%s: Multiboot load_end_addr 0x%08x "
				       "lies 0x%" PRIx64
				       " bytes past the end of the file",
				       name, mb->load_end_addr,
				       filesz - (size - offset));
	} else {
		filesz = size - offset;
	}
	end = mb->load_addr + filesz;
	memend = end;
	if (mb->bss_end_addr) {
		if (mb->bss_end_addr < end)
			return kj_fail(
				err, EINVAL,
				"%s: Multiboot bss_end_addr 0x%08x is below "
				"the end of the loaded image 0x%08" PRIx64,
				name, mb->bss_end_addr, end);
		memend = mb->bss_end_addr;
	}
	if (memend > FOUR_G)
		return kj_fail(err, EINVAL,
			       "%s: Multiboot image ends above 4 GiB", name);
	if (mb->entry_addr < mb->load_addr || mb->entry_addr >= memend)
		return kj_fail(err, EINVAL,
			       "%s: Multiboot entry_addr 0x%08x is outside the "
			       "image 0x%08x-0x%08" PRIx64,
			       name, mb->entry_addr, mb->load_addr, memend - 1);
	mb->entry = mb->entry_addr;
	mb->chunk[0].offset = offset;
	mb->chunk[0].filesz = filesz;
	mb->chunk[0].paddr = mb->load_addr;
	mb->chunk[0].memsz = memend - mb->load_addr;
	mb->nchunk = 1;
	return 0;
}

static int layout_elf(const uint8_t *data, size_t size, const char *name,
		      struct kj_mb1 *mb, struct kj_err *err)
{
	struct kj_elf_info elf;
	int r;

	if (!kj_elf_probe(data, size))
		return kj_fail(err, ENOEXEC,
			       "%s: Multiboot image is neither ELF nor uses "
			       "the a.out kludge (flag 16)",
			       name);
	r = kj_elf_parse(data, size, name, &elf, err);
	if (r < 0)
		return r;
	for (size_t i = 0; i < elf.nchunk; i++)
		if (elf.chunk[i].paddr + elf.chunk[i].memsz > FOUR_G)
			return kj_fail(err, EINVAL,
				       "%s: segment at 0x%" PRIx64
				       " ends above 4 GiB (Multiboot runs in "
				       "32-bit mode)",
				       name, elf.chunk[i].paddr);
	if (elf.entry >= FOUR_G)
		return kj_fail(err, EINVAL,
			       "%s: entry point 0x%" PRIx64 " is above 4 GiB",
			       name, elf.entry);
	mb->elf_bits = elf.bits;
	mb->entry = (uint32_t)elf.entry;
	memcpy(mb->chunk, elf.chunk, elf.nchunk * sizeof(elf.chunk[0]));
	mb->nchunk = elf.nchunk;
	return 0;
}

int kj_mb1_parse(const uint8_t *data, size_t size, const char *name,
		 struct kj_mb1 *mb, struct kj_err *err)
{
	long bad, off;
	int r;

	memset(mb, 0, sizeof(*mb));
	off = search(data, size, KJ_MB1_SEARCH, &bad);
	if (off < 0)
		return no_header(data, size, name, bad, err);
	mb->header_offset = (size_t)off;
	mb->flags = rd32(data + off + 4);
	r = check_flags(mb, name, err);
	if (r < 0)
		return r;
	if (mb->flags & KJ_MB1_AOUT_KLUDGE)
		r = layout_aout(data, size, name, mb, err);
	else
		r = layout_elf(data, size, name, mb, err);
	if (r < 0)
		return r;
	mb->lowest = mb->chunk[0].paddr;
	mb->end = 0;
	for (size_t i = 0; i < mb->nchunk; i++)
		if (mb->chunk[i].paddr + mb->chunk[i].memsz > mb->end)
			mb->end = mb->chunk[i].paddr + mb->chunk[i].memsz;
	return 0;
}
