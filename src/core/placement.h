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
	const char *file;  /* the file its bytes come from, NULL = the
			      layout's (the kernel): errors start with it */
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

/* The one planner scaffold the loaders share: the plan being built,
 * where its segments may go and the user's --mem-min/--mem-max window,
 * so that "find a place, then add the segment" is one call. */
struct kj_layout {
	struct kj_plan *plan;
	const struct kj_range *ram; /* usable ranges, sorted */
	size_t nram;
	uint64_t mem_min, mem_max;  /* 0 = no limit; mem_max is the last byte */
	const char *name;           /* the kernel file, for messages */
};

/* kj_place() inside the user's window as well as pr's. */
int kj_layout_place(const struct kj_layout *l, const struct kj_place_req *pr,
		    uint64_t *addr, struct kj_err *err);

/* Place pr->size bytes and add them as segment pr->what holding buf (see
 * kj_plan_add for owned). *addr gets the address (may be NULL). */
int kj_layout_add(const struct kj_layout *l, const struct kj_place_req *pr,
		  const void *buf, size_t bufsz, bool owned, uint64_t *addr,
		  struct kj_err *err);

/* Is [addr, addr+size) free RAM inside the user's window? */
bool kj_layout_fits(const struct kj_layout *l, uint64_t addr, uint64_t size);

/* kj_plan_validate() against the layout's ranges and window. */
int kj_layout_validate(const struct kj_layout *l, struct kj_err *err);

#endif
