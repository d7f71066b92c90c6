/* `kjump boot [ROOT...] [--entry X | --default] [rules] [--exec]`: load a
 * boot entry found on the roots, with the command-line rewrite rules
 * applied, and start it if asked. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "boot/scan.h"
#include "cli/cli.h"
#include "core/cmdline.h"

static int rewrite_cmdline(const struct kj_cli *cli, const struct kj_entry *e,
			   struct kj_cmdline *cl, struct kj_err *err)
{
	int r = kj_cmdline_init(cl, e->cmdline);

	for (size_t i = 0; r == 0 && i < cli->n_rules; i++)
		r = cli->rules[i].set ?
			    kj_cmdline_set_arg(cl, cli->rules[i].arg) :
			    kj_cmdline_remove_arg(cl, cli->rules[i].arg);
	if (r == 0)
		r = kj_cmdline_append(cl, cli->append);
	if (r < 0)
		return kj_fail(err, -r, "%s: cannot rewrite the command line",
			       e->title ? e->title : e->id);
	return 0;
}

static long choose(const struct kj_cli *cli, const struct kj_scan *scan,
		   struct kj_err *err)
{
	long idx;

	if (scan->entries.n == 0) {
		kj_fail(err, ENOENT, "no boot entries found");
		return -1;
	}
	if (cli->entry) {
		idx = kj_scan_find(scan, cli->entry);
		if (idx < 0)
			kj_fail(err, ENOENT,
				"no entry '%s' (see `kjump list`)", cli->entry);
		return idx;
	}
	idx = kj_scan_default(scan);
	if (idx < 0)
		kj_fail(err, ENOENT, "no bootable entry found");
	return idx;
}

int kj_cmd_boot(const struct kj_cli *cli, struct kj_err *err)
{
	const struct kj_entry *e;
	const struct kj_root *root;
	struct kj_cmdline cl = { 0 };
	struct kj_scan scan;
	struct kj_cli load;
	long idx;
	int rc = 1;

	if (kj_scan(&scan, cli->roots, cli->n_roots, err) < 0)
		return 1;
	for (size_t i = 0; i < scan.warnings.n; i++)
		fprintf(stderr, "kjump: warning: %s\n", scan.warnings.v[i]);
	idx = choose(cli, &scan, err);
	if (idx < 0)
		goto out;
	e = &scan.entries.v[idx];
	root = kj_scan_root_of(&scan, e);
	if (e->type == KJ_ENTRY_UNSUPPORTED) {
		kj_fail(err, ENOEXEC, "%s:%u: entry '%s' cannot be booted: %s",
			e->config, e->config_line, e->title,
			e->unsupported ? e->unsupported : "unsupported");
		goto out;
	}
	if (e->type == KJ_ENTRY_MULTIBOOT) {
		kj_fail(err, ENOTSUP,
			"%s:%u: entry '%s' is a Multiboot entry; Multiboot is "
			"not supported yet",
			e->config, e->config_line, e->title);
		goto out;
	}
	if (!root || root->dirfd < 0) {
		kj_fail(err, ENOENT, "entry '%s': its filesystem is not open",
			e->title);
		goto out;
	}
	if (rewrite_cmdline(cli, e, &cl, err) < 0)
		goto out;

	/* Load it like `kjump load`, with every path resolved inside the
	 * entry's filesystem. */
	memset(&load, 0, sizeof(load));
	load.action = KJ_ACT_LOAD;
	load.req = cli->req;
	load.req.kernel = e->kernel;
	load.req.in_root = true;
	load.req.root_dirfd = root->dirfd;
	load.req.n_initrds = e->n_initrd < KJ_MAX_REQ_INITRDS ?
				     e->n_initrd :
				     KJ_MAX_REQ_INITRDS;
	for (size_t i = 0; i < load.req.n_initrds; i++)
		load.req.initrds[i] = e->initrd[i];
	load.append = cl.text;
	load.replace_cmdline = true;
	if (cli->req.dry_run || cli->req.verbose)
		printf("entry    %ld: %s (%s, %s:%u on %s)\n", idx, e->title,
		       kj_entry_source_name(e->source), e->config,
		       e->config_line, e->root_name);
	rc = kj_cmd_load(&load, err);
	if (rc || cli->req.dry_run || !cli->exec_after)
		goto out;
	printf("Booting %s...\n", e->title);
	fflush(stdout);
	/* The kernel holds its own copy now: release our mounts first. */
	kj_cmdline_free(&cl);
	kj_scan_free(&scan);
	return kj_cmd_exec(cli, err);
out:
	kj_cmdline_free(&cl);
	kj_scan_free(&scan);
	return rc;
}
