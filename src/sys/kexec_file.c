#include "sys/kexec_file.h"

#include <errno.h>
#include <linux/kexec.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sys/kexec_errors.h"

static long sys_kexec_file_load(int kernel_fd, int initrd_fd,
				unsigned long cmdline_len, const char *cmdline,
				unsigned long flags)
{
	return syscall(SYS_kexec_file_load, kernel_fd, initrd_fd, cmdline_len,
		       cmdline, flags);
}

int kj_kexec_file_load(int kernel_fd, int initrd_fd, const char *cmdline,
		       bool panic, unsigned long flags, const char *name,
		       struct kj_err *err)
{
	unsigned long len = 0;
	int e;

	if (initrd_fd < 0)
		flags |= KEXEC_FILE_NO_INITRAMFS;
	if (panic)
		flags |= KEXEC_FILE_ON_CRASH;
	/* The length counts the NUL; an empty line is passed as none. */
	if (cmdline && *cmdline)
		len = strlen(cmdline) + 1;
	if (sys_kexec_file_load(kernel_fd, initrd_fd, len, len ? cmdline : NULL,
				flags) == 0)
		return 0;
	e = errno;
	if (e == EINVAL && (flags & (KJ_KEXEC_FILE_NO_CMA |
				     KJ_KEXEC_FILE_FORCE_DTB)))
		return kj_fail(err, e,
			       "%s: the kernel rejected the request (EINVAL); "
			       "kernels older than %s do not know it",
			       name,
			       flags & KJ_KEXEC_FILE_FORCE_DTB
				       ? "--force-dtb (KEXEC_FILE_FORCE_DTB)"
				       : "--no-cma (KEXEC_FILE_NO_CMA)");
	return kj_kexec_explain(e, KJ_OP_FILE_LOAD, name, panic, err);
}

int kj_kexec_file_unload(bool panic, struct kj_err *err)
{
	unsigned long flags = KEXEC_FILE_UNLOAD;

	if (panic)
		flags |= KEXEC_FILE_ON_CRASH;
	if (sys_kexec_file_load(-1, -1, 0, NULL, flags) < 0)
		return kj_kexec_explain(errno, KJ_OP_FILE_UNLOAD, "kexec", panic,
					err);
	return 0;
}
