#include "core/placement.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#define PAGE_MASK (KJ_PAGE_SIZE - 1)

static uint64_t align_up(uint64_t v, uint64_t a)
{
	uint64_t r = v + (a - 1);

	return r < v ? UINT64_MAX & ~(a - 1) : r & ~(a - 1);
}

/* Of two segments in the way, the one that moves the candidate furthest. */
static bool further(const struct kj_segment *hit, const struct kj_segment *s,
		    bool top_down)
{
	if (!hit)
		return true;
	if (top_down)
		return s->mem < hit->mem;
	return s->mem + s->memsz > hit->mem + hit->memsz;
}

/* Lowest or highest aligned start in [lo, hi) for size bytes that avoids
 * every segment; recursion-free: each collision moves the candidate past
 * (bottom-up) or below (top-down) the segment it hit. */
static bool fit_in(const struct kj_plan *plan, uint64_t lo, uint64_t hi,
		   uint64_t size, uint64_t align, bool top_down, uint64_t *out)
{
	uint64_t cand;

	if (hi <= lo || hi - lo < size)
		return false;
	if (top_down)
		cand = (hi - size) & ~(align - 1);
	else
		cand = align_up(lo, align);
	/* Each step passes one segment, so nseg + 1 steps suffice. */
	for (size_t step = 0; step <= plan->nseg; step++) {
		const struct kj_segment *hit = NULL;

		if (cand < lo || cand > hi - size)
			return false;
		for (size_t i = 0; i < plan->nseg; i++) {
			const struct kj_segment *s = &plan->seg[i];

			if (cand < s->mem + s->memsz && s->mem < cand + size &&
			    further(hit, s, top_down))
				hit = s;
		}
		if (!hit) {
			*out = cand;
			return true;
		}
		if (top_down) {
			if (hit->mem < size)
				return false;
			cand = (hit->mem - size) & ~(align - 1);
		} else {
			cand = align_up(hit->mem + hit->memsz, align);
			if (cand == 0)
				return false;
		}
	}
	return false;
}

int kj_place(const struct kj_range *ram, size_t nram,
	     const struct kj_plan *plan, const struct kj_place_req *req,
	     uint64_t *addr, struct kj_err *err)
{
	uint64_t align = req->align < KJ_PAGE_SIZE ? KJ_PAGE_SIZE : req->align;
	uint64_t size = (req->size + PAGE_MASK) & ~PAGE_MASK;
	uint64_t wlo = req->min, whi = req->max ? req->max : UINT64_MAX;
	bool found = false;
	uint64_t best = 0;
	char sz[32], al[32];

	if (align & (align - 1))
		return kj_fail(err, EINVAL, "%s: alignment 0x%" PRIx64
			       " is not a power of two", req->what, req->align);
	if (size == 0 || size < req->size)
		return kj_fail(err, EINVAL, "%s: bad size", req->what);
	for (size_t i = 0; i < nram; i++) {
		/* Usable part of this range, as [lo, hi). */
		uint64_t lo = ram[i].start > wlo ? ram[i].start : wlo;
		uint64_t hi = ram[i].end;
		uint64_t cand;

		if (whi != UINT64_MAX && hi > whi + 1)
			hi = whi + 1;
		lo = align_up(lo, KJ_PAGE_SIZE);
		hi &= ~PAGE_MASK;
		if (!fit_in(plan, lo, hi, size, align, req->top_down, &cand))
			continue;
		if (!found || (req->top_down ? cand > best : cand < best))
			best = cand;
		found = true;
	}
	if (found) {
		*addr = best;
		return 0;
	}
	kj_size_str(size, sz, sizeof(sz));
	if (align > KJ_PAGE_SIZE) {
		kj_size_str(align, al, sizeof(al));
		return kj_fail(err, ENOSPC,
			       "%s: no room for %s aligned to %s in free RAM"
			       " between 0x%" PRIx64 " and 0x%" PRIx64 "%s%s%s",
			       req->what, sz, al, wlo, whi,
			       req->why ? " (" : "", req->why ? req->why : "",
			       req->why ? ")" : "");
	}
	return kj_fail(err, ENOSPC,
		       "%s: no room for %s in free RAM between 0x%" PRIx64
		       " and 0x%" PRIx64 "%s%s%s",
		       req->what, sz, wlo, whi, req->why ? " (" : "",
		       req->why ? req->why : "", req->why ? ")" : "");
}

bool kj_place_fits(const struct kj_range *ram, size_t nram,
		   const struct kj_plan *plan, uint64_t addr, uint64_t size)
{
	size = (size + PAGE_MASK) & ~PAGE_MASK;
	if (addr & PAGE_MASK || addr + size < addr)
		return false;
	if (kj_plan_overlaps(plan, addr, size))
		return false;
	for (size_t i = 0; i < nram; i++)
		if (addr >= ram[i].start && addr + size <= ram[i].end)
			return true;
	return false;
}

bool kj_place_clamp(uint64_t *min, uint64_t *max, uint64_t mem_min,
		    uint64_t mem_max)
{
	uint64_t hi = *max ? *max : UINT64_MAX;

	if (mem_min > *min)
		*min = mem_min;
	if (mem_max && mem_max < hi)
		hi = mem_max;
	*max = hi == UINT64_MAX ? 0 : hi;
	return *min <= hi;
}

int kj_layout_place(const struct kj_layout *l, const struct kj_place_req *pr,
		    uint64_t *addr, struct kj_err *err)
{
	const char *file = pr->file ? pr->file : l->name;
	struct kj_place_req r = *pr;
	struct kj_err why;
	int rc;

	if (!kj_place_clamp(&r.min, &r.max, l->mem_min, l->mem_max))
		return kj_fail(err, ENOSPC,
			       "%s: %s: --mem-min/--mem-max 0x%" PRIx64
			       "-0x%" PRIx64 " leave no room in 0x%" PRIx64
			       "-0x%" PRIx64,
			       file, pr->what, l->mem_min, l->mem_max, pr->min,
			       pr->max ? pr->max : UINT64_MAX);
	rc = kj_place(l->ram, l->nram, l->plan, &r, addr, &why);
	/* Every error names the file it is about, not only the segment. */
	if (rc < 0 && file)
		return kj_fail(err, -rc, "%s: %s", file, why.msg);
	if (rc < 0)
		return kj_fail(err, -rc, "%s", why.msg);
	return 0;
}

int kj_layout_add(const struct kj_layout *l, const struct kj_place_req *pr,
		  const void *buf, size_t bufsz, bool owned, uint64_t *addr,
		  struct kj_err *err)
{
	uint64_t at;
	int r = kj_layout_place(l, pr, &at, err);

	if (r < 0) {
		if (owned)
			free((void *)buf);
		return r;
	}
	r = kj_plan_add(l->plan, pr->what, buf, bufsz, at, pr->size, owned,
			err);
	if (r < 0)
		return r;
	if (addr)
		*addr = at;
	return 0;
}

bool kj_layout_fits(const struct kj_layout *l, uint64_t addr, uint64_t size)
{
	if (l->mem_min && addr < l->mem_min)
		return false;
	if (l->mem_max && addr + size - 1 > l->mem_max)
		return false;
	return kj_place_fits(l->ram, l->nram, l->plan, addr, size);
}

int kj_layout_validate(const struct kj_layout *l, struct kj_err *err)
{
	return kj_plan_validate(l->plan, l->ram, l->nram, l->mem_min,
				l->mem_max, err);
}
