/* kexec-tools' spelling, used when the binary is invoked as `kexec`, so
 * `systemctl kexec`, kdump scripts and boot-loader front ends work
 * unchanged. Every option of kexec-tools 2.0.32 (x86_64 and arm64) is in
 * the option table with its meaning, or is refused by name with the
 * reason (cli/options.c).
 *
 * The actions follow kexec-tools' main(): no action with a KERNEL loads
 * it and runs `shutdown -r now`; -f loads and starts it at once; -l only
 * loads; -e only starts; -S supersedes everything and only answers. Where
 * kexec-tools lets the last of two contradicting actions win silently
 * (-l ... -e), kjump refuses the line instead. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/options.h"

#define MAX_OPTS 128

/* The actions seen, in any order. */
struct seen {
	bool load, panic, unload, exec, force, status, preserve, jump_back,
		hardboot, hotplug;
	const char *loading_opt; /* an option that only means something
				    when loading, for the error */
};

static int conflict(const char *a, const char *b, struct kj_err *err)
{
	return kj_fail(err, EINVAL,
		       "kexec: %s and %s are two different actions; give one "
		       "(kexec-tools would silently do only the last)",
		       a, b);
}

/* Which action the options add up to; see the top of the file. */
static int resolve(const struct seen *s, bool have_kernel, struct kj_cli *cli,
		   struct kj_err *err)
{
	bool loading = s->load || s->panic || s->preserve || s->hardboot;

	if (s->status) {
		/* kexec-tools asks about the crash kernel unless a flag
		 * that selects the normal one (-l, a kexec jump, --hotplug)
		 * is given without -p. */
		cli->action = KJ_ACT_STATUS;
		cli->req.panic = s->panic || !(s->load || s->preserve ||
					       s->jump_back || s->hotplug);
		return 0;
	}
	if (s->jump_back && (loading || s->unload || s->exec || s->force))
		return conflict("--load-jump-back-helper",
				loading	    ? "a load"
				: s->unload ? "-u"
					    : "-e",
				err);
	if (s->unload && (s->load || s->preserve || s->hardboot))
		return conflict("-u", "-l", err);
	if (s->unload && (s->exec || s->force))
		return conflict("-u", s->exec ? "-e" : "-f", err);
	if (s->panic + s->preserve + s->hardboot > 1)
		return conflict(s->panic ? "-p" : "--load-preserve-context",
				s->hardboot ? "--load-hardboot"
					    : "--load-preserve-context",
				err);
	if (loading && !s->unload && (s->exec || s->force))
		return conflict(s->load	   ? "-l"
				: s->panic ? "-p"
					   : "a load",
				s->force ? "-f" : "-e", err);
	cli->req.panic = s->panic;
	cli->req.preserve_context = s->preserve;
	cli->req.hardboot = s->hardboot;
	if (s->jump_back)
		cli->action = KJ_ACT_JUMP_BACK;
	else if (s->unload)
		cli->action = KJ_ACT_UNLOAD; /* -p: the crash kernel's */
	else if (s->force && have_kernel)
		cli->action = KJ_ACT_LOAD_EXEC; /* -f, even with -e */
	else if (s->exec || s->force)
		cli->action = KJ_ACT_EXEC;
	else if (loading)
		cli->action = KJ_ACT_LOAD;
	else if (have_kernel)
		cli->action = KJ_ACT_LOAD_SHUTDOWN;
	else
		return kj_fail(
			err, EINVAL,
			"kexec: nothing to do (give -l KERNEL, -e, -u or "
			"-S; see kexec --help)");
	return 0;
}

static int mark_action(struct seen *s, const struct kj_opt *o)
{
	switch (o->id) {
	case KJ_O_LOAD:
		s->load = true;
		break;
	case KJ_O_LOAD_PANIC:
		s->panic = true;
		break;
	case KJ_O_UNLOAD:
		s->unload = true;
		break;
	case KJ_O_EXEC:
		s->exec = true;
		break;
	case KJ_O_FORCE:
		s->force = true;
		break;
	case KJ_O_STATUS:
		s->status = true;
		break;
	case KJ_O_LOAD_PRESERVE_CONTEXT:
		s->preserve = true;
		break;
	case KJ_O_LOAD_JUMP_BACK_HELPER:
		s->jump_back = true;
		break;
	case KJ_O_LOAD_HARDBOOT:
		s->hardboot = true;
		break;
	default:
		return 0;
	}
	return 1;
}

int kj_cli_parse_kexec(int argc, char **argv, struct kj_cli *cli,
		       struct kj_err *err)
{
	struct option opts[MAX_OPTS];
	char shorts[64];
	struct seen s = { 0 };
	const struct kj_opt *o;
	unsigned long long v;
	int opt, r;

