#include "core/memmap.h"

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
	const char *p, *colon;
	char *e;
	size_t n;

	if (len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, line, len);
	buf[len] = '\0';
	for (p = buf; *p == ' '; p++)
		;
	*depth = (unsigned)(p - buf) / 2;
	errno = 0;
	*start = strtoull(p, &e, 16);
	if (errno || e == p || *e != '-')
		return -EINVAL;
	p = e + 1;
	*end = strtoull(p, &e, 16);
	if (errno || e == p)
		return -EINVAL;
	colon = strstr(e, " : ");
	if (!colon || colon != e)
		return -EINVAL;
	p = colon + 3;
	n = strlen(p);
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\r'))
		n--;
	if (n >= namesz)
		n = namesz - 1;
	memcpy(name, p, n);
	name[n] = '\0';
	return 0;
}

int kj_memmap_parse_iomem(struct kj_memmap *mm, const char *text,
			  bool want_map, struct kj_err *err)
{
	const char *line = text;
	size_t lines = 0;
	bool nonzero = false;
	int r;

	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		uint64_t start, end;
		unsigned depth;
		char name[128];

		if (len && parse_iomem_line(line, len, &depth, &start, &end,
					    name, sizeof(name)) == 0) {
			lines++;
			if (start || end)
				nonzero = true;
			if (end < start || end == UINT64_MAX)
				goto next;
			if (!strcmp(name, "Crash kernel") && end > start) {
				if (mm->ncrash >= KJ_MEMMAP_MAX_CRASH)
					return kj_fail(err, E2BIG,
						       "/proc/iomem: more than %d crash kernel regions",
						       KJ_MEMMAP_MAX_CRASH);
				mm->crash[mm->ncrash].start = start;
				mm->crash[mm->ncrash].end = end + 1;
				mm->ncrash++;
			}
			if (want_map && depth == 0 && kj_memmap_type(name) &&
			    end > start) {
				r = kj_memmap_add(mm, start, end + 1,
						  kj_memmap_type(name), err);
				if (r < 0)
					return r;
			}
		}
next:
		if (!nl)
			break;
		line = nl + 1;
	}
	if (lines && !nonzero) {
		mm->iomem_zeroed = true;
		mm->ncrash = 0;
		return kj_fail(err, EPERM,
			       "/proc/iomem: every address reads as 0; only root sees the memory map");
	}
	return 0;
}

size_t kj_memmap_usable(const struct kj_memmap *mm, bool panic,
			struct kj_range *out, size_t max)
{
	size_t n = 0;

	if (panic) {
		for (size_t i = 0; i < mm->ncrash && n < max; i++)
			out[n++] = mm->crash[i];
		return n;
	}
	for (size_t i = 0; i < mm->n; i++) {
		const struct kj_memmap_entry *e = &mm->e[i];

		if (e->type != KJ_MEM_RAM)
			continue;
		if (n && out[n - 1].end == e->start) {
			out[n - 1].end = e->end;
			continue;
		}
		if (n >= max)
			break;
		out[n].start = e->start;
		out[n].end = e->end;
		n++;
	}
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
