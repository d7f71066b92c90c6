#include "sys/crash_notes.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sys/sysroot.h"

/* Used when a kernel does not say how big a CPU's note buffer is. */
#define DEFAULT_NOTE_BYTES 1024

/* Read one number, or two separated by a space, from a sysfs file. */
static int read_nums(const char *path, int base_a, uint64_t *a, int base_b,
		     uint64_t *b)
{
	char *text, *end, *p;
	int r = kj_sys_read(path, 128, &text, NULL, NULL);

	if (r < 0)
		return r;
	errno = 0;
	*a = strtoull(text, &end, base_a);
	r = errno || end == text ? -EINVAL : 0;
	if (r == 0 && b) {
		p = end;
		*b = strtoull(p, &end, base_b);
		r = errno || end == p ? -EINVAL : 0;
	}
	free(text);
	return r;
}

static int add_cpu(struct kj_crash_notes *n, uint64_t addr, uint64_t size,
		   struct kj_err *err)
{
	struct kj_crash_note *grown;

	if ((n->ncpu & (n->ncpu - 1)) == 0) {
		grown = realloc(n->cpu, (n->ncpu ? n->ncpu * 2 : 8) *
						sizeof(*n->cpu));
		if (!grown)
			return kj_fail(err, ENOMEM, "crash notes: out of memory");
		n->cpu = grown;
	}
	n->cpu[n->ncpu].addr = addr;
	n->cpu[n->ncpu].size = size;
	n->ncpu++;
	return 0;
}

static int read_cpus(struct kj_crash_notes *n, struct kj_err *err)
{
	char path[96];

	for (unsigned cpu = 0; cpu < KJ_ELFCORE_MAX_CPUS; cpu++) {
		uint64_t addr, size = DEFAULT_NOTE_BYTES;
		int r;

		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%u",
			 cpu);
		if (!kj_sys_exists(path))
			break;
		snprintf(path, sizeof(path),
			 "/sys/devices/system/cpu/cpu%u/crash_notes", cpu);
		if (!kj_sys_exists(path))
			continue; /* not a kexec kernel, or no such CPU slot */
		if (read_nums(path, 16, &addr, 0, NULL) < 0)
			return kj_fail(err, EINVAL, "%s: not an address", path);
		snprintf(path, sizeof(path),
			 "/sys/devices/system/cpu/cpu%u/crash_notes_size", cpu);
		if (kj_sys_exists(path) &&
		    read_nums(path, 10, &size, 0, NULL) < 0)
			return kj_fail(err, EINVAL, "%s: not a size", path);
		r = add_cpu(n, addr, size, err);
		if (r < 0)
			return r;
	}
	return 0;
}

int kj_sys_crash_notes(struct kj_crash_notes *n, struct kj_err *err)
{
	uint64_t addr, size;
	int r;

	memset(n, 0, sizeof(*n));
	r = read_cpus(n, err);
	if (r < 0) {
		kj_crash_notes_free(n);
		return r;
	}
	/* "0x100b86000 1024": address and note size, both hex. */
	if (read_nums("/sys/kernel/vmcoreinfo", 16, &addr, 16, &size) == 0) {
		n->have_vmcoreinfo = true;
		n->vmcoreinfo.addr = addr;
		n->vmcoreinfo.size = size;
	}
	return 0;
}
