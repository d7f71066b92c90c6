/* The load step: the one place a load request becomes a loaded kernel.
 *
 * It opens and unpacks the kernel, maps the initrds and modules, picks
 * the loader (by --type, the request's hint, or content), reads what the
 * loader needs from the running system through the arch layer (memory
 * map, firmware description, crash notes), has the loader plan, adds the
 * arch's purgatory, and hands the plans to the executor (sys/execute.h),
 * which prints them (--dry-run) or makes the syscall. Every check runs
 * before the first syscall. */
#ifndef KJ_LOAD_LOAD_H
#define KJ_LOAD_LOAD_H

#include <stdio.h>

#include "core/err.h"
#include "core/plan.h"
#include "core/request.h"

struct kj_loader;

/* Load (or for req->dry_run print) what req asks for; out is where the
 * dry-run plan goes. 0 or -errno with err saying why. */
int kj_load(const struct kj_load_request *req, FILE *out, struct kj_err *err);

/* For tests and tools: the segment plan a loader makes from an input,
 * with the purgatory added and the whole plan validated (not filled:
 * kj_arch_purgatory_fill does that). */
struct kj_load_input;
int kj_load_plan_segments(const struct kj_loader *loader,
			  const struct kj_load_input *in, struct kj_plan *plan,
			  struct kj_err *err);

#endif
