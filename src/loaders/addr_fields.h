/* Where an image goes when its Multiboot header gives the addresses
 * (Multiboot 1 flag 16, the "a.out kludge"; the Multiboot 2 address
 * tag): header_addr is where the header itself lands, which fixes the
 * file offset of load_addr; load_end_addr 0 loads to the end of the
 * file; bss_end_addr 0 means no bss; everything below 4 GiB. Both
 * Multiboot loaders use it. */
#ifndef KJ_LOADERS_ADDR_FIELDS_H
#define KJ_LOADERS_ADDR_FIELDS_H

#include <stddef.h>
#include <stdint.h>

#include "core/chunk_plan.h"
#include "core/err.h"

struct kj_addr_fields {
	uint32_t header_addr;
	uint32_t load_addr;
	uint32_t load_end_addr; /* 0: to the end of the file */
	uint32_t bss_end_addr;	/* 0: no bss */
	uint32_t entry_addr;
};

/* One chunk for an image of size bytes whose header sits at file offset
 * header_off.
 * proto ("Multiboot", "Multiboot 2") and name start the error messages;
 * each names the field that does not fit the file or the others. */
int kj_addr_fields_layout(size_t size, size_t header_off,
			  const struct kj_addr_fields *f, const char *proto,
			  const char *name, struct kj_load_chunk *chunk,
			  struct kj_err *err);

#endif
