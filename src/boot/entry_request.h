/* A boot entry as a load request: the source side of the load pipeline
 * for `kjump boot` and `kjump menu`. */
#ifndef KJ_BOOT_ENTRY_REQUEST_H
#define KJ_BOOT_ENTRY_REQUEST_H

#include "boot/entry.h"
#include "core/err.h"
#include "core/request.h"

/* Fill req from base (the options: syscall, --dry-run, ...) and the
 * entry: its kernel, initrds, modules with their own arguments and
 * device tree, resolved inside root_dirfd, with cmdline (the entry's,
 * rewritten by the caller). The entry's kind is only a hint: the file's
 * content decides which loader runs. Pointers borrow from e. */
int kj_entry_request(const struct kj_entry *e, int root_dirfd,
		     const char *cmdline, const struct kj_load_request *base,
		     struct kj_load_request *req, struct kj_err *err);

#endif
