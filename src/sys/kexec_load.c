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

int kj_kexec_load_plan(const struct kj_plan *plan, struct kj_err *err)
{
	struct kexec_segment segs[KJ_PLAN_MAX_SEGMENTS];
	int n = kj_kexec_load_segments(plan, segs, err);

	if (n < 0)
		return n;
	if (syscall(SYS_kexec_load, (unsigned long)plan->entry,
		    (unsigned long)n, segs, plan->flags) != 0)
		return kj_kexec_explain(errno, KJ_OP_LOAD, "kexec_load",
					plan->flags & KJ_KEXEC_ON_CRASH, err);
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
