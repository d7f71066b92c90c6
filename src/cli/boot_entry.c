/* The scan `kjump boot` and `kjump list` start with, and loading and
 * starting one boot entry it found: shared by `kjump boot` and `kjump
 * menu`. */
#include <errno.h>
#include <stdio.h>

#include "boot/entry_request.h"
#include "boot/scan.h"
#include "cli/cli.h"
#include "core/cmdline.h"
#include "core/safe_text.h"
#include "load/load.h"

int kj_boot_scan(const struct kj_cli *cli, struct kj_scan *scan,
		 struct kj_err *err)
{
	if (kj_scan(scan, cli->roots, cli->n_roots, err) < 0)
		return 1;
	for (size_t i = 0; i < scan->warnings.n; i++) {
		fputs("kjump: warning: ", stderr);
		kj_safe_fputs(stderr, scan->warnings.v[i]);
		fputc('\n', stderr);
	}
	return 0;
}

static int apply_rule(struct kj_cmdline *cl, const struct kj_cli_rule *r)
{
	return r->set ? kj_cmdline_set_arg(cl, r->arg)
		      : kj_cmdline_remove_arg(cl, r->arg);
}

int kj_boot_entry_cmdline(const struct kj_cli *cli, const struct kj_scan *scan,
			  long idx, const struct kj_cli_rule *extra,
			  size_t n_extra, struct kj_cmdline *cl,
			  struct kj_err *err)
{
	const struct kj_entry *e = &scan->entries.v[idx];
	int r = kj_cmdline_init(cl, e->cmdline);

	for (size_t i = 0; r == 0 && i < cli->n_rules; i++)
		r = apply_rule(cl, &cli->rules[i]);
	for (size_t i = 0; r == 0 && i < n_extra; i++)
		r = apply_rule(cl, &extra[i]);
	if (r == 0)
		r = kj_cmdline_append(cl, cli->append);
	if (r < 0) {
		kj_cmdline_free(cl);
		return kj_fail(err, -r, "%s: cannot rewrite the command line",
			       e->title ? e->title : e->id);
	}
	return 0;
}

int kj_boot_load_entry(const struct kj_cli *cli, const struct kj_scan *scan,
		       long idx, const char *cmdline, struct kj_err *err)
{
	const struct kj_entry *e = &scan->entries.v[idx];
	const struct kj_root *root = kj_scan_root_of(scan, e);
	struct kj_load_request req;

	if (kj_entry_request(e, root ? root->dirfd : -1, cmdline, &cli->req,
			     &req, err) < 0)
		return 1;
	if (cli->req.dry_run || cli->req.verbose) {
		/* Titles and paths come from a disk: printed escaped. */
		printf("entry    %ld: ", idx);
		kj_safe_fputs(stdout, e->title);
		printf(" (%s, ", kj_entry_source_name(e->source));
		kj_safe_fputs(stdout, e->config);
		printf(":%u on ", e->config_line);
		kj_safe_fputs(stdout, e->root_name);
		printf(")\n");
	}
	return kj_load(&req, stdout, err) < 0 ? 1 : 0;
}

int kj_boot_exec_loaded(const struct kj_cli *cli, struct kj_scan *scan,
			const char *title, struct kj_err *err)
{
	kj_scan_free(scan);
	fputs("Booting ", stdout);
	kj_safe_fputs(stdout, title);
	fputs("...\n", stdout);
	fflush(stdout);
	return kj_cmd_exec(cli, err);
}
