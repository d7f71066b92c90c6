/* `kjump boot [ROOT...] [--entry X | --default] [rules] [--exec]`: load a
 * boot entry found on the roots, with the command-line rewrite rules
 * applied, and start it if asked. `kjump boot --once X [--reboot]` only
 * records X for the next start instead (see boot/oneshot.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <unistd.h>

#include "boot/oneshot.h"
#include "boot/scan.h"
#include "cli/cli.h"
#include "core/safe_text.h"
#include "core/cmdline.h"

static long choose(const struct kj_cli *cli, const struct kj_scan *scan,
		   struct kj_err *err)
{
	long idx;

	if (scan->entries.n == 0) {
		kj_fail(err, ENOENT, "no boot entries found");
		return -1;
	}
	if (cli->entry || cli->once) {
		const char *what = cli->once ? cli->once : cli->entry;

		idx = kj_scan_find(scan, what);
		if (idx < 0)
			kj_fail(err, ENOENT, "no entry '%s' (see `kjump list`)",
				what);
		return idx;
	}
	idx = kj_scan_default(scan);
	if (idx < 0)
		kj_fail(err, ENOENT, "no bootable entry found");
	return idx;
}

/* Record the entry (by id, which survives a rescan where an index might
 * not) and reset through the firmware if asked. The scan is released
 * first: the state file may live on a disk it mounted read-only. */
static int record_once(const struct kj_cli *cli, struct kj_scan *scan, long idx,
		       struct kj_err *err)
{
	const struct kj_entry *e = &scan->entries.v[idx];
	char *id = strdup(e->id && *e->id ? e->id : e->title);
	int r;

	kj_scan_free(scan);
	if (!id) {
		kj_fail(err, ENOMEM, "out of memory");
		return 1;
	}
	r = kj_oneshot_put(cli->state, id, err);
	if (r == 0) {
		fputs("next boot: ", stdout);
		kj_safe_fputs(stdout, id);
		fputs(" (once)\n", stdout);
	}
	free(id);
	if (r < 0)
		return 1;
	if (!cli->reboot_after)
		return 0;
	printf("Rebooting through the firmware...\n");
	fflush(stdout);
	sync();
	reboot(RB_AUTOBOOT);
	kj_fail(err, errno, "reboot: %s", strerror(errno));
	return 1;
}

int kj_cmd_boot(const struct kj_cli *cli, struct kj_err *err)
{
	struct kj_cmdline cl = { 0 };
	struct kj_scan scan;
	char *title = NULL;
	long idx;
	int rc = 1;

	if (kj_boot_scan(cli, &scan, err))
		return 1;
	idx = choose(cli, &scan, err);
	if (idx < 0)
		goto out;
	if (cli->once)
		return record_once(cli, &scan, idx, err);
	if (kj_boot_entry_cmdline(cli, &scan, idx, NULL, 0, &cl, err) < 0)
		goto out;
	rc = kj_boot_load_entry(cli, &scan, idx, cl.text, err);
	if (rc || cli->req.dry_run || !cli->exec_after)
		goto out;
	title = strdup(scan.entries.v[idx].title);
	kj_cmdline_free(&cl);
	rc = kj_boot_exec_loaded(cli, &scan, title ? title : "entry", err);
	free(title);
	return rc;
out:
	kj_cmdline_free(&cl);
	kj_scan_free(&scan);
	return rc;
}
