#include "load/load.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <unistd.h>

#include "arch/arch.h"
#include "core/backup_segments.h"
#include "core/elfcore.h"
#include "core/elfcore32.h"
#include "core/memmap_cmdline.h"
#include "core/segment_digest.h"
#include "image/mapguard.h"
#include "loaders/loader.h"
#include "load/files.h"
#include "load/option_rules.h"
#include "load/wrapped.h"
#include "sys/crash_notes.h"
#include "sys/execute.h"
#include "sys/hardboot.h"
#include "sys/kexec_file.h"
#include "sys/sysroot.h"

/* kexec jump: the purgatory writes the way back over the zeroes. */
#define JUMP_BACK_PLACEHOLDER "kexec_jump_back_entry=0x0000000000000000"
/* The first 640 KiB a crash kernel keeps (its real-mode trampoline). */
#define CRASH_LOW_KEEP 0xa0000ull

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
	const char *type = req->type;
	char names[256];

	/* kexec-tools' wrapper types (x86 "uki", arm64 "vmlinuz" for EFI
	 * zboot) name the container: it must be one, and the kernel inside
	 * then chooses its loader like any other. */
	if (type && (!strcasecmp(type, "uki") || !strcasecmp(type, "vmlinuz"))) {
		enum kj_wrapper want = !strcasecmp(type, "uki") ? KJ_WRAP_UKI
							      : KJ_WRAP_ZBOOT;

		if (f->kernel_w.wrapper != want) {
			kj_fail(err, ENOEXEC, "%s: --type %s, but the file is "
				"not %s", req->kernel, type,
				want == KJ_WRAP_UKI ? "a Unified Kernel Image"
						    : "an EFI zboot image");
			return NULL;
		}
		type = NULL;
	}
	if (type)
		l = kj_loader_by_type(type, err);
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
		       const struct kj_load_request *req,
		       const struct kj_files *f, struct kj_err *err)
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
	if (f->initrd_in_place && !(l->takes & KJ_TAKES_INITRD_IN_PLACE))
		return kj_fail(err, ENOTSUP,
			       "%s: --reuseinitrd: this kernel keeps its initrd "
			       "only in memory (no " RETAINED_INITRD "), and %s "
			       "images cannot be handed one in place",
			       req->kernel, l->name);
	return 0;
}

/* Which syscalls may load this image: FILE, LOAD or AUTO (both). */
static int choose_mode(const struct kj_load_request *req,
		       const struct kj_loader *l,
		       const struct kj_load_input *in,
		       enum kj_syscall_mode *mode, struct kj_err *err)
{
	const char *only_load = kj_option_needs_kexec_load(req);
	bool fallback_ok;
	const char *only_file = kj_option_needs_file_load(req, &fallback_ok);
	struct kj_err why = { 0 };
	bool file_ok = l->file_check && l->file_check(in, &why) == 0;

