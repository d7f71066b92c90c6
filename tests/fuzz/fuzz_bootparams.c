/* The zero page builder reads the setup header straight from the image:
 * any bytes must give a clean error or a segment, never a bad access. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86_64/bootparams.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct kj_memmap mm;
	struct kj_x86_sysinfo si;
	struct kj_x86_bootparams_in in;
	uint8_t *buf;
	size_t len, want;

	if (mm.n == 0) {
		kj_memmap_add(&mm, 0, 0x9fc00, KJ_E820_RAM, NULL);
		kj_memmap_add(&mm, 0x100000, 0x40000000, KJ_E820_RAM, NULL);
	}
	memset(&si, 0, sizeof(si));
	memset(&in, 0, sizeof(in));
	in.name = "fuzz";
	in.image = data;
	in.image_len = size;
	in.cmdline = "console=ttyS0";
	in.kernel_addr = 0x1000000;
	in.mm = &mm;
	in.sys = &si;
	if (kj_x86_bootparams_size(&in, &want, NULL) < 0)
		return 0;
	if (kj_x86_bootparams_build(&in, 0x10000, &buf, &len, NULL) == 0) {
		if (len != want)
			abort();
		free(buf);
	}
	return 0;
}
