/* The command line front ends (kjump's own and kexec-tools' spelling)
 * both fill one struct kj_cli; the subcommands act on it. */
#ifndef KJ_CLI_CLI_H
#define KJ_CLI_CLI_H

#include <stdbool.h>

#include "core/err.h"
#include "core/request.h"

enum kj_action {
	KJ_ACT_NONE,
	KJ_ACT_LOAD,
	KJ_ACT_LOAD_EXEC, /* kexec-tools with a kernel and no action */
	KJ_ACT_EXEC,
	KJ_ACT_UNLOAD,
	KJ_ACT_STATUS,
	KJ_ACT_INSPECT,
	KJ_ACT_LIST,
	KJ_ACT_BOOT,
	KJ_ACT_MENU,
	KJ_ACT_VERSION,
	KJ_ACT_HELP,
};

#define KJ_CLI_MAX_ROOTS 32
#define KJ_CLI_MAX_RULES 32

/* A command-line rewrite rule for boot entries, applied in order. */
struct kj_cli_rule {
	bool set;        /* --set-arg NAME=VALUE, else --remove-arg NAME */
	const char *arg;
};

struct kj_cli {
	enum kj_action action;
	bool kexec_mode;          /* invoked as `kexec` */
	struct kj_load_request req;
	const char *append;       /* --append / --command-line text */
	bool replace_cmdline;     /* kjump --command-line: the whole line */
	bool reuse_cmdline;
	bool no_sync;
	bool no_ifdown;
	const char *file;         /* inspect FILE */
	const char *help_topic;   /* help CMD */
	/* list / boot */
	const char *roots[KJ_CLI_MAX_ROOTS];
	size_t n_roots;
	const char *entry;        /* --entry ID|TITLE|INDEX */
	bool use_default;         /* --default */
	bool exec_after;          /* boot --exec */
	struct kj_cli_rule rules[KJ_CLI_MAX_RULES];
	size_t n_rules;
	/* boot --once ENTRY [--reboot] [--state SPEC] */
	const char *once;
	bool reboot_after;
	const char *state;        /* one-shot state spec, see boot/oneshot.h */
	/* menu */
	long wait_s;              /* --wait, -1 = not given */
	long timeout_s;           /* --timeout, -1 = not given */
	const char *menu_default; /* --default ID|TITLE */
	bool shell;               /* --shell: go to the shell, no menu */
	const char *config;       /* --config, default /etc/kjump.conf */
};

/* Parse argv in kjump's own spelling / kexec-tools' spelling. A usage
 * problem fills err and returns -EINVAL. */
int kj_cli_parse_kjump(int argc, char **argv, struct kj_cli *cli,
		       struct kj_err *err);
int kj_cli_parse_kexec(int argc, char **argv, struct kj_cli *cli,
		       struct kj_err *err);

/* Subcommands: each returns the process exit code (0 success); on
 * failure err holds the message. */
int kj_cmd_load(const struct kj_cli *cli, struct kj_err *err);
int kj_cmd_exec(const struct kj_cli *cli, struct kj_err *err);
int kj_cmd_unload(const struct kj_cli *cli, struct kj_err *err);
int kj_cmd_status(const struct kj_cli *cli, struct kj_err *err);
int kj_cmd_inspect(const struct kj_cli *cli, struct kj_err *err);
int kj_cmd_list(const struct kj_cli *cli, struct kj_err *err);
int kj_cmd_boot(const struct kj_cli *cli, struct kj_err *err);
int kj_cmd_menu(const struct kj_cli *cli, struct kj_err *err);

struct kj_scan;
struct kj_cmdline;

/* The command line entry idx boots with: its own, rewritten by the rules
 * (cli->rules, then extra[0..n_extra)) and cli->append. */
int kj_boot_entry_cmdline(const struct kj_cli *cli,
			  const struct kj_scan *scan, long idx,
			  const struct kj_cli_rule *extra, size_t n_extra,
			  struct kj_cmdline *cl, struct kj_err *err);

/* Load entry idx of scan with the command line cmdline (as
 * kj_boot_entry_cmdline makes it, or edited), like `kjump load` with
 * every path resolved inside the entry's filesystem. 0 or 1 + err. */
int kj_boot_load_entry(const struct kj_cli *cli, const struct kj_scan *scan,
		       long idx, const char *cmdline, struct kj_err *err);

/* The loaded kernel holds its own copies now: unmount what the scan
 * mounted, say "Booting TITLE...", and kexec. Returns only on failure
 * (1 + err), with the scan freed. */
int kj_boot_exec_loaded(const struct kj_cli *cli, struct kj_scan *scan,
			const char *title, struct kj_err *err);

/* Usage text for a topic (NULL or "" = overview); false if unknown. */
bool kj_cli_usage(const char *topic, bool kexec_mode);

/* Parse a number with an optional K/M/G suffix (for --mem-min etc.). */
/* --initrd FILE and --module "FILE ARGS" (kexec-tools' form: the module's
 * path is its first word), in the order given; capped. */
int kj_cli_add_initrd(struct kj_cli *cli, const char *path,
		      struct kj_err *err);
int kj_cli_add_module(struct kj_cli *cli, const char *spec,
		      struct kj_err *err);

/* --console-serial[=PORT]: NULL/"" is COM1 (0x3f8); also ttyS0..ttyS3
 * or a number. */
int kj_cli_parse_serial(const char *text, uint16_t *port, struct kj_err *err);

/* --checks=ALG (xxh64, sha256, none), or alg NULL for -i/--no-checks.
 * Two different choices on one command line are an error. */
int kj_cli_set_checks(struct kj_cli *cli, const char *alg,
		      struct kj_err *err);

int kj_cli_parse_size(const char *opt, const char *text,
		      unsigned long long *out, struct kj_err *err);

#endif
