/* The bzImage loader's whole kexec_load plan over any bytes: header
 * parse, placement, the zero page the arch builds from the header bytes
 * and the purgatory; by the header's choice, then forced 32-bit and
 * real-mode entries (the setup block below 640 KiB). Any input must give
 * a clean error or a valid plan, never a bad access. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "load/load.h"
#include "loaders/bzimage.h"
#include "loaders/loader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct kj_memmap mm;
	static const uint8_t initrd[100];
	static const struct kj_range usable[] = { { 0x1000, 0x9f000 },
						  { 0x100000, 0x40000000 } };
	struct kj_load_request req = { .kernel = "fuzz" };
	struct kj_sysdesc sys = { 0 };
	struct kj_load_input in = {
		.name = "fuzz",
		.cmdline = "console=ttyS0",
		.initrd = initrd,
		.initrd_len = sizeof(initrd),
		.req = &req,
		.usable = usable,
		.n_usable = 2,
		.mm = &mm,
		.sys = &sys,
	};
	struct kj_plan plan;
	uint8_t *copy = malloc(size ? size : 1);

	if (!copy)
		return 0;
	if (mm.n == 0) {
		kj_memmap_add(&mm, 0, 0x9fc00, KJ_MEM_RAM, NULL);
		kj_memmap_add(&mm, 0x100000, 0x40000000, KJ_MEM_RAM, NULL);
	}
	/* Sized exactly, so ASan sees any read past the end. */
	memcpy(copy, data, size);
	in.kernel = copy;
	in.kernel_len = size;
	for (int mode = 0; mode < 3; mode++) {
		req.entry_32bit = mode == 1;
		req.real_mode = mode == 2;
		if (kj_load_plan_segments(&kj_loader_bzimage, &in, &plan,
					  NULL) == 0)
			kj_plan_free(&plan);
		if (kj_loader_bzimage.file_check)
			kj_loader_bzimage.file_check(&in, NULL);
	}
	free(copy);
	return 0;
}
