/* kjump's own spelling: `kjump COMMAND [options]`. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/options.h"

#define MAX_OPTS 128

static const struct {
	const char *name;
	enum kj_action action;
	int positional; /* how many operands it takes */
} commands[] = {
	{ "load", KJ_ACT_LOAD, 1 },	{ "exec", KJ_ACT_EXEC, 0 },
	{ "unload", KJ_ACT_UNLOAD, 0 }, { "status", KJ_ACT_STATUS, 0 },
	{ "inspect", KJ_ACT_INSPECT, 1 }, { "help", KJ_ACT_HELP, -1 },
	{ "list", KJ_ACT_LIST, -1 },	{ "boot", KJ_ACT_BOOT, -1 },
	{ "menu", KJ_ACT_MENU, -1 },
};

static int parse_syscall(const char *v, struct kj_cli *cli,
			 struct kj_err *err)
{
	if (!strcmp(v, "file"))
		cli->req.syscall = KJ_SYSCALL_FILE;
	else if (!strcmp(v, "load"))
		cli->req.syscall = KJ_SYSCALL_LOAD;
	else if (!strcmp(v, "auto"))
		cli->req.syscall = KJ_SYSCALL_AUTO;
	else
		return kj_fail(err, EINVAL,
			       "--syscall takes file, load or auto, not '%s'",
			       v);
	return 0;
}

/* Whole seconds, 0 to a day. */
static int parse_seconds(const char *opt, const char *v, long *out,
			 struct kj_err *err)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < 0 || n > 86400)
		return kj_fail(err, EINVAL,
			       "--%s takes seconds (0 to 86400), not '%s'", opt,
			       v);
	*out = n;
	return 0;
}

int kj_cli_parse_kjump(int argc, char **argv, struct kj_cli *cli,
		       struct kj_err *err)
{
	struct option opts[MAX_OPTS];
	const struct kj_cmd_doc *doc;
	const struct kj_opt *o;
	const char *cmd;
	int positional = 0, opt, r, longidx = 0;
	size_t i;

