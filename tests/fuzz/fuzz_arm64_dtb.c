/* Fuzz the arm64 device tree edit path (a --dtb file or the running
 * tree is untrusted input) and the console UART lookup: any bytes are
 * refused or give a well-formed tree of at most 2 MiB. The first input
 * byte picks a normal or a panic load. */
#include <libfdt.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arch/arm64/dtb.h"
#include "arch/arm64/stdout_uart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct kj_range crash[] = { { 0x60000000, 0x68000000 },
						 { 0x880000000, 0x8a0000000 } };
	static uint8_t seed[KJ_ARM64_SEED_BYTES];
	struct kj_arm64_dtb_req r = {
		.cmdline = "console=ttyAMA0 root=/dev/vda",
		.initrd_addr = 0x48000000,
		.initrd_size = 0x100000,
		.rng_seed = seed,
		.rng_seed_len = sizeof(seed),
	};
	struct kj_err err;
	uint8_t *copy, *out;
	uint64_t uart;
	size_t len;

	if (size < 1)
		return 0;
	r.panic = data[0] & 1;
	if (r.panic) {
		r.elfcorehdr_addr = 0x67ff0000;
		r.elfcorehdr_size = 0x10000;
		r.usable = crash;
		r.n_usable = 1 + (data[0] >> 1 & 1);
	}
	if (data[0] & 4)
		r.initrd_size = 0;
	/* A private, 8-byte aligned copy sized exactly to the input. */
	copy = malloc(size - 1 ? size - 1 : 1);
	if (!copy)
		return 0;
	memcpy(copy, data + 1, size - 1);
	r.dtb = copy;
	r.dtb_len = size - 1;
	kj_arm64_stdout_uart(copy, size - 1, "fuzz", &uart, &err);
	if (kj_arm64_dtb_build(&r, &out, &len, &err) == 0) {
		if (len > KJ_ARM64_DTB_MAX || fdt_check_full(out, len) ||
		    fdt_path_offset(out, "/chosen") < 0)
			abort();
		kj_arm64_stdout_uart(out, len, "fuzz", &uart, &err);
		free(out);
	}
	free(copy);
	return 0;
}
