/* A synthetic bzImage for plan tests: a real setup header over zeroes.
 * Fields are set as the boot protocol lays them out, so the code under
 * test reads them from bytes, exactly as from a file. */
#ifndef KJ_TEST_FAKE_BZIMAGE_H
#define KJ_TEST_FAKE_BZIMAGE_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "loaders/bzimage.h"

static inline void fake_put(uint8_t *p, size_t off, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[off + i] = (uint8_t)(v >> (8 * i));
}

struct fake_opts {
	uint16_t version;       /* 0x020f */
	uint8_t setup_sects;    /* 4 */
	size_t kernel_size;     /* protected-mode bytes */
	uint32_t init_size;
	uint64_t pref_address;
	uint32_t kernel_alignment;
	uint8_t relocatable;
	uint16_t xloadflags;
	uint32_t initrd_addr_max;
	uint32_t cmdline_size;
};

/* Build the image and a matching parsed header (the stand-in for the
 * lead's kj_bzimage_parse(), which these tests do not depend on). */
static inline uint8_t *fake_bzimage(const struct fake_opts *o, size_t *len,
				    struct kj_bzimage *bz)
{
	size_t setup = ((size_t)o->setup_sects + 1) * 512;
	uint8_t *p;

	*len = setup + o->kernel_size;
	p = calloc(1, *len);
	p[0x1f1] = o->setup_sects;
	fake_put(p, 0x1f4, o->kernel_size / 16, 4);
	fake_put(p, 0x1fa, 0xffff, 2);
	fake_put(p, 0x1fe, 0xaa55, 2);
	p[0x200] = 0xeb;
	p[0x201] = 0x6a; /* header ends at 0x26c */
	fake_put(p, 0x202, KJ_HDRS_MAGIC, 4);
	fake_put(p, 0x206, o->version, 2);
	p[0x211] = KJ_LOADED_HIGH;
	fake_put(p, 0x214, 0x100000, 4);
	fake_put(p, 0x22c, o->initrd_addr_max, 4);
	fake_put(p, 0x230, o->kernel_alignment, 4);
	p[0x234] = o->relocatable;
	p[0x235] = 21;
	fake_put(p, 0x236, o->xloadflags, 2);
	fake_put(p, 0x238, o->cmdline_size, 4);
	fake_put(p, 0x258, o->pref_address, 8);
	fake_put(p, 0x260, o->init_size, 4);
	memset(p + setup, 0x90, o->kernel_size);

	memset(bz, 0, sizeof(*bz));
	bz->setup_sects = o->setup_sects;
	bz->syssize = (uint32_t)(o->kernel_size / 16);
	bz->boot_flag = 0xaa55;
	bz->header = KJ_HDRS_MAGIC;
	bz->version = o->version;
	bz->loadflags = KJ_LOADED_HIGH;
	bz->code32_start = 0x100000;
	bz->initrd_addr_max = o->initrd_addr_max;
	bz->kernel_alignment = o->kernel_alignment;
	bz->relocatable_kernel = o->relocatable;
	bz->min_alignment = 21;
	bz->xloadflags = o->xloadflags;
	bz->cmdline_size = o->cmdline_size;
	bz->pref_address = o->pref_address;
	bz->init_size = o->init_size;
	bz->setup_size = setup;
	bz->kernel_offset = setup;
	bz->kernel_size = o->kernel_size;
	bz->file_size = *len;
	bz->header_end = 0x26c;
	return p;
}

static inline struct fake_opts fake_linux(void)
{
	struct fake_opts o = {
		.version = 0x020f,
		.setup_sects = 4,
		.kernel_size = 0x10000,
		.init_size = 0x2000000,
		.pref_address = 0x1000000,
		.kernel_alignment = 0x200000,
		.relocatable = 1,
		.xloadflags = KJ_XLF_KERNEL_64 | KJ_XLF_CAN_BE_LOADED_ABOVE_4G |
			      KJ_XLF_EFI_KEXEC,
		.initrd_addr_max = 0x7fffffff,
		.cmdline_size = 2047,
	};
	return o;
}

#endif
