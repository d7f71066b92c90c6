/* Fuzz the Multiboot 2 header search, its tags and the image layout
 * (address tag and ELF program headers), the request check, relocation
 * inside a small fixed RAM range, the inspect report, the kexec
 * segments of the result, and the loader's whole plan (a module, the
 * MBI with RSDP and SMBIOS copies, the purgatory): any bytes must be
 * refused or planned without reading outside the input. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/chunk_plan.h"
#include "load/load.h"
#include "loaders/loader.h"
#include "loaders/multiboot2.h"

static void whole_plan(const uint8_t *data, size_t size)
{
	static struct kj_memmap mm;
	static uint8_t rsdp[20] = "RSD PTR ", smbios[31] = "_SM_";
	static const uint8_t mod[64];
	static const struct kj_range usable[] = { { 0x1000, 0x9f000 },
						  { 0x100000, 0x4000000 } };
	const struct kj_module_in m = { "/mod", mod, sizeof(mod), "a=1" };
	struct kj_load_request req = { .kernel = "fuzz" };
	struct kj_sysdesc sys = { .rsdp_v1 = { rsdp, sizeof(rsdp) },
				  .smbios_entry = { smbios, sizeof(smbios) },
				  .smbios_table = { smbios, sizeof(smbios) } };
	struct kj_load_input in = { .name = "fuzz",
				    .kernel = data,
				    .kernel_len = size,
				    .modules = &m,
				    .n_modules = 1,
				    .cmdline = "x=1",
				    .req = &req,
				    .usable = usable,
				    .n_usable = 2,
				    .mm = &mm,
				    .sys = &sys };
	struct kj_plan plan;

	if (mm.n == 0) {
		kj_memmap_add(&mm, 0, 0x9fc00, KJ_MEM_RAM, NULL);
		kj_memmap_add(&mm, 0x100000, 0x4000000, KJ_MEM_RAM, NULL);
	}
	if (kj_load_plan_segments(&kj_loader_multiboot2, &in, &plan, NULL) ==
	    0)
		kj_plan_free(&plan);
}

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
		kj_plan_add_chunks(&plan, copy, size, mb.image.chunk,
				   mb.image.nchunk, 4, &ram, 1, "fuzz", &err);
		kj_plan_free(&plan);
	}
	whole_plan(copy, size);
	free(copy);
	return 0;
}
