#include "arch/x86_64/purgatory_plan.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86_64/purgatory.h"
#include "arch/x86_64/purgatory_abi.h"
#include "core/segment_digest.h"

/* The digests the filled blob carries, as hex in the plan's segments. */
static void record_digests(struct kj_plan *plan, const uint8_t *blob,
			   const int *plan_index, size_t n)
{
	struct kj_purgatory_params p;
	size_t dlen;

	memcpy(&p, blob + KJ_PURGATORY_PARAMS_OFFSET, sizeof(p));
	dlen = kj_digest_len(p.digest_alg);
	plan->algorithm = kj_digest_name(p.digest_alg);
	for (size_t i = 0; i < plan->nseg; i++)
		plan->seg[i].digest[0] = '\0';
	for (size_t i = 0; i < n && plan->algorithm; i++)
		for (size_t j = 0; j < dlen; j++)
			snprintf(plan->seg[plan_index[i]].digest + 2 * j, 3,
				 "%02x", p.segments[i].digest[j]);
}

int kj_x86_plan_fill_purgatory(struct kj_plan *plan, uint32_t flags,
			       uint32_t digest_alg, uint16_t serial_port,
			       struct kj_err *err)
{
	struct kj_purgatory_seg segs[KJ_PLAN_MAX_SEGMENTS];
	struct kj_purgatory_setup setup = { 0 };
	int plan_index[KJ_PLAN_MAX_SEGMENTS];
	struct kj_segment *p;
	uint8_t *blob;
	size_t n = 0, len;
	int idx = kj_plan_find(plan, "purgatory"), r;

	if (idx < 0)
		return kj_fail(err, EINVAL, "plan: no purgatory segment");
	if (!plan->regs.valid)
		return kj_fail(err, EINVAL,
			       "plan: no entry for the purgatory to jump to");
	for (size_t i = 0; i < plan->nseg; i++) {
		if ((int)i == idx)
			continue; /* it holds the table: cannot digest itself */
		segs[n].buf = plan->seg[i].buf;
		segs[n].bufsz = plan->seg[i].bufsz;
		segs[n].mem = plan->seg[i].mem;
		plan_index[n++] = (int)i;
	}
	setup.entry_mode = plan->regs.mode;
	setup.entry = plan->regs.entry;
	setup.rsi = plan->regs.rsi;
	setup.eax = plan->regs.eax;
	setup.ebx = plan->regs.ebx;
	setup.flags = flags;
	setup.digest_alg = digest_alg;
	setup.serial_port = serial_port;
	setup.segs = segs;
	setup.nsegs = n;
	r = kj_purgatory_x86_64_prepare(&setup, &blob, &len, err);
	if (r < 0)
		return r;
	p = &plan->seg[idx];
	if (len > p->memsz) {
		free(blob);
		return kj_fail(err, EINVAL,
			       "purgatory: %zu bytes do not fit its %zu-byte slot",
			       len, p->memsz);
	}
	record_digests(plan, blob, plan_index, n);
	if (p->owned)
		free((void *)p->buf);
	p->buf = blob;
	p->bufsz = len;
	p->owned = true;
	plan->entry = p->mem + KJ_PURGATORY_ENTRY_OFFSET;
	return 0;
}

int kj_x86_purgatory_check(const uint8_t *blob, size_t len,
			   struct kj_err *err)
{
	if (!blob || len < KJ_PURGATORY_PARAMS_OFFSET +
				   sizeof(struct kj_purgatory_params))
		return kj_fail(err, EINVAL,
			       "purgatory: blob of %zu bytes has no parameter "
			       "block",
			       blob ? len : 0);
	return 0;
}

int kj_x86_plan_add_purgatory(struct kj_plan *plan, const uint8_t *blob,
			      size_t len, uint64_t addr, size_t memsz,
			      struct kj_err *err)
{
	uint8_t *copy;
	int r = kj_x86_purgatory_check(blob, len, err);

	if (r < 0)
		return r;
	copy = malloc(len);
	if (!copy)
		return kj_fail(err, ENOMEM, "purgatory: out of memory");
	memcpy(copy, blob, len);
	/* The plan owns the copy from here on, even if adding fails. */
	r = kj_plan_add(plan, "purgatory", copy, len, addr,
			memsz > len ? memsz : len, true, err);
	return r < 0 ? r : 0;
}
