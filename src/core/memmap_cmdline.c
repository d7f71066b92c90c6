#include "core/memmap_cmdline.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

static char kind(enum kj_mem_type t)
{
	switch (t) {
	case KJ_MEM_RAM:
		return '@';
	case KJ_MEM_ACPI:
		return '#';
	case KJ_MEM_RESERVED:
	case KJ_MEM_NVS:
		return '$';
	default:
		return 0; /* the kernel has no spelling for the rest */
	}
}

int kj_memmap_cmdline(const struct kj_memmap_entry *e, size_t n, char **out,
		      struct kj_err *err)
{
	size_t len = 0;
	FILE *f = open_memstream(out, &len);

	if (!f)
		return kj_fail(err, ENOMEM, "memmap=: out of memory");
	fputs("memmap=exactmap", f);
	for (size_t i = 0; i < n; i++) {
		/* Whole KiB: RAM rounds inwards, what must stay untouched
		 * outwards. */
		char c = kind(e[i].type);
		bool ram = c == '@';
		uint64_t start = (e[i].start + (ram ? 1023 : 0)) >> 10;
		uint64_t end = (e[i].end + (ram ? 0 : 1023)) >> 10;

		if (!c || end <= start)
			continue;
		fprintf(f, " memmap=%" PRIu64 "K%c%" PRIu64 "K", end - start, c,
			start);
	}
	if (fclose(f) != 0 || !*out) {
		free(*out);
		*out = NULL;
		return kj_fail(err, ENOMEM, "memmap=: out of memory");
	}
	return 0;
}
