/* Multiboot 1: the header an image carries and where its bytes go.
 *
 * The header sits in the first 8 KiB, 4-aligned: magic 0x1BADB002,
 * flags, checksum (the three sum to zero). Flags 0-15 are requirements a
 * loader must honour or refuse; 16 (the "a.out kludge") says the header
 * itself gives the load addresses, else the image must be ELF and its
 * program headers are loaded at their physical addresses. A Multiboot
 * header wins over the ELF class: a 64-bit ELF with one is still entered
 * in 32-bit protected mode. */
#ifndef KJ_LOADERS_MULTIBOOT1_H
#define KJ_LOADERS_MULTIBOOT1_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "loaders/elf_segments.h"

#define KJ_MB1_HEADER_MAGIC 0x1BADB002u
#define KJ_MB1_BOOT_MAGIC 0x2BADB002u /* EAX at entry */
#define KJ_MB1_SEARCH 8192

/* header flags */
#define KJ_MB1_PAGE_ALIGN (1u << 0)   /* modules page aligned */
#define KJ_MB1_MEMORY_INFO (1u << 1)  /* mem_* and the memory map */
#define KJ_MB1_VIDEO_MODE (1u << 2)   /* video mode table wanted */
#define KJ_MB1_AOUT_KLUDGE (1u << 16) /* addresses in the header */

/* Required bits kjump honours: modules are always page aligned and the
 * memory information is always passed; a video mode request is accepted
 * but no video information is passed (see kj_mb1.video_ignored). */
#define KJ_MB1_SUPPORTED \
	(KJ_MB1_PAGE_ALIGN | KJ_MB1_MEMORY_INFO | KJ_MB1_VIDEO_MODE)

struct kj_mb1 {
	size_t header_offset; /* in the file */
	uint32_t flags;
	bool aout; /* flag 16: the fields below are used */
	uint32_t header_addr, load_addr, load_end_addr, bss_end_addr;
	uint32_t entry_addr;
	bool video_ignored;    /* flag 2 asked for a mode we do not set */
	unsigned int elf_bits; /* 32 or 64 for an ELF image, 0 for a.out */
	uint32_t entry;	       /* physical entry point */
	struct kj_load_chunk chunk[KJ_ELF_MAX_LOAD]; /* sorted by paddr */
	size_t nchunk;
	uint64_t lowest, end; /* image memory [lowest, end) */
};

/* Offset of the first valid header in the first 8 KiB, or -ENOENT. */
long kj_mb1_find(const uint8_t *data, size_t size);

/* Find and check the header and work out where the image goes. Errors
 * name the file: no header (or one with a bad checksum, or one past
 * 8 KiB), a required flag bit kjump does not know, a.out fields that do
 * not fit the file, ELF program header problems, memory above 4 GiB. */
int kj_mb1_parse(const uint8_t *data, size_t size, const char *name,
		 struct kj_mb1 *mb, struct kj_err *err);

#endif
