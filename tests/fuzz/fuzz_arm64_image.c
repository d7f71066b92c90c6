/* Fuzz the arm64 Image header parser (with its EFI stub checks) and the
 * placement it feeds: any bytes are rejected or parsed without reading
 * out of bounds, and a placed kernel keeps booting.rst's rules. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "loaders/arm64_image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct kj_range ram[] = { { 0x40000000, 0xc0000000 },
					       { 0x880000000, 0x900000000 } };
	struct kj_arm64_image img;
	struct kj_arm64_layout l;
	struct kj_err err;
	struct kj_plan plan;
	/* A private copy sized exactly to the input, so ASan sees any read
	 * past the end. */
	uint8_t *copy = malloc(size ? size : 1);

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	kj_arm64_image_probe(copy, size);
	if (kj_arm64_image_parse(copy, size, "fuzz", &img, &err) == 0) {
		uint64_t initrd = size >= 8 ? (copy[size - 1] << 20) : 0;

		kj_plan_init(&plan);
		if (kj_arm64_image_place(&img, "fuzz", ram, 2, &plan, initrd, 0,
					 0, &l, &err) == 0) {
			if (l.kernel_base % KJ_ARM64_BASE_ALIGN ||
			    l.kernel_addr != l.kernel_base + img.text_offset ||
			    l.kernel_memsz < img.image_size)
				abort();
			if (initrd &&
			    (l.initrd_addr < l.kernel_addr + l.kernel_memsz ||
			     l.initrd_addr % 4096))
				abort();
		}
		kj_plan_free(&plan);
	}
	free(copy);
	return 0;
}
