/* What Multiboot 1 and Multiboot 2 share about where things go, so the
 * two loaders place the same image the same way. Both enter the kernel in
 * 32-bit protected mode, so the image, its modules and what they are
 * handed stay below 4 GiB; an ELF image is loaded by its program headers
 * at their physical addresses (the header's address fields are
 * addr_fields.h); modules go in order after the image, page aligned, each
 * named "PATH ARGS"; and both information blocks give mem_lower and
 * mem_upper from the same memory map. What differs between the protocols
 * (names in messages, the command-line cap, Multiboot 2's second try from
 * 1 MiB) is a parameter. */
#ifndef KJ_LOADERS_MULTIBOOT_LAYOUT_H
#define KJ_LOADERS_MULTIBOOT_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/memmap.h"
#include "loaders/elf_segments.h"

struct kj_layout;
struct kj_load_input;
struct kj_plan;
struct kj_report;

/* Where the image's bytes go: at its link address, until a Multiboot 2
 * relocatable image is moved. */
struct kj_mb_image {
	unsigned int elf_bits; /* 32 or 64 for an ELF image, 0 otherwise */
	uint32_t entry;	       /* physical entry point */
	struct kj_load_chunk chunk[KJ_ELF_MAX_LOAD]; /* sorted by paddr */
	size_t nchunk;
	uint64_t lowest, end; /* image memory [lowest, end) */
};

/* An ELF image's program headers as img's chunks, each ending below
 * 4 GiB, and its entry from e_entry (below 4 GiB too) unless entry_given
 * (the Multiboot header set img->entry). proto ("Multiboot",
 * "Multiboot 2") and name (the file) go in the messages. */
int kj_mb_elf_layout(const uint8_t *data, size_t size, const char *proto,
		     const char *name, bool entry_given,
		     struct kj_mb_image *img, struct kj_err *err);

/* img->lowest and img->end from its chunks. */
void kj_mb_image_extent(struct kj_mb_image *img);

/* kjump inspect's fields for the image: entry, load_start, load_end, and
 * a note when a 64-bit ELF is still entered in 32-bit mode. */
void kj_mb_image_report(struct kj_report *r, const struct kj_mb_image *img);

/* A module as both information blocks list it. */
struct kj_mb_module {
	uint64_t start; /* physical, below 4 GiB */
	uint64_t size;
	const char *cmdline; /* "PATH ARGS" */
};

/* What a protocol's modules must obey besides the shared rules. */
struct kj_mb_module_rules {
	size_t cmdline_max; /* the longest "PATH ARGS" */
	const char *why;    /* what bounds the placement, for its messages */
	/* Multiboot 2: a first module with no room after the image (a
	 * relocatable image went to the top of RAM) is looked for again
	 * from 1 MiB. */
	bool first_retry_from_1mib;
};

/* Place and add every module of in, in order, each after the one before
 * from *next up (what QEMU and GRUB do, and what kernels that take "the
 * first module" expect), page aligned, below 4 GiB. mods[i] describes
 * module i, lines[i] is its malloc'd "PATH ARGS" (the caller frees);
 * *next ends page aligned after the last. */
int kj_mb_add_modules(const struct kj_layout *l, const struct kj_load_input *in,
		      const struct kj_mb_module_rules *rules,
		      struct kj_mb_module *mods, char **lines, uint64_t *next,
		      struct kj_err *err);

/* The kernel's "PATH ARGS" as plan->cmdline, at most cmdline_max bytes. */
int kj_mb_kernel_cmdline(const struct kj_load_input *in, struct kj_plan *plan,
			 size_t cmdline_max, struct kj_err *err);

/* A segment each for the modules, the MBI and the purgatory, at least one
 * left for the kernel, and at most max_modules modules. */
int kj_mb_check_module_count(const struct kj_load_input *in, size_t max_modules,
			     struct kj_err *err);

/* mem_lower: KiB of RAM from 0 (at most 640); mem_upper: KiB of RAM
 * contiguous from 1 MiB (adjacent RAM entries merged), capped at 4 GiB. */
void kj_mb_mem_info(const struct kj_memmap_entry *map, size_t n,
		    uint32_t *lower, uint32_t *upper);

#endif