	kj_cli_reset(cli);
	cli->req.cmdline = "";
	cli->wait_s = cli->timeout_s = -1;
	if (argc < 2)
		return kj_fail(err, EINVAL,
			       "no command given; try `kjump help`");
	cmd = argv[1];
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
		cli->action = KJ_ACT_VERSION;
		return 0;
	}
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		cli->action = KJ_ACT_HELP;
		return 0;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(cmd, commands[i].name))
			break;
	doc = kj_cmd_by_name(cmd);
	if (i == sizeof(commands) / sizeof(commands[0]) || !doc)
		return kj_fail(err, EINVAL,
			       "unknown command '%s'; try `kjump help`", cmd);
	cli->action = commands[i].action;
	/* This command's options first, then every other kjump option, so
	 * that one meant for another command is named as such. */
	if (kj_opt_getopt(doc->in, KJ_IN_KJUMP, opts, MAX_OPTS, NULL, 0) < 0)
		return kj_fail(err, E2BIG, "option table too large");

	optind = 0; /* GNU: full reset, so parsing twice works (tests) */
	opterr = 0;
	while ((opt = getopt_long(argc - 1, argv + 1, "+:", opts,
				  &longidx)) != -1 ||
	       optind < argc - 1) {
		if (opt == -1) {
			/* An operand: keep it and continue after it, so
			 * options may follow (kjump load vmlinuz --initrd x). */
			const char *operand = argv[1 + optind++];

			if (cli->action == KJ_ACT_LIST ||
			    cli->action == KJ_ACT_BOOT ||
			    cli->action == KJ_ACT_MENU) {
				if (cli->n_roots >= KJ_CLI_MAX_ROOTS)
					return kj_fail(err, E2BIG,
						       "at most %d roots",
						       KJ_CLI_MAX_ROOTS);
				cli->roots[cli->n_roots++] = operand;
				continue;
			}
			if (positional == 0 && commands[i].positional != 0) {
				if (cli->action == KJ_ACT_HELP)
					cli->help_topic = operand;
				else if (cli->action == KJ_ACT_LOAD)
					cli->req.kernel = operand;
				else
					cli->file = operand;
				positional++;
				continue;
			}
			return kj_fail(err, EINVAL,
				       "%s: unexpected argument '%s'", cmd,
				       operand);
		}
		if (opt == '?')
			return kj_fail(err, EINVAL, "%s: unknown option '%s'",
				       cmd, argv[optind]);
		if (opt == ':')
			return kj_fail(err, EINVAL,
				       "%s: option '%s' needs a value", cmd,
				       argv[optind]);
		if (opt == KJ_O_HELP) {
			cli->help_topic = cmd;
			cli->action = KJ_ACT_HELP;
			return 0;
		}
		o = kj_opt_by_id(opt);
		if (!o || !(o->in & doc->in))
			return kj_fail(err, EINVAL,
				       "%s: option '--%s' does not apply to this "
				       "command",
				       cmd, opts[longidx].name);
		r = kj_cli_apply_option(cli, o, optarg, err);
		if (r < 0)
			return r;
		if (r > 0)
			continue;
		switch (opt) {
		case KJ_O_PANIC:
			cli->req.panic = true;
			break;
		case KJ_O_SYSCALL:
			r = parse_syscall(optarg, cli, err);
			if (r < 0)
				return r;
			break;
		case KJ_O_NO_SYNC:
			cli->no_sync = true;
			break;
		case KJ_O_NO_IFDOWN:
			cli->no_ifdown = true;
			break;
		case KJ_O_VERBOSE:
			cli->req.verbose = true;
			break;
		case KJ_O_ENTRY_ID:
			cli->entry = optarg;
			break;
		case KJ_O_DEFAULT:
			cli->use_default = true;
			break;
		case KJ_O_BOOT_EXEC:
			cli->exec_after = true;
			break;
		case KJ_O_ONCE:
			cli->once = optarg;
			break;
		case KJ_O_REBOOT:
			cli->reboot_after = true;
			break;
		case KJ_O_STATE:
			cli->state = optarg;
			break;
		case KJ_O_WAIT:
		case KJ_O_TIMEOUT:
			r = parse_seconds(o->name, optarg,
					  opt == KJ_O_WAIT ? &cli->wait_s
							   : &cli->timeout_s,
					  err);
			if (r < 0)
				return r;
			break;
		case KJ_O_DEFAULT_ENTRY:
			cli->menu_default = optarg;
			break;
		case KJ_O_SHELL:
			cli->shell = true;
			break;
		case KJ_O_CONFIG:
			cli->config = optarg;
			break;
		case KJ_O_SET_ARG:
		case KJ_O_REMOVE_ARG:
			if (cli->n_rules >= KJ_CLI_MAX_RULES)
				return kj_fail(err, E2BIG, "at most %d rewrite "
					       "rules", KJ_CLI_MAX_RULES);
			if (!*optarg || *optarg == '=')
				return kj_fail(err, EINVAL,
					       "--%s needs a parameter name",
					       o->name);
			cli->rules[cli->n_rules].set = opt == KJ_O_SET_ARG;
			cli->rules[cli->n_rules++].arg = optarg;
			break;
		default:
			return kj_fail(err, EINVAL,
				       "%s: option '--%s' is not handled",
				       cmd, o->name);
		}
	}
	if (cli->once && (cli->entry || cli->use_default || cli->exec_after))
		return kj_fail(err, EINVAL,
			       "boot: --once records an entry for the next "
			       "start; it takes no --entry, --default or "
			       "--exec");
	if (cli->reboot_after && !cli->once)
		return kj_fail(err, EINVAL, "boot: --reboot goes with --once");
	if (cli->entry && cli->use_default)
		return kj_fail(err, EINVAL,
			       "boot: --entry and --default exclude each other");
	r = kj_cli_finish_options(cli, err);
	if (r < 0)
		return r;
	if (commands[i].positional == 1 && positional == 0)
		return kj_fail(err, EINVAL, "%s: missing %s argument", cmd,
			       cli->action == KJ_ACT_LOAD ? "KERNEL" : "FILE");
	return 0;
}
