/* The Multiboot 1 information structure (MBI) the kernel finds in EBX.
 *
 * One block, built for a known physical address (it holds pointers to
 * itself): the 116-byte structure, the module list, the memory map, then
 * the strings (command line, module command lines, boot loader name).
 * Flags set: memory (0), cmdline (2), mods (3), mmap (6), boot loader
 * name (9). No video flag: we cannot promise a complete, valid block,
 * and some kernels divide by its fields. Size first, place, then build. */
#ifndef KJ_LOADERS_MULTIBOOT1_MBI_H
#define KJ_LOADERS_MULTIBOOT1_MBI_H

#include <stddef.h>
#include <stdint.h>

#include "arch/x86_64/bootparam.h"
#include "core/err.h"

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

struct kj_mb1_module {
	uint64_t start; /* physical, below 4 GiB */
	uint64_t size;
	const char *cmdline; /* "FILE ARGS" */
};

struct kj_mb1_mbi_in {
	const char *cmdline; /* image path and arguments */
	const struct kj_mb1_module *mods;
	size_t nmods;
	const struct kj_e820_entry *map; /* the firmware map, sorted */
	size_t nmap;
	const char *loader_name; /* "kjump 0.1" */
};

/* mem_lower: KiB of RAM from 0 (at most 640); mem_upper: KiB of RAM
 * contiguous from 1 MiB (adjacent RAM entries merged), capped at 4 GiB. */
void kj_mb1_mem_info(const struct kj_e820_entry *map, size_t n, uint32_t *lower,
		     uint32_t *upper);

int kj_mb1_mbi_size(const struct kj_mb1_mbi_in *in, size_t *size,
		    struct kj_err *err);

/* Build the MBI for physical address addr (below 4 GiB, its whole size
 * too) into a malloc'd buffer of *len bytes. */
int kj_mb1_mbi_build(const struct kj_mb1_mbi_in *in, uint64_t addr,
		     uint8_t **buf, size_t *len, struct kj_err *err);

#endif
