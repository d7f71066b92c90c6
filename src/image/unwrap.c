#include "image/unwrap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/unpack.h"

#define NAME_MAX_LEN 512

enum kj_wrapper kj_wrapper_detect(const uint8_t *data, size_t size)
{
	/* zboot first: its decompressor is a PE image too. */
	if (kj_zboot_probe(data, size))
		return KJ_WRAP_ZBOOT;
	if (kj_uki_probe(data, size))
		return KJ_WRAP_UKI;
	return KJ_WRAP_NONE;
}

const char *kj_wrapper_name(enum kj_wrapper w)
{
	switch (w) {
	case KJ_WRAP_UKI:
		return "UKI";
	case KJ_WRAP_ZBOOT:
		return "zboot";
	default:
		return "none";
	}
}

void kj_unwrapped_free(struct kj_unwrapped *u)
{
	free(u->kernel_buf);
	free(u->initrd_buf);
	free(u->dtb_buf);
	free(u->cmdline);
	free(u->osrel);
	free(u->uname);
	free(u->profile_text);
	free(u->uki);
	memset(u, 0, sizeof(*u));
}

/* A section's bytes as they are in memory: a slice of the file, or a
 * copy when VirtualSize asks for zeros past the file's bytes. */
static int section_bytes(const uint8_t *data, const struct kj_pe_section *s,
			 const char *name, size_t max, const uint8_t **p,
			 size_t *len, uint8_t **buf, struct kj_err *err)
{
	*p = NULL;
	*len = 0;
	*buf = NULL;
	if (!s)
		return 0;
	if (s->vsize <= s->file_size) {
		*p = data + s->file_off;
		*len = s->vsize;
		return 0;
	}
	if (s->vsize > max)
		return kj_fail(err, EFBIG,
			       "%s: UKI section %s claims %u bytes in memory "
			       "(more than %zu)",
			       name, s->name, s->vsize, max);
	*buf = calloc(1, s->vsize);
	if (!*buf)
		return kj_fail(err, ENOMEM, "%s: out of memory for %s", name,
			       s->name);
	memcpy(*buf, data + s->file_off, s->file_size);
	*p = *buf;
	*len = s->vsize;
	return 0;
}

static size_t align4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

/* .ucode then .initrd, each padded to 4 bytes as systemd-stub does
 * (cpio archives must start 4-aligned). One alone is used in place. */
static int uki_initrd(const uint8_t *data, const struct kj_uki *uki,
		      const char *name, size_t max, struct kj_unwrapped *u,
		      struct kj_err *err)
{
	const uint8_t *up, *ip;
	size_t ulen, ilen, total;
	uint8_t *ubuf, *ibuf;
	int r;

	r = section_bytes(data, kj_uki_section(uki, KJ_UKI_UCODE), name, max,
			  &up, &ulen, &ubuf, err);
	if (r < 0)
		return r;
	r = section_bytes(data, kj_uki_section(uki, KJ_UKI_INITRD), name, max,
			  &ip, &ilen, &ibuf, err);
	if (r < 0) {
		free(ubuf);
		return r;
	}
	if (!ulen || !ilen) {
		u->initrd = ulen ? up : ip;
		u->initrd_len = ulen ? ulen : ilen;
		u->initrd_buf = ulen ? ubuf : ibuf;
		free(ulen ? ibuf : ubuf);
		return 0;
	}
	total = align4(ulen) + align4(ilen);
	if (total > max) {
		free(ubuf);
		free(ibuf);
		return kj_fail(err, EFBIG,
			       "%s: UKI .ucode and .initrd together exceed %zu "
			       "bytes",
			       name, max);
	}
	u->initrd_buf = calloc(1, total);
	if (!u->initrd_buf) {
		free(ubuf);
		free(ibuf);
		return kj_fail(err, ENOMEM, "%s: out of memory for the initrd",
			       name);
	}
	memcpy(u->initrd_buf, up, ulen);
	memcpy(u->initrd_buf + align4(ulen), ip, ilen);
	free(ubuf);
	free(ibuf);
	u->initrd = u->initrd_buf;
	u->initrd_len = total;
	return 0;
}

