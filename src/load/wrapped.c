#include "load/wrapped.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sys/sysroot.h"

/* EFI_GLOBAL_VARIABLE: 4 bytes of attributes, then the value. */
#define SECURE_BOOT_VAR                                                 \
	"/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d0-aa0d-" \
	"00e098032b8c"

bool kj_secure_boot(void)
{
	char *v = NULL;
	size_t len = 0;
	bool on;

	if (kj_sys_read(SECURE_BOOT_VAR, 16, &v, &len, NULL) < 0)
		return false;
	on = len == 5 && v[4] == 1;
	free(v);
	return on;
}

int kj_wrapped_cmdline(const struct kj_load_request *req,
		       const struct kj_unwrapped *w, bool secure_boot,
		       const char **cmdline, char *note, size_t notesz,
		       struct kj_err *err)
{
	const char *given = req->cmdline ? req->cmdline : "";

	if (note && notesz)
		note[0] = '\0';
	*cmdline = given;
	if (w->wrapper != KJ_WRAP_UKI || !w->cmdline)
		return 0;
	/* A Type #2 boot entry hands the UKI's own back. */
	if (!*given || !strcmp(given, w->cmdline)) {
		*cmdline = w->cmdline;
		if (note)
			snprintf(note, notesz,
				 "%s: command line from the UKI's .cmdline",
				 req->kernel);
		return 0;
	}
	if (secure_boot)
		return kj_fail(
			err, EPERM,
			"%s: Secure Boot is on and the UKI has a .cmdline: "
			"it is not replaced (systemd-stub ignores a given "
			"command line then); load it without --append, "
			"--command-line or --reuse-cmdline",
			req->kernel);
	if (note)
		snprintf(note, notesz,
			 "%s: the given command line replaces the UKI's "
			 ".cmdline",
			 req->kernel);
	return 0;
}
