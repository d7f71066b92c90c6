/* What the user asked to load: filled by the CLI (kjump or kexec-tools
 * spelling) or by `kjump boot` from a boot entry, consumed by the loaders.
 * Plain data; nothing here touches the kernel. */
#ifndef KJ_CORE_REQUEST_H
#define KJ_CORE_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KJ_MAX_REQ_INITRDS 16
#define KJ_MAX_REQ_MODULES 16

enum kj_syscall_mode {
	KJ_SYSCALL_AUTO, /* kexec_file_load, then kexec_load where allowed */
	KJ_SYSCALL_FILE, /* kexec_file_load only (-s) */
	KJ_SYSCALL_LOAD, /* kexec_load only (-c) */
};

/* What a plain ELF kernel gets in registers (kexec-tools' --args-*). */
enum kj_elf_args {
	KJ_ELF_ARGS_DEFAULT, /* ELF64: linux; ELF32: none */
	KJ_ELF_ARGS_LINUX,   /* RSI = boot_params (vmlinux convention) */
	KJ_ELF_ARGS_NONE,    /* nothing */
};

/* What the purgatory verifies before the jump (kexec_load only: for
 * kexec_file_load the kernel's own purgatory checks its SHA-256). */
enum kj_checks {
	KJ_CHECKS_DEFAULT, /* xxh64 */
	KJ_CHECKS_NONE,    /* -i, --no-checks */
	KJ_CHECKS_XXH64,   /* --checks=xxh64 */
	KJ_CHECKS_SHA256,  /* --checks=sha256 */
};

struct kj_request_module {
	const char *path; /* the file */
	const char *args; /* its own arguments, "" for none */
};

struct kj_load_request {
	const char *kernel;
	/* With in_root, kernel/initrd/module paths are resolved inside the
	 * directory root_dirfd (a boot entry's filesystem), never outside. */
	bool in_root;
	int root_dirfd;
	const char *initrds[KJ_MAX_REQ_INITRDS];
	size_t n_initrds;
	const char *cmdline;  /* the final command line, never NULL */
	const char *type;     /* --type: this loader, NULL = by content */
	const char *type_hint; /* a boot entry's kind ("multiboot"): the
				  preferred loader among those whose probe
				  accepts the file; NULL = table order */
	const char *dtb;      /* --dtb FILE */
	struct kj_request_module modules[KJ_MAX_REQ_MODULES];
	size_t n_modules;
	enum kj_syscall_mode syscall;
	bool panic;           /* load into the crash kernel slot */
	bool dry_run;         /* build and print the plan, load nothing */
	bool json;            /* --json: dry-run plan, status, inspect, list */
	bool verbose;
	enum kj_checks checks; /* --checks=ALG, -i */
	bool no_decompress;   /* modules stay compressed (GRUB --nounzip) */
	enum kj_elf_args elf_args;
	bool entry_32bit;     /* --entry-32bit: a bzImage at code32_start */
	bool real_mode;       /* --real-mode: a bzImage through its setup */
	unsigned int uki_profile; /* --uki-profile N, 0 = the default */
	uint64_t mem_min, mem_max; /* 0 = no limit */
	uint16_t console_serial;   /* purgatory progress port, 0 = off */
	/* kexec-tools' options; each is read in one place, named here. */
	uint32_t serial_baud;      /* --serial-baud, 0 = 115200 (purgatory) */
	bool console_vga;          /* --console-vga (purgatory) */
	bool reset_vga;            /* --reset-vga (purgatory) */
	bool noefi;                /* --noefi (Linux loaders) */
	bool pass_memmap_cmdline;  /* --pass-memmap-cmdline (load step) */
	bool elf32_core;           /* --elf32-core-headers (load step) */
	bool reuse_initrd;         /* --reuseinitrd (load step's files) */
	bool hotplug;              /* --hotplug (load step) */
	bool no_cma;               /* --no-cma (executor's file flags) */
	bool force_dtb;            /* --force-dtb (executor's file flags) */
	bool preserve_context;     /* --load-preserve-context (load step) */
	bool hardboot;             /* --load-hardboot (load step) */
	uint64_t entry;            /* --entry: kexec entry override, 0 = none */
	const char *console_uart;  /* arm64: --console-serial=X / --serial=X
				      as typed (a UART address or a tty
				      name), resolved by the arch; NULL =
				      the next kernel's console */
};

#endif
