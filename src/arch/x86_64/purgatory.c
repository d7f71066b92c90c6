/* Fill the x86_64 purgatory's parameter block; see purgatory.h. */
#include "arch/x86_64/purgatory.h"

#include <errno.h>
#include <string.h>

#include "arch/purgatory_fill.h"
#include "core/segment_digest.h"

/* src/arch/x86_64/purgatory_blob.S */
extern const uint8_t kj_purgatory_x86_64_start[];
extern const uint8_t kj_purgatory_x86_64_end[];

#define NAME "purgatory"

const uint8_t *kj_purgatory_x86_64_image(size_t *len)
{
	*len = (size_t)(kj_purgatory_x86_64_end - kj_purgatory_x86_64_start);
	return kj_purgatory_x86_64_start;
}

static int check_setup(const struct kj_purgatory_setup *s,
		       struct kj_err *err)
{
	size_t i;

	if (s->entry_mode != KJ_ENTRY_LINUX64 &&
	    s->entry_mode != KJ_ENTRY_PM32 && s->entry_mode != KJ_ENTRY_REAL16)
		return kj_fail(err, EINVAL, NAME ": unknown entry mode %u",
			       s->entry_mode);
	if (s->entry_mode == KJ_ENTRY_REAL16 &&
	    (s->real16.flags &
	     ~(uint32_t)(KJ_RM_LEGACY_PIC | KJ_RM_LEGACY_TIMER)))
		return kj_fail(err, EINVAL,
			       NAME ": unknown real-mode flags 0x%x",
			       s->real16.flags);
	if (s->entry_mode == KJ_ENTRY_PM32 && s->entry > 0xffffffffu)
		return kj_fail(err, EINVAL,
			       NAME ": 32-bit entry 0x%llx is above 4 GiB",
			       (unsigned long long)s->entry);
	if (s->flags & ~(uint32_t)(KJ_PURG_VERIFY | KJ_PURG_SERIAL |
				    KJ_PURG_VGA | KJ_PURG_RESET_VGA |
				    KJ_PURG_JUMP_BACK))
		return kj_fail(err, EINVAL, NAME ": unknown flags 0x%x",
			       s->flags);
	if (!(s->flags & KJ_PURG_VERIFY))
		return 0;
	if (!kj_digest_len(s->digest_alg))
		return kj_fail(err, EINVAL,
			       NAME ": unknown digest algorithm %u",
			       s->digest_alg);
	if (s->nsegs > KJ_PURGATORY_MAX_SEGMENTS)
		return kj_fail(err, E2BIG,
			       NAME ": %zu segments to verify, at most %d",
			       s->nsegs, KJ_PURGATORY_MAX_SEGMENTS);
	for (i = 0; i < s->nsegs; i++)
		if (s->segs[i].bufsz && !s->segs[i].buf)
			return kj_fail(err, EINVAL,
				       NAME ": segment %zu has no buffer", i);
	return 0;
}

int kj_purgatory_x86_64_prepare(const struct kj_purgatory_setup *setup,
				uint8_t **blob, size_t *blob_len,
				struct kj_err *err)
{
	struct kj_purgatory_params p;
	const uint8_t *img;
	size_t len, i;
	long corrupt = -1;
	int rc;

	*blob = NULL;
	*blob_len = 0;
	img = kj_purgatory_x86_64_image(&len);
	if (len < KJ_PURGATORY_PARAMS_OFFSET + sizeof(p))
		return kj_fail(err, EINVAL, NAME ": embedded image too small "
			       "(%zu bytes)", len);
	memcpy(&p, img + KJ_PURGATORY_PARAMS_OFFSET, sizeof(p));
	if (p.magic != KJ_PURGATORY_MAGIC ||
	    p.version != KJ_PURGATORY_ABI_VERSION)
		return kj_fail(err, EINVAL, NAME ": embedded image has magic "
			       "0x%08x version %u, expected 0x%08x version %u",
			       p.magic, p.version, KJ_PURGATORY_MAGIC,
			       KJ_PURGATORY_ABI_VERSION);
	rc = check_setup(setup, err);
	if (rc)
		return rc;
	if (setup->flags & KJ_PURG_VERIFY) {
		rc = kj_purgatory_corrupt_index(setup->nsegs, &corrupt, err);
		if (rc)
			return rc;
	}

	p.entry_mode = setup->entry_mode;
	p.flags = setup->flags;
	p.entry = setup->entry;
	p.rsi = setup->rsi;
	p.eax = setup->eax;
	p.ebx = setup->ebx;
	p.esi = setup->esi;
	p.real16 = setup->real16;
	p.serial_port = setup->serial_port ? setup->serial_port : 0x3f8;
	p.serial_baud = setup->serial_baud ? setup->serial_baud : 115200;
	p.reserved0 = 0;
	memset(p.segments, 0, sizeof(p.segments));
	p.nsegments = 0;
	p.digest_alg = 0;
	if (setup->flags & KJ_PURG_VERIFY) {
		p.nsegments = (uint32_t)setup->nsegs;
		p.digest_alg = setup->digest_alg;
		for (i = 0; i < setup->nsegs; i++) {
			const struct kj_purgatory_seg *s = &setup->segs[i];
			struct kj_purgatory_segment *d = &p.segments[i];

			d->mem = s->mem;
			d->len = s->bufsz;
			kj_segment_digest(p.digest_alg, s->buf, s->bufsz,
					  d->digest);
			if ((long)i == corrupt)
				d->digest[0] ^= 0xff;
		}
	}

	return kj_purgatory_filled_copy(img, len, KJ_PURGATORY_PARAMS_OFFSET,
					&p, sizeof(p), NAME, blob, blob_len,
					err);
}
