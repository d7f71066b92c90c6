/* Fuzz the EFI zboot header and its payload decompression (bounded to
 * 1 MiB): any bytes must be refused with a message or unpacked without
 * reading outside the input. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "image/zboot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kj_zboot z;
	struct kj_err err;
	uint8_t *copy = malloc(size ? size : 1), *out;
	size_t out_len;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	if (kj_zboot_parse(copy, size, "fuzz", &z, &err) == 0 &&
	    kj_zboot_unpack(copy, size, "fuzz", &z, 1 << 20, &out, &out_len,
			    &err) == 0)
		free(out);
	free(copy);
	return 0;
}
