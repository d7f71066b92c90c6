/* What the running kernel says about loaded kexec images. */
#ifndef KJ_SYS_STATUS_H
#define KJ_SYS_STATUS_H

#include <stdbool.h>

#include "core/err.h"

struct kj_kexec_status {
	bool loaded;            /* /sys/kernel/kexec_loaded */
	bool crash_loaded;      /* /sys/kernel/kexec_crash_loaded */
	long crash_size;        /* /sys/kernel/kexec_crash_size, bytes */
	bool load_disabled;     /* /proc/sys/kernel/kexec_load_disabled */
	const char *lockdown;   /* lockdown mode, or NULL if unknown */
};

int kj_kexec_status_read(struct kj_kexec_status *st, struct kj_err *err);

#endif
