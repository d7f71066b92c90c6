/* Fuzz the Multiboot 2 header search, its tags and the image layout
 * (address tag and ELF program headers), the request check, relocation
 * inside a small fixed RAM range, the inspect report, and the kexec
 * segments of the result: any bytes must be refused or planned without
 * reading outside the input. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/chunk_plan.h"
#include "loaders/multiboot2.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct kj_range ram = { 0x100000, 64ull << 20 };
	struct kj_mb2 mb;
	struct kj_plan plan;
	struct kj_err err;
	uint64_t base;
	uint8_t *copy = malloc(size ? size : 1);

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	kj_mb2_find(copy, size);
	if (kj_mb2_parse(copy, size, "fuzz", &mb, &err) == 0) {
		FILE *null = fopen("/dev/null", "w");

		if (null) {
			kj_mb2_report(&mb, null, false);
			kj_mb2_report(&mb, null, true);
			fclose(null);
		}
		kj_plan_init(&plan);
		kj_mb2_check_requests(&mb, size ? copy[0] * 0x1234567ull : 0,
				      "fuzz", &err);
		if (mb.relocatable && kj_mb2_place(&mb, &ram, 1, &plan, 0, 0,
						   "fuzz", &base, &err) == 0)
			kj_mb2_relocate(&mb, base);
		kj_plan_add_chunks(&plan, copy, size, mb.chunk, mb.nchunk, 4,
				   &ram, 1, "fuzz", &err);
		kj_plan_free(&plan);
	}
	free(copy);
	return 0;
}
