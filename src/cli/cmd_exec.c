/* `kjump exec` / `kexec -e` and `kjump unload` / `kexec -u`. */
#include <errno.h>

#include "cli/cli.h"
#include "sys/kexec_exec.h"
#include "sys/execute.h"
#include "sys/status.h"

int kj_cmd_exec(const struct kj_cli *cli, struct kj_err *err)
{
	struct kj_kexec_status st;

	if (kj_kexec_status_read(&st, err) < 0)
		return 1;
	/* reboot(KEXEC) with nothing loaded returns EINVAL, which says
	 * nothing useful; check first. */
	if (!st.loaded) {
		kj_fail(err, ENOENT,
			"no kernel is loaded: run `kjump load KERNEL` "
			"(or kexec -l) first");
		return 1;
	}
	if (!cli->no_ifdown)
		kj_ifdown_all();
	kj_kexec_reboot(cli->no_sync, err);
	return 1;
}

int kj_cmd_unload(const struct kj_cli *cli, struct kj_err *err)
{
	return kj_unload(cli->req.panic, cli->req.verbose, err) < 0 ? 1 : 0;
}
