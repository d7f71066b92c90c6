/* The option table (see options.h). Texts are written for --help and the
 * man pages alike: plain sentences, no markup. */
#include "cli/options.h"

#include <string.h>

#include "arch/arch.h"

/* Most entries end at their help text: refused and diff stay NULL. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define LOAD KJ_IN_LOAD
#define KEXEC KJ_IN_KEXEC
#define BOTH (KJ_IN_LOAD | KJ_IN_KEXEC)
#define NO no_argument
#define REQ required_argument
#define OPT optional_argument
#define LDG KJ_OPTF_LOADING
#define X86 KJ_FOR_X86
#define ARM64 KJ_FOR_ARM64
#define KT KJ_FROM_KEXEC_TOOLS
#define GIT KJ_FROM_KEXEC_GIT
#define KJ KJ_FROM_KJUMP

#define XEN_ONLY                                                           \
	"Xen live update is a Xen hypercall; kjump loads through Linux's " \
	"own kexec system calls and does not run under Xen"

const struct kj_opt kj_opts[] = {
	/* The kexec spelling's actions, in kexec-tools' order. */
	{ KJ_O_HELP, "help", 'h', NO, NULL, KJ_IN_KJUMP | KEXEC, 0, 0, KT,
	  "Print the usage and exit." },
	{ KJ_O_VERSION, "version", 'v', NO, NULL, KEXEC, 0, 0, KT,
	  "Print the version line, \"kexec-tools 2.0.32 (kjump VERSION)\", "
	  "and exit.",
	  NULL,
	  "The line names the kexec-tools release whose options kjump "
	  "follows, so scripts that parse \"kexec-tools X\" keep working." },
	{ KJ_O_FORCE, "force", 'f', NO, NULL, KEXEC, 0, 0, KT,
	  "Load KERNEL and start it at once, without shutdown(8): sync, take "
	  "the network interfaces down (unless -x), kexec." },
	{ KJ_O_LOAD, "load", 'l', NO, NULL, KEXEC, 0, 0, KT,
	  "Only load KERNEL, to be started later by kexec -e (or by the init "
	  "system on reboot). With -S: ask about the normal kernel." },
	{ KJ_O_LOAD_PANIC, "load-panic", 'p', NO, NULL, KEXEC, 0, 0, KT,
	  "Load KERNEL as the crash kernel, started by the running kernel "
	  "when it panics. With -u or -S: the crash kernel's slot." },
	{ KJ_O_UNLOAD, "unload", 'u', NO, NULL, KEXEC, 0, 0, KT,
	  "Unload the loaded kernel (with -p: the crash kernel). Kernels "
	  "without kexec_file_load unload through kexec_load.",
	  NULL,
	  "kexec -u -p (-p after -u) unloads the crash kernel and exits 0; "
	  "kexec-tools unloads it and then fails, looking for a kernel to "
	  "load." },
	{ KJ_O_EXEC, "exec", 'e', NO, NULL, KEXEC, 0, 0, KT,
	  "Start the loaded kernel now, without shutdown(8): sync (unless "
	  "-y), take the network interfaces down (unless -x), kexec." },
	{ KJ_O_STATUS, "status", 'S', NO, NULL, KEXEC, 0, 0, KT,
	  "Exit 1 if a kernel of the chosen type is loaded, 0 if not: the "
	  "crash kernel unless -l (the normal one) is given; -p picks the "
	  "crash kernel. Loads and unloads nothing and supersedes every "
	  "other action. (kjump status is the other way round: 0 = "
	  "loaded.)" },
	{ KJ_O_PRINT_CKR_SIZE, "print-ckr-size", 0, NO, NULL, KEXEC, 0, 0, KT,
	  "Print the size in bytes of the crash kernel region (the first "
	  "\"Crash kernel\" range in /proc/iomem; 0 when none is reserved) "
	  "and exit." },
	{ KJ_O_LOAD_PRESERVE_CONTEXT, "load-preserve-context", 0, NO, NULL,
	  KEXEC, 0, 0, KT,
	  "Kexec jump: load KERNEL with KEXEC_PRESERVE_CONTEXT, so that "
	  "kexec -e suspends the devices, runs KERNEL and comes back when "
	  "it jumps back. Needs --mem-max (the memory KERNEL may use, which "
	  "is saved and restored) and kexec_load; the running kernel needs "
	  "CONFIG_KEXEC_JUMP. The purgatory appends "
	  "kexec_jump_back_entry=ADDR to KERNEL's command line." },
	{ KJ_O_LOAD_JUMP_BACK_HELPER, "load-jump-back-helper", 0, NO, NULL,
	  KEXEC, 0, 0, KT,
	  "Kexec jump, in the kernel started by --load-preserve-context: "
	  "load an empty image whose entry is --entry (the "
	  "kexec_jump_back_entry= value), so that kexec -e returns to the "
	  "original kernel." },
	{ KJ_O_ENTRY, "entry", 0, REQ, "ADDR", KEXEC, 0, 0, KT,
	  "Kexec jump: the entry address (0 = none). With "
	  "--load-jump-back-helper the address to jump back to; with a load, "
	  "KERNEL is entered there instead of through the purgatory." },
	{ KJ_O_LOAD_LIVE_UPDATE, "load-live-update", 0, NO, NULL, KEXEC, 0, 0,
	  KT, "Load a Xen image for live update.", XEN_ONLY },
	{ KJ_O_EXEC_LIVE_UPDATE, "exec-live-update", 0, NO, NULL, KEXEC, 0, 0,
	  KT, "Start a Xen image loaded for live update.", XEN_ONLY },
	{ KJ_O_LOAD_HARDBOOT, "load-hardboot", 0, NO, NULL, KEXEC, 0, 0,
	  KJ_FROM_MULTIROM,
	  "MultiROM's hard boot: load KERNEL with kexec_load's KEXEC_HARDBOOT "
	  "flag, so that kexec -e resets the machine through the boot "
	  "loader, which then starts KERNEL. Needs a kernel with the "
	  "kexec-hardboot patch (CONFIG_KEXEC_HARDBOOT=y in /proc/config.gz "
	  "or /boot/config-RELEASE); on any other kernel kjump refuses, since "
	  "the flag's value means KEXEC_UPDATE_ELFCOREHDR to Linux 6.5 and "
	  "later." },

	/* How. */
	{ KJ_O_FILE_SYSCALL, "kexec-file-syscall", 's', NO, NULL, KEXEC, 0, 0,
	  KT,
	  "Load with kexec_file_load only: the kernel reads and verifies the "
	  "files itself (the only way under lockdown)." },
	{ KJ_O_KEXEC_SYSCALL, "kexec-syscall", 'c', NO, NULL, KEXEC, 0, 0, KT,
	  "Load with kexec_load only: kjump lays out every segment and adds "
	  "its own purgatory." },
	{ KJ_O_SYSCALL_AUTO, "kexec-syscall-auto", 'a', NO, NULL, KEXEC, 0, 0,
	  KT,
	  "kexec_file_load, then kexec_load when the kernel cannot take the "
	  "image that way (the default). After a signature refusal kexec_load "
	  "is tried only when lockdown is none.",
	  NULL,
	  "kexec-tools never retries after a signature refusal; kjump does "
	  "when the lockdown LSM says none (kexec_load checks no signatures "
	  "there), and -d says so." },
	{ KJ_O_SYSCALL, "syscall", 0, REQ, "file|load|auto", LOAD, 0, 0, KJ,
	  "Which system call loads: kexec_file_load (file), kexec_load "
	  "(load), or file first and load when the kernel cannot take the "
	  "image by file (auto, the default; after a signature refusal only "
	  "when lockdown is none)." },
	{ KJ_O_NO_CHECKS, "no-checks", 'i', NO, NULL,
	  KJ_IN_LOAD | KJ_IN_BOOT | KEXEC, 0, 0, KT,
	  "The purgatory checks nothing before the jump: --checks=none "
	  "(kexec_load only; the kernel's own purgatory always checks)." },
	{ KJ_O_CHECKS, "checks", 0, REQ, "xxh64|sha256|none",
	  KJ_IN_LOAD | KJ_IN_BOOT | KEXEC, 0, 0, KJ,
	  "What the purgatory checks in every byte of every segment before "
	  "the jump, against a digest taken at load: xxh64 (the default: it "
	  "catches corruption between load and exec, such as a device still "
	  "writing to memory, at memory speed), sha256 (the digest "
	  "kexec-tools' purgatory checks, slower), or none. kexec_load only." },
	{ KJ_O_NO_IFDOWN, "no-ifdown", 'x', NO, NULL, KJ_IN_EXEC | KEXEC, 0, 0,
	  KT, "Do not take the network interfaces down before the jump." },
	{ KJ_O_NO_SYNC, "no-sync", 'y', NO, NULL, KJ_IN_EXEC | KEXEC, 0, 0, KT,
	  "Do not sync the filesystems before the jump." },
	{ KJ_O_DEBUG, "debug", 'd', NO, NULL, KEXEC, 0, 0, KT,
	  "Say which path each step takes, and print the kexec_load plan on "
	  "stderr.",
	  NULL,
	  "kjump does not also set the kernel's KEXEC_DEBUG / "
	  "KEXEC_FILE_DEBUG flags (kexec-tools' git tree does, after 2.0.32), "
	  "which kernels that predate them refuse." },
	{ KJ_O_VERBOSE, "verbose", 0, NO, NULL, KJ_IN_KJUMP, 0, 0, KJ,
	  "Say which path each step takes (and print the kexec_load plan on "
	  "stderr)." },
	{ KJ_O_DRY_RUN, "dry-run", 0, NO, NULL,
	  KJ_IN_LOAD | KJ_IN_EXEC | KJ_IN_UNLOAD | KJ_IN_BOOT | KEXEC, 0, 0, KJ,
	  "Check everything and print what would be done (for a load: the "
	  "plan), but load, unload, shut down or start nothing. Needs no "
	  "root." },
	{ KJ_O_JSON, "json", 0, NO, NULL,
	  KJ_IN_LOAD | KJ_IN_STATUS | KJ_IN_INSPECT | KJ_IN_LIST | KEXEC, 0, 0,
	  KJ,
	  "Machine-readable output: the --dry-run plan, status, inspect, "
	  "list." },
	{ KJ_O_PANIC, "panic", 0, NO, NULL, KJ_IN_LOAD | KJ_IN_UNLOAD, 0, 0, KJ,
	  "The crash kernel's slot: load the kernel the running one starts "
	  "when it panics, or unload it." },

	/* What is loaded. */
	{ KJ_O_TYPE, "type", 't', REQ, "TYPE", BOTH, 0, 0, KT,
	  "The image type, by any of its names (kjump help load lists them; "
	  "case does not matter); default: by content. kexec-tools' types "
	  "kjump does not load are refused by name, with the reason." },
	{ KJ_O_INITRD, "initrd", 0, REQ, "FILE", BOTH, 0, LDG, KT,
	  "The initial ramdisk; given several times, the files are "
	  "concatenated in order (as the kernel unpacks several cpio "
	  "archives).",
	  NULL, "kexec-tools uses only the last --initrd." },
	{ KJ_O_RAMDISK, "ramdisk", 0, REQ, "FILE", KEXEC, 0, LDG, KT,
	  "The same as --initrd." },
	{ KJ_O_APPEND, "append", 0, REQ, "STRING",
	  BOTH | KJ_IN_BOOT | KJ_IN_MENU, 0, LDG, KT,
	  "The kernel command line; after the running kernel's with "
	  "--reuse-cmdline. For boot and menu: added to the entry's line." },
	{ KJ_O_KEXEC_CMDLINE, "command-line", 0, REQ, "STRING", KEXEC, 0, LDG,
	  KT, "The same as --append." },
	{ KJ_O_COMMAND_LINE, "command-line", 0, REQ, "STRING", LOAD, 0, LDG, KJ,
	  "The whole kernel command line (not with --reuse-cmdline)." },
	{ KJ_O_REUSE_CMDLINE, "reuse-cmdline", 0, NO, NULL, BOTH, 0, LDG, KT,
	  "Start from the running kernel's command line (/proc/cmdline) "
	  "without BOOT_IMAGE=, and without crashkernel= for a crash "
	  "kernel." },
	{ KJ_O_REUSEINITRD, "reuseinitrd", 0, NO, NULL, KEXEC, 0, 0, KT,
	  "Give KERNEL the initrd the running kernel was booted with, kept "
	  "by retain_initrd on its command line and read from "
	  "/sys/firmware/initrd. Not with --initrd.",
	  NULL,
	  "kjump loads a copy of the retained initrd, which the running "
	  "kernel exports as /sys/firmware/initrd, so kexec_file_load can "
	  "take it too; kexec-tools points the new kernel at the old copy in "
	  "memory." },
	{ KJ_O_REUSE_INITRD, "reuse-initrd", 0, NO, NULL, LOAD, 0, 0, KJ,
	  "The initrd the running kernel was booted with, kept by "
	  "retain_initrd on its command line (/sys/firmware/initrd)." },
	{ KJ_O_MODULE, "module", 0, REQ, "\"FILE ARGS\"", BOTH, X86, LDG, KT,
	  "A Multiboot module: its file, then its own command line; "
	  "repeatable, kept in order." },
	{ KJ_O_DTB, "dtb", 0, REQ, "FILE", BOTH, 0, LDG, KT,
	  "The device tree to hand the kernel (arm64; on x86 kjump's loaders "
	  "take none and refuse it by name)." },
	{ KJ_O_FORCE_DTB, "force-dtb", 0, NO, NULL, BOTH, 0, 0, GIT,
	  "kexec_file_load's KEXEC_FILE_FORCE_DTB: the kernel hands the "
	  "running system's device tree on (x86; arm64 always does). "
	  "kexec_file_load only." },
	{ KJ_O_NO_DECOMPRESS, "no-decompress", 0, NO, NULL, BOTH, 0, LDG, KJ,
	  "Hand modules over as they are, without unpacking gzip, xz or "
	  "zstd." },
	{ KJ_O_ARGS_ELF, "args-elf", 0, NO, NULL, KEXEC, X86, LDG, KT,
	  "Pass ELF boot notes to an ELF kernel.",
	  "ELF boot notes (the Etherboot convention) are not supported: use "
	  "--args-linux or --args-none" },
	{ KJ_O_ARGS_LINUX, "args-linux", 0, NO, NULL, BOTH, X86, LDG, KT,
	  "An ELF kernel gets Linux's boot_params in RSI (a vmlinux)." },
	{ KJ_O_ARGS_NONE, "args-none", 0, NO, NULL, BOTH, X86, LDG, KT,
	  "An ELF kernel gets nothing in its registers." },
	{ KJ_O_MEM_MIN, "mem-min", 0, REQ, "ADDR", BOTH, 0, 0, KT,
	  "The lowest address kexec_load may place a segment at (K, M, G "
	  "suffixes allowed)." },
	{ KJ_O_MEM_MAX, "mem-max", 0, REQ, "ADDR", BOTH, 0, 0, KT,
	  "The highest address kexec_load may place a segment at (K, M, G "
	  "suffixes allowed)." },
	{ KJ_O_HOTPLUG, "hotplug", 0, NO, NULL, BOTH, 0, 0, KT,
	  "Crash kernel: let the running kernel update the crash kernel's "
	  "ELF core header itself on CPU and memory hot add and remove "
	  "(kexec_load's KEXEC_UPDATE_ELFCOREHDR on x86; kexec_file_load "
	  "does it by itself), so it need not be reloaded. The header is "
	  "sized by /sys/kernel/crash_elfcorehdr_size and left out of the "
	  "purgatory's check. Needs CONFIG_CRASH_HOTPLUG (Linux 6.5+)." },
	{ KJ_O_NO_CMA, "no-cma", 0, NO, NULL, BOTH, 0, 0, GIT,
	  "kexec_file_load's KEXEC_FILE_NO_CMA: the kernel places the image "
	  "without the CMA area (kexec_load does not use CMA)." },
	{ KJ_O_ELF32_CORE, "elf32-core-headers", 0, NO, NULL, BOTH, X86, 0, KT,
	  "Crash kernel: describe the crashed system with an ELF32 core "
	  "header (for 32-bit dump tools; RAM above 4 GiB cannot be "
	  "described and is refused). kexec_load only." },
	{ KJ_O_ELF64_CORE, "elf64-core-headers", 0, NO, NULL, BOTH, X86, 0, KT,
	  "Crash kernel: an ELF64 core header (the default)." },
	{ KJ_O_PASS_MEMMAP_CMDLINE, "pass-memmap-cmdline", 0, NO, NULL, BOTH,
	  X86, LDG, KT,
	  "Crash kernel: also describe its memory on its command line "
	  "(memmap=exactmap and one memmap= per range). kexec_load only." },
	{ KJ_O_NOEFI, "noefi", 0, NO, NULL, BOTH, X86, LDG, KT,
	  "Give the kernel no EFI information (no EFI runtime services), "
	  "as if booted by a BIOS. kexec_load only." },
	{ KJ_O_REUSE_VIDEO_TYPE, "reuse-video-type", 0, NO, NULL, KEXEC, X86,
	  LDG, KT,
	  "Hand the kernel the running kernel's boot-time video type. kjump "
	  "always does (the zero page starts from the running kernel's "
	  "screen_info), so this changes nothing.",
	  NULL,
	  "kexec-tools without it probes /dev/fb0 for the video type; kjump "
	  "always reuses the boot-time one." },
	{ KJ_O_REAL_MODE, "real-mode", 0, NO, NULL, BOTH, X86, LDG, KT,
	  "Enter a bzImage through its 16-bit real-mode setup code (the "
	  "purgatory drops to real mode below 1 MiB and jumps to setup), as "
	  "images without a 32/64-bit entry need (iPXE, memdisk, protocol "
	  "before 2.02); those go that way by themselves. kexec_load only; "
	  "refused after an EFI boot and for --panic." },
	{ KJ_O_UKI_PROFILE, "uki-profile", 0, REQ, "N", BOTH | KJ_IN_INSPECT, 0,
	  LDG, KJ,
	  "A Unified Kernel Image's profile N (0 to 255; 0, the default, is "
	  "the base sections), as systemd-stub selects it." },
	{ KJ_O_ENTRY_32BIT, "entry-32bit", 0, NO, NULL, BOTH, X86, LDG, KT,
	  "Enter a bzImage through its 32-bit protected-mode entry "
	  "(code32_start, ESI = boot_params) instead of the 64-bit one; the "
	  "kernel, its boot data and the purgatory stay below 4 GiB. "
	  "kexec_load only." },
	{ KJ_O_PRESERVE_CONTEXT, "preserve-context", 0, NO, NULL, LOAD, 0, 0,
	  KJ,
	  "Kexec jump (KEXEC_PRESERVE_CONTEXT): kjump exec comes back when the "
	  "loaded kernel jumps back; needs --mem-max and kexec_load." },

	/* The purgatory. */
	{ KJ_O_SERIAL, "serial", 0, REQ, "PORT", KEXEC, 0, 0, KT,
	  "x86: the purgatory's serial port for --console-serial (ttyS0, "
	  "ttyS1, or an I/O port such as 0x3f8; default ttyS0). arm64: the "
	  "console the purgatory prints on (e.g. ttyAMA0)." },
	{ KJ_O_SERIAL_BAUD, "serial-baud", 0, REQ, "BAUD", BOTH, X86, 0, KT,
	  "The purgatory's serial speed: 9600 to 115200, a divisor of 115200 "
	  "(default 115200)." },
	{ KJ_O_CONSOLE_SERIAL, "console-serial", 0, OPT, "PORT",
	  BOTH | KJ_IN_BOOT, 0, 0, KT,
	  "The purgatory reports its progress on the serial port. x86: "
	  "--serial, or PORT: ttyS0..ttyS3 or an I/O port. arm64: PORT is a "
	  "UART's address (0x9000000) or a tty (ttyAMA0); without it, the "
	  "next kernel's stdout-path or the ACPI SPCR table. kexec_load only.",
	  NULL, "kjump also takes the port as --console-serial=PORT." },
	{ KJ_O_CONSOLE_VGA, "console-vga", 0, NO, NULL, BOTH, X86, 0, KT,
	  "The purgatory reports its progress on the VGA text screen "
	  "(0xb8000). kexec_load only." },
	{ KJ_O_RESET_VGA, "reset-vga", 0, NO, NULL, BOTH, X86, 0, KT,
	  "The purgatory puts a standard VGA adapter back into 80x25 text "
	  "mode before the jump. kexec_load only." },

	/* kjump's boot entries and menu. */
	{ KJ_O_ENTRY_ID, "entry", 0, REQ, "ID|TITLE|INDEX", KJ_IN_BOOT, 0, 0,
	  KJ, "The entry to load, as kjump list shows it." },
	{ KJ_O_DEFAULT, "default", 0, NO, NULL, KJ_IN_BOOT, 0, 0, KJ,
	  "The configs' default entry (the default when no --entry)." },
	{ KJ_O_DEFAULT_ENTRY, "default", 0, REQ, "ID|TITLE", KJ_IN_MENU, 0, 0,
	  KJ,
	  "The default entry (else EFI LoaderEntryDefault, else the "
	  "configs')." },
	{ KJ_O_SET_ARG, "set-arg", 0, REQ, "NAME=VALUE",
	  KJ_IN_BOOT | KJ_IN_MENU, 0, 0, KJ,
	  "Replace or add a kernel parameter in the entry's command line." },
	{ KJ_O_REMOVE_ARG, "remove-arg", 0, REQ, "NAME",
	  KJ_IN_BOOT | KJ_IN_MENU, 0, 0, KJ,
	  "Remove every NAME and NAME=... from the entry's command line." },
	{ KJ_O_BOOT_EXEC, "exec", 0, NO, NULL, KJ_IN_BOOT, 0, 0, KJ,
	  "Start the entry once it is loaded." },
	{ KJ_O_ONCE, "once", 0, REQ, "ID", KJ_IN_BOOT, 0, 0, KJ,
	  "Record ID to be booted once by the next kjump menu (EFI "
	  "LoaderEntryOneShot, else the state file) instead of loading it." },
	{ KJ_O_REBOOT, "reboot", 0, NO, NULL, KJ_IN_BOOT, 0, 0, KJ,
	  "With --once: reset through the firmware now." },
	{ KJ_O_STATE, "state", 0, REQ, "DEV|FILE", KJ_IN_BOOT | KJ_IN_MENU, 0,
	  0, KJ,
	  "Where the one-shot record lives without efivarfs (default "
	  "LABEL=KJUMP: /kjump/oneshot on that filesystem)." },
	{ KJ_O_WAIT, "wait", 0, REQ, "S", KJ_IN_MENU, 0, 0, KJ,
	  "Keep looking for slow disks for S seconds (default 5)." },
	{ KJ_O_TIMEOUT, "timeout", 0, REQ, "S", KJ_IN_MENU, 0, 0, KJ,
	  "The countdown (default: the configs', else 10)." },
	{ KJ_O_SHELL, "shell", 0, NO, NULL, KJ_IN_MENU, 0, 0, KJ,
	  "Start the shell first." },
	{ KJ_O_CONFIG, "config", 0, REQ, "FILE", KJ_IN_MENU, 0, 0, KJ,
	  "Settings and rewrite rules (default /etc/kjump.conf)." },
	{ 0, NULL, 0, 0, NULL, 0, 0, 0, 0, NULL },
};

