/* --syscall auto: when a failed kexec_file_load may be retried with
 * kexec_load. */
#ifndef KJ_SYS_SYSCALL_CHOICE_H
#define KJ_SYS_SYSCALL_CHOICE_H

#include <stdbool.h>

/* True for the errnos that mean "this kernel cannot take this image by
 * file" (ENOSYS, ENOEXEC, EINVAL, EOPNOTSUPP). Never after a signature
 * rejection (EKEYREJECTED, EBADMSG) or EPERM: under lockdown kexec_load
 * is refused by design, and falling back would only hide the reason. */
bool kj_file_load_may_fall_back(int code);

#endif
