#include "core/chunk_plan.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/placement.h"

struct group {
	uint64_t start, end; /* page aligned */
	size_t first, last;  /* chunk indexes */
};

static uint64_t page_down(uint64_t v)
{
	return v & ~(KJ_PAGE_SIZE - 1);
}

static uint64_t page_up(uint64_t v)
{
	return (v + KJ_PAGE_SIZE - 1) & ~(KJ_PAGE_SIZE - 1);
}

static size_t make_groups(const struct kj_load_chunk *chunk, size_t n,
			  struct group *g)
{
	size_t ng = 0;

	for (size_t i = 0; i < n; i++) {
		uint64_t s = page_down(chunk[i].paddr);
		uint64_t e = page_up(chunk[i].paddr + chunk[i].memsz);

		if (ng && s < g[ng - 1].end) {
			if (e > g[ng - 1].end)
				g[ng - 1].end = e;
			g[ng - 1].last = i;
			continue;
		}
		g[ng].start = s;
		g[ng].end = e;
		g[ng].first = g[ng].last = i;
		ng++;
	}
	return ng;
}

/* Merge the two neighbours with the smallest gap until n <= budget. */
static size_t squeeze(struct group *g, size_t ng, size_t budget)
{
	while (ng > budget && ng > 1) {
		size_t best = 0;

		for (size_t i = 1; i + 1 < ng; i++)
			if (g[i + 1].start - g[i].end <
			    g[best + 1].start - g[best].end)
				best = i;
		g[best].end = g[best + 1].end;
		g[best].last = g[best + 1].last;
		memmove(&g[best + 1], &g[best + 2],
			(ng - best - 2) * sizeof(*g));
		ng--;
	}
	return ng;
}

static int add_group(struct kj_plan *plan, const uint8_t *image,
		     const struct kj_load_chunk *chunk, const struct group *g,
		     const char *what, struct kj_err *err)
{
	const struct kj_load_chunk *c = &chunk[g->first];
	size_t bufsz = 0;
	uint8_t *buf;
	int r;

	if (g->first == g->last && c->paddr == g->start) {
		r = kj_plan_add(plan, what,
				c->filesz ? image + c->offset : NULL, c->filesz,
				g->start, g->end - g->start, false, err);
		return r < 0 ? r : 0;
	}
	for (size_t i = g->first; i <= g->last; i++)
		if (chunk[i].filesz &&
		    chunk[i].paddr - g->start + chunk[i].filesz > bufsz)
			bufsz = chunk[i].paddr - g->start + chunk[i].filesz;
	buf = bufsz ? calloc(1, bufsz) : NULL;
	if (bufsz && !buf)
		return kj_fail(err, ENOMEM, "%s: out of memory", what);
	for (size_t i = g->first; i <= g->last; i++)
		if (chunk[i].filesz)
			memcpy(buf + (chunk[i].paddr - g->start),
			       image + chunk[i].offset, chunk[i].filesz);
	r = kj_plan_add(plan, what, buf, bufsz, g->start, g->end - g->start,
			buf != NULL, err);
	return r < 0 ? r : 0;
}

int kj_plan_add_chunks(struct kj_plan *plan, const uint8_t *image,
		       size_t image_len, const struct kj_load_chunk *chunk,
		       size_t n, size_t budget, const struct kj_range *ram,
		       size_t nram, const char *name, struct kj_err *err)
{
	struct group g[KJ_CHUNKS_MAX];
	size_t ng;
	int r;

	if (n == 0 || n > KJ_CHUNKS_MAX || budget == 0)
		return kj_fail(err, EINVAL, "%s: %zu chunks to place", name, n);
	for (size_t i = 0; i < n; i++) {
		if (chunk[i].offset > image_len ||
		    chunk[i].filesz > image_len - chunk[i].offset ||
		    chunk[i].memsz == 0 || chunk[i].filesz > chunk[i].memsz ||
		    chunk[i].paddr + chunk[i].memsz < chunk[i].paddr ||
		    chunk[i].paddr + chunk[i].memsz > UINT64_MAX - KJ_PAGE_SIZE)
			return kj_fail(
				err, EINVAL,
				"%s: load chunk %zu does not fit the image",
				name, i);
		if (i &&
		    chunk[i].paddr < chunk[i - 1].paddr + chunk[i - 1].memsz)
			return kj_fail(
				err, EINVAL,
				"%s: load chunks overlap or are unsorted",
				name);
	}
	ng = squeeze(g, make_groups(chunk, n, g), budget);
	if (ng > budget)
		return kj_fail(err, E2BIG, "%s: too many segments", name);
	for (size_t i = 0; i < ng; i++) {
		char what[32];

		if (!kj_place_fits(ram, nram, plan, g[i].start,
				   g[i].end - g[i].start))
			return kj_fail(err, EADDRNOTAVAIL,
				       "%s: must load at 0x%" PRIx64
				       "-0x%" PRIx64 ", which is not free RAM",
				       name, g[i].start, g[i].end - 1);
		if (i)
			snprintf(what, sizeof(what), "kernel.%zu", i);
		else
			snprintf(what, sizeof(what), "kernel");
		r = add_group(plan, image, chunk, &g[i], what, err);
		if (r < 0)
			return r;
	}
	return 0;
}
