/* The one table of command-line options, subcommands and kjump.conf
 * settings. Both parsers build their getopt arrays from it, `--help` and
 * `kjump help CMD` print it, and the man pages and shell completions are
 * generated from it at build time (tools/mkdoc.c), so none of them can
 * name an option the others do not. */
#ifndef KJ_CLI_OPTIONS_H
#define KJ_CLI_OPTIONS_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>

/* Where an option is taken: kjump's subcommands, or the kexec spelling. */
#define KJ_IN_LOAD (1u << 0)
#define KJ_IN_EXEC (1u << 1)
#define KJ_IN_UNLOAD (1u << 2)
#define KJ_IN_STATUS (1u << 3)
#define KJ_IN_INSPECT (1u << 4)
#define KJ_IN_LIST (1u << 5)
#define KJ_IN_BOOT (1u << 6)
#define KJ_IN_MENU (1u << 7)
#define KJ_IN_HELP (1u << 8)
#define KJ_IN_KEXEC (1u << 9)
#define KJ_IN_KJUMP (KJ_IN_KEXEC - 1) /* any kjump subcommand */

/* The architectures an option exists for (0: every one). */
#define KJ_FOR_X86 (1u << 0)
#define KJ_FOR_ARM64 (1u << 1)

/* Where the option comes from, for kexec(8) and the option report. */
enum kj_opt_origin {
	KJ_FROM_KJUMP,	     /* kjump's own */
	KJ_FROM_KEXEC_TOOLS, /* kexec-tools 2.0.32 */
	KJ_FROM_KEXEC_GIT,   /* kexec-tools after 2.0.32 (its git tree) */
	KJ_FROM_MULTIROM,    /* MultiROM's kexec-tools (kexec-hardboot) */
};

/* kexec spelling: the option only means something when loading (see
 * parse_kexec.c). */
#define KJ_OPTF_LOADING (1u << 1)

enum kj_opt_id {
	KJ_O_NONE = 256,
	/* actions and what they act on */
	KJ_O_HELP,
	KJ_O_VERSION,
	KJ_O_LOAD,
	KJ_O_LOAD_PANIC,
	KJ_O_UNLOAD,
	KJ_O_EXEC,
	KJ_O_FORCE,
	KJ_O_STATUS,
	KJ_O_PRINT_CKR_SIZE,
	KJ_O_LOAD_PRESERVE_CONTEXT,
	KJ_O_LOAD_JUMP_BACK_HELPER,
	KJ_O_ENTRY,
	KJ_O_LOAD_LIVE_UPDATE,
	KJ_O_EXEC_LIVE_UPDATE,
	KJ_O_LOAD_HARDBOOT,
	/* how */
	KJ_O_FILE_SYSCALL,
	KJ_O_KEXEC_SYSCALL,
	KJ_O_SYSCALL_AUTO,
	KJ_O_SYSCALL,
	KJ_O_NO_CHECKS,
	KJ_O_CHECKS,
	KJ_O_NO_IFDOWN,
	KJ_O_NO_SYNC,
	KJ_O_DEBUG,
	KJ_O_VERBOSE,
	KJ_O_DRY_RUN,
	KJ_O_JSON,
	KJ_O_PANIC,
	/* what is loaded */
	KJ_O_TYPE,
	KJ_O_INITRD,
	KJ_O_RAMDISK,
	KJ_O_APPEND,
	KJ_O_KEXEC_CMDLINE,
	KJ_O_COMMAND_LINE,
	KJ_O_REUSE_CMDLINE,
	KJ_O_REUSEINITRD,
	KJ_O_REUSE_INITRD,
	KJ_O_MODULE,
	KJ_O_DTB,
	KJ_O_FORCE_DTB,
	KJ_O_NO_DECOMPRESS,
	KJ_O_ARGS_ELF,
	KJ_O_ARGS_LINUX,
	KJ_O_ARGS_NONE,
	KJ_O_MEM_MIN,
	KJ_O_MEM_MAX,
	KJ_O_HOTPLUG,
	KJ_O_NO_CMA,
	KJ_O_ELF32_CORE,
	KJ_O_ELF64_CORE,
	KJ_O_PASS_MEMMAP_CMDLINE,
	KJ_O_NOEFI,
	KJ_O_REUSE_VIDEO_TYPE,
	KJ_O_REAL_MODE,
	KJ_O_UKI_PROFILE,
	KJ_O_ENTRY_32BIT,
	KJ_O_PRESERVE_CONTEXT,
	/* the purgatory */
	KJ_O_SERIAL,
	KJ_O_SERIAL_BAUD,
	KJ_O_CONSOLE_SERIAL,
	KJ_O_CONSOLE_VGA,
	KJ_O_RESET_VGA,
	/* boot entries and the menu */
	KJ_O_ENTRY_ID,
	KJ_O_DEFAULT,
	KJ_O_DEFAULT_ENTRY,
	KJ_O_SET_ARG,
	KJ_O_REMOVE_ARG,
	KJ_O_BOOT_EXEC,
	KJ_O_ONCE,
	KJ_O_REBOOT,
	KJ_O_STATE,
	KJ_O_WAIT,
	KJ_O_TIMEOUT,
	KJ_O_SHELL,
	KJ_O_CONFIG,
	KJ_O_END
};

