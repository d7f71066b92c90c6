/* A complete structural check of a flattened device tree (version 17),
 * before anything else reads it.
 *
 * Device trees come from files (--dtb) and from the running system; both
 * are untrusted. Debian 12's libfdt (1.6.1) loops forever or reads out of
 * bounds on some malformed trees even in fdt_check_full() (a property
 * length near 4 GiB wraps its offset: fixed upstream after 1.6.1), so
 * this check runs first and libfdt only ever sees a tree that passed it:
 * header fields and blocks inside the buffer, a terminated memory
 * reservation map, every tag aligned and inside the structure block,
 * names and property values inside it, property names inside the strings
 * block and terminated there, one root node with an empty name, balanced
 * nesting (at most KJ_FDT_MAX_DEPTH), nothing but NOPs after the root.
 *
 * Freestanding (no libc): the arm64 probe builds it too. */
#ifndef KJ_CORE_FDT_CHECK_H
#define KJ_CORE_FDT_CHECK_H

#include <stddef.h>
#include <stdint.h>

#define KJ_FDT_MAGIC 0xd00dfeedu
#define KJ_FDT_MAX_DEPTH 64
#define KJ_FDT_MAX_RSV 1024 /* memory reservation entries */

#define KJ_FDT_BEGIN_NODE 1u
#define KJ_FDT_END_NODE 2u
#define KJ_FDT_PROP 3u
#define KJ_FDT_NOP 4u
#define KJ_FDT_END 9u

/* NULL if the tree in buf[0..len) is sound, else what is wrong with it
 * ("totalsize beyond the buffer", ...): a constant string. */
const char *kj_fdt_check(const void *buf, size_t len);

/* Big-endian reads for code that walks a checked tree by hand. */
static inline uint32_t kj_fdt32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

static inline uint64_t kj_fdt64(const void *p)
{
	return (uint64_t)kj_fdt32(p) << 32 | kj_fdt32((const uint8_t *)p + 4);
}

#endif
