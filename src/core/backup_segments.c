#include "core/backup_segments.h"

#include <errno.h>

static uint64_t up(uint64_t a)
{
	return (a + KJ_PAGE_SIZE - 1) & ~(KJ_PAGE_SIZE - 1);
}

static uint64_t down(uint64_t a)
{
	return a & ~(KJ_PAGE_SIZE - 1);
}

/* The lowest segment that ends after `at`, or NULL. */
static const struct kj_segment *next_seg(const struct kj_plan *plan, size_t n,
					 uint64_t at)
{
	const struct kj_segment *best = NULL;

	for (size_t i = 0; i < n; i++) {
		const struct kj_segment *s = &plan->seg[i];

		if (s->mem + s->memsz > at && (!best || s->mem < best->mem))
			best = s;
	}
	return best;
}

static int add_hole(struct kj_plan *plan, uint64_t start, uint64_t end,
		    struct kj_err *err)
{
	start = up(start);
	end = down(end);
	if (end <= start)
		return 0;
	if (plan->nseg >= KJ_PLAN_MAX_SEGMENTS)
		return kj_fail(err, E2BIG,
			       "--load-preserve-context: the memory up to "
			       "--mem-max needs more than %d segments; give a "
			       "smaller or simpler range",
			       KJ_PLAN_MAX_SEGMENTS);
	return kj_plan_add(plan, "backup", NULL, 0, start,
			   (size_t)(end - start), false, err);
}

int kj_plan_add_backup(struct kj_plan *plan, const struct kj_range *ram,
		       size_t nram, uint64_t min, uint64_t max,
		       struct kj_err *err)
{
	size_t nloaded = plan->nseg; /* holes are between these only */

	for (size_t i = 0; i < nram; i++) {
		uint64_t at = ram[i].start > min ? ram[i].start : min;
		uint64_t end = ram[i].end;
		int r;

		if (max < UINT64_MAX && end > max + 1)
			end = max + 1;
		while (at < end) {
			const struct kj_segment *s =
				next_seg(plan, nloaded, at);
			uint64_t stop = s && s->mem < end ? s->mem : end;

			if (stop > at) {
				r = add_hole(plan, at, stop, err);
				if (r < 0)
					return r;
			}
			if (!s || s->mem >= end)
				break;
			at = s->mem + s->memsz;
		}
	}
	return 0;
}
