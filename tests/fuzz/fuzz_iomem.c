/* /proc/iomem text: any bytes parse or fail cleanly, entries stay sane. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/memmap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct kj_memmap mm;
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	memset(&mm, 0, sizeof(mm));
	kj_memmap_parse_iomem(&mm, text, true, NULL);
	for (size_t i = 0; i < mm.n; i++)
		if (mm.e[i].end <= mm.e[i].start ||
		    (i && mm.e[i].start < mm.e[i - 1].start))
			abort();
	free(text);
	return 0;
}
