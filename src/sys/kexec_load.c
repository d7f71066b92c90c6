#include "sys/kexec_load.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sys/sysroot.h"

/* Why kexec_load fails, by errno. EPERM has several causes; the first
 * one found on this system wins (see eperm_cause()). */
static const struct {
	int code;
	const char *why;
	const char *why_panic; /* NULL: same as why */
} reasons[] = {
	{ EPERM, "not permitted", NULL },
	{ EBUSY, "another kexec load or unload is in progress",
	  "the crash kernel slot is busy (a load is in progress)" },
	{ ENOMEM, "the kernel could not find memory for the segments",
	  "the segments do not fit the crashkernel= reservation" },
	{ EINVAL,
	  "the kernel rejected the segments (unaligned, overlapping, too many) or the flags",
	  NULL },
	{ EADDRNOTAVAIL,
	  "a segment lies outside the memory the kernel allows",
	  "a segment lies outside the crash kernel region" },
	{ ENOSYS, "this kernel has no kexec_load (CONFIG_KEXEC is off)", NULL },
	{ EFAULT, "the kernel could not read a segment buffer", NULL },
	{ E2BIG, "too many segments", NULL },
	{ EOPNOTSUPP, "kexec is not supported on this system", NULL },
};

static bool file_says(const char *path, const char *word)
{
	char *text;
	bool yes;

	if (kj_sys_read(path, 4096, &text, NULL, NULL) < 0)
		return false;
	yes = strstr(text, word) != NULL;
	free(text);
	return yes;
}

static bool file_is_zero(const char *path)
{
	long v;

	return kj_sys_read_long(path, &v, NULL) == 0 && v == 0;
}

/* Which rule refused: the most specific one we can see. */
static const char *eperm_cause(bool panic)
{
	if (geteuid() != 0)
		return "kexec_load needs root (CAP_SYS_BOOT)";
	if (file_says("/sys/kernel/security/lockdown", "[integrity]") ||
	    file_says("/sys/kernel/security/lockdown", "[confidentiality]"))
		return "kernel lockdown forbids kexec_load; use kexec_file_load with a signed kernel";
	if (file_says("/proc/sys/kernel/kexec_load_disabled", "1"))
		return "kexec_load is disabled until reboot (/proc/sys/kernel/kexec_load_disabled is 1)";
	if (file_is_zero(panic ? "/proc/sys/kernel/kexec_load_limit_panic"
			       : "/proc/sys/kernel/kexec_load_limit_reboot"))
		return panic ? "no kexec loads left (/proc/sys/kernel/kexec_load_limit_panic is 0)"
			     : "no kexec loads left (/proc/sys/kernel/kexec_load_limit_reboot is 0)";
	return "not permitted (a security module may refuse kexec)";
}

int kj_kexec_load_explain(int e, bool panic, struct kj_err *err)
{
	const char *why = NULL;

	if (e < 0)
		e = -e;
	if (e == EPERM)
		return kj_fail(err, e, "kexec_load: %s", eperm_cause(panic));
	for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (reasons[i].code == e)
			why = panic && reasons[i].why_panic
				      ? reasons[i].why_panic
				      : reasons[i].why;
	if (!why)
		return kj_fail(err, e, "kexec_load: %s", strerror(e));
	return kj_fail(err, e, "kexec_load: %s (%s)", why, strerror(e));
}

int kj_kexec_load_segments(const struct kj_plan *plan,
			   struct kexec_segment *out, struct kj_err *err)
{
	if (plan->nseg == 0 || plan->nseg > KJ_PLAN_MAX_SEGMENTS)
		return kj_fail(err, EINVAL,
			       "kexec_load: a plan needs 1 to %d segments, not %zu",
			       KJ_PLAN_MAX_SEGMENTS, plan->nseg);
	for (size_t i = 0; i < plan->nseg; i++) {
		const struct kj_segment *s = &plan->seg[i];

		out[i].buf = s->buf;
		out[i].bufsz = s->bufsz;
		out[i].mem = (const void *)(uintptr_t)s->mem;
		out[i].memsz = s->memsz;
	}
	return (int)plan->nseg;
}

int kj_kexec_load_plan(const struct kj_plan *plan, struct kj_err *err)
{
	struct kexec_segment segs[KJ_PLAN_MAX_SEGMENTS];
	int n = kj_kexec_load_segments(plan, segs, err);

	if (n < 0)
		return n;
	if (syscall(SYS_kexec_load, (unsigned long)plan->entry,
		    (unsigned long)n, segs, plan->flags) != 0)
		return kj_kexec_load_explain(errno,
					     plan->flags & KJ_KEXEC_ON_CRASH,
					     err);
	return 0;
}

int kj_kexec_load_unload(bool panic, struct kj_err *err)
{
	/* KEXEC_ARCH_DEFAULT (0) is accepted on every architecture. */
	unsigned long flags = panic ? KJ_KEXEC_ON_CRASH : 0;

	if (syscall(SYS_kexec_load, 0ul, 0ul, NULL, flags) != 0)
		return kj_kexec_load_explain(errno, panic, err);
	return 0;
}
