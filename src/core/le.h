/* Little-endian fields in files and boot structures, read and written a
 * byte at a time: no alignment or host byte order is assumed, so the same
 * code parses an image on any host. Callers check bounds first. */
#ifndef KJ_CORE_LE_H
#define KJ_CORE_LE_H

#include <stdint.h>

static inline uint8_t kj_le8(const uint8_t *p)
{
	return p[0];
}

static inline uint16_t kj_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t kj_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline uint64_t kj_le64(const uint8_t *p)
{
	return (uint64_t)kj_le32(p) | (uint64_t)kj_le32(p + 4) << 32;
}

/* The same reads a word at a time, for hot loops over aligned or
 * unaligned data (the digests): one load where the CPU allows it, and
 * freestanding (the purgatories build them). */
static inline uint64_t kj_load_le64(const uint8_t *p)
{
	uint64_t v;

	__builtin_memcpy(&v, p, sizeof(v));
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

static inline uint32_t kj_load_le32(const uint8_t *p)
{
	uint32_t v;

	__builtin_memcpy(&v, p, sizeof(v));
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap32(v);
#endif
	return v;
}

static inline void kj_put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void kj_put_le32(uint8_t *p, uint32_t v)
{
	kj_put_le16(p, (uint16_t)v);
	kj_put_le16(p + 2, (uint16_t)(v >> 16));
}

static inline void kj_put_le64(uint8_t *p, uint64_t v)
{
	kj_put_le32(p, (uint32_t)v);
	kj_put_le32(p + 4, (uint32_t)(v >> 32));
}

#endif
