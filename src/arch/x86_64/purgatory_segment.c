/* The x86_64 purgatory as a segment of a plan (the arch interface's
 * kj_arch_purgatory_add/fill): placed below 2 GiB, as the kernel's own
 * loader places its purgatory (below 1 MiB when it enters real mode: it
 * runs from there), and filled last, when every other segment is
 * final. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arch/arch.h"
#include "arch/x86_64/purgatory.h"

#define NAME "purgatory"
#define MIB (1ull << 20)
#define PURGATORY_MAX 0x7fffffffull /* as the kernel's own loader does */
#define REAL16_MIN 0x1000ull  /* above the real-mode IVT and BIOS data */
#define REAL16_MAX 0xfffffull /* real mode reaches the first MiB */
#define REAL16_FLAGS (KJ_REAL16_LEGACY_PIC | KJ_REAL16_LEGACY_TIMER)

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
	case KJ_MODE_X86_REAL16:
		if ((next->reg[3] >> 32) & ~REAL16_FLAGS)
			return kj_fail(err, EINVAL,
				       NAME ": unknown real-mode flags 0x%llx",
				       (unsigned long long)(next->reg[3] >> 32));
		*mode = KJ_ENTRY_REAL16;
		return 0;
	default:
		break;
	}
	return kj_fail(err, ENOTSUP,
		       NAME ": cannot enter a kernel in %s mode on x86_64",
		       kj_entry_mode_name(next->mode));
}

static void real16_block(const struct kj_entry_regs *next,
			 struct kj_purgatory_real16 *r)
{
	uint64_t flags = next->reg[3] >> 32;

	memset(r, 0, sizeof(*r));
	r->cs = (uint16_t)(next->reg[0] >> 16);
	r->ip = (uint16_t)next->reg[0];
	r->ss = (uint16_t)(next->reg[1] >> 16);
	r->sp = (uint16_t)next->reg[1];
	r->ds = r->es = r->fs = r->gs = (uint16_t)next->reg[2];
	r->edx = (uint32_t)next->reg[3];
	r->flags = (flags & KJ_REAL16_LEGACY_PIC ? KJ_RM_LEGACY_PIC : 0) |
		   (flags & KJ_REAL16_LEGACY_TIMER ? KJ_RM_LEGACY_TIMER : 0);
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
	if (mode == KJ_ENTRY_REAL16) {
		p.min = REAL16_MIN;
		p.max = REAL16_MAX;
		p.why = "real-mode entry runs the purgatory below 1 MiB, "
			"--mem-min/--mem-max";
	}
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
	size_t plan_index[KJ_PLAN_MAX_SEGMENTS];
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
		plan_index[n++] = i;
	}
	setup.entry = plan->next.pc;
	if (setup.entry_mode == KJ_ENTRY_LINUX64) {
		setup.rsi = plan->next.reg[0];
	} else if (setup.entry_mode == KJ_ENTRY_PM32) {
		setup.eax = (uint32_t)plan->next.reg[0];
		setup.ebx = (uint32_t)plan->next.reg[1];
		setup.esi = (uint32_t)plan->next.reg[2];
	} else {
		real16_block(&plan->next, &setup.real16);
	}
	setup.flags = (o->checks ? KJ_PURG_VERIFY : 0) |
		      (o->serial ? KJ_PURG_SERIAL : 0) |
		      (o->console_vga ? KJ_PURG_VGA : 0) |
		      (o->reset_vga ? KJ_PURG_RESET_VGA : 0) |
		      (o->jump_back ? KJ_PURG_JUMP_BACK : 0);
	setup.digest_alg = o->checks;
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
	if (o->checks) {
		struct kj_purgatory_params prm;

		/* What the filled block carries, for --dry-run. */
		memcpy(&prm, blob + KJ_PURGATORY_PARAMS_OFFSET, sizeof(prm));
		for (size_t i = 0; i < n; i++)
			kj_plan_set_digest(plan, plan_index[i], o->checks,
					   prm.segments[i].digest);
	}
	if (p->owned)
		free((void *)p->buf);
	p->buf = blob;
	p->bufsz = len;
	p->owned = true;
	plan->entry = p->mem + KJ_PURGATORY_ENTRY_OFFSET;
	return 0;
}
