/* Multiboot 2 test images for the header parser and the planner: an
 * ELF32 with one PT_LOAD, and a header written tag by tag into it. */
#ifndef KJ_TEST_MB2_IMAGE_H
#define KJ_TEST_MB2_IMAGE_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/le.h"
#include "loaders/multiboot2.h"

/* ELF32 i386 of len bytes, one PT_LOAD of the whole file at physical
 * load, linked virt bytes higher, with bss more bytes of memory; entry
 * 0x40 into it. No Multiboot header yet. */
static inline uint8_t *kj_test_mb2_elf32(size_t len, uint32_t load,
					 uint32_t virt, uint32_t bss)
{
	uint8_t *img = calloc(1, len);

	memcpy(img, "\177ELF\1\1\1", 7);
	kj_put_le16(img + 16, 2);  /* ET_EXEC */
	kj_put_le16(img + 18, 3);  /* EM_386 */
	kj_put_le32(img + 20, 1);
	kj_put_le32(img + 24, virt + load + 0x40);
	kj_put_le32(img + 28, 52); /* e_phoff */
	kj_put_le16(img + 40, 52);
	kj_put_le16(img + 42, 32);
	kj_put_le16(img + 44, 1);
	kj_put_le32(img + 52, 1);  /* PT_LOAD at offset 0 */
	kj_put_le32(img + 60, virt + load);
	kj_put_le32(img + 64, load);
	kj_put_le32(img + 68, (uint32_t)len);
	kj_put_le32(img + 72, (uint32_t)len + bss);
	return img;
}

/* A header being written: fixed part at off, tags appended. */
struct kj_test_mb2_hdr {
	uint8_t *img;
	size_t off, pos;
};

static inline struct kj_test_mb2_hdr kj_test_mb2_begin(uint8_t *img,
						       size_t off)
{
	struct kj_test_mb2_hdr h = { img, off, off + 16 };

	kj_put_le32(img + off, KJ_MB2_HEADER_MAGIC);
	kj_put_le32(img + off + 4, KJ_MB2_ARCH_I386);
	return h;
}

static inline void kj_test_mb2_tag(struct kj_test_mb2_hdr *h, uint16_t type,
				   uint16_t flags, const uint32_t *words,
				   size_t nwords)
{
	uint8_t *t = h->img + h->pos;
	uint32_t size = 8 + 4 * (uint32_t)nwords;

	kj_put_le16(t, type);
	kj_put_le16(t + 2, flags);
	kj_put_le32(t + 4, size);
	for (size_t i = 0; i < nwords; i++)
		kj_put_le32(t + 8 + 4 * i, words[i]);
	h->pos += (size + 7) & ~7u;
}

/* The end tag, then the length and checksum of the fixed part. */
static inline void kj_test_mb2_end(struct kj_test_mb2_hdr *h)
{
	uint32_t len;

	kj_test_mb2_tag(h, KJ_MB2_HT_END, 0, NULL, 0);
	len = (uint32_t)(h->pos - h->off);
	kj_put_le32(h->img + h->off + 8, len);
	kj_put_le32(h->img + h->off + 12, -(KJ_MB2_HEADER_MAGIC + len));
}

#endif
