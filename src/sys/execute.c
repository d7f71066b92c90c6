#include "sys/execute.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "core/json.h"
#include "core/plan_print.h"
#include "core/safe_text.h"
#include "sys/kexec_errors.h"
#include "sys/kexec_exec.h"
#include "sys/kexec_file.h"
#include "sys/kexec_load.h"
#include "sys/status.h"
#include "sys/syscall_choice.h"

static const char *syscall_text(const struct kj_load_job *job)
{
	switch (job->mode) {
	case KJ_SYSCALL_FILE:
		return "kexec_file_load";
	case KJ_SYSCALL_LOAD:
		return "kexec_load";
	case KJ_SYSCALL_AUTO:
		break;
	}
	return job->segments ? "kexec_file_load, then kexec_load if the "
			       "kernel refuses the image"
			     : "kexec_file_load (no kexec_load fallback)";
}

static int finish(struct kj_load_job *job, struct kj_err *err)
{
	return job->finish ? job->finish(job->segments, job->finish_ctx, err)
			   : 0;
}

static void print_text(const struct kj_load_job *job)
{
	FILE *out = job->out;

	/* Paths and command lines may come from a disk: escaped. */
	fputs("kernel   ", out);
	kj_safe_fputs(out, job->name);
	fprintf(out, " (%s%s", job->format,
		job->describe && *job->describe ? ", " : "");
	kj_safe_fputs(out, job->describe);
	fputs(")\n", out);
	for (size_t i = 0; i < job->n_initrds; i++) {
		fputs("initrd   ", out);
		kj_safe_fputs(out, job->initrds[i]);
		fputc('\n', out);
	}
	if (job->file) {
		fputs("cmdline  ", out);
		kj_safe_fputs(out, job->file->cmdline);
		fputc('\n', out);
	}
	fprintf(out, "syscall  %s%s\n", syscall_text(job),
		job->panic ? " (crash kernel)" : "");
	if (job->mode == KJ_SYSCALL_AUTO && !job->segments &&
	    job->segments_err.msg[0])
		fprintf(out, "no kexec_load fallback: %s\n",
			job->segments_err.msg);
	if (job->segments) {
		kj_plan_print(job->segments, out);
		fputs("usable  ", out);
		for (size_t i = 0; i < job->n_usable; i++)
			fprintf(out, "%s0x%" PRIx64 "-0x%" PRIx64,
				i ? ", " : " ", job->usable[i].start,
				job->usable[i].end - 1);
		fputc('\n', out);
	}
	fprintf(out, "dry run: nothing loaded\n");
}

static void print_json(const struct kj_load_job *job)
{
	FILE *out = job->out;

	fputs("{\"kernel\":", out);
	kj_json_string(out, job->name);
	fputs(",\"format\":", out);
	kj_json_string(out, job->format);
	fputs(",\"syscall\":", out);
	kj_json_string(out, job->mode == KJ_SYSCALL_FILE   ? "kexec_file_load"
			    : job->mode == KJ_SYSCALL_LOAD ? "kexec_load"
							   : "auto");
	fputs(",\"initrds\":[", out);
	for (size_t i = 0; i < job->n_initrds; i++) {
		if (i)
			fputc(',', out);
		kj_json_string(out, job->initrds[i]);
	}
	fputs("],\"file\":", out);
	if (job->file) {
		fputs("{\"cmdline\":", out);
		kj_json_string(out, job->file->cmdline);
		fprintf(out, ",\"panic\":%s}", job->panic ? "true" : "false");
	} else {
		fputs("null", out);
	}
	if (job->mode == KJ_SYSCALL_AUTO && !job->segments) {
		fputs(",\"fallback_error\":", out);
		kj_json_string(out, job->segments_err.msg[0]
					    ? job->segments_err.msg
					    : NULL);
	}
	fputs(",\"plan\":", out);
	if (job->segments)
		kj_plan_print_json_object(job->segments, out);
	else
		fputs("null", out);
	fputs(",\"usable\":[", out);
	for (size_t i = 0; job->segments && i < job->n_usable; i++)
		fprintf(out, "%s{\"start\":%" PRIu64 ",\"end\":%" PRIu64 "}",
			i ? "," : "", job->usable[i].start, job->usable[i].end);
	fputs("]}\n", out);
}

static int dry_run(struct kj_load_job *job, struct kj_err *err)
{
	int r = job->segments ? finish(job, err) : 0;

	if (r < 0)
		return r;
	if (job->json)
		print_json(job);
	else
		print_text(job);
	return ferror(job->out) ? kj_fail(err, EIO, "cannot print the plan")
				: 0;
}

static int load_segments(struct kj_load_job *job, struct kj_err *err)
{
	int r = finish(job, err);

	if (r < 0)
		return r;
	if (job->verbose)
		kj_plan_print(job->segments, stderr);
	return kj_kexec_load_plan(job->segments, err);
}

