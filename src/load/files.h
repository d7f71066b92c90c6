/* The files of one load, opened once: the kernel (mapped, unpacked,
 * then unwrapped: a UKI's .linux, an EFI zboot image's payload, so every
 * loader sees the kernel inside), the initrds (one fd, concatenated into
 * a memfd when there are several, and mapped; a UKI's .ucode + .initrd
 * when none is given), the modules (mapped, unpacked unless
 * --no-decompress). Paths are resolved inside the request's root when
 * it has one (a boot entry's filesystem). */
#ifndef KJ_LOAD_FILES_H
#define KJ_LOAD_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/request.h"
#include "image/image.h"
#include "image/unpack.h"
#include "image/unwrap.h"
#include "loaders/loader.h"

/* --reuseinitrd: where the running kernel keeps the initrd it was booted
 * with, when booted with retain_initrd. */
#define RETAINED_INITRD "/sys/firmware/initrd"

struct kj_files {
	struct kj_image kernel_img;
	struct kj_unpacked kernel_u;
	struct kj_unwrapped kernel_w; /* the wrapper's contents, if any */
	const uint8_t *kernel; /* what the loader reads */
	size_t kernel_len;
	int kernel_fd;         /* the file itself */
	int initrd_fd;         /* -1: none (or the UKI's, not in a file yet) */
	bool initrd_wrapped;   /* the initrd is the UKI's .ucode + .initrd */
	const uint8_t *initrd;
	size_t initrd_len;
	char initrd_name[256]; /* "a.img", or "a.img and 2 more" */
	/* --reuseinitrd without RETAINED_INITRD: the kernel kept its initrd
	 * in memory only (where its boot_params say) */
	bool initrd_in_place;
	struct kj_image mod_img[KJ_MAX_REQ_MODULES];
	struct kj_unpacked mod_u[KJ_MAX_REQ_MODULES];
	struct kj_module_in modules[KJ_MAX_REQ_MODULES];
	size_t n_modules;
	struct kj_image dtb_img; /* --dtb FILE, mapped as it is */
};

/* Open, map, unpack and unwrap the kernel (--uki-profile picks the UKI
 * profile). On failure nothing stays open. */
int kj_files_open_kernel(struct kj_files *f,
			 const struct kj_load_request *req, struct kj_err *err);

/* Open the initrds, the modules and the --dtb file; without --initrd,
 * a UKI\'s initrd. */
int kj_files_open_rest(struct kj_files *f, const struct kj_load_request *req,
		       struct kj_err *err);

/* An fd kexec_file_load can read the kernel from: the file itself, or a
 * memfd holding what kjump unpacked or unwrapped (caller closes it if
 * it differs from f->kernel_fd). */
int kj_files_kernel_fd(const struct kj_files *f, const char *name, int *fd,
		       struct kj_err *err);

/* The same for the initrd: f->initrd_fd, or a memfd of a UKI's (caller
 * closes it if it differs from f->initrd_fd); -1 when there is none. */
int kj_files_initrd_fd(const struct kj_files *f, int *fd, struct kj_err *err);

void kj_files_close(struct kj_files *f);

#endif
