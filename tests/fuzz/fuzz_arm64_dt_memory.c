/* The memory map of a device tree (an unprivileged arm64 dry run reads
 * the running one): any bytes are refused or give sorted RAM entries and
 * reservations that hold something. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arch/arm64/dt_memory.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct kj_memmap mm;
	void *copy = malloc(size ? size : 1);

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	memset(&mm, 0, sizeof(mm));
	if (kj_arm64_dt_memory(copy, size, "fuzz", &mm, NULL) == 0) {
		if (!mm.n)
			abort();
		for (size_t i = 0; i < mm.n; i++)
			if (mm.e[i].end <= mm.e[i].start ||
			    (i && mm.e[i].start < mm.e[i - 1].start))
				abort();
		for (size_t i = 0; i < mm.nreserved; i++)
			if (mm.reserved[i].end <= mm.reserved[i].start)
				abort();
	}
	free(copy);
	return 0;
}
