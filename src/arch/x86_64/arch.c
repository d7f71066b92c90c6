/* x86_64's side of arch/arch.h: the one file of src/arch/x86_64/ (with
 * purgatory_segment.c) that defines kj_arch_* symbols, so only an x86_64
 * kjump builds it; the modules it maps to build everywhere. The memory
 * map is the firmware's own (/sys/firmware/memmap) when the kernel
 * exports it, with the crash regions from /proc/iomem; else iomem. */
#include <elf.h>
#include <errno.h>
#include <linux/kexec.h>
#include <string.h>

#include "arch/x86_64/x86.h"
#include "sys/memmap_read.h"

enum kj_arch kj_arch_this(void)
{
	return KJ_ARCH_X86_64;
}

unsigned long kj_arch_kexec_flags(void)
{
	return KEXEC_ARCH_X86_64;
}

uint16_t kj_arch_elf_machine(void)
{
	return EM_X86_64;
}

int kj_arch_memmap_read(struct kj_memmap *mm, struct kj_err *err)
{
	struct kj_err ierr = { 0 };
	bool have_fw;
	int r;

	memset(mm, 0, sizeof(*mm));
	r = kj_sys_firmware_memmap(mm, err);
	if (r < 0)
		return r;
	have_fw = r > 0;
	mm->source = have_fw ? "/sys/firmware/memmap" : "/proc/iomem";
	r = kj_sys_iomem(mm, !have_fw, &ierr);
	/* Without iomem's crash regions a panic load says so later. */
	if (r < 0 && !(have_fw && (r == -EPERM || r == -ENOENT ||
				   r == -EACCES)))
		return kj_fail(err, -r, "%s", ierr.msg);
	if (mm->n == 0)
		return kj_fail(err, ENOENT, "%s: no memory map entries found",
			       mm->source);
	return 0;
}

int kj_arch_sysdesc_read(struct kj_sysdesc *sys, struct kj_err *err)
{
	return kj_x86_sysdesc_read(sys, err);
}

void kj_arch_sysdesc_free(struct kj_sysdesc *sys)
{
	kj_x86_sysdesc_free(sys);
}

int kj_arch_linux_boot_size(const struct kj_linux_boot *b,
			    const struct kj_sysdesc *sys, size_t *size,
			    struct kj_err *err)
{
	return kj_x86_zeropage_size(b, sys, size, err);
}

int kj_arch_linux_boot_build(const struct kj_linux_boot *b,
			     const struct kj_sysdesc *sys, uint64_t addr,
			     uint8_t **buf, size_t *len, struct kj_err *err)
{
	return kj_x86_zeropage_build(b, sys, addr, buf, len, err);
}
