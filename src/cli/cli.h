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
	KJ_ACT_LOAD_SHUTDOWN, /* kexec KERNEL, no action: load, shutdown -r */
	KJ_ACT_LOAD_EXEC, /* kexec -f KERNEL: load and start at once */
	KJ_ACT_EXEC,
	KJ_ACT_JUMP_BACK, /* kexec --load-jump-back-helper --entry=ADDR */
	KJ_ACT_PRINT_CKR_SIZE,
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
#define KJ_CLI_PATH_MAX 4096

/* A command-line rewrite rule for boot entries, applied in order. */
struct kj_cli_rule {
	bool set;        /* --set-arg NAME=VALUE, else --remove-arg NAME */
	const char *arg;
};

struct kj_cli {
	enum kj_action action;
	bool kexec_mode;          /* invoked as `kexec` */
	int argc;                 /* the command as given, for the crash */
	char **argv;              /* load record (sys/crash_record.h) */
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
	/* kexec spelling: --serial PORT and --console-serial[=PORT] */
	uint16_t serial_port;     /* 0 = ttyS0 */
	bool console_serial_on;
	/* --module "FILE ARGS": the FILE part of each, split off once.
	 * Last, and left out by kj_cli_reset: see there. */
	char module_path[KJ_MAX_REQ_MODULES][KJ_CLI_PATH_MAX];
};

/* Zero everything before module_path. Each module_path slot is written
 * whole (NUL-terminated) before req points at it, and zeroing all 64 KiB
 * of them would touch 16 stack pages on every run: most of kjump's
 * anonymous memory for a kexec_file_load (make bench measures it). */
void kj_cli_reset(struct kj_cli *cli);

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
/* After a load: shutdown -r now (kexec KERNEL with no action), or start
 * it at once (kexec -f). */
int kj_cmd_shutdown(const struct kj_cli *cli, struct kj_err *err);
int kj_cmd_unload(const struct kj_cli *cli, struct kj_err *err);
int kj_cmd_status(const struct kj_cli *cli, struct kj_err *err);
int kj_cmd_inspect(const struct kj_cli *cli, struct kj_err *err);
int kj_cmd_list(const struct kj_cli *cli, struct kj_err *err);
int kj_cmd_boot(const struct kj_cli *cli, struct kj_err *err);
int kj_cmd_menu(const struct kj_cli *cli, struct kj_err *err);

struct kj_scan;
struct kj_cmdline;

/* Scan the roots the command names (none: every one this machine has) and
 * print each warning the scan gathered on stderr ("kjump: warning: ...").
 * 1 + err when the scan fails; the caller frees the scan otherwise. */
int kj_boot_scan(const struct kj_cli *cli, struct kj_scan *scan,
		 struct kj_err *err);

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

/* `kexec -v`: the line scripts parse ("kexec-tools 2.0.32 (kjump X)"). */
void kj_cli_kexec_version(void);

/* kexec --print-ckr-size. */
int kj_cmd_print_ckr_size(const struct kj_cli *cli, struct kj_err *err);

/* kexec --load-jump-back-helper --entry=ADDR. */
int kj_cmd_jump_back_helper(const struct kj_cli *cli, struct kj_err *err);

/* Parse a number with an optional K/M/G suffix (for --mem-min etc.). */
/* --initrd FILE and --module "FILE ARGS" (kexec-tools' form: the module's
 * path is its first word), in the order given; capped. */
int kj_cli_add_initrd(struct kj_cli *cli, const char *path,
		      struct kj_err *err);
int kj_cli_add_module(struct kj_cli *cli, const char *spec,
		      struct kj_err *err);

/* --console-serial[=PORT]: NULL/"" is COM1 (0x3f8); also ttyS0..ttyS3
 * or a number. */
int kj_cli_parse_serial(const char *opt, const char *text, uint16_t *port,
			struct kj_err *err);

int kj_cli_parse_size(const char *opt, const char *text,
		      unsigned long long *out, struct kj_err *err);

/* The options both spellings share (options.h ids): apply one to cli.
 * 1 = applied, 0 = not one of them, -errno = bad value or refused. */
struct kj_opt;
int kj_cli_apply_option(struct kj_cli *cli, const struct kj_opt *o,
			const char *arg, struct kj_err *err);

/* After parsing: what the shared options imply together. */
int kj_cli_finish_options(struct kj_cli *cli, struct kj_err *err);
/* --uki-profile N: 0 to 255 (systemd-stub's profile numbers). */
int kj_cli_parse_uki_profile(const char *text, unsigned int *profile,
			     struct kj_err *err);

#endif
