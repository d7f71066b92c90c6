/* The ELF core header a crash kernel reads to offer /proc/vmcore.
 *
 * For a --panic load through kexec_load the loader, not the kernel,
 * describes the crashed system: one PT_NOTE per CPU (its crash_notes
 * buffer), one for vmcoreinfo, and one PT_LOAD per System RAM range
 * outside the crash region. p_offset and p_paddr are physical addresses;
 * p_vaddr is 0 (the direct-map base is not known from user space). How
 * the crash kernel finds the header is the protocol's business
 * (elfcorehdr= on x86, /chosen linux,elfcorehdr on arm64). */
#ifndef KJ_CORE_ELFCORE_H
#define KJ_CORE_ELFCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/memmap.h"

#define KJ_ELFCORE_MAX_CPUS 8192

/* A buffer the running kernel keeps for a crash dump. */
struct kj_crash_note {
	uint64_t addr;
	uint64_t size;
};

/* What the running kernel exports for the crash kernel, read by
 * kj_sys_crash_notes() from /sys/devices/system/cpu/cpuN/crash_notes
 * and /sys/kernel/vmcoreinfo. */
struct kj_crash_notes {
	struct kj_crash_note *cpu; /* malloc'd, ncpu entries */
	size_t ncpu;
	bool have_vmcoreinfo;
	struct kj_crash_note vmcoreinfo;
};

void kj_crash_notes_free(struct kj_crash_notes *n);

struct kj_elfcore_info {
	size_t ncpu_notes;  /* CPUs whose crash_notes were found */
	bool vmcoreinfo;    /* /sys/kernel/vmcoreinfo was found */
	size_t nload;       /* PT_LOAD headers */
};

/* Build the header (malloc'd) for an ELF machine (EM_X86_64, ...) from
 * the memory map and the notes. info may be NULL. */
int kj_elfcore_build(const struct kj_memmap *mm,
		     const struct kj_crash_notes *notes, uint16_t machine,
		     uint8_t **buf, size_t *len, struct kj_elfcore_info *info,
		     struct kj_err *err);

#endif
