/* What a UKI brings against what the request gives, decided as
 * systemd-stub decides it at boot (systemd-stub(7) and its stub.c):
 *
 *   command line  a non-empty one given (--append, --command-line,
 *                 --reuse-cmdline, a boot entry's) replaces .cmdline; an
 *                 empty one takes .cmdline. systemd-stub ignores a given
 *                 one when Secure Boot is on and the UKI has .cmdline (a
 *                 signed image's command line is not to be overridden);
 *                 kjump, which never silently drops what it was asked,
 *                 refuses that load instead.
 *   initrd        .ucode then .initrd, each padded to 4 bytes; --initrd
 *                 replaces both (systemd-stub itself has no way in for
 *                 another initrd; a kexec is asked for one explicitly).
 *   device tree   .dtb for a loader that takes one, unless --dtb.
 *
 * An EFI zboot image brings only its kernel. */
#ifndef KJ_LOAD_WRAPPED_H
#define KJ_LOAD_WRAPPED_H

#include <stdbool.h>

#include "core/err.h"
#include "core/request.h"
#include "image/unwrap.h"

/* The command line the load uses (req->cmdline or the UKI's); note, when
 * not NULL, gets a line for --verbose ("" for none). */
int kj_wrapped_cmdline(const struct kj_load_request *req,
		       const struct kj_unwrapped *w, bool secure_boot,
		       const char **cmdline, char *note, size_t notesz,
		       struct kj_err *err);

/* Is Secure Boot on (the EFI SecureBoot variable, through the sysroot)?
 * false when there is no EFI or the variable cannot be read. */
bool kj_secure_boot(void);

#endif
