#include "arch/x86_64/plan_finish.h"

#include <string.h>

#include "arch/x86_64/purgatory_abi.h"
#include "arch/x86_64/purgatory_plan.h"
#include "core/plan_print.h"
#include "core/segment_digest.h"
#include "sys/kexec_load.h"

int kj_x86_finish_plan(const struct kj_load_request *req,
		       struct kj_plan *plan, FILE *out, struct kj_err *err)
{
	uint32_t flags = 0, alg = KJ_DIGEST_XXH64;
	int rc;

	if (req->checks != KJ_CHECKS_NONE)
		flags |= KJ_PURG_VERIFY;
	if (req->checks == KJ_CHECKS_SHA256)
		alg = KJ_DIGEST_SHA256;
	if (req->console_serial)
		flags |= KJ_PURG_SERIAL;
	rc = kj_x86_plan_fill_purgatory(plan, flags, alg, req->console_serial,
					err);
	if (rc < 0)
		return rc;
	if (!req->dry_run) {
		if (req->verbose)
			kj_plan_print(plan, stderr);
		return kj_kexec_load_plan(plan, err);
	}
	rc = req->json ? kj_plan_print_json(plan, out) :
			 kj_plan_print(plan, out);
	if (rc < 0)
		return kj_fail(err, -rc, "plan: cannot print: %s",
			       strerror(-rc));
	return 0;
}
