/* kjump's own spelling: `kjump COMMAND [options]`. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

enum {
	OPT_INITRD = 256,
	OPT_APPEND,
	OPT_COMMAND_LINE,
	OPT_REUSE_CMDLINE,
	OPT_TYPE,
	OPT_PANIC,
	OPT_SYSCALL,
	OPT_NO_SYNC,
	OPT_NO_IFDOWN,
	OPT_JSON,
	OPT_DRY_RUN,
	OPT_CONSOLE_SERIAL,
	OPT_NO_CHECKS,
	OPT_CHECKS,
	OPT_VERBOSE,
	OPT_HELP,
	OPT_ENTRY,
	OPT_DEFAULT,
	OPT_SET_ARG,
	OPT_REMOVE_ARG,
	OPT_EXEC,
	OPT_MODULE,
	OPT_NO_DECOMPRESS,
	OPT_ARGS_LINUX,
	OPT_ARGS_NONE,
	OPT_ONCE,
	OPT_REBOOT,
	OPT_STATE,
	OPT_WAIT,
	OPT_TIMEOUT,
	OPT_DEFAULT_ENTRY,
	OPT_SHELL,
	OPT_CONFIG,
};

static const struct option kjump_options[] = {
	{ "initrd", required_argument, NULL, OPT_INITRD },
	{ "append", required_argument, NULL, OPT_APPEND },
	{ "command-line", required_argument, NULL, OPT_COMMAND_LINE },
	{ "reuse-cmdline", no_argument, NULL, OPT_REUSE_CMDLINE },
	{ "type", required_argument, NULL, OPT_TYPE },
	{ "panic", no_argument, NULL, OPT_PANIC },
	{ "syscall", required_argument, NULL, OPT_SYSCALL },
	{ "no-sync", no_argument, NULL, OPT_NO_SYNC },
	{ "no-ifdown", no_argument, NULL, OPT_NO_IFDOWN },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "console-serial", optional_argument, NULL, OPT_CONSOLE_SERIAL },
	{ "no-checks", no_argument, NULL, OPT_NO_CHECKS },
	{ "checks", required_argument, NULL, OPT_CHECKS },
	{ "verbose", no_argument, NULL, OPT_VERBOSE },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "entry", required_argument, NULL, OPT_ENTRY },
	{ "default", no_argument, NULL, OPT_DEFAULT },
	{ "set-arg", required_argument, NULL, OPT_SET_ARG },
	{ "remove-arg", required_argument, NULL, OPT_REMOVE_ARG },
	{ "exec", no_argument, NULL, OPT_EXEC },
	{ "module", required_argument, NULL, OPT_MODULE },
	{ "no-decompress", no_argument, NULL, OPT_NO_DECOMPRESS },
	{ "args-linux", no_argument, NULL, OPT_ARGS_LINUX },
	{ "args-none", no_argument, NULL, OPT_ARGS_NONE },
	{ "once", required_argument, NULL, OPT_ONCE },
	{ "reboot", no_argument, NULL, OPT_REBOOT },
	{ "state", required_argument, NULL, OPT_STATE },
	{ NULL, 0, NULL, 0 },
};

/* `kjump menu`: --default takes the entry here (boot's is a flag). */
static const struct option menu_options[] = {
	{ "wait", required_argument, NULL, OPT_WAIT },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "default", required_argument, NULL, OPT_DEFAULT_ENTRY },
	{ "set-arg", required_argument, NULL, OPT_SET_ARG },
	{ "remove-arg", required_argument, NULL, OPT_REMOVE_ARG },
	{ "append", required_argument, NULL, OPT_APPEND },
	{ "shell", no_argument, NULL, OPT_SHELL },
	{ "state", required_argument, NULL, OPT_STATE },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "verbose", no_argument, NULL, OPT_VERBOSE },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

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

/* Which options make sense for which command: an option a command would
 * ignore is an error, not a silent no-op. */
