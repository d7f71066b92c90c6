/* --elf32-core-headers: the crash kernel's ELF core header as ELF32, for
 * 32-bit dump tools. The same program headers as kj_elfcore_build's
 * ELF64 one, narrowed; an address or size that does not fit 32 bits is
 * refused, never truncated. */
#ifndef KJ_CORE_ELFCORE32_H
#define KJ_CORE_ELFCORE32_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* Convert the ELF64 core header in[0..len) into a malloc'd ELF32 one. */
int kj_elfcore_to_elf32(const uint8_t *in, size_t len, uint8_t **out,
			size_t *outlen, struct kj_err *err);

#endif
