/* `kjump load` / `kexec -l`: the command line of the next kernel, then
 * the load step (load/load.h) does the rest. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "core/cmdline.h"
#include "load/load.h"
#include "sys/sysroot.h"

#define RUNNING_CMDLINE_MAX 65536

static int build_cmdline(const struct kj_cli *cli, struct kj_cmdline *cl,
			 struct kj_err *err)
{
	char *running;
	int r;

	if (!cli->reuse_cmdline) {
		r = kj_cmdline_init(cl, "");
	} else {
		r = kj_sys_read("/proc/cmdline", RUNNING_CMDLINE_MAX, &running,
				NULL, err);
		if (r < 0)
			return r;
		r = kj_cmdline_reuse(cl, running, cli->req.panic);
		free(running);
	}
	if (r == 0 && (r = kj_cmdline_append(cl, cli->append)) < 0)
		kj_cmdline_free(cl);
	if (r < 0)
		return kj_fail(err, ENOMEM, "command line: out of memory");
	return 0;
}

int kj_cmd_load(const struct kj_cli *cli, struct kj_err *err)
{
	struct kj_load_request req = cli->req;
	struct kj_cmdline cl = { 0 };
	int r;

	r = build_cmdline(cli, &cl, err);
	if (r < 0)
		return 1;
	req.cmdline = cl.text;
	r = kj_load(&req, stdout, err);
	kj_cmdline_free(&cl);
	return r < 0 || err->code ? 1 : 0;
}
