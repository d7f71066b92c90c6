/* An ACPI SPCR table (the arm64 purgatory's UART under UEFI + ACPI): any
 * bytes give a PL011 address or a clean refusal. */
#include <stdint.h>
#include <stdlib.h>

#include "arch/arm64/console_uart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t base = 0;

	if (kj_arm64_spcr_uart(data, size, &base, NULL) == 0 && !base)
		abort();
	return 0;
}