static bool option_allowed(enum kj_action action, int opt)
{
	switch (opt) {
	case OPT_HELP:
	case OPT_VERBOSE:
		return true;
	case OPT_JSON:
		return action == KJ_ACT_STATUS || action == KJ_ACT_INSPECT ||
		       action == KJ_ACT_LOAD || action == KJ_ACT_LIST;
	case OPT_ENTRY:
	case OPT_DEFAULT:
	case OPT_EXEC:
	case OPT_ONCE:
	case OPT_REBOOT:
		return action == KJ_ACT_BOOT;
	case OPT_SET_ARG:
	case OPT_REMOVE_ARG:
	case OPT_STATE:
		return action == KJ_ACT_BOOT || action == KJ_ACT_MENU;
	case OPT_WAIT:
	case OPT_TIMEOUT:
	case OPT_DEFAULT_ENTRY:
	case OPT_SHELL:
	case OPT_CONFIG:
		return action == KJ_ACT_MENU;
	case OPT_APPEND:
		return action == KJ_ACT_LOAD || action == KJ_ACT_BOOT ||
		       action == KJ_ACT_MENU;
	case OPT_DRY_RUN:
	case OPT_CONSOLE_SERIAL:
	case OPT_NO_CHECKS:
	case OPT_CHECKS:
		return action == KJ_ACT_LOAD || action == KJ_ACT_BOOT;
	case OPT_PANIC:
		return action == KJ_ACT_LOAD || action == KJ_ACT_UNLOAD;
	case OPT_NO_SYNC:
	case OPT_NO_IFDOWN:
		return action == KJ_ACT_EXEC;
	default:
		return action == KJ_ACT_LOAD;
	}
}

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
	const struct option *opts = kjump_options;
	const char *cmd;
	int positional = 0, opt, r, longidx = 0;
	size_t i;

	memset(cli, 0, sizeof(*cli));
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
	if (i == sizeof(commands) / sizeof(commands[0]))
		return kj_fail(err, EINVAL,
			       "unknown command '%s'; try `kjump help`", cmd);
	cli->action = commands[i].action;
	if (cli->action == KJ_ACT_MENU)
		opts = menu_options;

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
		if (opt == OPT_HELP) {
			cli->help_topic = cmd;
			cli->action = KJ_ACT_HELP;
			return 0;
		}
		if (!option_allowed(cli->action, opt))
			return kj_fail(err, EINVAL,
				       "%s: option '--%s' does not apply to this "
				       "command",
				       cmd, opts[longidx].name);
		switch (opt) {
		case OPT_INITRD:
			r = kj_cli_add_initrd(cli, optarg, err);
			if (r < 0)
				return r;
			break;
		case OPT_APPEND:
			cli->append = optarg;
			break;
		case OPT_COMMAND_LINE:
			cli->append = optarg;
			cli->replace_cmdline = true;
			break;
		case OPT_REUSE_CMDLINE:
			cli->reuse_cmdline = true;
			break;
		case OPT_MODULE:
			r = kj_cli_add_module(cli, optarg, err);
			if (r < 0)
				return r;
			break;
		case OPT_NO_DECOMPRESS:
			cli->req.no_decompress = true;
			break;
		case OPT_ARGS_LINUX:
			cli->req.elf_args = KJ_ELF_ARGS_LINUX;
			break;
		case OPT_ARGS_NONE:
			cli->req.elf_args = KJ_ELF_ARGS_NONE;
			break;
		case OPT_TYPE:
			cli->req.type = optarg;
			break;
		case OPT_PANIC:
			cli->req.panic = true;
			break;
		case OPT_SYSCALL:
			r = parse_syscall(optarg, cli, err);
			if (r < 0)
				return r;
			break;
		case OPT_NO_SYNC:
			cli->no_sync = true;
			break;
		case OPT_NO_IFDOWN:
			cli->no_ifdown = true;
			break;
		case OPT_JSON:
			cli->req.json = true;
			break;
		case OPT_DRY_RUN:
			cli->req.dry_run = true;
			break;
		case OPT_CONSOLE_SERIAL:
			r = kj_cli_parse_serial(optarg, &cli->req.console_serial,
						err);
			if (r < 0)
				return r;
			break;
		case OPT_NO_CHECKS:
		case OPT_CHECKS:
			r = kj_cli_set_checks(cli,
					      opt == OPT_CHECKS ? optarg : NULL,
					      err);
			if (r < 0)
				return r;
			break;
		case OPT_VERBOSE:
			cli->req.verbose = true;
			break;
		case OPT_ENTRY:
			cli->entry = optarg;
			break;
		case OPT_DEFAULT:
			cli->use_default = true;
			break;
		case OPT_EXEC:
			cli->exec_after = true;
			break;
		case OPT_ONCE:
			cli->once = optarg;
			break;
		case OPT_REBOOT:
			cli->reboot_after = true;
			break;
		case OPT_STATE:
			cli->state = optarg;
			break;
		case OPT_WAIT:
		case OPT_TIMEOUT:
			r = parse_seconds(opts[longidx].name, optarg,
					  opt == OPT_WAIT ? &cli->wait_s :
							    &cli->timeout_s,
					  err);
			if (r < 0)
				return r;
			break;
		case OPT_DEFAULT_ENTRY:
			cli->menu_default = optarg;
			break;
		case OPT_SHELL:
			cli->shell = true;
			break;
		case OPT_CONFIG:
			cli->config = optarg;
			break;
		case OPT_SET_ARG:
		case OPT_REMOVE_ARG:
			if (cli->n_rules >= KJ_CLI_MAX_RULES)
				return kj_fail(err, E2BIG, "at most %d rewrite "
					       "rules", KJ_CLI_MAX_RULES);
			if (!*optarg || *optarg == '=')
				return kj_fail(err, EINVAL,
					       "--%s needs a parameter name",
					       opts[longidx].name);
			cli->rules[cli->n_rules].set = opt == OPT_SET_ARG;
			cli->rules[cli->n_rules++].arg = optarg;
			break;
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
	if (cli->replace_cmdline && cli->reuse_cmdline)
		return kj_fail(err, EINVAL,
			       "load: --command-line replaces the whole line; "
			       "use --append with --reuse-cmdline");
	if (commands[i].positional == 1 && positional == 0)
		return kj_fail(err, EINVAL, "%s: missing %s argument", cmd,
			       cli->action == KJ_ACT_LOAD ? "KERNEL" : "FILE");
	return 0;
}
