/* The probe's device tree walker; see dt.h. */
#include "dt.h"

#include "core/fdt_check.h"

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static size_t slen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static int same(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

const char *dt_open(struct dt *t, const void *p, uint64_t max_len)
{
	const uint8_t *b = p;
	const char *why;

	if (max_len < 40)
		return "too short for a device tree header";
	/* kj_fdt_check takes a size_t; the probe is 64-bit. */
	why = kj_fdt_check(p, (size_t)max_len);
	if (why)
		return why;
	t->base = b;
	t->size = be32(b + 4);
	t->st = b + be32(b + 8);
	t->st_size = be32(b + 36);
	t->str = b + be32(b + 12);
	t->str_size = be32(b + 32);
	t->rsv = b + be32(b + 16);
	return 0;
}

/* Offset just past the tag at off (a checked tree: always in bounds). */
static uint32_t next_tag(const struct dt *t, uint32_t off, uint32_t *tag)
{
	*tag = be32(t->st + off);
	off += 4;
	if (*tag == KJ_FDT_BEGIN_NODE) {
		off += (uint32_t)slen((const char *)t->st + off) + 1;
		off = (off + 3) & ~3u;
	} else if (*tag == KJ_FDT_PROP) {
		off += 8 + ((be32(t->st + off) + 3) & ~3u);
	}
	return off;
}

/* The next tag at or after off that is not a NOP. */
static uint32_t no_nops(const struct dt *t, uint32_t off)
{
	while (be32(t->st + off) == KJ_FDT_NOP)
		off += 4;
	return off;
}

int dt_root(const struct dt *t)
{
	return (int)no_nops(t, 0);
}

const char *dt_name(const struct dt *t, int node)
{
	return (const char *)t->st + node + 4;
}

/* First tag after the node's own properties. */
static uint32_t after_props(const struct dt *t, int node)
{
	uint32_t tag, off = next_tag(t, (uint32_t)node, &tag);

	for (;;) {
		uint32_t next = next_tag(t, off, &tag);

		if (tag != KJ_FDT_PROP && tag != KJ_FDT_NOP)
			return off;
		off = next;
	}
}

int dt_first_child(const struct dt *t, int node)
{
	uint32_t off = after_props(t, node);

	return be32(t->st + off) == KJ_FDT_BEGIN_NODE ? (int)off : -1;
}

int dt_next_sibling(const struct dt *t, int node)
{
	uint32_t tag, off = (uint32_t)node;
	int depth = 0;

	do {
		off = next_tag(t, off, &tag);
		if (tag == KJ_FDT_BEGIN_NODE)
			depth++;
		else if (tag == KJ_FDT_END_NODE)
			depth--;
	} while (depth > 0);
	off = no_nops(t, off);
	return be32(t->st + off) == KJ_FDT_BEGIN_NODE ? (int)off : -1;
}

const uint8_t *dt_prop(const struct dt *t, int node, const char *name,
		       uint32_t *len)
{
	uint32_t tag, off = next_tag(t, (uint32_t)node, &tag);
	size_t n = slen(name);

	for (;;) {
		uint32_t next = next_tag(t, off, &tag);

		if (tag == KJ_FDT_PROP) {
			uint32_t nameoff = be32(t->st + off + 8);
			const char *pn = (const char *)t->str + nameoff;

			if (nameoff + n < t->str_size &&
			    same(pn, name, n + 1)) {
				*len = be32(t->st + off + 4);
				return t->st + off + 12;
			}
		} else if (tag != KJ_FDT_NOP) {
			return 0;
		}
		off = next;
	}
}

int dt_path(const struct dt *t, const char *path, size_t n)
{
	int node = dt_root(t);
	size_t i = 0;

	if (!n || path[0] != '/')
		return -1;
	while (i < n && node >= 0) {
		size_t len = 0;
		int c;

		while (i < n && path[i] == '/')
			i++;
		while (i + len < n && path[i + len] != '/')
			len++;
		if (!len)
			break;
		for (c = dt_first_child(t, node); c >= 0;
		     c = dt_next_sibling(t, c)) {
			const char *name = dt_name(t, c);
			size_t nl = slen(name);

			if ((nl == len && same(name, path + i, len)) ||
			    (nl > len && name[len] == '@' &&
			     same(name, path + i, len)))
				break;
		}
		node = c;
		i += len;
	}
	return node;
}

uint32_t dt_cells(const struct dt *t, int node, const char *which)
{
	uint32_t len, v;
	const uint8_t *p = dt_prop(t, node, which, &len);

	if (!p)
		return which[1] == 'a' ? 2 : 1;
	if (len != 4)
		return 0;
	v = be32(p);
	return v <= 2 ? v : 0;
}

uint64_t dt_read_cells(const uint8_t *p, uint32_t cells)
{
	uint64_t v = 0;

	for (uint32_t i = 0; i < cells; i++)
		v = v << 32 | be32(p + 4 * i);
	return v;
}

int dt_has_string(const uint8_t *v, uint32_t len, const char *s)
{
	size_t n = slen(s);

	for (uint32_t off = 0; off < len;) {
		uint32_t l = 0;

		while (off + l < len && v[off + l])
			l++;
		if (l == n && same((const char *)v + off, s, n))
			return 1;
		off += l + 1;
	}
	return 0;
}

int dt_memreserve(const struct dt *t, unsigned int i, uint64_t *addr,
		  uint64_t *size)
{
	const uint8_t *e = t->rsv + 16 * (uint64_t)i;

	*addr = (uint64_t)be32(e) << 32 | be32(e + 4);
	*size = (uint64_t)be32(e + 8) << 32 | be32(e + 12);
	return *addr || *size;
}