const struct kj_cmd_doc kj_cmds[] = {
	{ "load", KJ_IN_LOAD, "KERNEL", "load a kernel to start later",
	  "Load KERNEL to be started by kjump exec. Compressed kernels and "
	  "modules (gzip, xz, zstd) are unpacked. Every check runs before "
	  "the system call, so a failed load leaves a kernel loaded earlier "
	  "in place." },
	{ "exec", KJ_IN_EXEC, "", "start the loaded kernel",
	  "Start the loaded kernel now: sync the filesystems, take the "
	  "network interfaces down, kexec." },
	{ "unload", KJ_IN_UNLOAD, "", "forget the loaded kernel",
	  "Unload the loaded kernel (with --panic: the crash kernel), through "
	  "kexec_load on kernels without kexec_file_load." },
	{ "status", KJ_IN_STATUS, "", "show what is loaded",
	  "Show what is loaded. Exit status 0 when a kernel is loaded, 1 when "
	  "not (kexec -S answers the other way round, as kexec-tools "
	  "does)." },
	{ "inspect", KJ_IN_INSPECT, "FILE", "show what a kernel file contains",
	  "Show what FILE is and what its boot headers say." },
	{ "list", KJ_IN_LIST, "[ROOT...]",
	  "boot entries found in other boot loaders' configs",
	  "List the boot entries that syslinux, isolinux, extlinux, "
	  "pxelinux, GRUB, Boot Loader Spec and LILO configs describe. ROOT "
	  "is a directory or a block device (mounted read-only in a private "
	  "directory); with none, every block device and the running "
	  "system's /boot are scanned." },
	{ "boot", KJ_IN_BOOT, "[ROOT...]",
	  "load (and --exec) one of those entries",
	  "Load a boot entry found as kjump list shows it, with the command "
	  "line rewritten by the rules; start it with --exec." },
	{ "menu", KJ_IN_MENU, "[ROOT...]",
	  "a boot menu of those entries on the console",
	  "A boot menu of every entry on every disk; boots the default when "
	  "the countdown ends. Keys: a number then Enter, or up/down then "
	  "Enter, boots; e edits the command line; r rescans; s starts a "
	  "shell; q quits. Any key stops the countdown." },
	{ "help", KJ_IN_HELP, "[COMMAND]", "more about one command",
	  "Describe COMMAND, or list the commands." },
	{ NULL, 0, NULL, NULL, NULL },
};

