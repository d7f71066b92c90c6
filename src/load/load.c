#include "load/load.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "arch/arch.h"
#include "image/mapguard.h"
#include "core/elfcore.h"
#include "loaders/loader.h"
#include "load/files.h"
#include "sys/crash_notes.h"
#include "sys/execute.h"

/* What the running system says, read once for the segment plan. */
struct system {
	struct kj_memmap mm;
	struct kj_range usable[KJ_MEMMAP_RANGES_MAX];
	size_t n_usable;
	struct kj_sysdesc sys;
	uint8_t *elfcore;
	size_t elfcore_len;
	uint8_t seed[32];
	size_t seed_len;
};

static void say(const struct kj_load_request *req, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void say(const struct kj_load_request *req, const char *fmt, ...)
{
	va_list ap;

	if (!req->verbose)
		return;
	fputs("kjump: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* --type forces a loader; a boot entry's hint prefers one among those
 * whose probe accepts the file; else the table's order decides. */
static const struct kj_loader *choose_loader(const struct kj_load_request *req,
					     const struct kj_files *f,
					     struct kj_err *err)
{
	const struct kj_loader *l = NULL, *hint;
	char names[256];

	if (req->type)
		l = kj_loader_by_type(req->type, err);
	else if (req->type_hint &&
		 (hint = kj_loader_by_type(req->type_hint, NULL)) &&
		 hint->probe(f->kernel, f->kernel_len))
		l = hint;
	else if (!(l = kj_loader_detect(f->kernel, f->kernel_len))) {
		kj_loader_type_list(names, sizeof(names));
		kj_fail(err, ENOEXEC,
			"%s: unrecognised image: kjump loads %s kernels",
			req->kernel, names);
	}
	if (l && l->arch != KJ_ARCH_ANY && l->arch != kj_arch_this()) {
		kj_fail(err, ENOEXEC, "%s: %s images are for %s; this kjump "
			"loads %s kernels", req->kernel, l->name,
			kj_arch_name(l->arch), kj_arch_name(kj_arch_this()));
		return NULL;
	}
	return l;
}

/* Options the protocol has no use for are refused by name. */
static int check_takes(const struct kj_loader *l,
		       const struct kj_load_request *req, struct kj_err *err)
{
	const char *what = NULL;

	if (req->n_initrds && !(l->takes & KJ_TAKES_INITRD))
		what = l->takes & KJ_TAKES_MODULES ? "--initrd (use --module)"
						   : "--initrd";
	else if (req->n_modules && !(l->takes & KJ_TAKES_MODULES))
		what = "--module";
	else if (req->dtb && !(l->takes & KJ_TAKES_DTB))
		what = "device tree (--dtb)";
	if (what)
		return kj_fail(err, ENOTSUP, "%s: %s images take no %s",
			       req->kernel, l->name, what);
	return 0;
}

/* Which syscalls may load this image: FILE, LOAD or AUTO (both). */
static int choose_mode(const struct kj_load_request *req,
		       const struct kj_loader *l,
		       const struct kj_load_input *in,
		       enum kj_syscall_mode *mode, struct kj_err *err)
{
	const char *only_load = req->mem_min   ? "--mem-min"
				: req->mem_max ? "--mem-max"
				: req->dtb     ? "--dtb (kexec_file_load "
						 "builds its own tree)"
				: req->console_serial
					? "--console-serial (the kernel's own "
					  "purgatory runs)"
					: NULL;
	struct kj_err why = { 0 };
	bool file_ok = l->file_check && l->file_check(in, &why) == 0;

	*mode = req->syscall;
	if (req->syscall == KJ_SYSCALL_FILE) {
		if (only_load)
			return kj_fail(err, ENOTSUP,
				       "%s with kexec_file_load is not supported",
				       only_load);
		if (!l->file_check)
			return kj_fail(err, ENOEXEC,
				       "%s: %s images need kexec_load (--syscall "
				       "load); kexec_file_load only takes Linux",
				       req->kernel, l->name);
		if (!file_ok)
			return kj_fail(err, why.code, "%s", why.msg);
		return 0;
	}
	if (req->syscall == KJ_SYSCALL_LOAD)
		return 0;
	*mode = KJ_SYSCALL_LOAD;
	if (!l->file_check)
		say(req, "%s: %s image: straight to kexec_load "
		    "(kexec_file_load only takes Linux)", req->kernel, l->name);
	else if (!file_ok)
		say(req, "%s; using kexec_load", why.msg);
	else if (only_load)
		say(req, "%s needs kexec_load; using it", only_load);
	else
		*mode = KJ_SYSCALL_AUTO;
	return 0;
}

static int read_system(const struct kj_load_request *req, struct system *s,
		       struct kj_err *err)
{
	struct kj_crash_notes notes;
	int r;

	r = kj_arch_memmap_read(&s->mm, err);
	if (r < 0)
		return r;
	say(req, "memory map from %s, %zu entries", s->mm.source, s->mm.n);
	s->n_usable = kj_memmap_usable(&s->mm, req->panic, s->usable,
				       KJ_MEMMAP_RANGES_MAX);
	if (!s->n_usable)
		return kj_memmap_no_room(&s->mm, req->panic, req->kernel, err);
	r = kj_arch_sysdesc_read(&s->sys, err);
	if (r < 0)
		return r;
	if (s->sys.note[0])
		say(req, "%s", s->sys.note);
	if (req->panic) {
		r = kj_sys_crash_notes(&notes, err);
		if (r == 0)
			r = kj_elfcore_build(&s->mm, &notes,
					     kj_arch_elf_machine(), &s->elfcore,
					     &s->elfcore_len, NULL, err);
		kj_crash_notes_free(&notes);
		if (r < 0)
			return r;
	}
	/* Early entropy for the next kernel, as kexec_file_load gives; an
	 * unready pool means no seed rather than a weak one. */
	if (getrandom(s->seed, sizeof(s->seed), GRND_NONBLOCK) ==
	    sizeof(s->seed))
		s->seed_len = sizeof(s->seed);
	return 0;
}

static void free_system(struct system *s)
{
	kj_arch_sysdesc_free(&s->sys);
	free(s->elfcore);
}

int kj_load_plan_segments(const struct kj_loader *loader,
			  const struct kj_load_input *in, struct kj_plan *plan,
			  struct kj_err *err)
{
	const struct kj_layout l = kj_input_layout(in, plan);
	int r;

	kj_plan_init(plan);
	plan->flags = kj_arch_kexec_flags() |
		      (in->req->panic ? KJ_KEXEC_ON_CRASH : 0);
	r = loader->plan(in, plan, err);
	if (r == 0 && plan->nseg >= KJ_PLAN_MAX_SEGMENTS)
		r = kj_fail(err, E2BIG, "%s: %zu segments leave none for the "
			    "purgatory", in->name, plan->nseg);
	if (r == 0)
		r = kj_arch_purgatory_add(&l, err);
	if (r == 0)
		r = kj_layout_validate(&l, err);
	if (r < 0)
		kj_plan_free(plan);
	return r;
}

static int fill_purgatory(struct kj_plan *plan, void *ctx, struct kj_err *err)
{
	const struct kj_load_request *req = ctx;
	const struct kj_purgatory_opts o = { .verify = !req->no_checks,
					     .serial = req->console_serial,
					     .uart = req->console_uart };
	int r = kj_arch_purgatory_fill(plan, &o, err);

	/* The digests read every byte: the last chance to see a file that
	 * shrank before the kernel copies it. */
	return r < 0 ? r : kj_mapguard_check(err);
}

static int run(const struct kj_load_request *req, struct kj_files *f,
	       const struct kj_loader *loader, FILE *out, struct kj_err *err)
{
	struct system *s = calloc(1, sizeof(*s));
	struct kj_load_input in = {
		.name = req->kernel,
		.kernel = f->kernel,
		.kernel_len = f->kernel_len,
		.initrd = f->initrd,
		.initrd_len = f->initrd_len,
		.initrd_name = f->initrd_name,
		.modules = f->modules,
		.n_modules = f->n_modules,
		.dtb = f->dtb_img.data,
		.dtb_len = f->dtb_img.size,
		.cmdline = req->cmdline ? req->cmdline : "",
		.req = req,
	};
	struct kj_file_plan file = { .kernel_fd = -1, .initrd_fd = -1 };
	struct kj_plan plan;
	char describe[160] = "";
	struct kj_load_job job = {
		.name = req->kernel,
		.format = loader->name,
		.describe = describe,
		.initrds = req->initrds,
		.n_initrds = req->n_initrds,
		.panic = req->panic,
		.dry_run = req->dry_run,
		.json = req->json,
		.verbose = req->verbose,
		.finish = fill_purgatory,
		.finish_ctx = (void *)req,
		.out = out,
	};
	int r;

	kj_plan_init(&plan);
	if (!s)
		return kj_fail(err, ENOMEM, "out of memory");
	if (loader->describe)
		loader->describe(f->kernel, f->kernel_len, describe,
				 sizeof(describe));
	r = choose_mode(req, loader, &in, &job.mode, err);
	if (r < 0)
		goto out;
	/* --panic: the kernel empties the crash slot before it checks the
	 * new kernel, so the segment plan is built (and must succeed) even
	 * for the file syscall: it checks the crash region's room. */
	if (job.mode != KJ_SYSCALL_FILE || req->panic) {
		r = read_system(req, s, &job.segments_err);
		in.usable = s->usable;
		in.n_usable = s->n_usable;
		in.mm = &s->mm;
		in.sys = &s->sys;
		in.elfcore = s->elfcore;
		in.elfcore_len = s->elfcore_len;
		in.rng_seed = s->seed_len ? s->seed : NULL;
		in.rng_seed_len = s->seed_len;
		if (r == 0)
			r = kj_load_plan_segments(loader, &in, &plan,
						  &job.segments_err);
		if (r == 0) {
			if (job.mode != KJ_SYSCALL_FILE)
				job.segments = &plan;
			job.usable = s->usable;
			job.n_usable = s->n_usable;
			if (plan.note[0])
				say(req, "%s: %s", req->kernel, plan.note);
		} else if (job.mode == KJ_SYSCALL_LOAD || req->panic) {
			/* --panic: any refusal by the kernel empties the
			 * crash slot, so a plan that cannot be built stops
			 * here, before the first syscall. */
			*err = job.segments_err;
			goto out;
		}
	}
	if (job.mode != KJ_SYSCALL_LOAD) {
		r = kj_files_kernel_fd(f, req->kernel, &file.kernel_fd, err);
		if (r < 0)
			goto out;
		file.initrd_fd = f->initrd_fd;
		file.cmdline = in.cmdline;
		job.file = &file;
	}
	r = kj_mapguard_check(err);
	if (r == 0)
		r = kj_execute(&job, err);
out:
	if (file.kernel_fd >= 0 && file.kernel_fd != f->kernel_fd)
		close(file.kernel_fd);
	kj_plan_free(&plan);
	free_system(s);
	free(s);
	return r;
}

int kj_load(const struct kj_load_request *req, FILE *out, struct kj_err *err)
{
	const struct kj_loader *loader;
	struct kj_files f;
	int r;

	r = kj_files_open_kernel(&f, req, err);
	if (r < 0)
		return r;
	loader = choose_loader(req, &f, err);
	r = loader ? check_takes(loader, req, err) : -err->code;
	if (r == 0)
		r = kj_files_open_rest(&f, req, err);
	if (r == 0)
		r = run(req, &f, loader, out, err);
	/* A file that shrank explains whatever failed while reading it. */
	if (r < 0)
		kj_mapguard_check(err);
	kj_files_close(&f);
	return r;
}
