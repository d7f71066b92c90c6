/* Finish a plan whose "purgatory" segment holds an unfilled x86_64
 * purgatory: digest every other segment and record where the purgatory
 * jumps next (plan->regs), through kj_purgatory_x86_64_prepare(). */
#ifndef KJ_ARCH_X86_64_PURGATORY_PLAN_H
#define KJ_ARCH_X86_64_PURGATORY_PLAN_H

#include <stdint.h>

#include "core/err.h"
#include "core/plan.h"

/* Add the purgatory blob as the "purgatory" segment at addr (memsz bytes,
 * at least len): a private copy, since filling its parameter block
 * patches it. Refuses a blob too small to hold the parameter block. */
int kj_x86_plan_add_purgatory(struct kj_plan *plan, const uint8_t *blob,
			      size_t len, uint64_t addr, size_t memsz,
			      struct kj_err *err);

/* Is blob long enough to hold the parameter block? 0 or -EINVAL. */
int kj_x86_purgatory_check(const uint8_t *blob, size_t len,
			   struct kj_err *err);

/* flags: KJ_PURG_VERIFY | KJ_PURG_SERIAL; digest_alg (enum kj_digest_alg)
 * matters with KJ_PURG_VERIFY; serial_port 0 = COM1. Replaces the
 * purgatory segment's buffer by the filled blob (owned) and records the
 * algorithm and each segment's digest in the plan, for --dry-run. Call it
 * last: the digests cover the segments as they are now. */
int kj_x86_plan_fill_purgatory(struct kj_plan *plan, uint32_t flags,
			       uint32_t digest_alg, uint16_t serial_port,
			       struct kj_err *err);

#endif
