/* The x86_64 purgatory as a segment of a plan (the arch interface's
 * kj_arch_purgatory_add/fill): placed below 2 GiB, as the kernel's own
 * loader places its purgatory, and filled last, when every other segment
 * is final. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arch/arch.h"
#include "arch/x86_64/purgatory.h"

#define NAME "purgatory"
#define MIB (1ull << 20)
#define PURGATORY_MAX 0x7fffffffull /* as the kernel's own loader does */

static int abi_mode(const struct kj_entry_regs *next, uint32_t *mode,
		    struct kj_err *err)
{
	switch (next->mode) {
	case KJ_MODE_X86_LINUX64:
		*mode = KJ_ENTRY_LINUX64;
		return 0;
	case KJ_MODE_X86_PM32:
		*mode = KJ_ENTRY_PM32;
		return 0;
	default:
		break;
	}
	return kj_fail(err, ENOTSUP,
		       NAME ": cannot enter a kernel in %s mode on x86_64",
		       kj_entry_mode_name(next->mode));
}

int kj_arch_purgatory_add(const struct kj_layout *l, struct kj_err *err)
{
	const struct kj_place_req pr = {
		.what = "purgatory",
		.align = KJ_PURGATORY_X86_64_ALIGN,
		.min = MIB,
		.max = PURGATORY_MAX,
		.top_down = true,
		.why = "purgatory stays below 2 GiB, --mem-min/--mem-max",
	};
	struct kj_place_req p = pr;
	const uint8_t *img;
	uint8_t *copy;
	uint32_t mode;
	uint64_t addr;
	size_t len;
	int r;

	r = abi_mode(&l->plan->next, &mode, err);
	if (r < 0)
		return r;
	img = kj_purgatory_x86_64_image(&len);
	if (len < KJ_PURGATORY_PARAMS_OFFSET + sizeof(struct kj_purgatory_params))
		return kj_fail(err, EINVAL,
			       NAME ": embedded image too small (%zu bytes)",
			       len);
	/* A private copy: filling the parameter block patches it. */
	copy = malloc(len);
	if (!copy)
		return kj_fail(err, ENOMEM, NAME ": out of memory");
	memcpy(copy, img, len);
	p.size = len;
	r = kj_layout_add(l, &p, copy, len, true, &addr, err);
	if (r < 0)
		return r;
	l->plan->entry = addr + KJ_PURGATORY_ENTRY_OFFSET;
	return 0;
}

int kj_arch_purgatory_fill(struct kj_plan *plan,
			   const struct kj_purgatory_opts *o,
			   struct kj_err *err)
{
	struct kj_purgatory_seg segs[KJ_PLAN_MAX_SEGMENTS];
	struct kj_purgatory_setup setup = { 0 };
	struct kj_segment *p;
	uint8_t *blob;
	size_t n = 0, len;
	int idx = kj_plan_find(plan, "purgatory"), r;

	if (idx < 0)
		return kj_fail(err, EINVAL, "plan: no purgatory segment");
	r = abi_mode(&plan->next, &setup.entry_mode, err);
	if (r < 0)
		return r;
	for (size_t i = 0; i < plan->nseg; i++) {
		if ((int)i == idx)
			continue; /* it holds the table: cannot digest itself */
		if (o->unverified && !strcmp(plan->seg[i].what, o->unverified))
			continue; /* the kernel rewrites it after the load */
		segs[n].buf = plan->seg[i].buf;
		segs[n].bufsz = plan->seg[i].bufsz;
		segs[n].mem = plan->seg[i].mem;
		n++;
	}
	setup.entry = plan->next.pc;
	setup.rsi = plan->next.reg[0];
	setup.eax = (uint32_t)plan->next.reg[0];
	setup.ebx = (uint32_t)plan->next.reg[1];
	setup.esi = (uint32_t)plan->next.reg[2];
	if (setup.entry_mode == KJ_ENTRY_LINUX64)
		setup.eax = setup.ebx = setup.esi = 0;
	else
		setup.rsi = 0;
	setup.flags = (o->verify ? KJ_PURG_VERIFY : 0) |
		      (o->serial ? KJ_PURG_SERIAL : 0) |
		      (o->console_vga ? KJ_PURG_VGA : 0) |
		      (o->reset_vga ? KJ_PURG_RESET_VGA : 0) |
		      (o->jump_back ? KJ_PURG_JUMP_BACK : 0);
	setup.serial_port = (uint16_t)o->serial;
	setup.serial_baud = o->serial_baud;
	setup.segs = segs;
	setup.nsegs = n;
	r = kj_purgatory_x86_64_prepare(&setup, &blob, &len, err);
	if (r < 0)
		return r;
	p = &plan->seg[idx];
	if (len > p->memsz) {
		free(blob);
		return kj_fail(err, EINVAL,
			       NAME ": %zu bytes do not fit its %zu-byte slot",
			       len, p->memsz);
	}
	if (p->owned)
		free((void *)p->buf);
	p->buf = blob;
	p->bufsz = len;
	p->owned = true;
	plan->entry = p->mem + KJ_PURGATORY_ENTRY_OFFSET;
	return 0;
}
