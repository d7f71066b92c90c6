/* Turn an errno from the kexec syscalls into a sentence a person can act
 * on. The running system is consulted (through the sysroot layer) where
 * the errno alone is ambiguous: EPERM may mean "not root", "kexec_load
 * disabled" or "lockdown". */
#ifndef KJ_SYS_KEXEC_ERRORS_H
#define KJ_SYS_KEXEC_ERRORS_H

#include <stdbool.h>

#include "core/err.h"

enum kj_kexec_op {
	KJ_OP_FILE_LOAD, /* kexec_file_load */
	KJ_OP_LOAD,      /* kexec_load */
	KJ_OP_UNLOAD,    /* kexec_load's unload */
	KJ_OP_FILE_UNLOAD,
	KJ_OP_EXEC,      /* reboot(LINUX_REBOOT_CMD_KEXEC) */
};

/* Fill err with the explanation of `code` (positive errno) returned by
 * `op` for `name` (the kernel file, or "kexec" when there is none).
 * panic says whether the crash-kernel slot was targeted. Returns -code. */
int kj_kexec_explain(int code, enum kj_kexec_op op, const char *name,
		     bool panic, struct kj_err *err);

/* The lockdown mode in force ("none", "integrity", "confidentiality"),
 * or NULL when the system does not say. Static storage. */
const char *kj_lockdown_mode(void);

#endif
