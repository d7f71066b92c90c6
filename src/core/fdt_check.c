/* See fdt_check.h. Every offset is checked against its block before the
 * read; the arithmetic is 64-bit so no header value can wrap it. */
#include "core/fdt_check.h"

enum {
	H_MAGIC = 0,
	H_TOTALSIZE = 4,
	H_OFF_STRUCT = 8,
	H_OFF_STRINGS = 12,
	H_OFF_RSVMAP = 16,
	H_VERSION = 20,
	H_LAST_COMP = 24,
	H_SIZE_STRINGS = 32,
	H_SIZE_STRUCT = 36,
	H_SIZE = 40,
};

/* Is there a NUL in p[0..n)? Its index + 1 in *len. */
static int terminated(const uint8_t *p, uint64_t n, uint64_t *len)
{
	for (uint64_t i = 0; i < n; i++)
		if (!p[i]) {
			*len = i + 1;
			return 1;
		}
	return 0;
}

static const char *check_rsvmap(const uint8_t *b, uint64_t off, uint64_t total)
{
	if (off % 8)
		return "memory reservation map not 8-byte aligned";
	for (uint32_t i = 0; i <= KJ_FDT_MAX_RSV; i++, off += 16) {
		if (off + 16 > total)
			return "memory reservation map runs past the end";
		if (!kj_fdt64(b + off) && !kj_fdt64(b + off + 8))
			return 0;
	}
	return "memory reservation map has too many entries";
}

static const char *check_struct(const uint8_t *s, uint64_t size,
				const uint8_t *str, uint64_t strsize)
{
	uint64_t off = 0, n;
	unsigned int depth = 0;
	int root_done = 0, seen_root = 0;

	for (;;) {
		uint32_t tag;

		if (off + 4 > size)
			return "structure block ends without FDT_END";
		tag = kj_fdt32(s + off);
		off += 4;
		if (tag == KJ_FDT_NOP)
			continue;
		if (tag == KJ_FDT_END)
			return depth || !seen_root ? "FDT_END inside a node"
						   : 0;
		if (root_done)
			return "something after the root node";
		switch (tag) {
		case KJ_FDT_BEGIN_NODE:
			if (!terminated(s + off, size - off, &n))
				return "node name runs past the structure";
			if (!seen_root && n != 1)
				return "root node has a name";
			if (++depth > KJ_FDT_MAX_DEPTH)
				return "nodes nested too deeply";
			seen_root = 1;
			off += (n + 3) & ~3ull;
			break;
		case KJ_FDT_END_NODE:
			if (!depth)
				return "FDT_END_NODE without a node";
			if (--depth == 0)
				root_done = 1;
			break;
		case KJ_FDT_PROP: {
			uint64_t len, name;

			if (!depth)
				return "property outside any node";
			if (off + 8 > size)
				return "property header runs past the "
				       "structure";
			len = kj_fdt32(s + off);
			name = kj_fdt32(s + off + 4);
			off += 8;
			if (len > size - off)
				return "property value runs past the structure";
			if (name >= strsize ||
			    !terminated(str + name, strsize - name, &n))
				return "property name outside the strings";
			off += (len + 3) & ~3ull;
			break;
		}
		default:
			return "unknown structure tag";
		}
		if (off > size)
			return "structure block ends inside a tag";
	}
}

const char *kj_fdt_check(const void *buf, size_t len)
{
	const uint8_t *b = buf;
	uint64_t total, ost, ostr, orsv, sst, sstr;

	if (!b || len < H_SIZE)
		return "too short for a device tree header";
	if (kj_fdt32(b + H_MAGIC) != KJ_FDT_MAGIC)
		return "no device tree magic";
	total = kj_fdt32(b + H_TOTALSIZE);
	if (total > len)
		return "totalsize beyond the buffer";
	if (total < H_SIZE)
		return "totalsize smaller than the header";
	if (kj_fdt32(b + H_VERSION) < 17 || kj_fdt32(b + H_LAST_COMP) > 17)
		return "not a version 17 device tree";
	ost = kj_fdt32(b + H_OFF_STRUCT);
	ostr = kj_fdt32(b + H_OFF_STRINGS);
	orsv = kj_fdt32(b + H_OFF_RSVMAP);
	sst = kj_fdt32(b + H_SIZE_STRUCT);
	sstr = kj_fdt32(b + H_SIZE_STRINGS);
	if (ost < H_SIZE || ost % 4 || ost + sst > total)
		return "structure block outside the tree";
	if (ostr < H_SIZE || ostr + sstr > total)
		return "strings block outside the tree";
	if (orsv < H_SIZE)
		return "memory reservation map inside the header";
	{
		const char *why = check_rsvmap(b, orsv, total);

		if (why)
			return why;
	}
	return check_struct(b + ost, sst, b + ostr, sstr);
}