	*mode = req->syscall;
	if (only_load && only_file)
		return kj_fail(err, ENOTSUP,
			       "%s needs kexec_load and %s kexec_file_load; "
			       "give one of them",
			       only_load, only_file);
	if (req->syscall == KJ_SYSCALL_LOAD && only_file)
		return kj_fail(err, ENOTSUP,
			       "%s is a kexec_file_load flag; kexec_load (-c) "
			       "cannot honour it",
			       only_file);
	if (only_file && !fallback_ok) {
		if (!file_ok)
			return kj_fail(err, why.code, "%s (%s needs "
				       "kexec_file_load)", why.msg, only_file);
		if (req->syscall == KJ_SYSCALL_AUTO)
			say(req, "%s: kexec_file_load only, no kexec_load "
			    "fallback", only_file);
		*mode = KJ_SYSCALL_FILE;
		return 0;
	}
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

static int narrow_elfcore(struct system *s, struct kj_err *err)
{
	uint8_t *e32;
	size_t len;
	int r = kj_elfcore_to_elf32(s->elfcore, s->elfcore_len, &e32, &len,
				    err);

	if (r < 0)
		return r;
	free(s->elfcore);
	s->elfcore = e32;
	s->elfcore_len = len;
	return 0;
}

/* --hotplug: the kernel rewrites the header in place as CPUs and memory
 * come and go, so its segment gets the room the kernel says it needs. */
static int crash_elfcorehdr_size(size_t *size, struct kj_err *err)
{
	struct kj_err ignored;
	long v = 0;

	if (kj_sys_read_long("/sys/kernel/crash_elfcorehdr_size", &v,
			     &ignored) < 0 || v <= 0)
		return kj_fail(err, ENOTSUP,
			       "--hotplug: the running kernel has no crash "
			       "hotplug support (no "
			       "/sys/kernel/crash_elfcorehdr_size: it needs "
			       "CONFIG_CRASH_HOTPLUG, Linux 6.5 or later)");
	*size = (size_t)v;
	return 0;
}

static int hotplug_room(struct system *s, struct kj_err *err)
{
	size_t want = 0;
	uint8_t *grown;
	int r = crash_elfcorehdr_size(&want, err);

	if (r < 0 || want <= s->elfcore_len)
		return r;
	grown = realloc(s->elfcore, want);
	if (!grown)
		return kj_fail(err, ENOMEM, "elfcorehdr: out of memory");
	memset(grown + s->elfcore_len, 0, want - s->elfcore_len);
	s->elfcore = grown;
	s->elfcore_len = want;
	return 0;
}

/* Take [cut.start, cut.end) out of the usable ranges (sorted). */
static size_t cut_range(struct kj_range *r, size_t n, struct kj_range cut)
{
	struct kj_range out[KJ_MEMMAP_RANGES_MAX];
	size_t m = 0;

	for (size_t i = 0; i < n && m + 2 <= KJ_MEMMAP_RANGES_MAX; i++) {
		if (r[i].end <= cut.start || r[i].start >= cut.end) {
			out[m++] = r[i];
			continue;
		}
		if (r[i].start < cut.start)
			out[m++] = (struct kj_range){ r[i].start, cut.start };
		if (r[i].end > cut.end)
			out[m++] = (struct kj_range){ cut.end, r[i].end };
	}
	memcpy(r, out, m * sizeof(*r));
	return m;
}

/* in_place: --reuseinitrd found the initrd only in memory, where it stays
 * (kj_files). */
static int read_system(const struct kj_load_request *req, bool in_place,
		       struct system *s, struct kj_err *err)
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
	if (in_place) {
		struct kj_range ri = s->sys.boot_initrd;

		if (ri.end <= ri.start)
			return kj_fail(err, ENOENT,
				       "--reuseinitrd: the running kernel's "
				       "boot_params say it was booted without "
				       "an initrd");
		/* Nothing may be placed over it before the jump. */
		ri.start &= ~(KJ_PAGE_SIZE - 1);
		s->n_usable = cut_range(s->usable, s->n_usable, ri);
		say(req, "--reuseinitrd: the initrd stays at 0x%" PRIx64
		    "-0x%" PRIx64 " (kept by retain_initrd)",
		    s->sys.boot_initrd.start, s->sys.boot_initrd.end - 1);
	}
	if (s->sys.note[0])
		say(req, "%s", s->sys.note);
	if (req->panic) {
		r = kj_sys_crash_notes(&notes, err);
		if (r == 0)
			r = kj_elfcore_build(&s->mm, &notes,
					     kj_arch_elf_machine(), &s->elfcore,
					     &s->elfcore_len, NULL, err);
		kj_crash_notes_free(&notes);
		if (r == 0 && req->elf32_core)
			r = narrow_elfcore(s, err);
		if (r == 0 && req->hotplug)
			r = hotplug_room(s, err);
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
	if (!s)
		return;
	kj_arch_sysdesc_free(&s->sys);
	free(s->elfcore);
	free(s);
}

/* kexec_load's flags for the request's options. */
static unsigned long load_flags(const struct kj_load_request *req)
{
	unsigned long f = req->panic ? KJ_KEXEC_ON_CRASH : 0;

	if (req->preserve_context)
		f |= KJ_KEXEC_PRESERVE_CONTEXT;
	if (req->hardboot)
		f |= KJ_KEXEC_HARDBOOT;
	/* As kexec-tools: x86 kernels 6.5 to 6.9 know only the first
	 * spelling of the crash hotplug flag; the others the second. */
	if (req->panic && req->hotplug)
		f |= kj_arch_this() == KJ_ARCH_X86_64
			     ? KJ_KEXEC_UPDATE_ELFCOREHDR
			     : KJ_KEXEC_CRASH_HOTPLUG_SUPPORT;
	return f;
}

int kj_load_plan_segments(const struct kj_loader *loader,
			  const struct kj_load_input *in, struct kj_plan *plan,
			  struct kj_err *err)
{
	const struct kj_layout l = kj_input_layout(in, plan);
	int r;