const struct kj_conf_doc kj_conf_settings[] = {
	{ "set-arg", "NAME=VALUE",
	  "Replace or add a kernel parameter in every entry's command line, "
	  "after the entry's own rules." },
	{ "remove-arg", "NAME",
	  "Remove every NAME and NAME=... from every entry's command line." },
	{ "timeout", "S", "The menu's countdown in seconds (0 to 86400)." },
	{ "wait", "S",
	  "How long the menu keeps looking for slow disks, in seconds." },
	{ "default", "ID|TITLE", "The entry booted when the countdown ends." },
	{ "state", "DEV|FILE",
	  "Where the one-shot record lives without efivarfs: a device "
	  "(/dev/sdb1, LABEL=X, UUID=X) or a plain file." },
	{ NULL, NULL, NULL },
};

const struct kj_opt *kj_opt_by_id(int id)
{
	for (const struct kj_opt *o = kj_opts; o->name; o++)
		if (o->id == id)
			return o;
	return NULL;
}

const struct kj_opt *kj_opt_by_name(const char *name, unsigned in)
{
	for (const struct kj_opt *o = kj_opts; o->name; o++)
		if ((o->in & in) && !strcmp(o->name, name))
			return o;
	return NULL;
}

bool kj_opt_for_this_arch(const struct kj_opt *o)
{
	switch (kj_arch_this()) {
	case KJ_ARCH_X86_64:
		return !o->arch || (o->arch & KJ_FOR_X86);
	case KJ_ARCH_ARM64:
		return !o->arch || (o->arch & KJ_FOR_ARM64);
	default:
		return true;
	}
}

