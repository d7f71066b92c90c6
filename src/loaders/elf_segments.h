/* ELF program headers: what a kernel image asks to have loaded where.
 *
 * Shared by the Multiboot loader (an ELF image with a Multiboot header)
 * and the plain ELF loader. Only what booting needs is read: class,
 * machine, entry and the PT_LOAD headers, each placed at its physical
 * address (p_paddr), as boot loaders do. The file is untrusted: every
 * header is checked against the file size, counts are capped, and two
 * segments that claim the same memory are an error. */
#ifndef KJ_LOADERS_ELF_SEGMENTS_H
#define KJ_LOADERS_ELF_SEGMENTS_H

#include <stddef.h>
#include <stdint.h>

#include "core/chunk_plan.h"
#include "core/err.h"

#define KJ_ELF_MAX_LOAD KJ_CHUNKS_MAX /* PT_LOAD kept; more: error */

#define KJ_ELF_MACHINE_386 3
#define KJ_ELF_MACHINE_X86_64 62

struct kj_elf_info {
	unsigned int bits;   /* 32 or 64 */
	uint16_t machine;    /* KJ_ELF_MACHINE_* or another e_machine */
	uint64_t entry;	     /* e_entry, translated to physical (see below) */
	uint64_t entry_virt; /* e_entry as written */
	struct kj_load_chunk chunk[KJ_ELF_MAX_LOAD]; /* sorted by paddr */
	size_t nchunk;
};

/* Does the buffer start like an ELF file (magic, class, little-endian)? */
int kj_elf_probe(const uint8_t *data, size_t size);

/* Parse an ELF32 or ELF64 little-endian executable. The entry point is
 * translated from virtual to physical through the PT_LOAD header that
 * contains it (GRUB does the same for higher-half kernels); if none
 * does, it must be a physical address inside a loaded segment. Errors name the file (name) and the
 * header: no PT_LOAD, a segment past the end of the file, filesz larger
 * than memsz, address overflow, overlapping segments. */
int kj_elf_parse(const uint8_t *data, size_t size, const char *name,
		 struct kj_elf_info *info, struct kj_err *err);

#endif
