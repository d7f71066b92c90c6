/* The last step of every x86_64 kexec_load path (bzImage, Multiboot,
 * ELF): give the purgatory its work from the request's options, then
 * print the plan (--dry-run) or hand it to the kernel. */
#ifndef KJ_ARCH_X86_64_PLAN_FINISH_H
#define KJ_ARCH_X86_64_PLAN_FINISH_H

#include <stdio.h>

#include "core/err.h"
#include "core/plan.h"
#include "core/request.h"

/* Verification with --checks's algorithm (XXH64 by default) unless
 * --no-checks, serial progress with
 * --console-serial; --dry-run prints to out (text or --json) and loads
 * nothing; --verbose (kexec -d) prints the plan on stderr, then loads. */
int kj_x86_finish_plan(const struct kj_load_request *req,
		       struct kj_plan *plan, FILE *out, struct kj_err *err);

#endif
