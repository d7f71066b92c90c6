/* The arm64 purgatory as a segment of a plan (kj_arch_purgatory_add and
 * _fill): KJ_ARM64_PURG_MEMSZ bytes anywhere in usable RAM (it maps what
 * it needs itself), filled last. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arch/arch.h"
#include "arch/arm64/purgatory.h"
#include "arch/arm64/console_uart.h"

#define NAME "purgatory"

int kj_arch_purgatory_add(const struct kj_layout *l, struct kj_err *err)
{
	struct kj_place_req pr = {
		.what = "purgatory",
		.size = KJ_ARM64_PURG_MEMSZ,
		.align = KJ_ARM64_PURG_ALIGN,
		.why = "--mem-min/--mem-max",
	};
	const uint8_t *img;
	uint8_t *copy;
	uint64_t addr;
	size_t len;
	int r;

	if (l->plan->next.mode != KJ_MODE_ARM64_LINUX)
		return kj_fail(err, ENOTSUP,
			       NAME ": cannot enter a kernel in %s mode on "
				    "arm64",
			       kj_entry_mode_name(l->plan->next.mode));
	img = kj_arm64_purgatory_image(&len);
	copy = malloc(len);
	if (!copy)
		return kj_fail(err, ENOMEM, NAME ": out of memory");
	memcpy(copy, img, len);
	/* memsz covers its stack and page tables: zero-filled by kexec. */
	r = kj_layout_add(l, &pr, copy, len, true, &addr, err);
	if (r < 0)
		return r;
	l->plan->entry = addr + KJ_ARM64_PURG_ENTRY_OFFSET;
	return 0;
}

int kj_arch_purgatory_fill(struct kj_plan *plan,
			   const struct kj_purgatory_opts *o,
			   struct kj_err *err)
{
	struct kj_arm64_purg_seg segs[KJ_PLAN_MAX_SEGMENTS];
	size_t plan_index[KJ_PLAN_MAX_SEGMENTS];
	struct kj_arm64_purg_setup s = { 0 };
	int idx = kj_plan_find(plan, "purgatory");
	int dtb = kj_plan_find(plan, "dtb");
	const void *tree = dtb >= 0 ? plan->seg[dtb].buf : NULL;
	size_t tree_len = dtb >= 0 ? plan->seg[dtb].bufsz : 0;
	const char *how;
	struct kj_segment *p;
	const uint8_t *img;
	uint64_t uart = 0;
	uint8_t *blob;
	size_t n = 0, len;
	int r;

	if (idx < 0)
		return kj_fail(err, EINVAL, "plan: no purgatory segment");
	/* --console-serial: the UART named, or the next kernel's console.
	 * Without it, failures are still reported on the console when
	 * there is one to be found. */
	if (o->serial) {
		r = kj_arm64_console_uart(o->uart, tree, tree_len, &uart, &how,
					  err);
		if (r < 0)
			return r;
	} else if (kj_arm64_console_uart(NULL, tree, tree_len, &uart, &how,
					 NULL) < 0) {
		uart = 0;
	}
	for (size_t i = 0; i < plan->nseg; i++) {
		if ((int)i == idx)
			continue; /* it holds the table: cannot digest itself */
		segs[n] = (struct kj_arm64_purg_seg){ plan->seg[i].buf,
						      plan->seg[i].bufsz,
						      plan->seg[i].mem };
		plan_index[n++] = i;
	}
	s.entry = plan->next.pc;
	memcpy(s.x, plan->next.reg, sizeof(s.x));
	s.flags = (o->checks ? KJ_ARM64_PURG_VERIFY : 0) |
		  (o->serial ? KJ_ARM64_PURG_SERIAL : 0);
	s.digest_alg = o->checks;
	s.uart_base = uart;
	s.segs = segs;
	s.nsegs = n;
	img = kj_arm64_purgatory_image(&len);
	r = kj_arm64_purgatory_fill(img, len, &s, &blob, &len, err);
	if (r < 0)
		return r;
	if (o->checks) {
		struct kj_arm64_purg_params prm;

		/* What the filled block carries, for --dry-run. */
		memcpy(&prm, blob + KJ_ARM64_PURG_PARAMS_OFFSET, sizeof(prm));
		for (size_t i = 0; i < n; i++)
			kj_plan_set_digest(plan, plan_index[i], o->checks,
					   prm.segments[i].digest);
	}
	p = &plan->seg[idx];
	if (p->owned)
		free((void *)p->buf);
	p->buf = blob;
	p->bufsz = len;
	p->owned = true;
	plan->entry = p->mem + KJ_ARM64_PURG_ENTRY_OFFSET;
	return 0;
}
