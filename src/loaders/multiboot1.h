/* Multiboot 1, from probe to plan: the header an image carries, where
 * its bytes go, and the information block (MBI) it is handed.
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
#include "core/memmap.h"
#include "loaders/elf_segments.h"
#include "loaders/multiboot_layout.h"

#define KJ_MB1_HEADER_MAGIC 0x1BADB002u
#define KJ_MB1_BOOT_MAGIC 0x2BADB002u /* EAX at entry */
#define KJ_MB1_SEARCH 8192
/* The longest command line (kernel or module, "PATH ARGS") kjump hands a
 * Multiboot kernel: the specification sets none, Xen reads 1023 bytes,
 * GRUB's own builder allocates what it is given. Longer is an error. */
#define KJ_MB1_CMDLINE_MAX 4096

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
	struct kj_mb_image image; /* elf_bits 0: a.out */
};

/* Is there a Multiboot 1 magic in the first 8 KiB (valid checksum or
 * not: a broken header is the Multiboot loader's error to report, not a
 * reason to load the file as plain ELF)? */
bool kj_mb1_probe(const uint8_t *data, size_t size);

/* Find and check the header and work out where the image goes. Errors
 * name the file: no header (or one with a bad checksum, or one past
 * 8 KiB), a required flag bit kjump does not know, a.out fields that do
 * not fit the file, ELF program header problems, memory above 4 GiB. */
int kj_mb1_parse(const uint8_t *data, size_t size, const char *name,
		 struct kj_mb1 *mb, struct kj_err *err);

/* ---- the Multiboot information structure (MBI) the kernel finds in EBX.
 *
 * One block, built for a known physical address (it holds pointers to
 * itself): the 116-byte structure, the module list, the memory map, then
 * the strings (command line, module command lines, boot loader name).
 * Flags set: memory (0), cmdline (2), mods (3), mmap (6), boot loader
 * name (9). No video flag: we cannot promise a complete, valid block,
 * and some kernels divide by its fields. Size first, place, then build. */

#define KJ_MB1_MAX_MODULES 64
#define KJ_MB1_MAX_MMAP 512

/* MBI flags */
#define KJ_MBI_MEMORY (1u << 0)
#define KJ_MBI_CMDLINE (1u << 2)
#define KJ_MBI_MODS (1u << 3)
#define KJ_MBI_MMAP (1u << 6)
#define KJ_MBI_LOADER_NAME (1u << 9)

#define KJ_MBI_STRUCT_SIZE 116
#define KJ_MBI_MOD_SIZE 16
#define KJ_MBI_MMAP_ENTRY_SIZE 24 /* the size field (20) + 20 bytes */

struct kj_mb1_mbi_in {
	const char *cmdline; /* image path and arguments */
	const struct kj_mb_module *mods;
	size_t nmods;
	const struct kj_memmap_entry *map; /* the firmware map, sorted */
	size_t nmap;
	const char *loader_name; /* "kjump 0.1" */
};

int kj_mb1_mbi_size(const struct kj_mb1_mbi_in *in, size_t *size,
		    struct kj_err *err);

/* Build the MBI for physical address addr (below 4 GiB, its whole size
 * too) into a malloc'd buffer of *len bytes. */
int kj_mb1_mbi_build(const struct kj_mb1_mbi_in *in, uint64_t addr,
		     uint8_t **buf, size_t *len, struct kj_err *err);

struct kj_loader;
extern const struct kj_loader kj_loader_multiboot1;

#endif