	kj_plan_init(plan);
	plan->flags = kj_arch_kexec_flags() | load_flags(in->req);
	r = loader->plan(in, plan, err);
	if (r == 0 && plan->nseg >= KJ_PLAN_MAX_SEGMENTS)
		r = kj_fail(err, E2BIG, "%s: %zu segments leave none for the "
			    "purgatory", in->name, plan->nseg);
	if (r == 0)
		r = kj_arch_purgatory_add(&l, err);
	if (r == 0)
		r = kj_layout_validate(&l, err);
	if (r == 0 && in->req->preserve_context)
		r = kj_plan_add_backup(plan, in->usable, in->n_usable,
				       in->req->mem_min, in->req->mem_max, err);
	if (r < 0)
		kj_plan_free(plan);
	return r;
}

/* The default check is XXH64: see core/segment_digest.h for why. */
static uint32_t checks_digest(enum kj_checks checks)
{
	switch (checks) {
	case KJ_CHECKS_NONE:
		return 0;
	case KJ_CHECKS_SHA256:
		return KJ_DIGEST_SHA256;
	default:
		return KJ_DIGEST_XXH64;
	}
}

static int fill_purgatory(struct kj_plan *plan, void *ctx, struct kj_err *err)
{
	const struct kj_load_request *req = ctx;
	const struct kj_purgatory_opts o = {
		.checks = checks_digest(req->checks),
		.serial = req->console_serial,
		.serial_baud = req->serial_baud,
		.uart = req->console_uart,
		.console_vga = req->console_vga,
		.reset_vga = req->reset_vga,
		.jump_back = req->preserve_context && !req->entry,
		.unverified = req->hotplug ? "elfcorehdr" : NULL,
	};
	int r = kj_arch_purgatory_fill(plan, &o, err);

	/* --entry: the kernel is entered there, not through the purgatory
	 * (kexec-tools overrides the entry last too). */
	if (r == 0 && req->entry)
		plan->entry = req->entry;
	/* The digests read every byte: the last chance to see a file that
	 * shrank before the kernel copies it. */
	return r < 0 ? r : kj_mapguard_check(err);
}

/* What only kjump's own segments carry on the command line: the kexec
 * jump placeholder, --pass-memmap-cmdline's map. NULL when nothing. */
static int segment_cmdline(const struct kj_load_request *req,
			   const char *base, const struct kj_memmap *mm,
			   char **out, struct kj_err *err)
{
	struct kj_memmap_entry view[KJ_MEMMAP_RANGES_MAX];
	char *memmap = NULL;
	int r, n;

	*out = NULL;
	if (req->pass_memmap_cmdline && req->panic) {
		size_t nv = kj_memmap_view(mm, true, CRASH_LOW_KEEP, view,
					   KJ_MEMMAP_RANGES_MAX);

		r = kj_memmap_cmdline(view, nv, &memmap, err);
		if (r < 0)
			return r;
	}
	if (!memmap && !(req->preserve_context && !req->entry))
		return 0;
	n = asprintf(out, "%s%s%s%s%s", base, *base && memmap ? " " : "",
		     memmap ? memmap : "",
		     req->preserve_context && !req->entry && (*base || memmap)
			     ? " "
			     : "",
		     req->preserve_context && !req->entry
			     ? JUMP_BACK_PLACEHOLDER
			     : "");
	free(memmap);
	if (n < 0) {
		*out = NULL;
		return kj_fail(err, ENOMEM, "command line: out of memory");
	}
	return 0;
}

static int run(const struct kj_load_request *req, struct kj_files *f,
	       const struct kj_loader *loader, FILE *out, struct kj_err *err)
{
	struct system *s = NULL;
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
	struct kj_file_plan file = {
		.kernel_fd = -1,
		.initrd_fd = -1,
		.flags = (req->no_cma ? KJ_KEXEC_FILE_NO_CMA : 0) |
			 (req->force_dtb ? KJ_KEXEC_FILE_FORCE_DTB : 0),
	};
	static const char *const retained[] = { RETAINED_INITRD };
	const char *wrapped_initrd[1] = { f->initrd_name };
	struct kj_plan plan;
	char describe[256] = "", *seg_cmdline = NULL, in_place[80] = "";
	char note[KJ_ERR_MSG_MAX];
	const char *retained_in_place[] = { in_place }, *cmdline;
	size_t hotplug_size = 0;
	struct kj_load_job job = {
		.name = req->kernel,
		.format = loader->name,
		.describe = describe,
		.initrds = req->reuse_initrd ? retained : req->initrds,
		.n_initrds = req->reuse_initrd ? 1 : req->n_initrds,
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
	r = kj_wrapped_cmdline(req, &f->kernel_w,
			       f->kernel_w.cmdline && req->cmdline &&
				       *req->cmdline && kj_secure_boot(),
			       &in.cmdline, note, sizeof(note), err);
	if (r < 0)
		goto out;
	if (note[0])
		say(req, "%s", note);
	cmdline = in.cmdline; /* what the kernel gets, before segment extras */
	if (f->initrd_wrapped) {
		job.initrds = wrapped_initrd;
		job.n_initrds = 1;
	}
	if (f->kernel_w.dtb_len && !req->dtb) {
		if (loader->takes & KJ_TAKES_DTB) {
			in.dtb = f->kernel_w.dtb;
			in.dtb_len = f->kernel_w.dtb_len;
		} else {
			say(req, "%s: the UKI's .dtb is not used: %s images "
			    "take no device tree", req->kernel, loader->name);
		}
	}
	if (loader->describe)
		loader->describe(f->kernel, f->kernel_len, describe,
				 sizeof(describe));
	if (f->kernel_w.wrapper != KJ_WRAP_NONE) {
		size_t n = strlen(describe);

		snprintf(describe + n, sizeof(describe) - n, "%sinside %s%s",
			 n ? ", " : "",
			 f->kernel_w.wrapper == KJ_WRAP_UKI ? "a UKI"
							    : "EFI zboot",
			 f->kernel_w.inner_zboot ? " (zboot .linux)" : "");
	}
	r = choose_mode(req, loader, &in, &job.mode, err);
	if (r == 0 && f->initrd_in_place) {
		if (job.mode == KJ_SYSCALL_FILE)
			r = kj_fail(err, ENOTSUP,
				    "--reuseinitrd: this kernel keeps its initrd "
				    "only in memory (no " RETAINED_INITRD "), "
				    "which only kexec_load can hand on");
		else if (job.mode == KJ_SYSCALL_AUTO)
			say(req, "--reuseinitrd: the initrd is only in memory; "
			    "using kexec_load");
		job.mode = KJ_SYSCALL_LOAD;
	}
	if (r == 0 && req->hardboot)
		r = kj_hardboot_check(err);
	if (r == 0 && req->panic && req->hotplug)
		r = crash_elfcorehdr_size(&hotplug_size, err);
	if (r < 0)
		goto out;
	/* --panic: the kernel empties the crash slot before it checks the
	 * new kernel, so the segment plan is built (and must succeed) even
	 * for the file syscall: it checks the crash region's room. */
	if (job.mode != KJ_SYSCALL_FILE || req->panic) {
		/* Only the segment plan reads the running system: a
		 * kexec_file_load alone never zeroes these ~73 KiB, which
		 * would be most of its anonymous memory. */
		s = calloc(1, sizeof(*s));
		if (!s) {
			r = kj_fail(err, ENOMEM, "out of memory");
			goto out;
		}
		r = read_system(req, f->initrd_in_place, s, &job.segments_err);
		if (r == 0)
			r = segment_cmdline(req, cmdline, &s->mm, &seg_cmdline,
					    &job.segments_err);
		if (seg_cmdline)
			in.cmdline = seg_cmdline;
		in.usable = s->usable;
		in.n_usable = s->n_usable;
		in.mm = &s->mm;
		in.sys = &s->sys;
		in.elfcore = s->elfcore;
		in.elfcore_len = s->elfcore_len;
		in.rng_seed = s->seed_len ? s->seed : NULL;
		in.rng_seed_len = s->seed_len;
		if (f->initrd_in_place) {
			in.initrd_in_place = s->sys.boot_initrd.start;
			in.initrd_len = s->sys.boot_initrd.end -
					s->sys.boot_initrd.start;
			snprintf(in_place, sizeof(in_place),
				 "the running kernel's, in place at 0x%" PRIx64,
				 in.initrd_in_place);
		}
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
		r = kj_files_initrd_fd(f, &file.initrd_fd, err);
		if (r < 0)
			goto out;
		file.cmdline = cmdline;
		job.file = &file;
	}
	if (in.initrd_in_place)
		job.initrds = retained_in_place;
	r = kj_mapguard_check(err);
	if (r == 0)
		r = kj_execute(&job, err);
out:
	if (file.kernel_fd >= 0 && file.kernel_fd != f->kernel_fd)
		close(file.kernel_fd);
	if (file.initrd_fd >= 0 && file.initrd_fd != f->initrd_fd)
		close(file.initrd_fd);
	kj_plan_free(&plan);
	free(seg_cmdline);
	free_system(s);
	return r;
}

int kj_load(const struct kj_load_request *req, FILE *out, struct kj_err *err)
{
	const struct kj_loader *loader;
	struct kj_files f;
	int r;

	r = kj_load_options_check(req, err);
	if (r < 0)
		return r;
	r = kj_files_open_kernel(&f, req, err);
	if (r < 0)
		return r;
	loader = choose_loader(req, &f, err);
	r = loader ? 0 : -err->code;
	if (r == 0)
		r = kj_files_open_rest(&f, req, err);
	if (r == 0 && f.initrd_wrapped && !(loader->takes & KJ_TAKES_INITRD)) {
		say(req, "%s: the UKI's initrd is not used: %s images take "
		    "none", req->kernel, loader->name);
		f.initrd = NULL;
		f.initrd_len = 0;
		f.initrd_wrapped = false;
	}
	if (r == 0)
		r = check_takes(loader, req, &f, err);
	if (r == 0)
		r = run(req, &f, loader, out, err);
	/* A file that shrank explains whatever failed while reading it. */
	if (r < 0)
		kj_mapguard_check(err);
	kj_files_close(&f);
	return r;
}