	kj_cli_reset(cli);
	cli->kexec_mode = true;
	cli->req.cmdline = "";
	if (kj_opt_getopt(KJ_IN_KEXEC, 0, opts, MAX_OPTS, shorts,
			  sizeof(shorts) - 1) < 0)
		return kj_fail(err, E2BIG, "option table too large");
	strcat(shorts, "?"); /* kexec-tools: -? is -h */
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, shorts, opts, NULL)) != -1) {
		if (opt == ':')
			return kj_fail(err, EINVAL,
				       "kexec: option '%s' needs a value",
				       argv[optind - 1]);
		if (opt == '?' && !strcmp(argv[optind - 1], "-?"))
			opt = 'h';
		else if (opt == '?')
			return kj_fail(err, EINVAL,
				       "kexec: unknown option '%s'",
				       argv[optind - 1]);
		o = opt < 256 ? NULL : kj_opt_by_id(opt);
		if (opt < 256) /* a short letter */
			for (o = kj_opts; o->name && o->letter != opt; o++)
				;
		if (!o || !o->name)
			return kj_fail(err, EINVAL, "kexec: unknown option");
		/* kexec-tools acts on these at once, where they stand. */
		if (o->id == KJ_O_HELP || o->id == KJ_O_VERSION ||
		    o->id == KJ_O_PRINT_CKR_SIZE) {
			cli->action = o->id == KJ_O_HELP ? KJ_ACT_HELP
				      : o->id == KJ_O_VERSION
					      ? KJ_ACT_VERSION
					      : KJ_ACT_PRINT_CKR_SIZE;
			return 0;
		}
		if (o->refused)
			return kj_fail(err, ENOTSUP,
				       "kexec: --%s is not supported: %s",
				       o->name, o->refused);
		if (mark_action(&s, o))
			continue;
		if ((o->flags & KJ_OPTF_LOADING) && !s.loading_opt)
			s.loading_opt = o->name;
		r = kj_cli_apply_option(cli, o, optarg, err);
		if (r < 0)
			return r;
		if (r > 0) {
			s.hotplug |= o->id == KJ_O_HOTPLUG;
			continue;
		}
		switch (o->id) {
		case KJ_O_FILE_SYSCALL:
			cli->req.syscall = KJ_SYSCALL_FILE;
			break;
		case KJ_O_KEXEC_SYSCALL:
			cli->req.syscall = KJ_SYSCALL_LOAD;
			break;
		case KJ_O_SYSCALL_AUTO:
			cli->req.syscall = KJ_SYSCALL_AUTO;
			break;
		case KJ_O_NO_IFDOWN:
			cli->no_ifdown = true;
			break;
		case KJ_O_NO_SYNC:
			cli->no_sync = true;
			break;
		case KJ_O_DEBUG:
			cli->req.verbose = true;
			break;
		case KJ_O_ENTRY:
			r = kj_cli_parse_size("--entry", optarg, &v, err);
			if (r < 0)
				return r;
			cli->req.entry = v;
			break;
		default:
			return kj_fail(err, EINVAL,
				       "kexec: --%s is not handled", o->name);
		}
	}
	if (optind < argc)
		cli->req.kernel = argv[optind++];
	r = resolve(&s, cli->req.kernel != NULL, cli, err);
	if (r < 0)
		return r;
	if (cli->action == KJ_ACT_STATUS)
		return 0; /* -S supersedes everything else on the line */
	if (optind < argc)
		return kj_fail(err, EINVAL, "kexec: unexpected argument '%s'",
			       argv[optind]);
	if (cli->action == KJ_ACT_LOAD && !cli->req.kernel)
		return kj_fail(err, EINVAL, "kexec: no kernel given to load");
	if (cli->action != KJ_ACT_LOAD && cli->action != KJ_ACT_LOAD_EXEC &&
	    cli->action != KJ_ACT_LOAD_SHUTDOWN) {
		/* As kexec-tools: loader options without a load are a
		 * mistake, and so is a kernel nothing would load. */
		if (s.loading_opt)
			return kj_fail(
				err, EINVAL,
				"kexec: --%s only applies when loading a "
				"kernel",
				s.loading_opt);
		if (cli->req.kernel)
			return kj_fail(
				err, EINVAL,
				"kexec: unexpected argument '%s' (nothing "
				"is loaded with -u or -e)",
				cli->req.kernel);
	}
	if (cli->action == KJ_ACT_JUMP_BACK && !cli->req.entry)
		return kj_fail(err, EINVAL,
			       "kexec: --load-jump-back-helper needs "
			       "--entry=ADDR (the kexec_jump_back_entry= value "
			       "this kernel was started with)");
	return kj_cli_finish_options(cli, err);
}
