/* Placement: find where a new segment may go.
 *
 * Searches the usable ranges (System RAM, or the crash region for panic
 * loads) for a page-aligned hole that avoids every segment already in the
 * plan, inside a window [min, max], scanning from the top or the bottom. */
#ifndef KJ_CORE_PLACEMENT_H
#define KJ_CORE_PLACEMENT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "core/plan.h"

struct kj_place_req {
	const char *what;  /* "initrd": names the segment in errors */
	uint64_t size;     /* bytes; rounded up to a page */
	uint64_t align;    /* power of two; below a page means a page */
	uint64_t min;      /* first usable address */
	uint64_t max;      /* last usable byte (0x7fffffff), 0 = no limit */
	bool top_down;     /* highest fit instead of lowest */
	const char *why;   /* what set the window, for the error message,
			      e.g. "initrd_addr_max, --mem-min/--mem-max";
			      NULL = nothing to add */
};

/* Find a place; *addr receives the start. -ENOSPC with a message naming
 * the segment, its size and the window when nothing fits. */
int kj_place(const struct kj_range *ram, size_t nram,
	     const struct kj_plan *plan, const struct kj_place_req *req,
	     uint64_t *addr, struct kj_err *err);

/* Is [addr, addr+size) free: page aligned, inside one usable range and
 * clear of the plan's segments? For images with a fixed address. */
bool kj_place_fits(const struct kj_range *ram, size_t nram,
		   const struct kj_plan *plan, uint64_t addr, uint64_t size);

/* Narrow a window [*min, *max] by the user's --mem-min/--mem-max
 * (0 = no limit). Returns false if the result is empty. */
bool kj_place_clamp(uint64_t *min, uint64_t *max, uint64_t mem_min,
		    uint64_t mem_max);

#endif
