/* /proc/iomem text: any bytes parse or fail cleanly, entries stay sane,
 * and the usable ranges (normal and panic) are sorted, disjoint and clear
 * of every reserved, crash and non-RAM range. The seeds are real x86 and
 * arm64 (QEMU virt, device tree and UEFI) files. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/memmap.h"

static int hits(const struct kj_range *r, size_t n, const struct kj_range *x)
{
	for (size_t i = 0; i < n; i++)
		if (x->start < r[i].end && r[i].start < x->end)
			return 1;
	return 0;
}

static void check_usable(const struct kj_memmap *mm, bool panic)
{
	static struct kj_range u[KJ_MEMMAP_RANGES_MAX];
	size_t n = kj_memmap_usable(mm, panic, u, KJ_MEMMAP_RANGES_MAX);

	for (size_t i = 0; i < n; i++) {
		if (u[i].end <= u[i].start || (i && u[i].start < u[i - 1].end))
			abort();
		if (hits(mm->reserved, mm->nreserved, &u[i]) ||
		    (!panic && hits(mm->crash, mm->ncrash, &u[i])))
			abort();
		for (size_t j = 0; j < mm->n; j++) {
			struct kj_range e = { mm->e[j].start, mm->e[j].end };

			if (mm->e[j].type != KJ_MEM_RAM && hits(&e, 1, &u[i]))
				abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct kj_memmap mm;
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	memset(&mm, 0, sizeof(mm));
	if (kj_memmap_parse_iomem(&mm, text, true, NULL) == 0) {
		for (size_t i = 0; i < mm.n; i++)
			if (mm.e[i].end <= mm.e[i].start ||
			    (i && mm.e[i].start < mm.e[i - 1].start))
				abort();
		check_usable(&mm, false);
		check_usable(&mm, true);
	}
	free(text);
	return 0;
}
