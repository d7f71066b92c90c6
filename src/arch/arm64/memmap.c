/* arm64 usable memory from /proc/iomem; see memmap.h.
 *
 * The line format is the kernel's: two spaces of indent per nesting
 * level, "start-end : name", inclusive hex bounds. (x86_64/memmap.c parses
 * the same lines for its own rules; when core/ gains the shared iomem
 * reader this file keeps only the arm64 rule.) */
#include "arch/arm64/memmap.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_LEN 256

struct line {
	unsigned int depth;
	uint64_t start, end; /* end exclusive */
	char name[64];
};

static bool hex(const char **p, uint64_t *v)
{
	const char *s = *p;
	uint64_t x = 0;
	int n = 0;

	for (;; s++, n++) {
		unsigned int d;

		if (*s >= '0' && *s <= '9')
			d = (unsigned int)(*s - '0');
		else if (*s >= 'a' && *s <= 'f')
			d = (unsigned int)(*s - 'a' + 10);
		else if (*s >= 'A' && *s <= 'F')
			d = (unsigned int)(*s - 'A' + 10);
		else
			break;
		if (n == 16)
			return false;
		x = x << 4 | d;
	}
	*p = s;
	*v = x;
	return n > 0;
}

/* "  40210000-4158ffff : Kernel code" (len bytes, no newline). */
static bool parse_line(const char *s, size_t len, struct line *l)
{
	const char *end = s + len, *p = s;
	uint64_t a, b;
	size_t n;

	if (len >= LINE_MAX_LEN)
		return false;
	while (p < end && *p == ' ')
		p++;
	l->depth = (unsigned int)(p - s) / 2;
	if (!hex(&p, &a) || p >= end || *p++ != '-' || !hex(&p, &b))
		return false;
	if (end - p < 3 || memcmp(p, " : ", 3))
		return false;
	p += 3;
	n = (size_t)(end - p);
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\r'))
		n--;
	if (n >= sizeof(l->name))
		n = sizeof(l->name) - 1;
	memcpy(l->name, p, n);
	l->name[n] = '\0';
	if (b < a || b == UINT64_MAX)
		return false;
	l->start = a;
	l->end = b + 1;
	return true;
}

static int add(struct kj_range *r, size_t *n, size_t max, uint64_t start,
	       uint64_t end, const char *what, struct kj_err *err)
{
	size_t i;

	if (*n >= max)
		return kj_fail(err, E2BIG,
			       "/proc/iomem: more than %zu %s "
			       "ranges",
			       max, what);
	for (i = *n; i > 0 && r[i - 1].start > start; i--)
		r[i] = r[i - 1];
	r[i].start = start;
	r[i].end = end;
	(*n)++;
	return 0;
}

int kj_arm64_iomem_parse(const char *text, struct kj_arm64_iomem *m,
			 struct kj_err *err)
{
	bool nonzero = false, any = false;
	const char *s = text;
	int rc = 0;

	memset(m, 0, sizeof(*m));
	while (*s && !rc) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		struct line l;

		if (parse_line(s, len, &l)) {
			any = true;
			nonzero |= l.start || l.end > 1;
			if (l.depth == 0 && !strcmp(l.name, "System RAM"))
				rc = add(m->ram, &m->nram, KJ_ARM64_MAX_RAM,
					 l.start, l.end, "System RAM", err);
			else if (l.depth > 0 && !strcmp(l.name, "Crash kernel"))
				rc = add(m->crash, &m->ncrash,
					 KJ_ARM64_MAX_CRASH, l.start, l.end,
					 "Crash kernel", err);
			else if (l.depth > 0 && !strcmp(l.name, "reserved"))
				rc = add(m->reserved, &m->nreserved,
					 KJ_ARM64_MAX_RESERVED, l.start, l.end,
					 "reserved", err);
		}
		s = nl ? nl + 1 : s + len;
	}
	if (rc)
		return rc;
	if (any && !nonzero) {
		memset(m, 0, sizeof(*m));
		return kj_fail(err, EPERM,
			       "/proc/iomem: every address reads "
			       "as 0; only root sees the memory map");
	}
	if (!m->nram)
		return kj_fail(err, ENOENT, "/proc/iomem: no System RAM");
	return 0;
}

/* Append [start, end) minus every hole in holes[] (sorted by start). */
static size_t subtract(uint64_t start, uint64_t end,
		       const struct kj_range *const holes[], size_t nholes,
		       struct kj_range *out, size_t n, size_t max)
{
	for (size_t i = 0; i < nholes && start < end; i++) {
		const struct kj_range *h = holes[i];

		if (h->end <= start || h->start >= end)
			continue;
		if (h->start > start && n < max)
			out[n++] = (struct kj_range){ start, h->start };
		if (h->end > start)
			start = h->end;
	}
	if (start < end && n < max)
		out[n++] = (struct kj_range){ start, end };
	return n;
}

static int by_start(const void *a, const void *b)
{
	const struct kj_range *x = *(const struct kj_range *const *)a;
	const struct kj_range *y = *(const struct kj_range *const *)b;

	return x->start < y->start ? -1 : x->start > y->start;
}

size_t kj_arm64_usable(const struct kj_arm64_iomem *m, bool panic,
		       struct kj_range *out, size_t max)
{
	const struct kj_range
		*holes[KJ_ARM64_MAX_RESERVED + KJ_ARM64_MAX_CRASH];
	size_t n = 0, nh = 0;

	if (panic) {
		for (size_t i = 0; i < m->ncrash && n < max; i++)
			out[n++] = m->crash[i];
		return n;
	}
	for (size_t i = 0; i < m->nreserved; i++)
		holes[nh++] = &m->reserved[i];
	for (size_t i = 0; i < m->ncrash; i++)
		holes[nh++] = &m->crash[i];
	qsort(holes, nh, sizeof(holes[0]), by_start);
	for (size_t i = 0; i < m->nram; i++) {
		uint64_t start = m->ram[i].start;

		/* Overlapping RAM lines (never seen, but text is text). */
		if (n && start < out[n - 1].end)
			start = out[n - 1].end;
		if (start < m->ram[i].end)
			n = subtract(start, m->ram[i].end, holes, nh, out, n,
				     max);
	}
	return n;
}
