#include "sys/status.h"

#include <errno.h>
#include <string.h>

#include "sys/kexec_errors.h"
#include "sys/sysroot.h"

int kj_kexec_status_read(struct kj_kexec_status *st, struct kj_err *err)
{
	struct kj_err ignored;
	long v = 0;
	int r;

	memset(st, 0, sizeof(*st));
	/* kexec_loaded exists on every kernel with kexec: its absence is
	 * the one failure worth reporting. */
	r = kj_sys_read_long("/sys/kernel/kexec_loaded", &v, err);
	if (r == -ENOENT)
		return kj_fail(err, ENOSYS,
			       "this kernel has no kexec support "
			       "(/sys/kernel/kexec_loaded is missing)");
	if (r < 0)
		return r;
	st->loaded = v != 0;
	if (kj_sys_read_long("/sys/kernel/kexec_crash_loaded", &v, &ignored) ==
	    0)
		st->crash_loaded = v != 0;
	if (kj_sys_read_long("/sys/kernel/kexec_crash_size", &v, &ignored) == 0)
		st->crash_size = v;
	if (kj_sys_read_long("/proc/sys/kernel/kexec_load_disabled", &v,
			     &ignored) == 0)
		st->load_disabled = v != 0;
	st->lockdown = kj_lockdown_mode();
	return 0;
}
