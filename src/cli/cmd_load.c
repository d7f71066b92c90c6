/* `kjump load` / `kexec -l`: the command line of the next kernel, then
 * the load step (load/load.h) does the rest. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "core/cmdline.h"
#include "load/load.h"
#include "sys/crash_record.h"
#include "sys/status.h"
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

static bool crash_loaded(void)
{
	struct kj_kexec_status st;

	return kj_kexec_status_read(&st, NULL) == 0 && st.crash_loaded;
}

/* Linux unloads the crash kernel at the start of every crash load, so
 * one the kernel refused leaves none: say so, and how to get the old one
 * back. A load that succeeded is recorded for the next time. */
static void after_crash_load(const struct kj_cli *cli, bool had_one, int r,
			     struct kj_err *err)
{
	struct kj_err why = { 0 };
	char *cmd, msg[2 * KJ_ERR_MSG_MAX];

	if (r == 0) {
		if (cli->argv &&
		    kj_crash_record_put(cli->argc, cli->argv, &why) < 0 &&
		    cli->req.verbose)
			fprintf(stderr, "kjump: %s\n", why.msg);
		return;
	}
	if (!had_one || crash_loaded())
		return;
	cmd = kj_crash_record_get();
	snprintf(msg, sizeof(msg), "%s; the crash kernel loaded before is gone "
		 "(the kernel unloads it before checking a new one)%s%s",
		 err->msg, cmd ? ": reload it with " : "", cmd ? cmd : "");
	kj_fail(err, err->code, "%s", msg);
	free(cmd);
}

int kj_cmd_load(const struct kj_cli *cli, struct kj_err *err)
{
	struct kj_load_request req = cli->req;
	struct kj_cmdline cl = { 0 };
	bool crash = req.panic && !req.dry_run, had_one = false;
	int r;

	r = build_cmdline(cli, &cl, err);
	if (r < 0)
		return 1;
	req.cmdline = cl.text;
	if (crash)
		had_one = crash_loaded();
	r = kj_load(&req, stdout, err);
	if (crash)
		after_crash_load(cli, had_one, r, err);
	kj_cmdline_free(&cl);
	return r < 0 || err->code ? 1 : 0;
}
