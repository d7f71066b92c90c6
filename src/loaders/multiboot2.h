/* Multiboot 2: the header an image carries and where its bytes go
 * (Multiboot2 Specification version 2.0, section 3.1).
 *
 * The header sits in the first 32 KiB, 8-aligned: magic 0xE85250D6,
 * architecture (0 = i386 protected mode), header_length, checksum (the
 * four sum to zero), then 8-aligned tags {u16 type, u16 flags, u32 size}
 * up to an end tag. A tag without the optional flag (bit 0) must be
 * understood and honoured, or the image refused. The image is an ELF
 * (program headers at their physical addresses, through
 * loaders/multiboot_layout.c, as for Multiboot 1) unless an address tag
 * gives the addresses. It is entered in 32-bit protected mode with
 * EAX = 0x36d76289 and EBX = the boot information (multiboot2_mbi.h).
 *
 * What kjump does with each header tag:
 *   information request  recorded; kj_mb2_check_requests() refuses a
 *                        required one the running system cannot satisfy
 *   address, entry       used
 *   console flags        "console required" needs a framebuffer tag
 *   framebuffer          the current framebuffer is passed if known (no
 *                        mode is set); required and unknown: refused
 *   module alignment     modules are always page aligned
 *   relocatable          the image is placed inside [min, max] at the
 *                        alignment, lowest or highest as preferred
 *   EFI boot services,   refused by name when required: boot services
 *   EFI i386/amd64 entry are gone after kexec; ignored when optional */
#ifndef KJ_LOADERS_MULTIBOOT2_H
#define KJ_LOADERS_MULTIBOOT2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/err.h"
#include "core/placement.h"
#include "loaders/elf_segments.h"
#include "loaders/multiboot_layout.h"

#define KJ_MB2_HEADER_MAGIC 0xE85250D6u
#define KJ_MB2_BOOT_MAGIC 0x36d76289u /* EAX at entry */
#define KJ_MB2_SEARCH 32768
#define KJ_MB2_ALIGN 8
#define KJ_MB2_ARCH_I386 0
#define KJ_MB2_ARCH_MIPS32 4
#define KJ_MB2_TAG_OPTIONAL 1u

/* Header tag types. */
enum kj_mb2_header_tag {
	KJ_MB2_HT_END = 0,
	KJ_MB2_HT_INFO_REQUEST = 1,
	KJ_MB2_HT_ADDRESS = 2,
	KJ_MB2_HT_ENTRY = 3,
	KJ_MB2_HT_CONSOLE = 4,
	KJ_MB2_HT_FRAMEBUFFER = 5,
	KJ_MB2_HT_MODULE_ALIGN = 6,
	KJ_MB2_HT_EFI_BS = 7,
	KJ_MB2_HT_ENTRY_EFI32 = 8,
	KJ_MB2_HT_ENTRY_EFI64 = 9,
	KJ_MB2_HT_RELOCATABLE = 10,
};

/* Boot information tag types (also what an information request lists). */
enum kj_mb2_info_tag {
	KJ_MB2_END = 0,
	KJ_MB2_CMDLINE = 1,
	KJ_MB2_LOADER_NAME = 2,
	KJ_MB2_MODULE = 3,
	KJ_MB2_BASIC_MEMINFO = 4,
	KJ_MB2_BOOTDEV = 5,
	KJ_MB2_MMAP = 6,
	KJ_MB2_VBE = 7,
	KJ_MB2_FRAMEBUFFER = 8,
	KJ_MB2_ELF_SECTIONS = 9,
	KJ_MB2_APM = 10,
	KJ_MB2_EFI32 = 11,
	KJ_MB2_EFI64 = 12,
	KJ_MB2_SMBIOS = 13,
	KJ_MB2_ACPI_OLD = 14,
	KJ_MB2_ACPI_NEW = 15,
	KJ_MB2_NETWORK = 16,
	KJ_MB2_EFI_MMAP = 17,
	KJ_MB2_EFI_BS = 18,
	KJ_MB2_EFI32_IH = 19,
	KJ_MB2_EFI64_IH = 20,
	KJ_MB2_LOAD_BASE = 21,
	KJ_MB2_INFO_COUNT
};

#define KJ_MB2_BIT(t) (1ull << (t))

/* console_flags */
#define KJ_MB2_CONSOLE_REQUIRED (1u << 0)
#define KJ_MB2_CONSOLE_EGA_TEXT (1u << 1)

/* relocatable preference */
#define KJ_MB2_PREF_NONE 0
#define KJ_MB2_PREF_LOW 1
#define KJ_MB2_PREF_HIGH 2

struct kj_mb2 {
	size_t header_offset; /* in the file */
	uint32_t header_length;

	uint64_t requested;	/* KJ_MB2_BIT() of required requests */
	uint64_t requested_opt; /* ... of optional requests */

	bool has_address;
	uint32_t header_addr, load_addr, load_end_addr, bss_end_addr;
	bool has_entry;
	uint32_t entry_addr;
	bool has_console;
	uint32_t console_flags;
	bool has_fb, fb_required;
	uint32_t fb_width, fb_height, fb_depth;
	bool module_align;
	bool relocatable;
	uint32_t reloc_min, reloc_max, reloc_align, reloc_pref;
	uint32_t ignored; /* bit n: optional header tag type n ignored */

	struct kj_mb_image image; /* elf_bits 0: the address tag */
};

/* Offset of the first valid header (8-aligned, checksum right, i386) in
 * the first 32 KiB, or -ENOENT. */
long kj_mb2_find(const uint8_t *data, size_t size);

/* Find and check the header and its tags, and work out where the image
 * goes. Errors name the file and the reason: no header (or one with a bad
 * checksum, misaligned, past 32 KiB, for another architecture), a tag cut
 * off or too small, a required tag kjump cannot honour (named), an
 * address tag without an entry tag, relocatable bounds the image cannot
 * fit, ELF problems, memory above 4 GiB. */
int kj_mb2_parse(const uint8_t *data, size_t size, const char *name,
		 struct kj_mb2 *mb, struct kj_err *err);

/* Refuse, by name, the first required information request or console/
 * framebuffer requirement that `available` (KJ_MB2_BIT() of the boot
 * information tags this load can produce) does not cover. */
int kj_mb2_check_requests(const struct kj_mb2 *mb, uint64_t available,
			  const char *name, struct kj_err *err);

/* A relocatable image's load address: inside [reloc_min, reloc_max]
 * (where the image must end), aligned, lowest or highest per the
 * preference, in free RAM clear of the plan and of --mem-min/max
 * (mem_min/mem_max, 0 = none). -ENOSPC naming the window if none. */
int kj_mb2_place(const struct kj_mb2 *mb, const struct kj_range *ram,
		 size_t nram, const struct kj_plan *plan, uint64_t mem_min,
		 uint64_t mem_max, const char *name, uint64_t *base,
		 struct kj_err *err);

/* Move the image to base (its lowest byte): chunks and entry shift. */
void kj_mb2_relocate(struct kj_mb2 *mb, uint64_t base);

/* "command line", "boot loader name", ... (the spec's names), "tag N". */
const char *kj_mb2_info_name(unsigned int type, char *buf, size_t bufsz);

/* What kjump inspect shows of a parsed header (multiboot2_report.c): text
 * lines ("key<pad>value") or JSON members without braces, for the
 * caller's object. */
void kj_mb2_report(const struct kj_mb2 *mb, FILE *out, bool json);

struct kj_loader;
extern const struct kj_loader kj_loader_multiboot2;

#endif
