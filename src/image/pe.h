/* PE/COFF: the EFI executable format that wraps UKIs, EFI zboot images,
 * bzImages with an EFI stub and arm64 Images.
 *
 * Only the headers are read: the DOS header (its e_lfanew points at the
 * PE signature), the COFF file header, the optional header (PE32 or
 * PE32+) and the section table. The file is untrusted: every header and
 * every section's file bytes are checked against the file size, counts
 * are capped, and two sections claiming the same file bytes or the same
 * memory are an error. Errors name the file. */
#ifndef KJ_IMAGE_PE_H
#define KJ_IMAGE_PE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define KJ_PE_MAX_SECTIONS 96 /* what systemd-stub accepts */

#define KJ_PE_MACHINE_I386 0x014c
#define KJ_PE_MACHINE_X86_64 0x8664
#define KJ_PE_MACHINE_ARM64 0xaa64
#define KJ_PE_MACHINE_RISCV64 0x5064

#define KJ_PE_OPT_PE32 0x10b
#define KJ_PE_OPT_PE32PLUS 0x20b

struct kj_pe_section {
	char name[9];	   /* NUL-terminated copy of the 8-byte name */
	uint32_t vsize;	   /* VirtualSize: the section's size in memory */
	uint32_t vaddr;	   /* VirtualAddress (RVA) */
	uint32_t raw_size; /* SizeOfRawData (FileAlignment multiple) */
	uint32_t raw_off;  /* PointerToRawData */
	uint32_t characteristics;
	/* What the file holds of it: min(vsize, raw_size) bytes at raw_off
	 * (the rest of vsize, if any, is zero in memory). */
	size_t file_off, file_size;
};

struct kj_pe {
	uint32_t pe_offset; /* e_lfanew */
	uint16_t machine;
	uint16_t nsections;
	uint16_t characteristics;
	uint16_t opt_magic; /* KJ_PE_OPT_PE32 or KJ_PE_OPT_PE32PLUS */
	uint32_t entry;	    /* AddressOfEntryPoint (RVA) */
	uint64_t image_base;
	uint32_t section_align, file_align;
	uint32_t size_of_image, size_of_headers;
	uint16_t subsystem;
	uint16_t image_major, image_minor; /* Major/MinorImageVersion */
	struct kj_pe_section sec[KJ_PE_MAX_SECTIONS]; /* in table order */
};

/* "MZ" and an e_lfanew that points at "PE\0\0" inside the buffer. */
bool kj_pe_probe(const uint8_t *data, size_t size);

/* Parse and check the headers and the section table. Errors (-ENOEXEC
 * for what is not PE at all, -EINVAL for a damaged one) say which header
 * or section is wrong: truncated headers, absurd counts or sizes,
 * sections past the end of the file, overlapping sections. */
int kj_pe_parse(const uint8_t *data, size_t size, const char *name,
		struct kj_pe *pe, struct kj_err *err);

/* The first section called name (compared over the 8-byte field, as
 * the firmware and systemd-stub do), or NULL. */
const struct kj_pe_section *kj_pe_find(const struct kj_pe *pe,
				       const char *name);

/* "x86_64", "i386", "arm64", "riscv64", or NULL for another machine. */
const char *kj_pe_machine_name(uint16_t machine);

#endif
