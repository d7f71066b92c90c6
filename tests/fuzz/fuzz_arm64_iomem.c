/* arm64 /proc/iomem text: any bytes parse or fail cleanly, and the
 * usable ranges are sorted, disjoint, inside RAM and clear of every
 * reserved and crash range. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arch/arm64/memmap.h"

static int overlaps(const struct kj_range *r, size_t n,
		    const struct kj_range *x)
{
	for (size_t i = 0; i < n; i++)
		if (x->start < r[i].end && r[i].start < x->end)
			return 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct kj_arm64_iomem m;
	static struct kj_range u[128];
	char *text = malloc(size + 1);
	size_t n;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (kj_arm64_iomem_parse(text, &m, NULL) == 0) {
		n = kj_arm64_usable(&m, false, u, 128);
		for (size_t i = 0; i < n; i++) {
			if (u[i].end <= u[i].start ||
			    (i && u[i].start < u[i - 1].end))
				abort();
			if (overlaps(m.reserved, m.nreserved, &u[i]) ||
			    overlaps(m.crash, m.ncrash, &u[i]))
				abort();
		}
		kj_arm64_usable(&m, true, u, 128);
	}
	free(text);
	return 0;
}
