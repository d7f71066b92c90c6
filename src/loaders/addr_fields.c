#include "loaders/addr_fields.h"

#include <errno.h>
#include <inttypes.h>

#define FOUR_G (1ull << 32)

int kj_addr_fields_layout(size_t size, size_t header_off,
			  const struct kj_addr_fields *f, const char *proto,
			  const char *name, struct kj_load_chunk *chunk,
			  struct kj_err *err)
{
	uint64_t delta, offset, filesz, end, memend;

	if (f->header_addr < f->load_addr)
		return kj_fail(err, EINVAL,
			       "%s: %s header_addr 0x%08x is below load_addr "
			       "0x%08x",
			       name, proto, f->header_addr, f->load_addr);
	delta = f->header_addr - f->load_addr;
	if (delta > header_off)
		return kj_fail(err, EINVAL,
			       "%s: %s load_addr 0x%08x would start 0x%" PRIx64
			       " bytes before the file",
			       name, proto, f->load_addr, delta - header_off);
	offset = header_off - delta;
	if (f->load_end_addr) {
		if (f->load_end_addr <= f->load_addr)
			return kj_fail(err, EINVAL,
				       "%s: %s load_end_addr 0x%08x is not "
				       "above load_addr 0x%08x",
				       name, proto, f->load_end_addr,
				       f->load_addr);
		filesz = f->load_end_addr - f->load_addr;
		if (filesz > size - offset)
			return kj_fail(
				err, EINVAL,
				"%s: %s load_end_addr 0x%08x lies 0x%" PRIx64
				" bytes past the end of the file",
				name, proto, f->load_end_addr,
				filesz - (size - offset));
	} else {
		filesz = size - offset;
	}
	end = f->load_addr + filesz;
	memend = end;
	if (f->bss_end_addr) {
		if (f->bss_end_addr < end)
			return kj_fail(
				err, EINVAL,
				"%s: %s bss_end_addr 0x%08x is below the "
				"end of the loaded image 0x%08" PRIx64,
				name, proto, f->bss_end_addr, end);
		memend = f->bss_end_addr;
	}
	if (memend > FOUR_G)
		return kj_fail(err, EINVAL, "%s: %s image ends above 4 GiB",
			       name, proto);
	if (f->entry_addr < f->load_addr || f->entry_addr >= memend)
		return kj_fail(err, EINVAL,
			       "%s: %s entry_addr 0x%08x is outside the image "
			       "0x%08x-0x%08" PRIx64,
			       name, proto, f->entry_addr, f->load_addr,
			       memend - 1);
	chunk->offset = offset;
	chunk->filesz = filesz;
	chunk->paddr = f->load_addr;
	chunk->memsz = memend - f->load_addr;
	return 0;
}
