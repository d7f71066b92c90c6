/* Printing a plan for `kjump load --dry-run`: aligned text for people,
 * one JSON object for scripts (--json). Addresses in JSON are numbers. */
#ifndef KJ_CORE_PLAN_PRINT_H
#define KJ_CORE_PLAN_PRINT_H

#include <stdio.h>

#include "core/plan.h"

/* One line per segment (index, mem range, memsz, bufsz, what), then the
 * entry point, the registers the next kernel gets, flags and cmdline.
 * Returns 0 or -EIO. */
int kj_plan_print(const struct kj_plan *plan, FILE *out);

/* {"segments":[{"index","mem","end","memsz","bufsz","what"}...],
 *  "entry","flags","panic","cmdline","registers":{...}} and a newline. */
int kj_plan_print_json(const struct kj_plan *plan, FILE *out);
/* The same object without the newline, to nest in another. */
int kj_plan_print_json_object(const struct kj_plan *plan, FILE *out);

#endif
