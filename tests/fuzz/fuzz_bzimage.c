/* Fuzz the bzImage setup-header parser and the loader table's probes: any
 * bytes must be rejected or parsed without reading out of bounds. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "loaders/bzimage.h"
#include "loaders/loader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kj_bzimage bz;
	struct kj_err err;
	/* A private copy sized exactly to the input, so ASan sees any read
	 * past the end. */
	uint8_t *copy = malloc(size ? size : 1);

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	kj_loader_detect(copy, size);
	if (kj_bzimage_parse(copy, size, "fuzz", &bz, &err) == 0) {
		kj_bzimage_check_64bit_entry(&bz, "fuzz", &err);
		kj_bzimage_check_cmdline(&bz, "fuzz", size, &err);
	}
	free(copy);
	return 0;
}
