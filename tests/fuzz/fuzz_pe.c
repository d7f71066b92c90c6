/* Fuzz the PE/COFF parser and UKI unwrapping (section resolution for a
 * profile picked from the input, .ucode+.initrd concatenation, a nested
 * zboot .linux) and the inspect report: any bytes must be refused with a
 * message or unwrapped without reading outside the input. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/pe.h"
#include "image/unwrap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct kj_pe pe;
	struct kj_unwrap_opts o = { .max = 1 << 20 };
	struct kj_unwrapped u;
	struct kj_err err;
	uint8_t *copy = malloc(size ? size : 1);
	FILE *null = fopen("/dev/null", "w");

	if (!copy || !null) {
		free(copy);
		if (null)
			fclose(null);
		return 0;
	}
	memcpy(copy, data, size);
	kj_pe_probe(copy, size);
	kj_pe_parse(copy, size, "fuzz", &pe, &err);
	/* The last byte picks the profile: 0..3. */
	o.uki_profile = size ? copy[size - 1] & 3 : 0;
	if (kj_unwrap(copy, size, "fuzz", &o, &u, &err) == 0) {
		kj_unwrapped_report(&u, null, false);
		kj_unwrapped_report(&u, null, true);
		kj_unwrapped_free(&u);
	}
	fclose(null);
	free(copy);
	return 0;
}
