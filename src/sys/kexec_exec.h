/* Jump into the loaded kernel: reboot(LINUX_REBOOT_CMD_KEXEC). */
#ifndef KJ_SYS_KEXEC_EXEC_H
#define KJ_SYS_KEXEC_EXEC_H

#include <stdbool.h>

#include "core/err.h"

/* sync() unless no_sync, then kexec. Returns only on failure, or with 0
 * when a kernel loaded with KEXEC_PRESERVE_CONTEXT jumped back. */
int kj_kexec_reboot(bool no_sync, struct kj_err *err);

/* `kexec KERNEL` without an action: the orderly reboot kexec-tools runs,
 * `shutdown -r now`, from the first of /sbin/shutdown, /etc/shutdown,
 * /bin/shutdown (kexec-tools' list) that exists; the init system's
 * shutdown scripts then start the loaded kernel. Returns only on
 * failure. */
const char *kj_shutdown_path(void);
int kj_shutdown_reboot(struct kj_err *err);

/* Take every network interface but loopback down, as kexec-tools does
 * before exec (stops NIC DMA into memory the new kernel will own). */
void kj_ifdown_all(void);

#endif