static bool named(const struct option *out, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(out[i].name, name))
			return true;
	return false;
}

int kj_opt_getopt(unsigned in, unsigned also, struct option *out, size_t max,
		  char *shorts, size_t shortsz)
{
	size_t n = 0, s = 0;

	if (shorts) {
		if (shortsz < 2)
			return -1;
		shorts[s++] = ':';
	}
	for (int pass = 0; pass < 2; pass++) {
		unsigned want = pass ? also : in;

		for (const struct kj_opt *o = kj_opts; o->name; o++) {
			if (!(o->in & want) || named(out, n, o->name))
				continue;
			if (n + 1 >= max)
				return -1;
			out[n].name = o->name;
			out[n].has_arg = o->has_arg;
			out[n].flag = NULL;
			out[n].val = o->id;
			n++;
			if (!shorts || pass || !o->letter)
				continue;
			if (s + 3 >= shortsz)
				return -1;
			shorts[s++] = o->letter;
			if (o->has_arg == required_argument)
				shorts[s++] = ':';
		}
	}
	memset(&out[n], 0, sizeof(out[n]));
	if (shorts)
		shorts[s] = '\0';
	return (int)n;
}

const struct kj_cmd_doc *kj_cmd_by_name(const char *name)
{
	for (const struct kj_cmd_doc *c = kj_cmds; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}
