#include "load/files.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "image/initrd.h"
#include "image/mapguard.h"
#include "sys/sysroot.h"

#define CMDLINE_MAX 65536

static int root_fd(const struct kj_load_request *req)
{
	return req->in_root ? req->root_dirfd : -1;
}

/* The kernel inside a UKI or an EFI zboot image; anything else is its
 * own kernel. */
static int unwrap(struct kj_files *f, const struct kj_load_request *req,
		  struct kj_err *err)
{
	const struct kj_unwrap_opts o = { .uki_profile = req->uki_profile };
	const struct kj_unwrapped *w = &f->kernel_w;
	int r;

	r = kj_unwrap(f->kernel_u.data, f->kernel_u.size, req->kernel, &o,
		      &f->kernel_w, err);
	if (r < 0)
		return r;
	if (req->uki_profile && w->wrapper != KJ_WRAP_UKI) {
		kj_unwrapped_free(&f->kernel_w);
		return kj_fail(err, EINVAL,
			       "%s: --uki-profile %u: not a UKI", req->kernel,
			       req->uki_profile);
	}
	f->kernel = w->kernel;
	f->kernel_len = w->kernel_len;
	if (req->verbose && w->wrapper == KJ_WRAP_UKI)
		fprintf(stderr,
			"kjump: %s: UKI, profile %u of %u: .linux %zu bytes%s, "
			"initrd %zu bytes, .cmdline %s, .dtb %zu bytes\n",
			req->kernel, w->uki->profile, w->uki->nprofiles,
			w->kernel_len, w->inner_zboot ? " (zboot)" : "",
			w->initrd_len, w->cmdline ? "present" : "absent",
			w->dtb_len);
	else if (req->verbose && w->wrapper == KJ_WRAP_ZBOOT)
		fprintf(stderr,
			"kjump: %s: EFI zboot, %s payload, %zu bytes "
			"unpacked\n",
			req->kernel, w->zboot.comp, w->kernel_len);
	return 0;
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
	if (r == 0)
		r = unwrap(f, req, err);
	if (r < 0) {
		kj_mapguard_check(err); /* a shrunk file explains bad data */
		kj_unpacked_free(&f->kernel_u);
		kj_image_close(&f->kernel_img);
		return r;
	}
	if (req->verbose && f->kernel_u.compression)
		fprintf(stderr, "kjump: %s: %s-compressed, %zu bytes unpacked\n",
			req->kernel, f->kernel_u.compression, f->kernel_u.size);
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

/* --reuseinitrd: a copy of the initrd the running kernel retained (a
 * sysfs file cannot be mapped), after checking it was asked to retain
 * one, as kexec-tools does. Kernels that do not export it keep it only in
 * memory: then it is handed over in place (initrd_in_place). */
static int open_retained(struct kj_files *f, struct kj_err *err)
{
	char *cmdline, buf[65536];
	int in, memfd;
	ssize_t n;
	int r = kj_sys_read("/proc/cmdline", CMDLINE_MAX, &cmdline, NULL, err);

	if (r < 0)
		return r;
	r = strstr(cmdline, "retain_initrd") ? 0 : -1;
	free(cmdline);
	if (r < 0)
		return kj_fail(err, ENOENT,
			       "--reuseinitrd: the running kernel was not booted "
			       "with retain_initrd, so its initrd is gone");
	in = kj_sys_open(RETAINED_INITRD);
	if (in == -ENOENT) {
		f->initrd_in_place = true;
		return 0;
	}
	if (in < 0)
		return kj_fail(err, -in, "--reuseinitrd: " RETAINED_INITRD ": %s",
			       strerror(-in));
	memfd = memfd_create("kjump-initrd", MFD_CLOEXEC);
	if (memfd < 0) {
		r = kj_fail(err, errno, "--reuseinitrd: memfd: %s",
			    strerror(errno));
		close(in);
		return r;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(memfd, buf, (size_t)n) != n) {
			n = -1;
			break;
		}
	r = n < 0 ? kj_fail(err, errno, RETAINED_INITRD ": %s",
			    strerror(errno))
		  : 0;
	close(in);
	if (r < 0) {
		close(memfd);
		return r;
	}
	f->initrd_fd = memfd;
	return kj_map_fd(memfd, RETAINED_INITRD, &f->initrd, &f->initrd_len,
			 err);
}

int kj_files_open_rest(struct kj_files *f, const struct kj_load_request *req,
		       struct kj_err *err)
{
	int r;

	if (req->reuse_initrd) {
		r = open_retained(f, err);
		if (r < 0)
			return r;
	}

	if (req->n_modules > KJ_MAX_REQ_MODULES)
		return kj_fail(err, E2BIG, "at most %d modules",
			       KJ_MAX_REQ_MODULES);
	if (!req->n_initrds && f->kernel_w.initrd_len) {
		/* The UKI's own, unless --initrd replaces it. */
		f->initrd = f->kernel_w.initrd;
		f->initrd_len = f->kernel_w.initrd_len;
		f->initrd_wrapped = true;
		snprintf(f->initrd_name, sizeof(f->initrd_name), "%s (%s)",
			 req->kernel,
			 f->kernel_w.uki &&
					 kj_uki_section(f->kernel_w.uki,
							KJ_UKI_UCODE)
				 ? ".ucode + .initrd"
				 : ".initrd");
	} else if (req->n_initrds) {
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

	const struct kj_unpacked k = { .data = f->kernel,
				       .size = f->kernel_len };

	if (!f->kernel_u.compression && f->kernel_w.wrapper == KJ_WRAP_NONE) {
		*fd = f->kernel_fd;
		return 0;
	}
	/* The file syscall reads a file: what kjump unpacked or unwrapped
	 * goes through an anonymous one. */
	r = kj_unpacked_memfd(&k, name, err);
	if (r < 0)
		return r;
	*fd = r;
	return 0;
}

int kj_files_initrd_fd(const struct kj_files *f, int *fd, struct kj_err *err)
{
	const struct kj_unpacked i = { .data = f->initrd,
				       .size = f->initrd_len };
	int r;

	if (!f->initrd_wrapped) {
		*fd = f->initrd_fd;
		return 0;
	}
	r = kj_unpacked_memfd(&i, f->initrd_name, err);
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
	if (!f->initrd_wrapped)
		kj_unmap(f->initrd, f->initrd_len);
	if (f->initrd_fd >= 0)
		close(f->initrd_fd);
	kj_unwrapped_free(&f->kernel_w);
	kj_unpacked_free(&f->kernel_u);
	kj_image_close(&f->kernel_img);
	kj_image_close(&f->dtb_img);
	memset(f, 0, sizeof(*f));
	f->kernel_fd = f->initrd_fd = -1;
}
