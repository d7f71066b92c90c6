/* Fuzz the ELF program header reader through the plain ELF kernel
 * loader's checks, then lay the segments out over a small fixed RAM
 * range: any bytes must be refused or planned without reading outside
 * the input. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/chunk_plan.h"
#include "loaders/elf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct kj_range ram = { 0, 64ull << 20 };
	struct kj_elf_kernel *k = malloc(sizeof(*k));
	struct kj_plan plan;
	struct kj_err err;
	uint8_t *copy = malloc(size ? size : 1);

	if (!copy || !k)
		goto out;
	memcpy(copy, data, size);
	kj_elf_kernel_parse(copy, size, "fuzz", KJ_ELF_ARGS_LINUX, k, &err);
	if (kj_elf_kernel_parse(copy, size, "fuzz", KJ_ELF_ARGS_NONE, k,
				&err) == 0) {
		kj_plan_init(&plan);
		kj_plan_add_chunks(&plan, copy, size, k->elf.chunk,
				   k->elf.nchunk, 3, &ram, 1, "fuzz", &err);
		kj_plan_free(&plan);
	}
out:
	free(copy);
	free(k);
	return 0;
}
