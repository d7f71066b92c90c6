#include "arch/x86_64/memmap.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sys/sysroot.h"

#define IOMEM_MAX (1u << 20)
#define LOW_RAM_END 0xa0000ull /* 640 KiB: real-mode memory */

static const struct {
	const char *name;
	uint32_t type;
} type_names[] = {
	{ "System RAM", KJ_E820_RAM },
	{ "Reserved", KJ_E820_RESERVED },
	{ "reserved", KJ_E820_RESERVED },
	{ "ACPI Tables", KJ_E820_ACPI },
	{ "ACPI Non-volatile Storage", KJ_E820_NVS },
	{ "Unusable memory", KJ_E820_UNUSABLE },
	{ "Persistent Memory", KJ_E820_PMEM },
	{ "Persistent Memory (legacy)", KJ_E820_PRAM },
	{ "Soft Reserved", KJ_E820_SOFT_RESERVED },
};

uint32_t kj_memmap_type(const char *name)
{
	for (size_t i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
		if (!strcmp(name, type_names[i].name))
			return type_names[i].type;
	return 0;
}

const char *kj_memmap_type_name(uint32_t type)
{
	for (size_t i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
		if (type_names[i].type == type)
			return type_names[i].name;
	return "Reserved";
}

int kj_memmap_add(struct kj_memmap *mm, uint64_t start, uint64_t end,
		  uint32_t type, struct kj_err *err)
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

/* "0x1000\n" -> 0x1000; strict, so a garbled file is an error. */
static int parse_hex(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f') ||
	      (*s >= 'A' && *s <= 'F')))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 16);
	if (errno || end == s)
		return -EINVAL;
	while (*end == '\n' || *end == ' ')
		end++;
	if (*end)
		return -EINVAL;
	*out = v;
	return 0;
}

static int read_sys_hex(const char *path, uint64_t *out, struct kj_err *err)
{
	char *text;
	int r = kj_sys_read(path, 256, &text, NULL, err);

	if (r < 0)
		return r;
	r = parse_hex(text, out);
	free(text);
	if (r < 0)
		return kj_fail(err, EINVAL, "%s: not a hex number", path);
	return 0;
}

static int read_firmware_memmap(struct kj_memmap *mm, struct kj_err *err)
{
	char path[96];
	size_t i;
	int r;

	for (i = 0; i <= KJ_MEMMAP_MAX; i++) {
		uint64_t start, end;
		char *type;
		size_t len;

		snprintf(path, sizeof(path), "/sys/firmware/memmap/%zu/start", i);
		if (!kj_sys_exists(path))
			break;
		if (i == KJ_MEMMAP_MAX)
			return kj_fail(err, E2BIG,
				       "/sys/firmware/memmap: more than %d entries",
				       KJ_MEMMAP_MAX);
		r = read_sys_hex(path, &start, err);
		if (r < 0)
			return r;
		snprintf(path, sizeof(path), "/sys/firmware/memmap/%zu/end", i);
		r = read_sys_hex(path, &end, err);
		if (r < 0)
			return r;
		snprintf(path, sizeof(path), "/sys/firmware/memmap/%zu/type", i);
		r = kj_sys_read(path, 128, &type, &len, err);
		if (r < 0)
			return r;
		while (len && (type[len - 1] == '\n' || type[len - 1] == ' '))
			type[--len] = '\0';
		/* The firmware map's end is inclusive; ours is not. */
		if (end == UINT64_MAX || end < start) {
			free(type);
			return kj_fail(err, EINVAL,
				       "/sys/firmware/memmap/%zu: bad range", i);
		}
		r = kj_memmap_add(mm, start, end + 1,
				  kj_memmap_type(type) ? kj_memmap_type(type)
						       : KJ_E820_RESERVED,
				  err);
		free(type);
		if (r < 0)
			return r;
	}
	return (int)i;
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

int kj_memmap_read(struct kj_memmap *mm, struct kj_err *err)
{
	struct kj_err ierr;
	char *text = NULL;
	bool have_fw;
	int r;

	memset(mm, 0, sizeof(*mm));
	r = read_firmware_memmap(mm, err);
	if (r < 0)
		return r;
	have_fw = r > 0;
	mm->source = have_fw ? "/sys/firmware/memmap" : "/proc/iomem";

	kj_err_clear(&ierr);
	r = kj_sys_read("/proc/iomem", IOMEM_MAX, &text, NULL, &ierr);
	if (r < 0) {
		if (have_fw)
			return 0; /* no crash regions: panic loads say so */
		return kj_fail(err, -r, "%s", ierr.msg);
	}
	r = kj_memmap_parse_iomem(mm, text, !have_fw, &ierr);
	free(text);
	if (r < 0 && !(have_fw && r == -EPERM))
		return kj_fail(err, -r, "%s", ierr.msg);
	if (mm->n == 0)
		return kj_fail(err, ENOENT,
			       "%s: no memory map entries found", mm->source);
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

		if (e->type != KJ_E820_RAM)
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

static size_t put_e820(struct kj_e820_entry *out, size_t n, size_t max,
		       uint64_t start, uint64_t end, uint32_t type)
{
	size_t i;

	if (n >= max || end <= start)
		return n;
	for (i = n; i > 0 && out[i - 1].addr > start; i--)
		out[i] = out[i - 1];
	out[i].addr = start;
	out[i].size = end - start;
	out[i].type = type;
	return n + 1;
}

size_t kj_memmap_e820(const struct kj_memmap *mm, bool panic,
		      struct kj_e820_entry *out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < mm->n; i++) {
		const struct kj_memmap_entry *e = &mm->e[i];

		if (!panic || e->type != KJ_E820_RAM) {
			n = put_e820(out, n, max, e->start, e->end, e->type);
			continue;
		}
		/* The crash kernel keeps the low 640 KiB for its real-mode
		 * trampoline; the rest of the old RAM is not its own. */
		if (e->start < LOW_RAM_END) {
			uint64_t end = e->end < LOW_RAM_END ? e->end
							    : LOW_RAM_END;

			n = put_e820(out, n, max, e->start, end, KJ_E820_RAM);
		}
	}
	if (panic)
		for (size_t i = 0; i < mm->ncrash; i++)
			n = put_e820(out, n, max, mm->crash[i].start,
				     mm->crash[i].end, KJ_E820_RAM);
	return n;
}
