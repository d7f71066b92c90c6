/* MultiROM's --load-hardboot needs the kexec-hardboot kernel patch,
 * which exposes itself only in the kernel's configuration
 * (CONFIG_KEXEC_HARDBOOT=y); MultiROM looks in /proc/config.gz. Its
 * kexec_load flag (4) means KEXEC_UPDATE_ELFCOREHDR to Linux 6.5 and
 * later, so it must never reach a kernel without the patch. */
#ifndef KJ_SYS_HARDBOOT_H
#define KJ_SYS_HARDBOOT_H

#include "core/err.h"

/* 0 when the running kernel's config (/proc/config.gz, else
 * /boot/config-RELEASE, through the sysroot) has
 * CONFIG_KEXEC_HARDBOOT=y; otherwise -ENOTSUP with err saying where it
 * looked. */
int kj_hardboot_check(struct kj_err *err);

#endif
