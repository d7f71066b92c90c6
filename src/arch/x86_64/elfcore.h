/* The ELF core header a crash kernel reads to offer /proc/vmcore.
 *
 * For a --panic load through kexec_load the loader, not the kernel,
 * describes the crashed system: one PT_NOTE per CPU (its crash_notes
 * buffer), one for vmcoreinfo, and one PT_LOAD per System RAM range
 * outside the crash region. p_offset and p_paddr are physical addresses;
 * p_vaddr is 0 (the direct-map base is not known from user space). The
 * crash kernel finds the header through elfcorehdr= on its command line. */
#ifndef KJ_ARCH_X86_64_ELFCORE_H
#define KJ_ARCH_X86_64_ELFCORE_H

#include <stddef.h>
#include <stdint.h>

#include "arch/x86_64/memmap.h"
#include "core/err.h"

#define KJ_ELFCORE_MAX_CPUS 8192

struct kj_elfcore_info {
	size_t ncpu_notes;  /* CPUs whose crash_notes were found */
	bool vmcoreinfo;    /* /sys/kernel/vmcoreinfo was found */
	size_t nload;       /* PT_LOAD headers */
};

/* Build the header (malloc'd) from the memory map and, through the
 * sysroot, /sys/devices/system/cpu/cpuN/crash_notes{,_size} and
 * /sys/kernel/vmcoreinfo. info may be NULL. */
int kj_x86_elfcore_build(const struct kj_memmap *mm, uint8_t **buf,
			 size_t *len, struct kj_elfcore_info *info,
			 struct kj_err *err);

#endif