int kj_execute(struct kj_load_job *job, struct kj_err *err)
{
	int r;

	if (job->dry_run)
		return dry_run(job, err);
	if (job->mode == KJ_SYSCALL_LOAD)
		return load_segments(job, err);
	if (job->verbose)
		fprintf(stderr,
			"kjump: %s: %s, %zu initrd file(s), command line %zu "
			"bytes, via kexec_file_load\n",
			job->name, job->format, job->n_initrds,
			strlen(job->file->cmdline));
	r = kj_kexec_file_load(job->file->kernel_fd, job->file->initrd_fd,
			       job->file->cmdline, job->panic,
			       job->file->flags, job->name, err);
	if (r == 0 || job->mode != KJ_SYSCALL_AUTO)
		return r;
	if (!kj_file_load_may_fall_back(err->code, kj_lockdown_mode())) {
		if (job->verbose)
			fprintf(stderr,
				"kjump: no kexec_load fallback after %s%s\n",
				strerror(err->code),
				err->code == EPERM ? " (lockdown or policy: "
						     "kexec_load would be "
						     "refused too)"
						   : "");
		return r;
	}
	if (!job->segments) {
		if (job->verbose)
			fprintf(stderr,
				"kjump: no kexec_load fallback: %s\n",
				job->segments_err.msg);
		return r;
	}
	if (job->verbose)
		fprintf(stderr,
			"kjump: kexec_file_load failed (%s); falling back to "
			"kexec_load%s\n",
			err->msg,
			kj_is_signature_errno(err->code)
				? " (lockdown is none: kexec_load checks no "
				  "signatures)"
				: "");
	kj_err_clear(err);
	return load_segments(job, err);
}

int kj_unload(bool panic, enum kj_syscall_mode mode, bool verbose,
	      bool dry_run, FILE *out, struct kj_err *err)
{
	const char *slot = panic ? "the crash kernel" : "the loaded kernel";
	int r;

	if (dry_run) {
		fprintf(out, "dry run: would unload %s (%s)\n", slot,
			mode == KJ_SYSCALL_LOAD
				? "kexec_load"
				: "kexec_file_load, kexec_load on kernels "
				  "without it");
		return 0;
	}
	r = mode == KJ_SYSCALL_LOAD ? -ENOSYS
				    : kj_kexec_file_unload(panic, err);
	if (r < 0 && kj_unload_may_fall_back(-r)) {
		if (verbose && mode != KJ_SYSCALL_LOAD)
			fprintf(stderr, "kjump: kexec_file_load unload: %s; "
				"using kexec_load\n", err->msg);
		kj_err_clear(err);
		r = kj_kexec_load_unload(panic, err);
	}
	if (r == 0 && verbose)
		fprintf(stderr, "kjump: unloaded %s\n", slot);
	return r;
}

static void say_exec(const struct kj_exec_job *job)
{
	fprintf(job->out, "dry run: would %s%s%sstart the loaded kernel\n",
		job->no_sync ? "" : "sync the filesystems, ",
		job->no_ifdown ? "" : "take the network interfaces down, ",
		job->no_sync && job->no_ifdown ? "" : "and ");
}

int kj_exec(const struct kj_exec_job *job, struct kj_err *err)
{
	struct kj_kexec_status st = { .loaded = job->just_loaded };

	/* reboot(KEXEC) with nothing loaded returns EINVAL, which says
	 * nothing useful, and shutdown(8) would reboot through the firmware:
	 * check first (kexec-tools: "Nothing has been loaded!"). */
	if (!job->just_loaded && kj_kexec_status_read(&st, err) < 0)
		return -err->code;
	if (!st.loaded)
		return kj_fail(err, ENOENT,
			       "no kernel is loaded: run `kjump load KERNEL` "
			       "(or kexec -l) first");
	if (job->shutdown) {
		if (job->dry_run) {
			fprintf(job->out, "dry run: would run %s -r now\n",
				kj_shutdown_path());
			return 0;
		}
		return kj_shutdown_reboot(err);
	}
	if (job->dry_run) {
		say_exec(job);
		return 0;
	}
	if (!job->no_ifdown)
		kj_ifdown_all();
	return kj_kexec_reboot(job->no_sync, err);
}

int kj_jump_back_helper(uint64_t entry, bool dry_run, FILE *out,
			struct kj_err *err)
{
	struct kj_kexec_status st;

	if (dry_run) {
		fprintf(out, "dry run: would load a jump-back image entering "
			"0x%" PRIx64 " (kexec_load, KEXEC_PRESERVE_CONTEXT)\n",
			entry);
		return 0;
	}
	/* As kexec-tools: in the original kernel this would replace the
	 * image it is about to jump to. */
	if (kj_kexec_status_read(&st, err) < 0)
		return -err->code;
	if (st.loaded)
		return kj_fail(err, EBUSY,
			       "--load-jump-back-helper: a kernel is loaded; "
			       "this belongs in the kernel started by "
			       "--load-preserve-context");
	return kj_kexec_load_jump_back(entry, err);
}
