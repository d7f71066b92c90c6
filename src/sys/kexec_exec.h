/* Jump into the loaded kernel: reboot(LINUX_REBOOT_CMD_KEXEC). */
#ifndef KJ_SYS_KEXEC_EXEC_H
#define KJ_SYS_KEXEC_EXEC_H

#include <stdbool.h>

#include "core/err.h"

/* sync() unless no_sync, then kexec. Returns only on failure. */
int kj_kexec_reboot(bool no_sync, struct kj_err *err);

/* Take every network interface but loopback down, as kexec-tools does
 * before exec (stops NIC DMA into memory the new kernel will own). */
void kj_ifdown_all(void);

#endif