struct kj_opt {
	int id;		  /* what getopt returns: enum kj_opt_id */
	const char *name; /* --name */
	char letter;	  /* -x (kexec spelling only), 0 = none */
	int has_arg;	  /* no_argument, required_argument, ... */
	const char *arg;  /* the value's name in help texts */
	unsigned in;	  /* KJ_IN_* */
	unsigned arch;	  /* KJ_FOR_*, 0 = every arch */
	unsigned flags;	  /* KJ_OPTF_* */
	enum kj_opt_origin origin;
	const char *help;    /* what it does, one or two sentences */
	const char *refused; /* non-NULL: accepted by name, then refused
				with this reason */
	const char *diff;    /* kexec spelling: how kjump's meaning differs
				from kexec-tools', NULL = it does not */
};

/* The table; ends with an entry whose name is NULL. */
extern const struct kj_opt kj_opts[];

/* kjump's subcommands, in the order `kjump help` lists them. */
struct kj_cmd_doc {
	const char *name;
	unsigned in;	     /* its KJ_IN_* bit */
	const char *args;    /* operands in the synopsis: "KERNEL" */
	const char *summary; /* one line for the overview */
	const char *text;    /* what it does, for help and man */
};

extern const struct kj_cmd_doc kj_cmds[];

/* /etc/kjump.conf settings (boot/menu_conf.c parses them). */
struct kj_conf_doc {
	const char *key;
	const char *arg;
	const char *help;
};

extern const struct kj_conf_doc kj_conf_settings[];

/* The entry for a getopt id, or NULL. */
const struct kj_opt *kj_opt_by_id(int id);

/* The first entry named `name` that is taken in `in`, or NULL. */
const struct kj_opt *kj_opt_by_name(const char *name, unsigned in);

/* True when the option exists for this build's architecture. */
bool kj_opt_for_this_arch(const struct kj_opt *o);

/* Fill a getopt_long array for the options taken in `in` (first), then,
 * for `also`, the options of those scopes whose names are still free
 * (so a parser can say "does not apply" instead of "unknown"). out has
 * room for max entries including the terminator; shorts, if not NULL,
 * gets the short-option string (":" first, letters with their ':').
 * Returns the number of options, or -1 when out is too small. */
int kj_opt_getopt(unsigned in, unsigned also, struct option *out, size_t max,
		  char *shorts, size_t shortsz);

/* The command's doc entry by name, or NULL. */
const struct kj_cmd_doc *kj_cmd_by_name(const char *name);

#endif
