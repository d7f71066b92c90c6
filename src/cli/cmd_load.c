/* `kjump load` / `kexec -l`: turn a request into a loaded kernel.
 *
 * Everything that can be checked in user space is checked before the
 * syscall, so a bad file never replaces a kernel that is already loaded. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arch/x86_64/elf_load.h"
#include "arch/x86_64/linux_load.h"
#include "arch/x86_64/multiboot_load.h"
#include "cli/cli.h"
#include "core/cmdline.h"
#include "image/image.h"
#include "image/initrd.h"
#include "image/unpack.h"
#include "loaders/bzimage.h"
#include "loaders/multiboot1.h"
#include "sys/kexec_file.h"
#include "sys/syscall_choice.h"

/* --type spellings, kjump's and kexec-tools'. */
static int type_format(const char *type, enum kj_format *fmt,
		       struct kj_err *err)
{
	static const struct {
		const char *name;
		enum kj_format fmt;
	} types[] = {
		{ "bzImage", KJ_FORMAT_BZIMAGE },
		{ "bzImage64", KJ_FORMAT_BZIMAGE },
		{ "multiboot", KJ_FORMAT_MULTIBOOT1 },
		{ "multiboot1", KJ_FORMAT_MULTIBOOT1 },
		{ "multiboot-x86", KJ_FORMAT_MULTIBOOT1 },
		{ "elf", KJ_FORMAT_ELF },
		{ "elf-x86", KJ_FORMAT_ELF },
		{ "elf-x86_64", KJ_FORMAT_ELF },
		{ "elf32", KJ_FORMAT_ELF },
		{ "elf64", KJ_FORMAT_ELF },
	};

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcasecmp(type, types[i].name)) {
			*fmt = types[i].fmt;
			return 0;
		}
	return kj_fail(
		err, ENOTSUP,
		"--type %s is not supported (bzImage, multiboot, elf are)",
		type);
}

/* Options the parser accepts (kexec-tools has them) but this version
 * cannot honour: refuse by name rather than ignore. */
static int refuse_unsupported(const struct kj_cli *cli, enum kj_format fmt,
			      struct kj_err *err)
{
	const struct kj_load_request *req = &cli->req;
	const char *opt = NULL;

	if (req->n_modules && fmt != KJ_FORMAT_MULTIBOOT1)
		opt = "--module without a Multiboot kernel";
	else if (req->dtb)
		opt = "--dtb";
	/* Only kexec_load honours a placement window or runs our
	 * purgatory; auto picks it when these are given. */
	else if (req->mem_min && req->syscall == KJ_SYSCALL_FILE)
		opt = "--mem-min with kexec_file_load";
	else if (req->mem_max && req->syscall == KJ_SYSCALL_FILE)
		opt = "--mem-max with kexec_file_load";
	else if (req->console_serial && req->syscall == KJ_SYSCALL_FILE)
		opt = "--console-serial with kexec_file_load (the kernel's "
		      "own purgatory runs)";
	if (opt)
		return kj_fail(err, ENOTSUP, "%s is not supported", opt);
	if (req->syscall == KJ_SYSCALL_FILE && fmt != KJ_FORMAT_BZIMAGE)
		return kj_fail(err, ENOEXEC,
			       "%s: %s images need kexec_load (--syscall "
			       "load); kexec_file_load only takes bzImage",
			       req->kernel, kj_format_name(fmt));
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

/* "PATH ARGS": what Multiboot loaders (QEMU, GRUB Legacy, kexec-tools)
 * hand over; Xen and Fiwix skip the first word. */
static char *multiboot_cmdline(const char *path, const char *args)
{
	char *s;

	if (asprintf(&s, "%s%s%s", path, *args ? " " : "", args) < 0)
		return NULL;
	return s;
}

static int load_multiboot(const struct kj_cli *cli, const struct kj_cmdline *cl,
			  const struct kj_unpacked *u, struct kj_err *err)
{
	const struct kj_load_request *req = &cli->req;
	struct kj_mb1 *mb = malloc(sizeof(*mb));
	char *line = NULL;
	int r;

	if (!mb)
		return kj_fail(err, ENOMEM, "out of memory");
	r = kj_mb1_parse(u->data, u->size, req->kernel, mb, err);
	if (r == 0 && req->n_initrds)
		r = kj_fail(err, EINVAL,
			    "%s: Multiboot kernels take --module, not --initrd",
			    req->kernel);
	if (r == 0 && !(line = multiboot_cmdline(req->kernel, cl->text)))
		r = kj_fail(err, ENOMEM, "out of memory");
	if (r == 0 && req->verbose && req->syscall == KJ_SYSCALL_AUTO)
		fprintf(stderr,
			"kjump: %s: Multiboot image: straight to kexec_load "
			"(kexec_file_load only takes Linux)\n",
			req->kernel);
	if (r == 0)
		r = kj_x86_kexec_load_multiboot(req, u->data, u->size, mb, line,
						stdout, err);
	free(line);
	free(mb);
	return r;
}

/* Which syscall a bzImage takes. auto: kexec_load straight away when
 * the file syscall cannot take the image (no 64-bit entry, fixed
 * address) or a kexec_load-only option is given; else the file syscall
 * first (it works under lockdown), with kexec_load as the fallback. */
static enum kj_syscall_mode choose_syscall(const struct kj_load_request *req,
					   const struct kj_bzimage *bz,
					   struct kj_err *err)
{
	struct kj_err why = { 0 };