static int unwrap_zboot(const uint8_t *data, size_t size, const char *name,
			size_t max, struct kj_unwrapped *u, struct kj_err *err)
{
	int r = kj_zboot_parse(data, size, name, &u->zboot, err);

	if (r < 0)
		return r;
	u->zboot_in_len = size;
	r = kj_zboot_unpack(data, size, name, &u->zboot, max, &u->kernel_buf,
			    &u->kernel_len, err);
	if (r < 0)
		return r;
	u->kernel = u->kernel_buf;
	return 0;
}

static int unwrap_uki(const uint8_t *data, size_t size, const char *name,
		      const struct kj_unwrap_opts *o, size_t max,
		      struct kj_unwrapped *u, struct kj_err *err)
{
	struct kj_uki *uki = malloc(sizeof(*uki));
	char inner[NAME_MAX_LEN];
	int r;

	if (!uki)
		return kj_fail(err, ENOMEM, "%s: out of memory", name);
	u->uki = uki;
	r = kj_uki_parse(data, size, name, o ? o->uki_profile : 0, uki, err);
	if (r == 0)
		r = section_bytes(data, kj_uki_section(uki, KJ_UKI_LINUX), name,
				  max, &u->kernel, &u->kernel_len,
				  &u->kernel_buf, err);
	if (r == 0)
		r = uki_initrd(data, uki, name, max, u, err);
	if (r == 0)
		r = section_bytes(data, kj_uki_section(uki, KJ_UKI_DTB), name,
				  max, &u->dtb, &u->dtb_len, &u->dtb_buf, err);
	if (r == 0)
		r = kj_uki_text(uki, data, KJ_UKI_CMDLINE, &u->cmdline, err);
	if (r == 0)
		r = kj_uki_text(uki, data, KJ_UKI_OSREL, &u->osrel, err);
	if (r == 0)
		r = kj_uki_text(uki, data, KJ_UKI_UNAME, &u->uname, err);
	if (r == 0)
		r = kj_uki_text(uki, data, KJ_UKI_PROFILE, &u->profile_text,
				err);
	if (r < 0)
		return r;
	if (u->cmdline)
		kj_uki_mangle_cmdline(u->cmdline);
	/* arm64 UKIs may carry a zboot kernel: one more level, no more. */
	if (kj_zboot_probe(u->kernel, u->kernel_len)) {
		const uint8_t *outer = u->kernel;
		size_t outer_len = u->kernel_len;
		uint8_t *outer_buf = u->kernel_buf;

		snprintf(inner, sizeof(inner), "%s (.linux)", name);
		u->kernel_buf = NULL;
		r = unwrap_zboot(outer, outer_len, inner, max, u, err);
		free(outer_buf);
		if (r < 0)
			return r;
		u->inner_zboot = true;
	}
	return 0;
}

int kj_unwrap(const uint8_t *data, size_t size, const char *name,
	      const struct kj_unwrap_opts *opts, struct kj_unwrapped *u,
	      struct kj_err *err)
{
	size_t max = opts && opts->max ? opts->max : KJ_UNPACK_MAX;
	int r = 0;

	memset(u, 0, sizeof(*u));
	u->wrapper = kj_wrapper_detect(data, size);
	switch (u->wrapper) {
	case KJ_WRAP_ZBOOT:
		r = unwrap_zboot(data, size, name, max, u, err);
		break;
	case KJ_WRAP_UKI:
		r = unwrap_uki(data, size, name, opts, max, u, err);
		break;
	default:
		u->kernel = data;
		u->kernel_len = size;
	}
	if (r < 0)
		kj_unwrapped_free(u);
	return r;
}
