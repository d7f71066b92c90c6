#include "sys/memmap_read.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "sys/sysroot.h"

/* Big enough for any machine; a larger file is refused, not cut. */
#define IOMEM_MAX (16u << 20)

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

/* How many numbered entries /sys/firmware/memmap has (0 when there is
 * no such directory), and the highest number + 1: a gap in the numbering
 * means entries we cannot see, so the map would be partial. */
static int count_entries(size_t *count, size_t *span, struct kj_err *err)
{
	char path[4096];
	struct dirent *d;
	DIR *dir;

	*count = *span = 0;
	if (kj_sys_path("/sys/firmware/memmap", path, sizeof(path)) < 0 ||
	    !(dir = opendir(path)))
		return 0;
	while ((d = readdir(dir))) {
		char *end;
		unsigned long n;

		if (d->d_name[0] == '.')
			continue;
		errno = 0;
		n = strtoul(d->d_name, &end, 10);
		if (errno || *end || n > KJ_MEMMAP_MAX * 16) {
			closedir(dir);
			return kj_fail(err, EINVAL,
				       "/sys/firmware/memmap/%s: not an entry "
				       "number", d->d_name);
		}
		(*count)++;
		if (n + 1 > *span)
			*span = n + 1;
	}
	closedir(dir);
	return 0;
}

int kj_sys_firmware_memmap(struct kj_memmap *mm, struct kj_err *err)
{
	char path[96];
	size_t i, count, span;
	int r;

	r = count_entries(&count, &span, err);
	if (r < 0)
		return r;
	if (count != span)
		return kj_fail(err, EINVAL,
			       "/sys/firmware/memmap: %zu entries numbered up to "
			       "%zu: a gap, the map would be partial",
			       count, span ? span - 1 : 0);

	for (i = 0; i <= KJ_MEMMAP_MAX; i++) {
		uint64_t start, end;
		enum kj_mem_type type;
		char *name;
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
		r = kj_sys_read(path, 128, &name, &len, err);
		if (r < 0)
			return r;
		while (len && (name[len - 1] == '\n' || name[len - 1] == ' '))
			name[--len] = '\0';
		type = kj_memmap_type(name);
		free(name);
		/* The firmware map's end is inclusive; ours is not. */
		if (end == UINT64_MAX || end < start)
			return kj_fail(err, EINVAL,
				       "/sys/firmware/memmap/%zu: bad range", i);
		r = kj_memmap_add(mm, start, end + 1,
				  type ? type : KJ_MEM_RESERVED, err);
		if (r < 0)
			return r;
	}
	return (int)i;
}

int kj_sys_iomem(struct kj_memmap *mm, bool want_map, struct kj_err *err)
{
	char *text = NULL;
	int r;

	r = kj_sys_read("/proc/iomem", IOMEM_MAX, &text, NULL, err);
	if (r < 0)
		return r;
	r = kj_memmap_parse_iomem(mm, text, want_map, err);
	free(text);
	return r;
}