	if (req->syscall != KJ_SYSCALL_AUTO)
		return req->syscall;
	if (kj_bzimage_check_64bit_entry(bz, req->kernel, &why) < 0) {
		if (req->verbose)
			fprintf(stderr, "kjump: %s; using kexec_load\n",
				why.msg);
		return KJ_SYSCALL_LOAD;
	}
	if (req->mem_min || req->mem_max || req->console_serial) {
		if (req->verbose)
			fprintf(stderr,
				"kjump: --mem-min/--mem-max/--console-serial "
				"need kexec_load; using it\n");
		return KJ_SYSCALL_LOAD;
	}
	return KJ_SYSCALL_AUTO;
}

static int load_bzimage(const struct kj_cli *cli, struct kj_cmdline *cl,
			const struct kj_image *img, const struct kj_unpacked *u,
			struct kj_err *err)
{
	const struct kj_load_request *req = &cli->req;
	enum kj_syscall_mode mode;
	struct kj_bzimage bz;
	int initrd_fd = -1, kernel_fd = img->fd, r;

	r = kj_bzimage_parse(u->data, u->size, req->kernel, &bz, err);
	if (r < 0)
		return r;
	mode = choose_syscall(req, &bz, err);
	/* kexec_load places fixed-address images too (memtest86+); its
	 * planner checks the entry point itself. */
	if (mode == KJ_SYSCALL_FILE)
		r = kj_bzimage_check_64bit_entry(&bz, req->kernel, err);
	if (r == 0)
		r = kj_bzimage_check_cmdline(&bz, req->kernel, cl->len, err);
	if (r < 0)
		return r;
	if (req->n_initrds) {
		initrd_fd = kj_initrd_open(req->in_root ? req->root_dirfd : -1,
					   req->initrds, req->n_initrds, err);
		if (initrd_fd < 0)
			return initrd_fd;
	}
	if (mode == KJ_SYSCALL_LOAD) {
		/* kexec_load: we lay out every segment ourselves. */
		r = kj_x86_kexec_load_bzimage(req, u->data, u->size, &bz,
					      initrd_fd, cl->text, stdout, err);
		goto out;
	}
	if (req->verbose)
		fprintf(stderr,
			"kjump: %s: bzImage %s, %zu initrd file(s), command "
			"line %zu bytes, via kexec_file_load\n",
			req->kernel, bz.kernel_version, req->n_initrds,
			cl->len);
	if (req->dry_run) {
		print_dry_run(req, &bz, cl->text);
		goto out;
	}
	/* The file syscall reads a file: a decompressed image goes
	 * through an anonymous one. */
	if (u->compression) {
		kernel_fd = kj_unpacked_memfd(u, req->kernel, err);
		if (kernel_fd < 0) {
			r = kernel_fd;
			goto out;
		}
	}
	r = kj_kexec_file_load(kernel_fd, initrd_fd, cl->text, req->panic,
			       req->kernel, err);
	if (kernel_fd != img->fd)
		close(kernel_fd);
	if (r < 0 && mode == KJ_SYSCALL_AUTO &&
	    kj_file_load_may_fall_back(err->code)) {
		if (req->verbose)
			fprintf(stderr,
				"kjump: kexec_file_load failed (%s); falling "
				"back to kexec_load\n",
				err->msg);
		kj_err_clear(err);
		r = kj_x86_kexec_load_bzimage(req, u->data, u->size, &bz,
					      initrd_fd, cl->text, stdout, err);
	}
out:
	if (initrd_fd >= 0)
		close(initrd_fd);
	return r;
}

static int load_elf(const struct kj_cli *cli, const struct kj_cmdline *cl,
		    const struct kj_unpacked *u, struct kj_err *err)
{
	const struct kj_load_request *req = &cli->req;
	int initrd_fd = -1, r;

	if (req->n_initrds) {
		initrd_fd = kj_initrd_open(req->in_root ? req->root_dirfd : -1,
					   req->initrds, req->n_initrds, err);
		if (initrd_fd < 0)
			return initrd_fd;
	}
	r = kj_x86_kexec_load_elf(req, u->data, u->size, initrd_fd, cl->text,
				  stdout, err);
	if (initrd_fd >= 0)
		close(initrd_fd);
	return r;
}

int kj_cmd_load(const struct kj_cli *cli, struct kj_err *err)
{
	const struct kj_load_request *req = &cli->req;
	struct kj_cmdline cl = { 0 };
	struct kj_unpacked u = { 0 };
	struct kj_image img;
	enum kj_format fmt;
	int r;

	r = kj_image_open_at(&img, req->in_root ? req->root_dirfd : -1,
			     req->kernel, err);
	if (r < 0)
		return 1;
	r = kj_unpack(img.data, img.size, req->kernel, true, 0, &u, err);
	if (r < 0)
		goto out;
	if (req->verbose && u.compression)
		fprintf(stderr,
			"kjump: %s: %s-compressed, %zu bytes unpacked\n",
			req->kernel, u.compression, u.size);
	fmt = kj_format_detect(u.data, u.size);
	if (req->type)
		r = type_format(req->type, &fmt, err);
	if (r == 0)
		r = refuse_unsupported(cli, fmt, err);
	if (r == 0)
		r = build_cmdline(cli, &cl, err);
	if (r < 0)
		goto out;
	switch (fmt) {
	case KJ_FORMAT_BZIMAGE:
		r = load_bzimage(cli, &cl, &img, &u, err);
		break;
	case KJ_FORMAT_MULTIBOOT1:
		r = load_multiboot(cli, &cl, &u, err);
		break;
	case KJ_FORMAT_ELF:
		r = load_elf(cli, &cl, &u, err);
		break;
	default:
		r = kj_fail(err, ENOEXEC,
			    "%s: %s image: kjump loads bzImage, Multiboot and "
			    "ELF kernels",
			    req->kernel,
			    fmt == KJ_FORMAT_UNKNOWN ? "unrecognised"
						     : kj_format_name(fmt));
	}
out:
	kj_cmdline_free(&cl);
	kj_unpacked_free(&u);
	kj_image_close(&img);
	return r < 0 || err->code ? 1 : 0;
}
