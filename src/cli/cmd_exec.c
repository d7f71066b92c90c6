/* `kjump exec` / `kexec -e`, what kexec does after a load (shutdown -r
 * now, or -f: start at once), `kjump unload` / `kexec -u`, and kexec's
 * --print-ckr-size and --load-jump-back-helper. The executor
 * (sys/execute.h) does the work, --dry-run included. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "cli/cli.h"
#include "core/memmap.h"
#include "sys/execute.h"
#include "sys/memmap_read.h"

static int exec_job(const struct kj_cli *cli, bool shutdown, bool after_load,
		    struct kj_err *err)
{
	const struct kj_exec_job job = {
		.shutdown = shutdown,
		.just_loaded = after_load && cli->req.dry_run,
		.no_sync = cli->no_sync,
		.no_ifdown = cli->no_ifdown,
		.dry_run = cli->req.dry_run,
		.verbose = cli->req.verbose,
		/* after a --json plan, keep stdout JSON */
		.out = cli->req.json && after_load ? stderr : stdout,
	};

	if (kj_exec(&job, err) < 0)
		return 1;
	if (!cli->req.dry_run)
		fprintf(stderr, "kjump: back from the kernel started with "
				"KEXEC_PRESERVE_CONTEXT\n");
	return 0;
}

int kj_cmd_exec(const struct kj_cli *cli, struct kj_err *err)
{
	return exec_job(cli, false, false, err);
}

int kj_cmd_shutdown(const struct kj_cli *cli, struct kj_err *err)
{
	return exec_job(cli, cli->action == KJ_ACT_LOAD_SHUTDOWN, true, err);
}

int kj_cmd_unload(const struct kj_cli *cli, struct kj_err *err)
{
	return kj_unload(cli->req.panic, cli->req.syscall, cli->req.verbose,
			 cli->req.dry_run, stdout, err) < 0
		       ? 1
		       : 0;
}

int kj_cmd_print_ckr_size(const struct kj_cli *cli, struct kj_err *err)
{
	struct kj_memmap mm = { 0 };
	uint64_t size = 0;

	/* kexec-tools prints the first "Crash kernel" range of /proc/iomem,
	 * or 0 when none is reserved. */
	if (kj_sys_iomem(&mm, false, err) < 0)
		return 1;
	if (mm.ncrash)
		size = mm.crash[0].end - mm.crash[0].start;
	printf("%" PRIu64 "\n", size);
	return 0;
}

int kj_cmd_jump_back_helper(const struct kj_cli *cli, struct kj_err *err)
{
	return kj_jump_back_helper(cli->req.entry, cli->req.dry_run, stdout,
				   err) < 0
		       ? 1
		       : 0;
}
