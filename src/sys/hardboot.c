#include "sys/hardboot.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "sys/sysroot.h"

#define KEY "CONFIG_KEXEC_HARDBOOT=y"
#define CONFIG_MAX (4u << 20) /* a kernel config is ~250 KiB */

/* 1 if the config at syspath has the option, 0 if not, -1 if unreadable.
 * gzread reads plain files too. */
static int has_key(const char *syspath)
{
	char path[4096], line[256];
	size_t total = 0;
	int found = 0;
	gzFile f;

	if (kj_sys_path(syspath, path, sizeof(path)) < 0)
		return -1;
	f = gzopen(path, "rb");
	if (!f)
		return -1;
	while (!found && total < CONFIG_MAX && gzgets(f, line, sizeof(line))) {
		total += strlen(line);
		found = !strncmp(line, KEY, strlen(KEY)) &&
			(line[strlen(KEY)] == '\n' || !line[strlen(KEY)]);
	}
	gzclose(f);
	return found;
}

int kj_hardboot_check(struct kj_err *err)
{
	char boot[128] = "", *release = NULL;
	struct kj_err ignored;
	int r = has_key("/proc/config.gz");

	if (r < 0 && kj_sys_read("/proc/sys/kernel/osrelease", 64, &release,
				 NULL, &ignored) == 0) {
		release[strcspn(release, "\n")] = '\0';
		snprintf(boot, sizeof(boot), "/boot/config-%s", release);
		free(release);
		r = has_key(boot);
	}
	if (r > 0)
		return 0;
	if (r == 0)
		return kj_fail(err, ENOTSUP,
			       "--load-hardboot: this kernel lacks the "
			       "kexec-hardboot patch (%s has no %s)",
			       *boot ? boot : "/proc/config.gz", KEY);
	return kj_fail(err, ENOTSUP,
		       "--load-hardboot: this kernel does not say it has the "
		       "kexec-hardboot patch (no /proc/config.gz%s%s)",
		       *boot ? " or " : "", boot);
}
