/* Kexec jump (KEXEC_PRESERVE_CONTEXT): the memory the jumped-to kernel
 * may use is handed to kexec_load as empty "backup" segments, so that
 * the kernel swaps the original contents out before the jump and back
 * after it (kexec-tools' add_backup_segments does the same). */
#ifndef KJ_CORE_BACKUP_SEGMENTS_H
#define KJ_CORE_BACKUP_SEGMENTS_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/plan.h"

/* Add one empty segment per page-aligned hole that usable RAM leaves in
 * [min, max] (max is the last byte) between the plan's segments. Fails
 * when that takes more segments than kexec_load allows. */
int kj_plan_add_backup(struct kj_plan *plan, const struct kj_range *ram,
		       size_t nram, uint64_t min, uint64_t max,
		       struct kj_err *err);

#endif
