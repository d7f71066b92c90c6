#include "sys/kexec_errors.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sys/secure_boot.h"
#include "sys/sysroot.h"

const char *kj_lockdown_mode(void)
{
	static char mode[32];
	char *text, *open, *close;
	struct kj_err ignored;

	/* The file lists every mode and brackets the active one:
	 * "none [integrity] confidentiality". */
	if (kj_sys_read("/sys/kernel/security/lockdown", 256, &text, NULL,
			&ignored) < 0)
		return NULL;
	open = strchr(text, '[');
	close = open ? strchr(open, ']') : NULL;
	if (!open || !close || (size_t)(close - open - 1) >= sizeof(mode)) {
		free(text);
		return NULL;
	}
	memcpy(mode, open + 1, (size_t)(close - open - 1));
	mode[close - open - 1] = '\0';
	free(text);
	return mode;
}

/* A signature refusal says what this system actually enforces. */
static int explain_signature(int code, const char *name, struct kj_err *err)
{
	const char *lockdown = kj_lockdown_mode();
	const char *sb = kj_secure_boot_text(kj_secure_boot_state());
	const char *why = code == ENODATA ? "the image carries no signature"
					  : strerror(code);

	if (!lockdown)
		return kj_fail(err, code,
			       "%s: signature check failed (%s); %s and the "
			       "lockdown mode is unknown (securityfs not "
			       "mounted?): the kernel wants an image signed "
			       "with a key it trusts",
			       name, why, sb);
	if (strcmp(lockdown, "none") != 0)
		return kj_fail(err, code,
			       "%s: signature check failed (%s); %s and "
			       "lockdown is %s, so only kernels signed with a "
			       "key the running kernel trusts (built in, or "
			       "enrolled with MOK) can be loaded",
			       name, why, sb, lockdown);
	return kj_fail(err, code,
		       "%s: signature check failed (%s); %s and lockdown is "
		       "none, yet this kernel wants signed images by file "
		       "(CONFIG_KEXEC_SIG_FORCE or an IMA policy); kexec_load "
		       "(-c) checks no signatures",
		       name, why, sb);
}

static int explain_eperm(enum kj_kexec_op op, const char *name, bool panic,
			 struct kj_err *err)
{
	const char *limit = panic ? "/proc/sys/kernel/kexec_load_limit_panic" :
				    "/proc/sys/kernel/kexec_load_limit_reboot";
	const char *lockdown = kj_lockdown_mode();
	long disabled = 0, left = -1;
	struct kj_err ignored;

	if (geteuid() != 0)
		return kj_fail(err, EPERM,
			       "%s: permission denied: loading a kernel needs "
			       "root (CAP_SYS_BOOT)",
			       name);
	if (lockdown && strcmp(lockdown, "none") != 0) {
		const char *sb = kj_secure_boot_text(kj_secure_boot_state());

		if (op == KJ_OP_LOAD || op == KJ_OP_UNLOAD)
			return kj_fail(err, EPERM,
				       "%s: kernel lockdown (%s; %s) forbids "
				       "kexec_load; only signed kernels through "
				       "kexec_file_load (--syscall file, -s) can "
				       "be loaded",
				       name, lockdown, sb);
		return kj_fail(err, EPERM,
			       "%s: kernel lockdown (%s; %s) refused the "
			       "kernel: it must be signed with a key the "
			       "running kernel trusts (built in, or enrolled "
			       "with MOK)",
			       name, lockdown, sb);
	}
	if (kj_sys_read_long("/proc/sys/kernel/kexec_load_disabled", &disabled,
			     &ignored) == 0 &&
	    disabled)
		return kj_fail(err, EPERM,
			       "%s: kexec is disabled until reboot "
			       "(/proc/sys/kernel/kexec_load_disabled is 1)",
			       name);
	/* Linux 6.6+ counts loads down; at 0 every further one is refused. */
	if (kj_sys_read_long(limit, &left, &ignored) == 0 && left == 0)
		return kj_fail(err, EPERM, "%s: no kexec loads left (%s is 0)",
			       name, limit);
	return kj_fail(err, EPERM,
		       "%s: the kernel refused the kexec request (EPERM): a "
		       "security module or a container may forbid it",
		       name);
}

int kj_kexec_explain(int code, enum kj_kexec_op op, const char *name,
		     bool panic, struct kj_err *err)
{
	if (!name)
		name = "kexec";
	switch (code) {
	case EPERM:
		return explain_eperm(op, name, panic, err);
	case EKEYREJECTED:
	case EBADMSG:
	case ENOKEY:
	case ENODATA:
	case ENOPKG:
	case ELIBBAD:
		if (op == KJ_OP_FILE_LOAD)
			return explain_signature(code, name, err);
		break;
	case ENOEXEC:
		return kj_fail(err, code,
			       "%s: the running kernel does not accept this "
			       "image format through %s",
			       name,
			       op == KJ_OP_FILE_LOAD ? "kexec_file_load" :
						       "kexec_load");
	case EBUSY:
		return kj_fail(err, code,
			       "%s: kexec is busy (another load or exec is in "
			       "progress); try again",
			       name);
	case ENOMEM:
		if (panic)
			return kj_fail(err, code,
				       "%s: no room in the crash kernel region: "
				       "is memory reserved with crashkernel= on "
				       "the command line, and is it large enough?",
				       name);
		return kj_fail(err, code,
			       "%s: the kernel found no room for the segments "
			       "(out of memory)",
			       name);
	case EADDRNOTAVAIL:
		return kj_fail(err, code, "%s: a segment lies outside %s", name,
			       panic ? "the crash kernel region" :
				       "the memory the kernel allows");
	case EFAULT:
		return kj_fail(err, code,
			       "%s: the kernel could not read a segment buffer "
			       "(did a file change size while being loaded?)",
			       name);
	case EINVAL:
		if (op == KJ_OP_LOAD)
			return kj_fail(err, code,
				       "%s: the kernel rejected the segments "
				       "(unaligned, overlapping, too many) or the "
				       "flags%s",
				       name,
				       panic ? "; is crash memory reserved "
					       "(crashkernel=)?" :
					       "");
		if (panic)
			return kj_fail(err, code,
				       "%s: the kernel rejected the request "
				       "(EINVAL): no crash kernel memory is "
				       "reserved (boot with crashkernel=...), or "
				       "the image is not valid for it",
				       name);
		return kj_fail(err, code,
			       "%s: the kernel rejected the request as invalid "
			       "(EINVAL)",
			       name);
	case ENOSYS:
	case EOPNOTSUPP:
		return kj_fail(err, code,
			       "%s: the running kernel was built without %s",
			       name,
			       op == KJ_OP_FILE_LOAD || op == KJ_OP_FILE_UNLOAD
				       ? "kexec_file_load (CONFIG_KEXEC_FILE)"
				       : "kexec support (CONFIG_KEXEC)");
	case E2BIG:
		if (op == KJ_OP_LOAD)
			return kj_fail(err, code, "%s: too many segments",
				       name);
		return kj_fail(err, code,
			       "%s: the command line is longer than the running "
			       "kernel allows",
			       name);
	case ENOENT:
		if (op == KJ_OP_EXEC)
			return kj_fail(err, code,
				       "no kernel is loaded: run `kjump load` "
				       "first");
		break;
	default:
		break;
	}
	return kj_fail(err, code, "%s: kexec failed: %s", name,
		       strerror(code));
}
