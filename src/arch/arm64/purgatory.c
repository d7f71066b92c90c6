/* Fill the arm64 purgatory's parameter block; see purgatory.h. */
#include "arch/arm64/purgatory.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "arch/purgatory_fill.h"
#include "core/segment_digest.h"

#define NAME "arm64 purgatory"

/* The offsets entry.S reads. */
_Static_assert(offsetof(struct kj_arm64_purg_params, nsegments) ==
		       KJ_ARM64_PURG_P_NSEGMENTS,
	       "KJ_ARM64_PURG_P_NSEGMENTS");
_Static_assert(offsetof(struct kj_arm64_purg_params, segments) ==
		       KJ_ARM64_PURG_P_SEGMENTS,
	       "KJ_ARM64_PURG_P_SEGMENTS");
_Static_assert(sizeof(struct kj_arm64_purg_segment) == KJ_ARM64_PURG_SEG_SIZE,
	       "KJ_ARM64_PURG_SEG_SIZE");

#if defined(__aarch64__)
/* src/arch/arm64/purgatory_blob.S */
extern const uint8_t kj_purgatory_arm64_start[];
extern const uint8_t kj_purgatory_arm64_end[];

const uint8_t *kj_arm64_purgatory_image(size_t *len)
{
	*len = (size_t)(kj_purgatory_arm64_end - kj_purgatory_arm64_start);
	return kj_purgatory_arm64_start;
}
#endif

static int check_setup(const struct kj_arm64_purg_setup *s, struct kj_err *err)
{
	const uint32_t known = KJ_ARM64_PURG_VERIFY | KJ_ARM64_PURG_SERIAL |
			       KJ_ARM64_PURG_VERIFY_MMU_OFF;

	if (s->flags & ~known)
		return kj_fail(err, EINVAL, NAME ": unknown flags 0x%x",
			       s->flags);
	if ((s->flags & KJ_ARM64_PURG_VERIFY) && !kj_digest_len(s->digest_alg))
		return kj_fail(err, EINVAL,
			       NAME ": unknown digest algorithm %u",
			       s->digest_alg);
	if (!s->entry)
		return kj_fail(err, EINVAL, NAME ": no entry point");
	if ((s->flags & KJ_ARM64_PURG_SERIAL) && !s->uart_base)
		return kj_fail(err, EINVAL,
			       NAME ": serial progress asked for, but there "
				    "is no UART address");
	if (s->uart_base & 3)
		return kj_fail(err, EINVAL,
			       NAME ": UART address 0x%llx is not 4-byte "
				    "aligned",
			       (unsigned long long)s->uart_base);
	if (!(s->flags & KJ_ARM64_PURG_VERIFY))
		return 0;
	if (s->nsegs > KJ_ARM64_PURG_MAX_SEGMENTS)
		return kj_fail(err, E2BIG,
			       NAME ": %zu segments to verify, at most %d",
			       s->nsegs, KJ_ARM64_PURG_MAX_SEGMENTS);
	for (size_t i = 0; i < s->nsegs; i++) {
		if (s->segs[i].bufsz && !s->segs[i].buf)
			return kj_fail(err, EINVAL,
				       NAME ": segment %zu has no buffer", i);
		if (s->segs[i].mem + s->segs[i].bufsz < s->segs[i].mem)
			return kj_fail(err, EINVAL,
				       NAME ": segment %zu wraps the address "
					    "space",
				       i);
	}
	return 0;
}

int kj_arm64_purgatory_fill(const uint8_t *image, size_t len,
			    const struct kj_arm64_purg_setup *setup,
			    uint8_t **blob, size_t *blob_len,
			    struct kj_err *err)
{
	struct kj_arm64_purg_params p;
	long corrupt = -1;
	int rc;

	*blob = NULL;
	*blob_len = 0;
	if (!image || len < KJ_ARM64_PURG_PARAMS_OFFSET + sizeof(p) ||
	    len > KJ_ARM64_PURG_MEMSZ)
		return kj_fail(err, EINVAL,
			       NAME ": image of %zu bytes: not between %zu and "
				    "%d",
			       len, KJ_ARM64_PURG_PARAMS_OFFSET + sizeof(p),
			       KJ_ARM64_PURG_MEMSZ);
	memcpy(&p, image + KJ_ARM64_PURG_PARAMS_OFFSET, sizeof(p));
	if (p.magic != KJ_ARM64_PURG_MAGIC ||
	    p.version != KJ_ARM64_PURG_ABI_VERSION)
		return kj_fail(err, EINVAL,
			       NAME ": image has magic 0x%08x version %u, "
				    "expected 0x%08x version %u",
			       p.magic, p.version, KJ_ARM64_PURG_MAGIC,
			       KJ_ARM64_PURG_ABI_VERSION);
	rc = check_setup(setup, err);
	if (rc)
		return rc;
	if (setup->flags & KJ_ARM64_PURG_VERIFY) {
		rc = kj_purgatory_corrupt_index(setup->nsegs, &corrupt, err);
		if (rc)
			return rc;
	}

	p.flags = setup->flags;
	p.digest_alg = 0;
	p.entry = setup->entry;
	memcpy(p.x, setup->x, sizeof(p.x));
	p.uart_base = setup->uart_base;
	p.reserved = 0;
	memset(p.segments, 0, sizeof(p.segments));
	p.nsegments = 0;
	if (setup->flags & KJ_ARM64_PURG_VERIFY) {
		p.nsegments = (uint32_t)setup->nsegs;
		p.digest_alg = setup->digest_alg;
		for (size_t i = 0; i < setup->nsegs; i++) {
			const struct kj_arm64_purg_seg *s = &setup->segs[i];
			struct kj_arm64_purg_segment *d = &p.segments[i];

			d->mem = s->mem;
			d->len = s->bufsz;
			kj_segment_digest(p.digest_alg, s->buf, s->bufsz,
					  d->digest);
			if ((long)i == corrupt)
				d->digest[0] ^= 0xff;
		}
	}

	return kj_purgatory_filled_copy(image, len, KJ_ARM64_PURG_PARAMS_OFFSET,
					&p, sizeof(p), NAME, blob, blob_len,
					err);
}
