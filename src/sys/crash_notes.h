/* The running kernel's crash-dump buffers, for the ELF core header of a
 * --panic load: each CPU's crash_notes and the vmcoreinfo note. */
#ifndef KJ_SYS_CRASH_NOTES_H
#define KJ_SYS_CRASH_NOTES_H

#include "core/elfcore.h"
#include "core/err.h"

/* Read /sys/devices/system/cpu/cpuN/crash_notes{,_size} (CPUs without
 * one are skipped) and /sys/kernel/vmcoreinfo (optional). Malformed
 * files are errors naming the file. */
int kj_sys_crash_notes(struct kj_crash_notes *n, struct kj_err *err);

#endif
