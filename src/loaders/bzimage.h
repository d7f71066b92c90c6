/* x86 Linux bzImage: the setup header of the Linux boot protocol.
 *
 * kj_bzimage_parse() validates a whole image in memory and decodes the
 * header fields `kjump inspect` shows and the loaders need. Field names
 * follow the boot protocol (Documentation/arch/x86/boot.rst). */
#ifndef KJ_LOADERS_BZIMAGE_H
#define KJ_LOADERS_BZIMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/x86_bootparam.h"
#include "core/err.h"

struct kj_bzimage {
	/* Raw fields, as in the header. */
	uint8_t setup_sects;   /* as stored (0 means 4) */
	uint16_t root_flags;
	uint32_t syssize;      /* 16-byte paragraphs of protected-mode code */
	uint16_t vid_mode;
	uint16_t boot_flag;
	uint32_t header;
	uint16_t version;      /* 0x020f = 2.15 */
	uint16_t kernel_version_offset;
	uint8_t type_of_loader;
	uint8_t loadflags;
	uint32_t code32_start;
	uint32_t initrd_addr_max;
	uint32_t kernel_alignment;
	uint8_t relocatable_kernel;
	uint8_t min_alignment;
	uint16_t xloadflags;
	uint32_t cmdline_size;
	uint32_t hardware_subarch;
	uint32_t payload_offset;
	uint32_t payload_length;
	uint64_t pref_address;
	uint32_t init_size;
	uint32_t handover_offset;
	uint32_t kernel_info_offset;

	/* Derived. */
	size_t setup_size;      /* (setup_sects or 4) + 1, times 512 */
	size_t kernel_offset;   /* where protected-mode code starts in the file */
	size_t kernel_size;     /* syssize * 16 */
	size_t file_size;
	size_t header_end;      /* 0x202 + the jump byte, within setup */
	bool sized_by_file;     /* syssize 0 (memdisk): the rest of the file */
	char kernel_version[128]; /* "" when the image carries none */
};

/* Parse and validate the setup header of a whole image in memory.
 * name is used in error messages ("vmlinuz: ..."). Rejects: too small,
 * no 0xAA55 boot flag, no "HdrS", protocol older than 2.00, setup_sects
 * beyond the file, and a file shorter than setup + syssize (truncated).
 * syssize 0 (syslinux's memdisk says so) takes the rest of the file as
 * the protected-mode part; only the real-mode entry loads such images. */
int kj_bzimage_parse(const uint8_t *data, size_t size, const char *name,
		     struct kj_bzimage *out, struct kj_err *err);

/* Is the header one a 64-bit loader can enter (protocol >= 2.12,
 * XLF_KERNEL_64, relocatable)? Fills err with the reason if not. */
int kj_bzimage_check_64bit_entry(const struct kj_bzimage *bz, const char *name,
				 struct kj_err *err);

/* Check a command line (length excluding NUL) against cmdline_size
 * (255 for protocols before 2.06). */
int kj_bzimage_check_cmdline(const struct kj_bzimage *bz, const char *name,
			     size_t cmdline_len, struct kj_err *err);

/* How a bzImage is entered (the boot protocol's three ways in). */
enum kj_bz_entry {
	KJ_BZ_ENTRY_64,     /* 64-bit, at the kernel + 0x200, RSI */
	KJ_BZ_ENTRY_32,     /* 32-bit protected mode at the kernel, ESI */
	KJ_BZ_ENTRY_REAL16, /* real mode, through the image's own setup */
};

/* The entry a load uses: --real-mode or --entry-32bit force one (the
 * 32-bit one only where the image has it); else the 64-bit entry when
 * the header has one (2.12, XLF_KERNEL_64), the 32-bit one for a
 * protected-mode kernel without it (2.02, loaded high, code32_start and
 * syssize set: an i386 kernel), real mode for the rest (older
 * protocols, iPXE's code32_start 0, memdisk's syssize 0). */
int kj_bzimage_entry(const struct kj_bzimage *bz, bool real_mode,
		     bool entry_32bit, const char *name, enum kj_bz_entry *e,
		     struct kj_err *err);
const char *kj_bzimage_entry_name(enum kj_bz_entry e);

struct kj_layout;
struct kj_load_input;

/* Real mode (bzimage_real16.c): the image's setup below 1 MiB with its
 * heap and command line, the header filled for the protected-mode part
 * at kaddr and an initrd at iaddr (0 = none), and plan->next set to
 * enter it at seg+0x20:0. Only kexec_load does this. */
int kj_bzimage_add_real16(const struct kj_layout *l,
			  const struct kj_load_input *in,
			  const struct kj_bzimage *bz, uint64_t kaddr,
			  uint64_t iaddr, struct kj_err *err);

/* Does the buffer start like a bzImage (boot flag and HdrS)? */
bool kj_bzimage_probe(const uint8_t *data, size_t size);

struct kj_loader;
extern const struct kj_loader kj_loader_bzimage;

#endif
