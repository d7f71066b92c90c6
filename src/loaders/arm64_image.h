/* The arm64 Linux Image: its 64-byte header and where it may be placed.
 *
 * Documentation/arch/arm64/booting.rst: code0/code1, text_offset,
 * image_size, flags, three reserved words, the magic "ARM\x64" at 0x38 and
 * the PE header offset at 0x3c. The image is loaded at a 2 MiB-aligned
 * base + text_offset and needs image_size bytes there (bss included).
 * Distributions ship it with an EFI stub: the file then starts "MZ" and is
 * also a PE/COFF image for arm64 (machine 0xaa64); kexec ignores that part
 * but its section table says how long the file must be.
 *
 * Pure parsing and placement: no I/O, every read bounds-checked. */
#ifndef KJ_LOADERS_ARM64_IMAGE_H
#define KJ_LOADERS_ARM64_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/plan.h"

#define KJ_ARM64_HEADER_SIZE 64
#define KJ_ARM64_MAGIC_OFFSET 0x38
#define KJ_ARM64_MAGIC 0x644d5241u /* "ARM\x64" little-endian */
#define KJ_ARM64_BASE_ALIGN (2ull << 20)

/* flags */
#define KJ_ARM64_FLAG_BE (1ull << 0) /* big-endian kernel */
#define KJ_ARM64_FLAG_PAGE_SHIFT 1   /* bits 1-2: page size */
#define KJ_ARM64_FLAG_PAGE_MASK (3ull << 1)
#define KJ_ARM64_FLAG_PHYS_ANY (1ull << 3) /* base anywhere in 48 bits */

#define KJ_ARM64_PE_MACHINE 0xaa64

struct kj_arm64_image {
	/* Raw header fields. */
	uint32_t code0, code1;
	uint64_t text_offset;
	uint64_t image_size;
	uint64_t flags;
	uint32_t magic;
	uint32_t pe_offset; /* res5: "PE\0\0" offset with an EFI stub */

	/* Derived. */
	unsigned int page_size; /* 4096, 16384, 65536; 0 = unspecified */
	bool phys_anywhere;	/* flags bit 3 */
	bool efi_stub;		/* "MZ" + a PE header for arm64 */
	uint32_t pe_size_of_image;
	uint64_t pe_file_end; /* end of the last section's file data */
	size_t file_size;
};

/* Does the buffer carry the arm64 magic at 0x38? */
bool kj_arm64_image_probe(const uint8_t *data, size_t size);

/* Parse and validate a whole Image in memory; name is used in messages.
 * Refuses: shorter than the header (truncated), wrong magic, a big-endian
 * kernel, image_size 0 (kernels before 3.17 did not state their size) or
 * above 4 GiB, text_offset that is not a 4 KiB-aligned offset inside the
 * 2 MiB window, an image_size smaller than the file, and with an EFI stub
 * a PE header or section data beyond the end of the file (truncated). */
int kj_arm64_image_parse(const uint8_t *data, size_t size, const char *name,
			 struct kj_arm64_image *out, struct kj_err *err);

/* "4K", "16K", "64K" or "unspecified": for inspect and messages. */
const char *kj_arm64_page_size_name(const struct kj_arm64_image *img);

/* Where the segments of one Linux Image load go (kexec_load). */
struct kj_arm64_layout {
	uint64_t kernel_base;  /* 2 MiB aligned */
	uint64_t kernel_addr;  /* kernel_base + text_offset: the entry */
	uint64_t kernel_memsz; /* image_size (or the file), page rounded */
	uint64_t initrd_addr;  /* 0 when there is none */
	uint64_t initrd_size;
};

/* Place the kernel and the initrd, lowest first, clear of the segments
 * already in plan: the kernel at the lowest 2 MiB-aligned base whose
 * [base + text_offset, + image_size) fits in one usable range (below
 * 2^48 when the image may sit anywhere; booting.rst asks for the base as
 * close to the start of RAM as possible otherwise, which lowest-first
 * also gives), the initrd above it inside the 1 GiB-aligned 32 GiB window
 * that covers the kernel (booting.rst). mem_min/mem_max are --mem-min/
 * --mem-max (0 = no limit). Nothing is added to the plan. */
int kj_arm64_image_place(const struct kj_arm64_image *img, const char *name,
			 const struct kj_range *usable, size_t nusable,
			 const struct kj_plan *plan, uint64_t initrd_size,
			 uint64_t mem_min, uint64_t mem_max,
			 struct kj_arm64_layout *out, struct kj_err *err);

/* The loader-table entry (loaders/loader.h; see arm64_image.c). */
struct kj_loader;
extern const struct kj_loader kj_loader_arm64_image;

#endif
