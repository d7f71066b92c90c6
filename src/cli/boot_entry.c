/* Loading and starting one boot entry found by the scan: shared by
 * `kjump boot` and `kjump menu`. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot/scan.h"
#include "cli/cli.h"
#include "core/cmdline.h"

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
	char *module_lines[KJ_MAX_REQ_MODULES] = { 0 };
	struct kj_cli load;
	int rc;

	if (e->type == KJ_ENTRY_UNSUPPORTED) {
		kj_fail(err, ENOEXEC, "%s:%u: entry '%s' cannot be booted: %s",
			e->config, e->config_line, e->title,
			e->unsupported ? e->unsupported : "unsupported");
		return 1;
	}
	if (e->n_modules > KJ_MAX_REQ_MODULES) {
		kj_fail(err, E2BIG, "%s:%u: entry '%s' has more than %d modules",
			e->config, e->config_line, e->title,
			KJ_MAX_REQ_MODULES);
		return 1;
	}
	if (!root || root->dirfd < 0) {
		kj_fail(err, ENOENT, "entry '%s': its filesystem is not open",
			e->title);
		return 1;
	}
	memset(&load, 0, sizeof(load));
	load.action = KJ_ACT_LOAD;
	load.req = cli->req;
	load.req.kernel = e->kernel;
	load.req.in_root = true;
	load.req.root_dirfd = root->dirfd;
	load.req.n_initrds = e->n_initrd < KJ_MAX_REQ_INITRDS
				     ? e->n_initrd
				     : KJ_MAX_REQ_INITRDS;
	for (size_t i = 0; i < load.req.n_initrds; i++)
		load.req.initrds[i] = e->initrd[i];
	load.append = cmdline;
	load.replace_cmdline = true;
	if (e->type == KJ_ENTRY_MULTIBOOT) {
		load.req.type = "multiboot";
		/* Configs give a module's arguments alone; the Multiboot
		 * information carries "FILE ARGS", as GRUB hands it over. */
		for (size_t i = 0; i < e->n_modules; i++) {
			const struct kj_module *m = &e->modules[i];

			if (asprintf(&module_lines[i], "%s%s%s", m->path,
				     *m->cmdline ? " " : "", m->cmdline) < 0) {
				module_lines[i] = NULL;
				rc = kj_fail(err, ENOMEM, "out of memory");
				goto out;
			}
			load.req.modules[i].path = m->path;
			load.req.modules[i].cmdline = module_lines[i];
			load.req.n_modules = i + 1;
		}
	}
	if (cli->req.dry_run || cli->req.verbose)
		printf("entry    %ld: %s (%s, %s:%u on %s)\n", idx, e->title,
		       kj_entry_source_name(e->source), e->config,
		       e->config_line, e->root_name);
	rc = kj_cmd_load(&load, err);
out:
	for (size_t i = 0; i < e->n_modules; i++)
		free(module_lines[i]);
	return rc ? 1 : 0;
}

int kj_boot_exec_loaded(const struct kj_cli *cli, struct kj_scan *scan,
			const char *title, struct kj_err *err)
{
	kj_scan_free(scan);
	printf("Booting %s...\n", title);
	fflush(stdout);
	return kj_cmd_exec(cli, err);
}
