/* Help texts: `kjump help [CMD]`, `kjump CMD --help`, `kexec --help`. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const struct {
	const char *topic;
	const char *text;
} topics[] = {
	{ "load",
	  "usage: kjump load KERNEL [--initrd FILE]... [--append STR | "
	  "--command-line STR]\n"
	  "                  [--reuse-cmdline] [--type TYPE] [--panic] "
	  "[--syscall file|load|auto]\n"
	  "                  [--module \"FILE ARGS\"]... [--mem-min A] "
	  "[--mem-max A]\n"
	  "                  [--console-serial[=PORT]] [--checks=ALG | "
	  "--no-checks]\n"
	  "                  [--dry-run [--json]] [--verbose]\n"
	  "Load KERNEL to be started by `kjump exec`. Compressed (gzip, xz, "
	  "zstd)\nkernels and modules are unpacked.\n"
	  "  --initrd FILE      initial ramdisk; repeat to concatenate several\n"
	  "  --append STR       command line (after /proc/cmdline with "
	  "--reuse-cmdline)\n"
	  "  --command-line STR the whole command line\n"
	  "  --reuse-cmdline    start from the running kernel's command line\n"
	  "                     (without BOOT_IMAGE=, and crashkernel= for "
	  "--panic)\n"
	  "  --panic            load the crash kernel, started on a panic\n"
	  "  --syscall MODE     file (kexec_file_load), load (kexec_load), "
	  "auto\n"
	  "                     (default: file, kexec_load where it cannot)\n"
	  "  --type TYPE        bzImage, multiboot, elf (default: by content)\n"
	  "  --module \"FILE ARGS\"  Multiboot module (repeatable, in order)\n"
	  "  --no-decompress    hand modules over as they are (no gunzip)\n"
	  "  --args-linux | --args-none  what an ELF kernel gets in "
	  "registers\n"
	  "  --mem-min/--mem-max ADDR  window for kexec_load's segments\n"
	  "  --console-serial[=PORT]   purgatory progress on a serial port\n"
	  "  --checks=ALG       what the purgatory checks before the jump: "
	  "xxh64\n"
	  "                     (default, fast), sha256, none (kexec_load "
	  "only)\n"
	  "  --no-checks        the same as --checks=none\n"
	  "  --dry-run          check everything, print the plan, load "
	  "nothing\n"
	  "  --json             the --dry-run plan as JSON\n" },
	{ "exec",
	  "usage: kjump exec [--no-sync] [--no-ifdown]\n"
	  "Start the loaded kernel now. Filesystems are synced first unless "
	  "--no-sync;\nnetwork interfaces are taken down unless --no-ifdown.\n" },
	{ "unload",
	  "usage: kjump unload [--panic]\n"
	  "Forget the loaded kernel (with --panic: the crash kernel).\n" },
	{ "status",
	  "usage: kjump status [--json]\n"
	  "Show what is loaded. Exit status 0 when a kernel is loaded, 1 when "
	  "not.\n" },
	{ "inspect",
	  "usage: kjump inspect FILE [--json]\n"
	  "Show what FILE is and what its boot headers say.\n" },
	{ "list",
	  "usage: kjump list [ROOT...] [--json]\n"
	  "List the boot entries that syslinux/isolinux/extlinux/pxelinux, "
	  "GRUB,\nBoot Loader Spec and LILO configs describe. ROOT is a "
	  "directory or a block\ndevice (mounted read-only in a private "
	  "directory); with none, every block\ndevice and the running "
	  "system's /boot are scanned.\n" },
	{ "boot",
	  "usage: kjump boot [ROOT...] [--entry ID|TITLE|INDEX | --default]\n"
	  "                  [--set-arg NAME=VALUE]... [--remove-arg NAME]... "
	  "[--append STR]\n"
	  "                  [--exec] [--dry-run] [--verbose]\n"
	  "Load a boot entry found as `kjump list` shows it; start it with "
	  "--exec.\n"
	  "  --set-arg NAME=VALUE  replace or add a kernel parameter\n"
	  "  --remove-arg NAME     remove every NAME and NAME=...\n"
	  "  --once ID [--reboot]  boot ID once at the next start of `kjump "
	  "menu`\n"
	  "                        (EFI LoaderEntryOneShot, else a state "
	  "file);\n"
	  "                        --reboot resets through the firmware now\n"
	  "  --state DEV|FILE      state file location without efivarfs "
	  "(default\n"
	  "                        LABEL=KJUMP: /kjump/oneshot on that "
	  "filesystem)\n" },
	{ "menu",
	  "usage: kjump menu [ROOT...] [--wait S] [--timeout S] [--default "
	  "ID|TITLE]\n"
	  "                  [--set-arg NAME=VALUE]... [--remove-arg NAME]... "
	  "[--append STR]\n"
	  "                  [--shell] [--state DEV|FILE] [--config FILE]\n"
	  "A boot menu of every entry on every disk; boots the default when "
	  "the\ncountdown ends. Keys: number+Enter or up/down+Enter boots, e "
	  "edits the\ncommand line, r rescans, s starts a shell, q quits.\n"
	  "  --wait S        keep looking for slow disks for S seconds "
	  "(default 5)\n"
	  "  --timeout S     countdown (default: the config's, else 10)\n"
	  "  --default X     the default entry (else LoaderEntryDefault, "
	  "the config's)\n"
	  "  --shell         start the shell first\n"
	  "  --config FILE   settings and rewrite rules (default "
	  "/etc/kjump.conf)\n" },
	{ "help", "usage: kjump help [COMMAND]\n" },
};

static const char overview[] =
	"usage: kjump COMMAND [options]\n"
	"  load KERNEL ...   load a kernel to start later\n"
	"  exec              start the loaded kernel\n"
	"  unload            forget the loaded kernel\n"
	"  status            show what is loaded\n"
	"  inspect FILE      show what a kernel file contains\n"
	"  list [ROOT...]    boot entries found in other boot loaders' "
	"configs\n"
	"  boot [ROOT...]    load (and --exec) one of those entries\n"
	"  menu [ROOT...]    a boot menu of those entries on the console\n"
	"  help [COMMAND]    more about one command\n"
	"  --version         print the version\n"
	"Invoked as `kexec`, kjump takes kexec-tools' options.\n";

static const char kexec_overview[] =
	"usage: kexec [options] [KERNEL]\n"
	"  -l, --load KERNEL       load a kernel (-p, --load-panic: crash "
	"kernel)\n"
	"  -u, --unload            unload (with -p: the crash kernel)\n"
	"  -e, --exec              start the loaded kernel\n"
	"  -S, --status            exit 0 if a kernel is loaded, else 1\n"
	"  -s / -c / -a            kexec_file_load / kexec_load / automatic\n"
	"  --initrd, --ramdisk F   initial ramdisk (repeatable)\n"
	"  --append, --command-line STR   the command line\n"
	"  --reuse-cmdline         start from /proc/cmdline\n"
	"  -t, --type TYPE         image type\n"
	"  -x, --no-ifdown  -y, --no-sync  -f, --force  -i, --no-checks  -d, "
	"--debug\n"
	"  --mem-min, --mem-max, --module \"FILE ARGS\", --no-decompress,\n"
	"  --args-linux, --args-none, --console-serial[=PORT], --dry-run,\n"
	"  --checks=xxh64|sha256|none (the purgatory's check; -i is none)\n"
	"  (--dtb is refused on x86)\n";

bool kj_cli_usage(const char *topic, bool kexec_mode)
{
	if (kexec_mode) {
		fputs(kexec_overview, stdout);
		return true;
	}
	if (!topic || !*topic) {
		fputs(overview, stdout);
		return true;
	}
	for (size_t i = 0; i < sizeof(topics) / sizeof(topics[0]); i++)
		if (!strcmp(topic, topics[i].topic)) {
			fputs(topics[i].text, stdout);
			return true;
		}
	return false;
}
