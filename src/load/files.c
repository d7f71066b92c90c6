#include "load/files.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "image/initrd.h"
#include "image/mapguard.h"

static int root_fd(const struct kj_load_request *req)
{
	return req->in_root ? req->root_dirfd : -1;
}

int kj_files_open_kernel(struct kj_files *f,
			 const struct kj_load_request *req, struct kj_err *err)
{
	int r;

	memset(f, 0, sizeof(*f));
	f->kernel_fd = f->initrd_fd = -1;
	f->kernel_img.fd = f->dtb_img.fd = -1;
	for (size_t i = 0; i < KJ_MAX_REQ_MODULES; i++)
		f->mod_img[i].fd = -1;
	r = kj_image_open_at(&f->kernel_img, root_fd(req), req->kernel, err);
	if (r < 0)
		return r;
	r = kj_unpack(f->kernel_img.data, f->kernel_img.size, req->kernel, true,
		      0, &f->kernel_u, err);
	if (r < 0) {
		kj_mapguard_check(err); /* a shrunk file explains bad data */
		kj_image_close(&f->kernel_img);
		return r;
	}
	if (req->verbose && f->kernel_u.compression)
		fprintf(stderr, "kjump: %s: %s-compressed, %zu bytes unpacked\n",
			req->kernel, f->kernel_u.compression, f->kernel_u.size);
	f->kernel = f->kernel_u.data;
	f->kernel_len = f->kernel_u.size;
	f->kernel_fd = f->kernel_img.fd;
	return 0;
}

static int open_modules(struct kj_files *f, const struct kj_load_request *req,
			struct kj_err *err)
{
	for (size_t i = 0; i < req->n_modules; i++) {
		const struct kj_request_module *rm = &req->modules[i];
		int r = kj_image_open_at(&f->mod_img[i], root_fd(req), rm->path,
					 err);

		if (r < 0)
			return r;
		f->n_modules = i + 1;
		r = kj_unpack(f->mod_img[i].data, f->mod_img[i].size, rm->path,
			      !req->no_decompress, 0, &f->mod_u[i], err);
		if (r < 0)
			return r;
		if (req->verbose && f->mod_u[i].compression)
			fprintf(stderr,
				"kjump: module %zu: %s, %s-compressed, %zu "
				"bytes unpacked\n",
				i, rm->path, f->mod_u[i].compression,
				f->mod_u[i].size);
		f->modules[i].name = rm->path;
		f->modules[i].data = f->mod_u[i].data;
		f->modules[i].len = f->mod_u[i].size;
		f->modules[i].args = rm->args ? rm->args : "";
	}
	return 0;
}

int kj_files_open_rest(struct kj_files *f, const struct kj_load_request *req,
		       struct kj_err *err)
{
	int r;

	if (req->n_modules > KJ_MAX_REQ_MODULES)
		return kj_fail(err, E2BIG, "at most %d modules",
			       KJ_MAX_REQ_MODULES);
	if (req->n_initrds) {
		f->initrd_fd = kj_initrd_open(root_fd(req), req->initrds,
					      req->n_initrds, err);
		if (f->initrd_fd < 0)
			return f->initrd_fd;
		if (req->n_initrds == 1)
			snprintf(f->initrd_name, sizeof(f->initrd_name), "%s",
				 req->initrds[0]);
		else
			snprintf(f->initrd_name, sizeof(f->initrd_name),
				 "%s and %zu more", req->initrds[0],
				 req->n_initrds - 1);
		r = kj_map_fd(f->initrd_fd, f->initrd_name, &f->initrd,
			      &f->initrd_len, err);
		if (r < 0)
			return r;
	}
	r = open_modules(f, req, err);
	/* The tree's bytes are checked in full by the arch that edits it. */
	if (r == 0 && req->dtb)
		r = kj_image_open_at(&f->dtb_img, root_fd(req), req->dtb, err);
	return r;
}

int kj_files_kernel_fd(const struct kj_files *f, const char *name, int *fd,
		       struct kj_err *err)
{
	int r;

	if (!f->kernel_u.compression) {
		*fd = f->kernel_fd;
		return 0;
	}
	/* The file syscall reads a file: what kjump unpacked goes through
	 * an anonymous one. */
	r = kj_unpacked_memfd(&f->kernel_u, name, err);
	if (r < 0)
		return r;
	*fd = r;
	return 0;
}

void kj_files_close(struct kj_files *f)
{
	for (size_t i = 0; i < f->n_modules; i++) {
		kj_unpacked_free(&f->mod_u[i]);
		kj_image_close(&f->mod_img[i]);
	}
	kj_unmap(f->initrd, f->initrd_len);
	if (f->initrd_fd >= 0)
		close(f->initrd_fd);
	kj_unpacked_free(&f->kernel_u);
	kj_image_close(&f->kernel_img);
	kj_image_close(&f->dtb_img);
	memset(f, 0, sizeof(*f));
	f->kernel_fd = f->initrd_fd = -1;
}
