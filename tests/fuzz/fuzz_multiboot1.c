/* Fuzz the Multiboot 1 header search and image layout (a.out kludge and
 * ELF program headers), then lay the result out as kexec segments over
 * a small fixed RAM range: any bytes must be refused or planned without
 * reading outside the input. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/chunk_plan.h"
#include "loaders/multiboot1.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct kj_range ram = { 0, 64ull << 20 };
	struct kj_mb1 mb;
	struct kj_plan plan;
	struct kj_err err;
	uint8_t *copy = malloc(size ? size : 1);

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	kj_mb1_probe(copy, size);
	if (kj_mb1_parse(copy, size, "fuzz", &mb, &err) == 0) {
		kj_plan_init(&plan);
		kj_plan_add_chunks(&plan, copy, size, mb.image.chunk,
				   mb.image.nchunk, 4, &ram, 1, "fuzz", &err);
		kj_plan_free(&plan);
	}
	free(copy);
	return 0;
}
