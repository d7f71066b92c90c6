#include "core/elfcore.h"

#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PHDRS 4096

struct builder {
	Elf64_Phdr *ph;
	size_t n, cap;
};

void kj_crash_notes_free(struct kj_crash_notes *n)
{
	free(n->cpu);
	memset(n, 0, sizeof(*n));
}

static int add(struct builder *b, uint32_t type, uint64_t addr, uint64_t size,
	       struct kj_err *err)
{
	Elf64_Phdr *p;

	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;

		if (cap > MAX_PHDRS)
			return kj_fail(err, E2BIG,
				       "elfcorehdr: more than %d program headers",
				       MAX_PHDRS);
		p = realloc(b->ph, cap * sizeof(*p));
		if (!p)
			return kj_fail(err, ENOMEM, "elfcorehdr: out of memory");
		b->ph = p;
		b->cap = cap;
	}
	p = &b->ph[b->n++];
	memset(p, 0, sizeof(*p));
	p->p_type = type;
	p->p_offset = addr; /* physical: how /proc/vmcore reads it */
	p->p_paddr = addr;
	p->p_filesz = size;
	p->p_memsz = size;
	if (type == PT_LOAD)
		p->p_flags = PF_R | PF_W | PF_X;
	return 0;
}

static int add_load(struct builder *b, uint64_t start, uint64_t end,
		    struct kj_elfcore_info *info, struct kj_err *err)
{
	int r = add(b, PT_LOAD, start, end - start, err);

	if (r == 0)
		info->nload++;
	return r;
}

/* RAM outside the crash regions: what the crashed kernel owned. */
static int add_ram(struct builder *b, const struct kj_memmap *mm,
		   struct kj_elfcore_info *info, struct kj_err *err)
{
	struct kj_range cr[KJ_MEMMAP_MAX_CRASH];
	size_t ncr = mm->ncrash < KJ_MEMMAP_MAX_CRASH ? mm->ncrash
						      : KJ_MEMMAP_MAX_CRASH;

	/* Sorted by start, so one pass cuts each RAM range. */
	for (size_t i = 0; i < ncr; i++) {
		size_t j = i;

		while (j > 0 && cr[j - 1].start > mm->crash[i].start) {
			cr[j] = cr[j - 1];
			j--;
		}
		cr[j] = mm->crash[i];
	}
	for (size_t i = 0; i < mm->n; i++) {
		uint64_t cur = mm->e[i].start, end = mm->e[i].end;
		int r;

		if (mm->e[i].type != KJ_MEM_RAM)
			continue;
		for (size_t c = 0; c < ncr; c++) {
			if (cr[c].end <= cur || cr[c].start >= end)
				continue;
			if (cr[c].start > cur) {
				r = add_load(b, cur, cr[c].start, info, err);
				if (r < 0)
					return r;
			}
			if (cr[c].end > cur)
				cur = cr[c].end;
		}
		if (cur < end) {
			r = add_load(b, cur, end, info, err);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

int kj_elfcore_build(const struct kj_memmap *mm,
		     const struct kj_crash_notes *notes, uint16_t machine,
		     uint8_t **out, size_t *len, struct kj_elfcore_info *info,
		     struct kj_err *err)
{
	struct kj_elfcore_info dummy;
	struct builder b = { 0 };
	Elf64_Ehdr eh;
	uint8_t *buf;
	int r = 0;

	if (!info)
		info = &dummy;
	memset(info, 0, sizeof(*info));
	for (size_t i = 0; r == 0 && i < notes->ncpu; i++) {
		r = add(&b, PT_NOTE, notes->cpu[i].addr, notes->cpu[i].size,
			err);
		info->ncpu_notes += r == 0;
	}
	if (r == 0 && notes->have_vmcoreinfo) {
		info->vmcoreinfo = true;
		r = add(&b, PT_NOTE, notes->vmcoreinfo.addr,
			notes->vmcoreinfo.size, err);
	}
	if (r == 0)
		r = add_ram(&b, mm, info, err);
	if (r == 0 && info->nload == 0)
		r = kj_fail(err, EINVAL,
			    "elfcorehdr: no System RAM outside the crash region");
	if (r < 0) {
		free(b.ph);
		return r;
	}

	memset(&eh, 0, sizeof(eh));
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_ident[EI_OSABI] = ELFOSABI_NONE;
	eh.e_type = ET_CORE;
	eh.e_machine = machine;
	eh.e_version = EV_CURRENT;
	eh.e_phoff = sizeof(eh);
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(Elf64_Phdr);
	eh.e_phnum = (Elf64_Half)b.n;

	*len = sizeof(eh) + b.n * sizeof(Elf64_Phdr);
	buf = malloc(*len);
	if (!buf) {
		free(b.ph);
		return kj_fail(err, ENOMEM, "elfcorehdr: out of memory");
	}
	memcpy(buf, &eh, sizeof(eh));
	memcpy(buf + sizeof(eh), b.ph, b.n * sizeof(Elf64_Phdr));
	free(b.ph);
	*out = buf;
	return 0;
}
