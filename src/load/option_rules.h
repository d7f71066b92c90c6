/* Which kexec-tools options each system call can honour, and which
 * combinations make no sense: one table of rules for the load step. */
#ifndef KJ_LOAD_OPTION_RULES_H
#define KJ_LOAD_OPTION_RULES_H

#include "core/err.h"
#include "core/request.h"

/* The first option in req that only kexec_load can honour (it acts in
 * kjump's purgatory or its own segments, which kexec_file_load replaces
 * with the kernel's), or NULL. */
const char *kj_option_needs_kexec_load(const struct kj_load_request *req);

/* The first option only kexec_file_load can honour, with fallback_ok
 * telling whether a kexec_load fallback may go without it. */
const char *kj_option_needs_file_load(const struct kj_load_request *req,
				      bool *fallback_ok);

/* Options that do not fit this load (a crash kernel's option without
 * -p, a kexec jump without --mem-max): -EINVAL with err naming them. */
int kj_load_options_check(const struct kj_load_request *req,
			  struct kj_err *err);

#endif
