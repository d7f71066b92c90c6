#include "core/elfcore32.h"

#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define LIMIT 0xffffffffull

static int too_big(uint64_t v, const char *what, struct kj_err *err)
{
	return kj_fail(err, ERANGE,
		       "--elf32-core-headers: %s 0x%" PRIx64 " is above 4 GiB, "
		       "which an ELF32 core header cannot describe; use "
		       "--elf64-core-headers",
		       what, v);
}

int kj_elfcore_to_elf32(const uint8_t *in, size_t len, uint8_t **out,
			size_t *outlen, struct kj_err *err)
{
	Elf64_Ehdr eh;
	Elf32_Ehdr e32;
	uint8_t *buf;

	if (len < sizeof(eh))
		return kj_fail(err, EINVAL, "elfcorehdr: truncated");
	memcpy(&eh, in, sizeof(eh));
	if (eh.e_phoff != sizeof(eh) || eh.e_phentsize != sizeof(Elf64_Phdr) ||
	    (len - sizeof(eh)) / sizeof(Elf64_Phdr) < eh.e_phnum)
		return kj_fail(err, EINVAL, "elfcorehdr: malformed");
	buf = calloc(1, sizeof(e32) + eh.e_phnum * sizeof(Elf32_Phdr));
	if (!buf)
		return kj_fail(err, ENOMEM, "elfcorehdr: out of memory");
	for (size_t i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr p;
		Elf32_Phdr q = { 0 };

		memcpy(&p, in + sizeof(eh) + i * sizeof(p), sizeof(p));
		if (p.p_offset + p.p_filesz > LIMIT ||
		    p.p_paddr + p.p_memsz > LIMIT || p.p_vaddr > LIMIT) {
			free(buf);
			return too_big(p.p_paddr + p.p_memsz - 1,
				       p.p_type == PT_NOTE ? "a note ending at"
							   : "RAM ending at",
				       err);
		}
		q.p_type = p.p_type;
		q.p_offset = (Elf32_Off)p.p_offset;
		q.p_vaddr = (Elf32_Addr)p.p_vaddr;
		q.p_paddr = (Elf32_Addr)p.p_paddr;
		q.p_filesz = (Elf32_Word)p.p_filesz;
		q.p_memsz = (Elf32_Word)p.p_memsz;
		q.p_flags = p.p_flags;
		q.p_align = (Elf32_Word)p.p_align;
		memcpy(buf + sizeof(e32) + i * sizeof(q), &q, sizeof(q));
	}
	memset(&e32, 0, sizeof(e32));
	memcpy(e32.e_ident, eh.e_ident, EI_NIDENT);
	e32.e_ident[EI_CLASS] = ELFCLASS32;
	e32.e_type = eh.e_type;
	e32.e_machine = eh.e_machine;
	e32.e_version = eh.e_version;
	e32.e_phoff = sizeof(e32);
	e32.e_ehsize = sizeof(e32);
	e32.e_phentsize = sizeof(Elf32_Phdr);
	e32.e_phnum = eh.e_phnum;
	memcpy(buf, &e32, sizeof(e32));
	*out = buf;
	*outlen = sizeof(e32) + eh.e_phnum * sizeof(Elf32_Phdr);
	return 0;
}
