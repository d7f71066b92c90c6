#include "core/memmap.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	enum kj_mem_type type;
} type_names[] = {
	{ "System RAM", KJ_MEM_RAM },
	{ "Reserved", KJ_MEM_RESERVED },
	{ "reserved", KJ_MEM_RESERVED },
	{ "ACPI Tables", KJ_MEM_ACPI },
	{ "ACPI Non-volatile Storage", KJ_MEM_NVS },
	{ "Unusable memory", KJ_MEM_UNUSABLE },
	{ "Persistent Memory", KJ_MEM_PMEM },
	{ "Persistent Memory (legacy)", KJ_MEM_PRAM },
	{ "Soft Reserved", KJ_MEM_SOFT_RESERVED },
};

enum kj_mem_type kj_memmap_type(const char *name)
{
	for (size_t i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
		if (!strcmp(name, type_names[i].name))
			return type_names[i].type;
	return 0;
}

const char *kj_memmap_type_name(enum kj_mem_type type)
{
	for (size_t i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
		if (type_names[i].type == type)
			return type_names[i].name;
	return "Reserved";
}

uint32_t kj_memmap_firmware_type(enum kj_mem_type type)
{
	switch (type) {
	case KJ_MEM_RAM:
		return 1;
	case KJ_MEM_ACPI:
		return 3;
	case KJ_MEM_NVS:
		return 4;
	case KJ_MEM_UNUSABLE:
		return 5;
	case KJ_MEM_PMEM:
		return 7;
	case KJ_MEM_PRAM:
		return 12;
	case KJ_MEM_SOFT_RESERVED:
		return 0xefffffffu;
	default:
		return 2;
	}
}

int kj_memmap_add(struct kj_memmap *mm, uint64_t start, uint64_t end,
		  enum kj_mem_type type, struct kj_err *err)
{
	size_t i;

	if (end <= start)
		return kj_fail(err, EINVAL,
			       "memory map: empty range 0x%" PRIx64 "-0x%" PRIx64,
			       start, end);
	if (mm->n >= KJ_MEMMAP_MAX)
		return kj_fail(err, E2BIG, "memory map: more than %d entries",
			       KJ_MEMMAP_MAX);
	/* Insertion keeps it sorted; maps are short and nearly sorted. */
	for (i = mm->n; i > 0 && mm->e[i - 1].start > start; i--)
		mm->e[i] = mm->e[i - 1];
	mm->e[i].start = start;
	mm->e[i].end = end;
	mm->e[i].type = type;
	mm->n++;
	return 0;
}

/* One /proc/iomem line: "  00100000-7ffdffff : System RAM". */
static int parse_iomem_line(const char *line, size_t len, unsigned *depth,
			    uint64_t *start, uint64_t *end, char *name,
			    size_t namesz)
{
	char buf[256];
	const char *p;
	char *e;
	size_t n;

	if (len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, line, len);
	buf[len] = '\0';
	for (p = buf; *p == ' '; p++)
		;
	*depth = (unsigned)(p - buf) / 2;
	if (!isxdigit((unsigned char)*p))
		return -EINVAL;
	errno = 0;
	*start = strtoull(p, &e, 16);
	if (errno || *e != '-' || !isxdigit((unsigned char)e[1]))
		return -EINVAL;
	p = e + 1;
	*end = strtoull(p, &e, 16);
	if (errno || strncmp(e, " : ", 3))
		return -EINVAL;
	p = e + 3;
	n = strlen(p);
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\r'))
		n--;
	if (n >= namesz)
		n = namesz - 1;
	memcpy(name, p, n);
	name[n] = '\0';
	return 0;
}

/* Inside System RAM the running kernel's own image is not a hole: a new
 * kernel may be loaded over it (it is copied there at exec). */
static bool is_hole(const char *name)
{
	return strcmp(name, "System RAM") && strcmp(name, "Crash kernel") &&
	       strncmp(name, "Kernel ", 7);
}

static int add_range(struct kj_range *v, size_t *n, size_t max,
		     uint64_t start, uint64_t end, const char *what,
		     struct kj_err *err)
{
	if (*n >= max)
		return kj_fail(err, E2BIG, "/proc/iomem: more than %zu %s",
			       max, what);
	v[*n].start = start;
	v[*n].end = end;
	(*n)++;
	return 0;
}

int kj_memmap_parse_iomem(struct kj_memmap *mm, const char *text,
			  bool want_map, struct kj_err *err)
{
	const char *line = text;
	size_t lines = 0, lineno = 0;
	bool nonzero = false;
	int r = 0;

	while (*line && r == 0) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		uint64_t start, end;
		unsigned depth;
		char name[128];

		lineno++;
		if (!len)
			goto next;
		if (parse_iomem_line(line, len, &depth, &start, &end, name,
				     sizeof(name)) < 0)
			return kj_fail(err, EINVAL,
				       "/proc/iomem: line %zu is not "
				       "\"start-end : name\"",
				       lineno);
		lines++;
		if (start || end)
			nonzero = true;
		/* Inclusive ends; a wrapped range holds nothing. */
		if (end < start || end == UINT64_MAX)
			goto next;
		if (!strcmp(name, "Crash kernel"))
			r = add_range(mm->crash, &mm->ncrash,
				      KJ_MEMMAP_MAX_CRASH, start, end + 1,
				      "crash kernel regions", err);
		else if (is_hole(name))
			r = add_range(mm->reserved, &mm->nreserved,
				      KJ_MEMMAP_MAX_RESERVED, start, end + 1,
				      "reserved ranges", err);
		if (r == 0 && want_map && depth == 0 && kj_memmap_type(name) &&
		    kj_memmap_add(mm, start, end + 1, kj_memmap_type(name),
				  NULL) < 0)
			r = kj_fail(err, E2BIG,
				    "/proc/iomem: more than %d memory map entries",
				    KJ_MEMMAP_MAX);
next:
		if (!nl)
			break;
		line = nl + 1;
	}
	if (r < 0)
		return r;
	if (lines && !nonzero) {
		mm->iomem_zeroed = true;
		mm->ncrash = 0;
		mm->nreserved = 0;
		return kj_fail(err, EPERM,
			       "/proc/iomem: every address reads as 0; only root sees the memory map");
	}
	return 0;
}

static int cmp_range(const void *a, const void *b)
{
	const struct kj_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* v[0..n) (sorted, disjoint) minus cut; returns the new count. A split
 * that finds no room keeps the lower piece: less room, never overlap. */
static size_t subtract(struct kj_range *v, size_t n, size_t max,
		       struct kj_range cut)
{
	for (size_t i = 0; i < n; i++) {
		struct kj_range r = v[i];

		if (cut.end <= r.start || cut.start >= r.end)
			continue;
		if (cut.start > r.start && cut.end < r.end) {
			v[i].end = cut.start;
			if (n >= max)
				continue;
			memmove(&v[i + 2], &v[i + 1], (n - i - 1) * sizeof(*v));
			v[i + 1].start = cut.end;
			v[i + 1].end = r.end;
			n++;
			i++;
		} else if (cut.start > r.start) {
			v[i].end = cut.start;
		} else if (cut.end < r.end) {
			v[i].start = cut.end;
		} else {
			memmove(&v[i], &v[i + 1], (n - i - 1) * sizeof(*v));
			n--;
			i--;
		}
	}
	return n;
}

size_t kj_memmap_usable(const struct kj_memmap *mm, bool panic,
			struct kj_range *out, size_t max)
{
	size_t n = 0;

	if (panic) {
		for (size_t i = 0; i < mm->ncrash && n < max; i++)
			out[n++] = mm->crash[i];
		qsort(out, n, sizeof(*out), cmp_range);
		/* Text can repeat or overlap regions: never hand out the
		 * same memory twice. */
		for (size_t i = 1; i < n; i++)
			if (out[i].start <= out[i - 1].end) {
				if (out[i].end > out[i - 1].end)
					out[i - 1].end = out[i].end;
				memmove(&out[i], &out[i + 1],
					(n - i - 1) * sizeof(*out));
				n--;
				i--;
			}
	} else {
		for (size_t i = 0; i < mm->n; i++) {
			const struct kj_memmap_entry *e = &mm->e[i];

			if (e->type != KJ_MEM_RAM)
				continue;
			if (n && out[n - 1].end >= e->start) {
				if (e->end > out[n - 1].end)
					out[n - 1].end = e->end;
				continue;
			}
			if (n >= max)
				break;
			out[n].start = e->start;
			out[n].end = e->end;
			n++;
		}
		for (size_t i = 0; i < mm->ncrash; i++)
			n = subtract(out, n, max, mm->crash[i]);
	}
	for (size_t i = 0; i < mm->n; i++)
		if (mm->e[i].type != KJ_MEM_RAM)
			n = subtract(out, n, max,
				     (struct kj_range){ mm->e[i].start,
							mm->e[i].end });
	for (size_t i = 0; i < mm->nreserved; i++)
		n = subtract(out, n, max, mm->reserved[i]);
	return n;
}

static size_t put(struct kj_memmap_entry *out, size_t n, size_t max,
		  uint64_t start, uint64_t end, enum kj_mem_type type)
{
	size_t i;

	if (n >= max || end <= start)
		return n;
	for (i = n; i > 0 && out[i - 1].start > start; i--)
		out[i] = out[i - 1];
	out[i].start = start;
	out[i].end = end;
	out[i].type = type;
	return n + 1;
}

size_t kj_memmap_view(const struct kj_memmap *mm, bool panic,
		      uint64_t low_keep, struct kj_memmap_entry *out,
		      size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < mm->n; i++) {
		const struct kj_memmap_entry *e = &mm->e[i];

		if (!panic || e->type != KJ_MEM_RAM) {
			n = put(out, n, max, e->start, e->end, e->type);
			continue;
		}
		/* The rest of the old RAM is not the crash kernel's own. */
		if (e->start < low_keep)
			n = put(out, n, max, e->start,
				e->end < low_keep ? e->end : low_keep,
				KJ_MEM_RAM);
	}
	if (panic)
		for (size_t i = 0; i < mm->ncrash; i++)
			n = put(out, n, max, mm->crash[i].start,
				mm->crash[i].end, KJ_MEM_RAM);
	return n;
}

int kj_memmap_no_room(const struct kj_memmap *mm, bool panic,
		      const char *name, struct kj_err *err)
{
	if (!panic)
		return kj_fail(err, ENOMEM, "%s: no System RAM in %s", name,
			       mm->source ? mm->source : "the memory map");
	if (mm->iomem_zeroed)
		return kj_fail(err, EPERM,
			       "/proc/iomem: addresses read as 0, cannot find the crash kernel region (run as root)");
	return kj_fail(err, ENOMEM,
		       "no \"Crash kernel\" region in /proc/iomem: boot the running kernel with crashkernel=SIZE");
}
