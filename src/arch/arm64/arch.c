/* arm64 behind arch/arch.h: one-liners, the memory map (/proc/iomem: arm64
 * has no /sys/firmware/memmap; the device tree's when iomem reads as 0),
 * the running device tree as the system description, and the device tree
 * as a Linux kernel's boot data. */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/arch.h"
#include "arch/arm64/dt_memory.h"
#include "arch/arm64/dtb.h"
#include "arch/arm64/fs_tree.h"
#include "sys/memmap_read.h"
#include "sys/sysroot.h"

#define KEXEC_ARCH_AARCH64 (183ul << 16)
#define FDT_PATH "/sys/firmware/fdt"
#define FS_TREE_PATH "/sys/firmware/devicetree/base"

enum kj_arch kj_arch_this(void)
{
	return KJ_ARCH_ARM64;
}

unsigned long kj_arch_kexec_flags(void)
{
	return KEXEC_ARCH_AARCH64;
}

uint16_t kj_arch_elf_machine(void)
{
	return EM_AARCH64;
}

/* The running tree: the blob, or (not root: it is mode 0400) the same
 * tree rebuilt from its unflattened copy, with a note saying so. */
static int running_tree(char **fdt, size_t *len, char *note, size_t notesz,
			struct kj_err *err)
{
	int r = kj_sys_read(FDT_PATH, KJ_ARM64_DTB_BASE_MAX, fdt, len, err);

	if (r != -EACCES && r != -EPERM)
		return r;
	if (!kj_sys_exists(FS_TREE_PATH))
		return r;
	r = kj_arm64_fs_tree(FS_TREE_PATH, KJ_ARM64_DTB_BASE_MAX,
			     (uint8_t **)fdt, len, err);
	if (r == 0 && note)
		snprintf(note, notesz,
			 FDT_PATH " is root's: the running tree rebuilt "
				  "from " FS_TREE_PATH
				  " (no /memreserve/ block)");
	return r;
}

int kj_arch_memmap_read(struct kj_memmap *mm, struct kj_err *err)
{
	struct kj_err terr = { 0 };
	char *fdt;
	size_t len;
	int r;

	memset(mm, 0, sizeof(*mm));
	mm->source = "/proc/iomem";
	r = kj_sys_iomem(mm, true, err);
	if (r == -EPERM && mm->iomem_zeroed &&
	    running_tree(&fdt, &len, NULL, 0, &terr) == 0) {
		/* Not root: what the device tree says, enough to show a
		 * plan; the crash region stays unknown. */
		memset(mm, 0, sizeof(*mm));
		mm->iomem_zeroed = true;
		mm->source = "the device tree (/proc/iomem reads as 0: not "
			     "root; its reservations and the crash region "
			     "are not known)";
		r = kj_arm64_dt_memory(fdt, len, "the running device tree", mm,
				       err);
		free(fdt);
	}
	if (r < 0)
		return r;
	if (mm->n == 0)
		return kj_fail(err, ENOENT, "/proc/iomem: no System RAM");
	return 0;
}

int kj_arch_sysdesc_read(struct kj_sysdesc *sys, struct kj_err *err)
{
	struct kj_err ferr = { 0 };
	char *fdt;
	size_t len;

	memset(sys, 0, sizeof(*sys));
	(void)err;
	if (running_tree(&fdt, &len, sys->note, sizeof(sys->note), &ferr)) {
		snprintf(sys->note, sizeof(sys->note), "%.150s", ferr.msg);
		return 0; /* only --dtb can boot a kernel then */
	}
	sys->boot_data = (uint8_t *)fdt;
	sys->boot_data_len = len;
	return 0;
}

void kj_arch_sysdesc_free(struct kj_sysdesc *sys)
{
	free(sys->boot_data);
	memset(sys, 0, sizeof(*sys));
}

static int dtb_build(const struct kj_linux_boot *b,
		     const struct kj_sysdesc *sys, uint8_t **buf, size_t *len,
		     struct kj_err *err)
{
	struct kj_arm64_dtb_req r = {
		.dtb = b->dtb,
		.dtb_len = b->dtb_len,
		.dtb_name = "--dtb",
		.running = sys->boot_data,
		.running_len = sys->boot_data_len,
		.cmdline = b->cmdline,
		.initrd_addr = b->initrd_addr,
		.initrd_size = b->initrd_size,
		.elfcorehdr_addr = b->elfcorehdr_addr,
		.elfcorehdr_size = b->elfcorehdr_size,
		.panic = b->panic,
		.rng_seed = b->rng_seed,
		.rng_seed_len = b->rng_seed_len,
	};

	if (b->panic && b->mm) {
		r.usable = b->mm->crash;
		r.n_usable = b->mm->ncrash;
	}
	return kj_arm64_dtb_build(&r, buf, len, err);
}

/* The tree does not depend on its own address: size = build's length. */
int kj_arch_linux_boot_size(const struct kj_linux_boot *b,
			    const struct kj_sysdesc *sys, size_t *size,
			    struct kj_err *err)
{
	uint8_t *buf;
	int rc = dtb_build(b, sys, &buf, size, err);

	free(buf);
	return rc;
}

int kj_arch_linux_boot_build(const struct kj_linux_boot *b,
			     const struct kj_sysdesc *sys, uint64_t addr,
			     uint8_t **buf, size_t *len, struct kj_err *err)
{
	(void)addr;
	return dtb_build(b, sys, buf, len, err);
}
