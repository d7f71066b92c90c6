/* Building the zero page (struct boot_params) for a bzImage.
 *
 * The boot_params segment holds, in order: the 4 KiB zero page, the
 * command line, then the setup_data links (SETUP_E820_EXT when the map has
 * more than 128 entries, SETUP_EFI) and the EFI memory map. Pointers in it
 * are physical, so it is built for a known load address:
 * kj_x86_bootparams_size() first, place the segment, then
 * kj_x86_bootparams_build(). */
#ifndef KJ_ARCH_X86_64_BOOTPARAMS_H
#define KJ_ARCH_X86_64_BOOTPARAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/x86_64/bootparam.h"
#include "arch/x86_64/memmap.h"
#include "core/err.h"

#define KJ_EFI_MAP_MAX 512

/* What the running system tells the next kernel, read through the
 * sysroot by kj_x86_sysinfo_read() (or filled by a test). */
struct kj_x86_sysinfo {
	bool have_boot_params;     /* /sys/kernel/boot_params/data read */
	struct kj_boot_params running;
	uint64_t acpi_rsdp;        /* 0 = unknown: the kernel scans for it */
	bool efi;                  /* EFI runtime data complete and usable */
	struct kj_efi_info efi_info;  /* signature and systab, from running */
	struct kj_efi_setup_data efi_setup;
	struct kj_efi_memdesc *efi_map; /* malloc'd, efi_map_n entries */
	size_t efi_map_n;
	char note[160];            /* why EFI data is not passed, for -v */
};

/* Read boot_params, the ACPI RSDP address and EFI runtime data. Missing
 * files are not errors (the fields stay empty); malformed ones are. */
int kj_x86_sysinfo_read(struct kj_x86_sysinfo *si, struct kj_err *err);
void kj_x86_sysinfo_free(struct kj_x86_sysinfo *si);

struct kj_x86_bootparams_in {
	const char *name;         /* image name for messages */
	const uint8_t *image;     /* the bzImage: its setup header is copied */
	size_t image_len;
	const char *cmdline;      /* NUL-terminated, may be "" */
	uint64_t kernel_addr;     /* protected-mode kernel load address */
	uint64_t initrd_addr;     /* 0 with initrd_size 0: none */
	uint64_t initrd_size;
	const struct kj_memmap *mm;
	bool panic;               /* e820 of the crash region only */
	const struct kj_x86_sysinfo *sys;
	bool efi;                 /* pass EFI data (image has XLF_EFI_KEXEC) */
	uint64_t reserved_addr;   /* panic: the elfcorehdr, cut out of RAM */
	uint64_t reserved_size;   /* and marked reserved; 0 = none */
	const uint8_t *rng_seed;  /* SETUP_RNG_SEED bytes for early entropy; */
	size_t rng_seed_len;      /* 0 = none (protocol < 2.09: dropped) */
};

#define KJ_RNG_SEED_MAX 64

/* Bytes the boot_params segment needs. */
int kj_x86_bootparams_size(const struct kj_x86_bootparams_in *in,
			   size_t *size, struct kj_err *err);

/* Build the segment for physical address addr (page aligned) into a
 * malloc'd buffer of *len bytes. */
int kj_x86_bootparams_build(const struct kj_x86_bootparams_in *in,
			    uint64_t addr, uint8_t **buf, size_t *len,
			    struct kj_err *err);

#endif
