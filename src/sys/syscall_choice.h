/* When one kexec system call may stand in for the other: --syscall
 * auto's fallback after a failed kexec_file_load, and unload's. */
#ifndef KJ_SYS_SYSCALL_CHOICE_H
#define KJ_SYS_SYSCALL_CHOICE_H

#include <stdbool.h>

/* The errnos the kernel's signature check returns (EKEYREJECTED,
 * EBADMSG, ENOKEY, ENODATA: no signature, ENOPKG, ELIBBAD). */
bool kj_is_signature_errno(int code);

/* May a kexec_file_load that failed with code be retried with
 * kexec_load? Yes for "this kernel cannot take this image by file"
 * (ENOSYS, ENOEXEC, EINVAL, EOPNOTSUPP). After a signature refusal only
 * when lockdown (the mode kj_lockdown_mode() reads) is "none": then
 * kexec_load is allowed and checks no signatures, so the refusal came
 * from a kernel that wants signed images by file only. Under lockdown
 * (or when the mode cannot be read) never: kexec_load is refused by
 * design there, and retrying would only hide the reason. Never after
 * EPERM, ENOMEM, EBUSY and the like. */
bool kj_file_load_may_fall_back(int code, const char *lockdown);

/* May a failed kexec_file_load unload be done by kexec_load's (no
 * segments) instead? Only when the kernel has no file syscall (ENOSYS:
 * Debian's arm64 kernels, older ones). */
bool kj_unload_may_fall_back(int code);

#endif
