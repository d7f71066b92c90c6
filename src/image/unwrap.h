/* Unwrapping: the kernel inside a wrapper, and what the wrapper carried.
 *
 * The load step calls kj_unwrap() on every kernel file (after plain
 * gzip/xz/zstd decompression, see unpack.h). A UKI gives its .linux and
 * brings an initrd (.ucode then .initrd, concatenated as systemd-stub
 * does), a command line, a device tree, os-release and uname text; an
 * EFI zboot image gives its decompressed payload. A UKI whose .linux is
 * itself a zboot image (arm64) is unwrapped twice. Anything else comes
 * back as it went in (wrapper KJ_WRAP_NONE). Nesting is capped. */
#ifndef KJ_IMAGE_UNWRAP_H
#define KJ_IMAGE_UNWRAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/err.h"
#include "image/uki.h"
#include "image/zboot.h"

enum kj_wrapper {
	KJ_WRAP_NONE,
	KJ_WRAP_UKI,
	KJ_WRAP_ZBOOT,
};

struct kj_unwrap_opts {
	unsigned int uki_profile; /* 0 = default */
	size_t max;		  /* decompressed bytes; 0 = KJ_UNPACK_MAX */
};

struct kj_unwrapped {
	enum kj_wrapper wrapper; /* the outermost one */
	bool inner_zboot;	 /* a UKI whose .linux is a zboot image */

	/* The kernel: a slice of the input or of kernel_buf. */
	const uint8_t *kernel;
	size_t kernel_len;

	/* What a UKI carried; NULL / 0 when it did not. */
	const uint8_t *initrd; /* .ucode + .initrd */
	size_t initrd_len;
	const uint8_t *dtb;
	size_t dtb_len;
	char *cmdline;	    /* mangled like systemd-stub; owned */
	char *osrel;	    /* owned */
	char *uname;	    /* owned */
	char *profile_text; /* the selected .profile section; owned */

	struct kj_uki *uki;    /* parsed UKI, for reports; owned */
	struct kj_zboot zboot; /* when wrapper or inner_zboot is zboot */
	size_t zboot_in_len;   /* bytes of the zboot image itself */

	/* owned storage behind the slices above */
	uint8_t *kernel_buf, *initrd_buf, *dtb_buf;
};

/* What wrapper, if any, data[0..size) is. */
enum kj_wrapper kj_wrapper_detect(const uint8_t *data, size_t size);
const char *kj_wrapper_name(enum kj_wrapper w); /* "none", "UKI", "zboot" */

/* Unwrap data[0..size), which must outlive u (slices point into it).
 * name is for messages. On failure u is left empty (free not needed). */
int kj_unwrap(const uint8_t *data, size_t size, const char *name,
	      const struct kj_unwrap_opts *opts, struct kj_unwrapped *u,
	      struct kj_err *err);
void kj_unwrapped_free(struct kj_unwrapped *u);

/* What kjump inspect shows for a wrapper: text lines ("key   value") or
 * one JSON object member list (no braces: "\"wrapper\":...,..."), so the
 * caller can put it into its own object. Nothing for KJ_WRAP_NONE. */
void kj_unwrapped_report(const struct kj_unwrapped *u, FILE *out, bool json);

#endif
