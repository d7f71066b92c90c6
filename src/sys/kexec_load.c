#include "sys/kexec_load.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sys/kexec_errors.h"

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

/* EINVAL for a flag the running kernel was built without says which. */
static int explain(int code, unsigned long flags, struct kj_err *err)
{
	bool panic = flags & KJ_KEXEC_ON_CRASH;

	if (code == EINVAL && (flags & KJ_KEXEC_PRESERVE_CONTEXT))
		return kj_fail(err, code,
			       "kexec_load: the kernel refused "
			       "KEXEC_PRESERVE_CONTEXT (EINVAL): it was built "
			       "without kexec jump (CONFIG_KEXEC_JUMP)");
	if (code == EINVAL && panic && (flags & (KJ_KEXEC_UPDATE_ELFCOREHDR |
						 KJ_KEXEC_CRASH_HOTPLUG_SUPPORT)))
		return kj_fail(err, code,
			       "kexec_load: the kernel refused --hotplug's "
			       "flag (EINVAL): no crash hotplug support for "
			       "kexec_load (CONFIG_CRASH_HOTPLUG)");
	if (code == EINVAL && !panic && (flags & KJ_KEXEC_HARDBOOT))
		return kj_fail(err, code,
			       "kexec_load: the kernel refused KEXEC_HARDBOOT "
			       "(EINVAL): it does not carry the kexec-hardboot "
			       "patch");
	return kj_kexec_explain(code, KJ_OP_LOAD, "kexec_load", panic, err);
}

int kj_kexec_load_plan(const struct kj_plan *plan, struct kj_err *err)
{
	struct kexec_segment segs[KJ_PLAN_MAX_SEGMENTS];
	int n = kj_kexec_load_segments(plan, segs, err);

	if (n < 0)
		return n;
	if (syscall(SYS_kexec_load, (unsigned long)plan->entry,
		    (unsigned long)n, segs, plan->flags) != 0)
		return explain(errno, plan->flags, err);
	return 0;
}

int kj_kexec_load_unload(bool panic, struct kj_err *err)
{
	/* KEXEC_ARCH_DEFAULT (0) is accepted on every architecture. */
	unsigned long flags = panic ? KJ_KEXEC_ON_CRASH : 0;

	if (syscall(SYS_kexec_load, 0ul, 0ul, NULL, flags) != 0)
		return kj_kexec_explain(errno, KJ_OP_UNLOAD, "kexec_load", panic,
					err);
	return 0;
}

int kj_kexec_load_jump_back(uint64_t entry, struct kj_err *err)
{
	/* One empty segment: the kernel then keeps an image whose only use
	 * is its entry (kexec-tools does the same). */
	struct kexec_segment seg = { 0 };

	if (syscall(SYS_kexec_load, (unsigned long)entry, 1ul, &seg,
		    KJ_KEXEC_PRESERVE_CONTEXT) != 0)
		return explain(errno, KJ_KEXEC_PRESERVE_CONTEXT, err);
	return 0;
}
