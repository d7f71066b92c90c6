/* kexec-tools' spelling, used when the binary is invoked as `kexec`, so
 * `systemctl kexec` and distro scripts work unchanged. Options keep
 * kexec-tools' meaning; ones kjump cannot honour yet fail by name. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

enum {
	OPT_INITRD = 256,
	OPT_APPEND,
	OPT_REUSE_CMDLINE,
	OPT_MEM_MIN,
	OPT_MEM_MAX,
	OPT_MODULE,
	OPT_DTB,
	OPT_DRY_RUN,
	OPT_NO_DECOMPRESS,
	OPT_ARGS_LINUX,
	OPT_ARGS_NONE,
	OPT_CONSOLE_SERIAL,
	OPT_CHECKS,
};

static const struct option kexec_options[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'v' },
	{ "load", no_argument, NULL, 'l' },
	{ "load-panic", no_argument, NULL, 'p' },
	{ "unload", no_argument, NULL, 'u' },
	{ "exec", no_argument, NULL, 'e' },
	{ "kexec-file-syscall", no_argument, NULL, 's' },
	{ "kexec-syscall", no_argument, NULL, 'c' },
	{ "kexec-syscall-auto", no_argument, NULL, 'a' },
	{ "status", no_argument, NULL, 'S' },
	{ "force", no_argument, NULL, 'f' },
	{ "no-ifdown", no_argument, NULL, 'x' },
	{ "no-sync", no_argument, NULL, 'y' },
	{ "no-checks", no_argument, NULL, 'i' },
	{ "debug", no_argument, NULL, 'd' },
	{ "type", required_argument, NULL, 't' },
	{ "initrd", required_argument, NULL, OPT_INITRD },
	{ "ramdisk", required_argument, NULL, OPT_INITRD },
	{ "append", required_argument, NULL, OPT_APPEND },
	{ "command-line", required_argument, NULL, OPT_APPEND },
	{ "reuse-cmdline", no_argument, NULL, OPT_REUSE_CMDLINE },
	{ "mem-min", required_argument, NULL, OPT_MEM_MIN },
	{ "mem-max", required_argument, NULL, OPT_MEM_MAX },
	{ "module", required_argument, NULL, OPT_MODULE },
	{ "dtb", required_argument, NULL, OPT_DTB },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "no-decompress", no_argument, NULL, OPT_NO_DECOMPRESS },
	{ "args-linux", no_argument, NULL, OPT_ARGS_LINUX },
	{ "args-none", no_argument, NULL, OPT_ARGS_NONE },
	{ "console-serial", optional_argument, NULL, OPT_CONSOLE_SERIAL },
	{ "checks", required_argument, NULL, OPT_CHECKS },
	{ NULL, 0, NULL, 0 },
};

/* Set the action once; kexec-tools lets the last one win, which hides
 * mistakes like `-l -u`, so two different actions are an error here
 * only when both are explicit. */
static int set_action(struct kj_cli *cli, enum kj_action action,
		      struct kj_err *err)
{
	if (cli->action != KJ_ACT_NONE && cli->action != action)
		return kj_fail(err, EINVAL,
			       "kexec: more than one action given (-l, -p, -u, "
			       "-e, -S)");
	cli->action = action;
	return 0;
}

int kj_cli_parse_kexec(int argc, char **argv, struct kj_cli *cli,
		       struct kj_err *err)
{
	unsigned long long v;
	int opt, r = 0;

	memset(cli, 0, sizeof(*cli));
	cli->kexec_mode = true;
	cli->req.cmdline = "";
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":hvlpuescaSfxyidt:", kexec_options,
				  NULL)) != -1) {
		switch (opt) {
		case 'h':
			cli->action = KJ_ACT_HELP;
			return 0;
		case 'v':
			cli->action = KJ_ACT_VERSION;
			return 0;
		case 'l':
			r = set_action(cli, KJ_ACT_LOAD, err);
			break;
		case 'p':
			/* -p is "load the crash kernel", but with -u or -S
			 * it only selects the crash slot: decided below. */
			cli->req.panic = true;
			break;
		case 'u':
			r = set_action(cli, KJ_ACT_UNLOAD, err);
			break;
		case 'e':
			r = set_action(cli, KJ_ACT_EXEC, err);
			break;
		case 'S':
			r = set_action(cli, KJ_ACT_STATUS, err);
			break;
		case 's':
			cli->req.syscall = KJ_SYSCALL_FILE;
			break;
		case 'c':
			cli->req.syscall = KJ_SYSCALL_LOAD;
			break;
		case 'a':
			cli->req.syscall = KJ_SYSCALL_AUTO;
			break;
		case 'f':
			/* kjump never runs shutdown(8) itself: a forced
			 * exec is the only kind it does. */
			break;
		case 'x':
			cli->no_ifdown = true;
			break;
		case 'y':
			cli->no_sync = true;
			break;
		case 'i':
			r = kj_cli_set_checks(cli, NULL, err);
			break;
		case OPT_CHECKS:
			r = kj_cli_set_checks(cli, optarg, err);
			break;
		case 'd':
			cli->req.verbose = true;
			break;
		case 't':
			cli->req.type = optarg;
			break;
		case OPT_INITRD:
			r = kj_cli_add_initrd(cli, optarg, err);
			break;
		case OPT_APPEND:
			cli->append = optarg;
			break;
		case OPT_REUSE_CMDLINE:
			cli->reuse_cmdline = true;
			break;
		case OPT_MEM_MIN:
			r = kj_cli_parse_size("--mem-min", optarg, &v, err);
			cli->req.mem_min = v;
			break;
		case OPT_MEM_MAX:
			r = kj_cli_parse_size("--mem-max", optarg, &v, err);
			cli->req.mem_max = v;
			break;
		case OPT_MODULE:
			r = kj_cli_add_module(cli, optarg, err);
			break;
		case OPT_DTB:
			cli->req.dtb = optarg;
			break;
		case OPT_DRY_RUN:
			cli->req.dry_run = true;
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
		case OPT_CONSOLE_SERIAL:
			r = kj_cli_parse_serial(optarg, &cli->req.console_serial,
						err);
			break;
		case ':':
			return kj_fail(err, EINVAL,
				       "kexec: option '%s' needs a value",
				       argv[optind - 1]);
		default:
			return kj_fail(err, EINVAL,
				       "kexec: unknown option '%s'",
				       argv[optind - 1]);
		}
		if (r < 0)
			return r;
	}
	if (cli->action == KJ_ACT_NONE && cli->req.panic)
		cli->action = KJ_ACT_LOAD;
	if (optind < argc) {
		cli->req.kernel = argv[optind++];
		/* `kexec vmlinuz` with no action: load, then exec. */
		if (cli->action == KJ_ACT_NONE)
			cli->action = KJ_ACT_LOAD_EXEC;
	}
	if (optind < argc)
		return kj_fail(err, EINVAL, "kexec: unexpected argument '%s'",
			       argv[optind]);
	if (cli->action == KJ_ACT_NONE)
		return kj_fail(err, EINVAL,
			       "kexec: nothing to do (give -l KERNEL, -e, -u or "
			       "-S; see kexec --help)");
	if ((cli->action == KJ_ACT_LOAD || cli->action == KJ_ACT_LOAD_EXEC) &&
	    !cli->req.kernel)
		return kj_fail(err, EINVAL, "kexec: no kernel given to load");
	return 0;
}
