/* `kjump load` / `kexec -l`: turn a request into a loaded kernel.
 *
 * Everything that can be checked in user space is checked before the
 * syscall, so a bad file never replaces a kernel that is already loaded. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/cmdline.h"
#include "image/image.h"
#include "image/initrd.h"
#include "arch/x86_64/linux_load.h"
#include "loaders/bzimage.h"
#include "sys/kexec_file.h"

/* Options the parser accepts (kexec-tools has them) but this version
 * cannot honour: refuse by name rather than ignore. */
static int refuse_unsupported(const struct kj_cli *cli, struct kj_err *err)
{
	const struct kj_load_request *req = &cli->req;
	const char *opt = NULL;

	if (req->n_modules)
		opt = "--module";
	else if (req->dtb)
		opt = "--dtb";
	else if (req->mem_min && req->syscall != KJ_SYSCALL_LOAD)
		opt = "--mem-min without --syscall load";
	else if (req->mem_max && req->syscall != KJ_SYSCALL_LOAD)
		opt = "--mem-max without --syscall load";
	if (opt)
		return kj_fail(err, ENOTSUP, "%s is not supported yet", opt);
	if (req->type && strcasecmp(req->type, "bzImage") &&
	    strcasecmp(req->type, "bzImage64"))
		return kj_fail(err, ENOTSUP,
			       "--type %s is not supported yet (bzImage is)",
			       req->type);
	return 0;
}

static int build_cmdline(const struct kj_cli *cli, struct kj_cmdline *cl,
			 struct kj_err *err)
{
	int r;

	if (cli->reuse_cmdline) {
		r = kj_cmdline_reuse(cl, cli->req.panic, err);
		if (r < 0)
			return r;
	} else if (kj_cmdline_init(cl, "") < 0) {
		return kj_fail(err, ENOMEM, "out of memory");
	}
	if (kj_cmdline_append(cl, cli->append) < 0) {
		kj_cmdline_free(cl);
		return kj_fail(err, ENOMEM, "out of memory");
	}
	return 0;
}

static void print_dry_run(const struct kj_load_request *req,
			  const struct kj_bzimage *bz, const char *cmdline)
{
	printf("kernel   %s (bzImage, protocol %u.%02u%s%s)\n", req->kernel,
	       bz->version >> 8, bz->version & 0xff,
	       bz->kernel_version[0] ? ", " : "", bz->kernel_version);
	for (size_t i = 0; i < req->n_initrds; i++)
		printf("initrd   %s\n", req->initrds[i]);
	printf("cmdline  %s\n", cmdline);
	printf("syscall  kexec_file_load%s\n",
	       req->panic ? " (crash kernel)" : "");
	printf("dry run: nothing loaded\n");
}

int kj_cmd_load(const struct kj_cli *cli, struct kj_err *err)
{
	const struct kj_load_request *req = &cli->req;
	struct kj_cmdline cl = { 0 };
	struct kj_image img;
	struct kj_bzimage bz;
	enum kj_format fmt;
	int initrd_fd = -1, r;

	r = refuse_unsupported(cli, err);
	if (r < 0)
		return 1;
	r = kj_image_open_at(&img, req->in_root ? req->root_dirfd : -1,
			     req->kernel, err);
	if (r < 0)
		return 1;
	fmt = kj_format_detect(img.data, img.size);
	if (fmt != KJ_FORMAT_BZIMAGE) {
		kj_fail(err, ENOEXEC,
			"%s: %s image: this version loads x86 bzImage kernels",
			req->kernel,
			fmt == KJ_FORMAT_UNKNOWN ? "unrecognised" :
						   kj_format_name(fmt));
		goto out;
	}
	r = kj_bzimage_parse(img.data, img.size, req->kernel, &bz, err);
	/* kexec_load places fixed-address images too (memtest86+); its
	 * planner checks the entry point itself. */
	if (r == 0 && req->syscall != KJ_SYSCALL_LOAD)
		r = kj_bzimage_check_64bit_entry(&bz, req->kernel, err);
	if (r == 0)
		r = build_cmdline(cli, &cl, err);
	if (r == 0)
		r = kj_bzimage_check_cmdline(&bz, req->kernel, cl.len, err);
	if (r < 0)
		goto out;
	if (req->n_initrds) {
		initrd_fd = kj_initrd_open(req->in_root ? req->root_dirfd : -1,
					   req->initrds, req->n_initrds, err);
		if (initrd_fd < 0) {
			r = initrd_fd;
			goto out;
		}
	}
	if (req->syscall == KJ_SYSCALL_LOAD) {
		/* kexec_load: we lay out every segment ourselves. */
		r = kj_x86_kexec_load_bzimage(req, img.data, img.size, &bz,
					      initrd_fd, cl.text, stdout, err);
		goto out;
	}
	if (req->verbose)
		fprintf(stderr,
			"kjump: %s: bzImage %s, %zu initrd file(s), command "
			"line %zu bytes, via kexec_file_load\n",
			req->kernel, bz.kernel_version, req->n_initrds, cl.len);
	if (req->dry_run)
		print_dry_run(req, &bz, cl.text);
	else
		r = kj_kexec_file_load(img.fd, initrd_fd, cl.text, req->panic,
				       req->kernel, err);
out:
	if (initrd_fd >= 0)
		close(initrd_fd);
	kj_cmdline_free(&cl);
	kj_image_close(&img);
	return r < 0 || err->code ? 1 : 0;
}
