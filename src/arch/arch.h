/* The one interface every architecture implements (src/arch/<arch>/).
 *
 * Only generic types cross it, so the loaders and the load step include
 * this header and never an arch's own. One arch is built into a kjump
 * binary (the Makefile's ARCH); the loaders of other arches are still
 * compiled, for `kjump inspect`, but the load step never plans them. */
#ifndef KJ_ARCH_ARCH_H
#define KJ_ARCH_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/memmap.h"
#include "core/placement.h"
#include "core/plan.h"
#include "core/segment_digest.h"
#include "core/sysdesc.h"

enum kj_arch {
	KJ_ARCH_ANY,
	KJ_ARCH_X86_64,
	KJ_ARCH_ARM64,
};

/* The arch this binary runs on and loads for. */
enum kj_arch kj_arch_this(void);
const char *kj_arch_name(enum kj_arch arch);
/* KEXEC_ARCH_* for kexec_load's flags. */
unsigned long kj_arch_kexec_flags(void);
/* e_machine for ELF kernels and the crash dump's core header. */
uint16_t kj_arch_elf_machine(void);

/* The running system's memory map (generic ranges) and its firmware
 * description; both read through the sysroot. */
int kj_arch_memmap_read(struct kj_memmap *mm, struct kj_err *err);
int kj_arch_sysdesc_read(struct kj_sysdesc *sys, struct kj_err *err);
void kj_arch_sysdesc_free(struct kj_sysdesc *sys);

/* What a Linux kernel is told at entry, asked for arch-neutrally by the
 * Linux loaders: x86 builds its zero page (boot_params, with the
 * command line and setup_data after it), arm64 its device tree. */
struct kj_linux_boot {
	const char *name;            /* the kernel file, for messages */
	/* x86: the image's setup header bytes [0x1f1, end of header) and its
	 * protocol version; NULL for a kernel without one (a vmlinux). */
	const uint8_t *header;
	size_t header_len;
	uint16_t protocol;
	const uint8_t *dtb;          /* arm64: base tree; NULL = running one */
	size_t dtb_len;
	const char *cmdline;
	uint64_t kernel_addr;
	uint64_t initrd_addr, initrd_size;         /* 0/0: none */
	uint64_t elfcorehdr_addr, elfcorehdr_size; /* panic loads */
	bool panic;
	bool efi;                    /* x86: the image takes EFI data */
	const uint8_t *rng_seed;     /* early entropy, NULL = none */
	size_t rng_seed_len;
	const struct kj_memmap *mm;
};

/* Bytes the boot data needs (to place it), then build it for physical
 * address addr (page aligned) into a malloc'd buffer. */
int kj_arch_linux_boot_size(const struct kj_linux_boot *b,
			    const struct kj_sysdesc *sys, size_t *size,
			    struct kj_err *err);
int kj_arch_linux_boot_build(const struct kj_linux_boot *b,
			     const struct kj_sysdesc *sys, uint64_t addr,
			     uint8_t **buf, size_t *len, struct kj_err *err);

/* The purgatory: our code between the old kernel and the new one. */
struct kj_purgatory_opts {
	uint32_t checks;       /* each segment's digest, enum kj_digest_alg
				  (core/segment_digest.h); 0 = none */
	uint64_t serial;       /* progress port/UART base, 0 = quiet */
	uint32_t serial_baud;  /* 0 = 115200 */
	const char *uart;      /* arm64: the UART as typed (an address or a
				  tty name), NULL = the next kernel's
				  console */
	bool console_vga;      /* x86: progress on the VGA text screen */
	bool reset_vga;        /* x86: VGA back to text mode first */
	bool jump_back;        /* kexec jump: hand the return address on */
	const char *unverified; /* a segment the kernel itself rewrites
				   (crash hotplug's "elfcorehdr"): left out
				   of the digests; NULL = none */
};

/* Place the (unfilled) purgatory segment for the plan's next.mode and
 * point plan->entry at it. Refuses a mode this arch cannot enter. */
int kj_arch_purgatory_add(const struct kj_layout *l, struct kj_err *err);

/* Fill its parameter block: where to go next, flags, the digests of
 * every other segment. The last step before kexec_load or printing: the
 * digests cover the segments as they are then. */
int kj_arch_purgatory_fill(struct kj_plan *plan,
			   const struct kj_purgatory_opts *o,
			   struct kj_err *err);

#endif
