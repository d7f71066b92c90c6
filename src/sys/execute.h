/* The one executor: a load becomes a file plan (kexec_file_load: the
 * kernel reads the files itself), a segment plan (kexec_load: every
 * segment laid out in user space), or both under --syscall auto. Here,
 * and only here, plans are printed for --dry-run (text or --json), the
 * syscalls are made, and the auto fallback happens, with --verbose
 * saying which path was taken. */
#ifndef KJ_SYS_EXECUTE_H
#define KJ_SYS_EXECUTE_H

#include <stdbool.h>
#include <stdio.h>

#include "core/err.h"
#include "core/plan.h"
#include "core/request.h"

/* What kexec_file_load gets. */
struct kj_file_plan {
	int kernel_fd;   /* the kernel file, or a memfd of what kjump unpacked */
	int initrd_fd;   /* -1: none */
	const char *cmdline;
	unsigned long flags; /* KEXEC_FILE_NO_CMA, KEXEC_FILE_FORCE_DTB */
};

struct kj_load_job {
	const char *name;      /* the kernel file */
	const char *format;    /* its loader's name: "bzImage" */
	const char *describe;  /* the loader's one line: "protocol 2.15, ..." */
	const char *const *initrds; /* for printing */
	size_t n_initrds;
	bool panic, dry_run, json, verbose;
	/* Resolved by the load step: FILE (file plan only), LOAD (segment
	 * plan only) or AUTO (the file plan first, the segment plan if the
	 * kernel cannot take the image that way). */
	enum kj_syscall_mode mode;
	const struct kj_file_plan *file;   /* NULL unless FILE or AUTO */
	struct kj_plan *segments;          /* NULL unless LOAD or AUTO */
	const struct kj_range *usable;     /* where it could go, for --dry-run */
	size_t n_usable;
	struct kj_err segments_err;        /* AUTO: why there is no fallback */
	/* Completes the segment plan just before it is printed or loaded
	 * (the purgatory's digests); NULL = nothing to do. */
	int (*finish)(struct kj_plan *plan, void *ctx, struct kj_err *err);
	void *finish_ctx;
	FILE *out;             /* --dry-run output */
};

/* Print (--dry-run) or load. 0, or -errno with err saying why. */
int kj_execute(struct kj_load_job *job, struct kj_err *err);

/* Unload the normal or crash kernel: kexec_file_load's unload, and
 * kexec_load's (no segments) on kernels without the file syscall; only
 * kexec_load's with mode KJ_SYSCALL_LOAD. dry_run only says so on out. */
int kj_unload(bool panic, enum kj_syscall_mode mode, bool verbose,
	      bool dry_run, FILE *out, struct kj_err *err);

/* Start the loaded kernel, or have the init system do it. */
struct kj_exec_job {
	bool shutdown;   /* run `shutdown -r now` instead (kexec KERNEL) */
	bool just_loaded; /* a dry-run load came first: nothing is loaded */
	bool no_sync, no_ifdown, dry_run, verbose;
	FILE *out;       /* --dry-run output */
};

/* Returns only on failure, or with 0 when a kernel loaded with
 * KEXEC_PRESERVE_CONTEXT jumped back, or after a dry run. */
int kj_exec(const struct kj_exec_job *job, struct kj_err *err);

/* kexec jump, from the jumped-to kernel: load an empty image whose entry
 * is the original kernel's jump-back address. */
int kj_jump_back_helper(uint64_t entry, bool dry_run, FILE *out,
			struct kj_err *err);

#endif
