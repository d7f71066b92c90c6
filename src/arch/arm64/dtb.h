/* The device tree an arm64 Linux kernel gets from kexec_load: the boot
 * data of kj_arch_linux_boot_size/build (see linux_boot.c).
 *
 * Base: the tree of --dtb, else the running system's (/sys/firmware/fdt,
 * which the load step reads into kj_sysdesc.boot_data). /chosen is then
 * rewritten for the next kernel:
 *
 *   bootargs                    the command line
 *   linux,initrd-start/-end     u64 each, end exclusive; removed without
 *                               an initrd
 *   kaslr-seed, rng-seed        fresh (the running kernel zeroes or NOPs
 *                               the ones it used); removed if none given
 *   linux,elfcorehdr            panic loads: <addr size> in the root's
 *                               #address-cells/#size-cells
 *   linux,usable-memory-range   panic loads: the crash region(s), the
 *                               highest first (Linux takes the first as
 *                               its memory and adds the second, the low
 *                               region); both removed on a normal load
 *
 * Everything else is kept as it was: the UEFI properties
 * (linux,uefi-system-table, linux,uefi-mmap-*, linux,uefi-secure-boot)
 * through which a kernel booted under UEFI finds EFI and ACPI again,
 * stdout-path, memory nodes, /reserved-memory, the /memreserve/ block.
 *
 * Pure: the caller reads the files; the trees are untrusted input and
 * are checked in full (fdt_check_full) before anything is edited. */
#ifndef KJ_ARCH_ARM64_DTB_H
#define KJ_ARCH_ARM64_DTB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/plan.h"

#define KJ_ARM64_DTB_MAX (2u << 20)	  /* booting.rst: at most 2 MiB */
#define KJ_ARM64_DTB_BASE_MAX (16u << 20) /* biggest base tree accepted */
#define KJ_ARM64_KASLR_SEED_LEN 8
#define KJ_ARM64_RNG_SEED_LEN 128 /* what Linux's own kexec_file gives */
/* Random bytes the load step passes: the kaslr-seed, then the rng-seed. */
#define KJ_ARM64_SEED_BYTES (KJ_ARM64_KASLR_SEED_LEN + KJ_ARM64_RNG_SEED_LEN)
#define KJ_ARM64_MAX_USABLE 2 /* ranges Linux reads from the property */

/* The parts of struct kj_linux_boot (interfaces.md) this file uses. */
struct kj_arm64_dtb_req {
	const uint8_t *dtb; /* --dtb FILE contents; NULL = running */
	size_t dtb_len;
	const char *dtb_name;	/* the FILE, for messages */
	const uint8_t *running; /* /sys/firmware/fdt (sys->boot_data) */
	size_t running_len;
	const char *cmdline;		   /* NULL = "" */
	uint64_t initrd_addr, initrd_size; /* 0/0: none */
	uint64_t elfcorehdr_addr, elfcorehdr_size;
	bool panic;
	const struct kj_range *usable; /* panic: the crash region(s) */
	size_t n_usable;
	/* First KJ_ARM64_KASLR_SEED_LEN bytes: kaslr-seed; the rest (if
	 * any): rng-seed. Fewer than 8 bytes: no seeds at all. */
	const uint8_t *rng_seed;
	size_t rng_seed_len;
};

/* Build the tree: *buf is malloc'd (caller frees), *len its packed size
 * (<= KJ_ARM64_DTB_MAX). */
int kj_arm64_dtb_build(const struct kj_arm64_dtb_req *r, uint8_t **buf,
		       size_t *len, struct kj_err *err);

#endif
