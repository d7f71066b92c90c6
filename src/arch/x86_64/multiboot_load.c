#include "arch/x86_64/multiboot_load.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86_64/memmap.h"
#include "arch/x86_64/multiboot_plan.h"
#include "arch/x86_64/purgatory.h"
#include "arch/x86_64/plan_finish.h"
#include "image/image.h"
#include "image/unpack.h"

struct module {
	struct kj_image img;
	struct kj_unpacked u;
	bool open;
};

int kj_module_path(const char *spec, char *buf, size_t bufsz,
		   struct kj_err *err)
{
	size_t n = strcspn(spec, " \t");

	if (n == 0)
		return kj_fail(err, EINVAL, "--module '%s': no file name",
			       spec);
	if (n >= bufsz)
		return kj_fail(err, ENAMETOOLONG,
			       "--module: file name too long");
	memcpy(buf, spec, n);
	buf[n] = '\0';
	return 0;
}

static int open_modules(const struct kj_load_request *req, struct module *m,
			struct kj_x86_mb1_module *out, struct kj_err *err)
{
	char path[PATH_MAX];
	int r;

	for (size_t i = 0; i < req->n_modules; i++) {
		const struct kj_request_module *rm = &req->modules[i];

		/* kexec-tools style gives one "FILE ARGS" string; a boot
		 * entry may give the file on its own. */
		if (rm->path && rm->path != rm->cmdline)
			r = snprintf(path, sizeof(path), "%s", rm->path) <
					    (int)sizeof(path)
				    ? 0
				    : kj_fail(err, ENAMETOOLONG,
					      "--module: file name too long");
		else
			r = kj_module_path(rm->cmdline, path, sizeof(path),
					   err);
		if (r == 0)
			r = kj_image_open_at(
				&m[i].img, req->in_root ? req->root_dirfd : -1,
				path, err);
		if (r < 0)
			return r;
		m[i].open = true;
		r = kj_unpack(m[i].img.data, m[i].img.size, path,
			      !req->no_decompress, 0, &m[i].u, err);
		if (r < 0)
			return r;
		if (req->verbose && m[i].u.compression)
			fprintf(stderr,
				"kjump: module %zu: %s, %s-compressed, %zu "
				"bytes unpacked\n",
				i, path, m[i].u.compression, m[i].u.size);
		out[i].data = m[i].u.data;
		out[i].len = m[i].u.size;
		out[i].cmdline = rm->cmdline ? rm->cmdline : rm->path;
	}
	return 0;
}

static void close_modules(struct module *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		kj_unpacked_free(&m[i].u);
		if (m[i].open)
			kj_image_close(&m[i].img);
	}
}

int kj_x86_kexec_load_multiboot(const struct kj_load_request *req,
				const uint8_t *image, size_t image_len,
				const struct kj_mb1 *mb, const char *cmdline,
				FILE *out, struct kj_err *err)
{
	struct module m[KJ_MAX_REQ_MODULES] = { 0 };
	struct kj_x86_mb1_module mods[KJ_MAX_REQ_MODULES];
	struct kj_memmap *mm = calloc(1, sizeof(*mm));
	struct kj_x86_mb1_in in = { 0 };
	struct kj_plan plan;
	int rc;

	kj_plan_init(&plan);
	if (!mm)
		return kj_fail(err, ENOMEM, "memory map: out of memory");
	if (req->n_modules > KJ_MAX_REQ_MODULES) {
		free(mm);
		return kj_fail(err, E2BIG, "too many modules");
	}
	rc = open_modules(req, m, mods, err);
	if (rc == 0)
		rc = kj_memmap_read(mm, err);
	if (rc < 0)
		goto out;
	if (req->verbose) {
		fprintf(stderr, "kjump: memory map from %s, %zu entries\n",
			mm->source, mm->n);
		if (mb->video_ignored)
			fprintf(stderr,
				"kjump: %s asks for a video mode (flag 2): "
				"none is set, no video information passed\n",
				req->kernel);
	}
	in.req = req;
	in.image = image;
	in.image_len = image_len;
	in.mb = mb;
	in.cmdline = cmdline;
	in.mods = mods;
	in.nmods = req->n_modules;
	in.purgatory = kj_purgatory_x86_64_image(&in.purgatory_len);
	in.mm = mm;
	rc = kj_x86_mb1_plan(&in, &plan, err);
	if (rc < 0)
		goto out;
	rc = kj_x86_finish_plan(req, &plan, out, err);
out:
	kj_plan_free(&plan);
	close_modules(m, req->n_modules);
	free(mm);
	return rc;
}
