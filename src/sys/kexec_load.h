/* The classic kexec_load(2) syscall: hand the kernel a finished plan.
 *
 * Nothing is decided here: the plan was built and validated before. The
 * errno the kernel returns is turned into one line that says why, from
 * one table (the mapping for kexec_file_load lives in kexec_errors.c;
 * the two tables can merge). */
#ifndef KJ_SYS_KEXEC_LOAD_H
#define KJ_SYS_KEXEC_LOAD_H

#include <linux/kexec.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "core/plan.h"

/* Convert a plan to the kernel's segment array (out has room for
 * KJ_PLAN_MAX_SEGMENTS). Returns the count or -EINVAL for an empty plan
 * or one with too many segments: an empty kexec_load means "unload". */
int kj_kexec_load_segments(const struct kj_plan *plan,
			   struct kexec_segment *out, struct kj_err *err);

/* Load the plan with kexec_load(plan->entry, nseg, segs, plan->flags).
 * On failure err says why (root, lockdown, kexec_load_disabled, ...). */
int kj_kexec_load_plan(const struct kj_plan *plan, struct kj_err *err);

/* Unload the image (panic: the crash image) with kexec_load. */
int kj_kexec_load_unload(bool panic, struct kj_err *err);

/* kexec jump's helper: an empty image entered at entry, with
 * KEXEC_PRESERVE_CONTEXT, so that exec returns to the original kernel. */
int kj_kexec_load_jump_back(uint64_t entry, struct kj_err *err);


#endif
