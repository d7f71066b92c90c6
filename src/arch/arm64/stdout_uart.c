/* The console PL011 of a device tree; see stdout_uart.h. */
#include "arch/arm64/stdout_uart.h"

#include <errno.h>
#include <inttypes.h>
#include <libfdt.h>
#include <string.h>

#include "core/fdt_check.h"

#define MAX_DEPTH 16 /* bus nesting followed for ranges */

/* cells (1 or 2) big-endian words at p as one number. */
static uint64_t read_cells(const uint8_t *p, int cells)
{
	uint64_t v = 0;

	for (int i = 0; i < cells; i++)
		v = v << 32 | fdt32_ld((const fdt32_t *)(p + 4 * i));
	return v;
}

static int cells_of(const void *fdt, int node, int *ac, int *sc)
{
	*ac = fdt_address_cells(fdt, node);
	*sc = fdt_size_cells(fdt, node);
	if (*ac < 1 || *ac > 2 || *sc < 0 || *sc > 2)
		return -EINVAL;
	return 0;
}

/* Translate addr, a child address of bus, into bus's parent's space.
 * No ranges property: taken as an identity mapping (trees in the field
 * omit it on simple buses). */
static int translate(const void *fdt, int bus, uint64_t *addr)
{
	int parent = fdt_parent_offset(fdt, bus);
	int cac, csc, pac, psc, len, entry;
	const uint8_t *r;

	if (parent < 0)
		return -EINVAL;
	r = fdt_getprop(fdt, bus, "ranges", &len);
	if (!r || len == 0)
		return 0;
	if (cells_of(fdt, bus, &cac, &csc) || cells_of(fdt, parent, &pac, &psc))
		return -EINVAL;
	entry = 4 * (cac + pac + csc);
	if (csc == 0 || len < 0 || len % entry)
		return -EINVAL;
	for (int off = 0; off < len; off += entry) {
		uint64_t child = read_cells(r + off, cac);
		uint64_t par = read_cells(r + off + 4 * cac, pac);
		uint64_t size = read_cells(r + off + 4 * (cac + pac), csc);

		if (*addr >= child && *addr - child < size) {
			*addr = par + (*addr - child);
			return 0;
		}
	}
	return -ERANGE;
}

/* The node a stdout-path names: an absolute path, or an alias whose
 * value is one. Resolved here, not by libfdt: Debian's 1.6.1 recurses
 * forever on circular aliases and reads path[0] of an empty one. */
static int find_node(const void *fdt, const char *path, size_t n)
{
	const char *alias;
	int aliases, len;

	if (n == 0 || n > INT32_MAX)
		return -FDT_ERR_BADPATH;
	if (path[0] == '/')
		return fdt_path_offset_namelen(fdt, path, (int)n);
	if (memchr(path, '/', n))
		return -FDT_ERR_BADPATH; /* alias/sub/path: not for a UART */
	aliases = fdt_path_offset(fdt, "/aliases");
	if (aliases < 0)
		return aliases;
	alias = fdt_getprop_namelen(fdt, aliases, path, (int)n, &len);
	if (!alias || len < 2 || alias[len - 1] || alias[0] != '/')
		return -FDT_ERR_BADPATH;
	return fdt_path_offset(fdt, alias);
}

int kj_arm64_stdout_uart(const void *fdt, size_t len, const char *name,
			 uint64_t *base, struct kj_err *err)
{
	const char *path, *compat;
	int chosen, node, parent, plen, clen, ac, sc, rc;
	const uint8_t *reg;
	uint64_t addr;

	const char *why = kj_fdt_check(fdt, len);

	if (why || fdt_check_full(fdt, len))
		return kj_fail(err, EINVAL, "%s: not a valid device tree (%s)",
			       name, why ? why : "libfdt");
	chosen = fdt_path_offset(fdt, "/chosen");
	path = chosen < 0 ? NULL
			  : fdt_getprop(fdt, chosen, "stdout-path", &plen);
	if (!path && chosen >= 0)
		path = fdt_getprop(fdt, chosen, "linux,stdout-path", &plen);
	if (!path || plen < 1 || path[plen - 1] != '\0')
		return kj_fail(err, ENOENT, "%s: /chosen has no stdout-path",
			       name);
	node = find_node(fdt, path, strcspn(path, ":"));
	if (node < 0)
		return kj_fail(err, ENOENT,
			       "%s: stdout-path \"%s\" names no node", name,
			       path);
	if (fdt_node_check_compatible(fdt, node, "arm,pl011")) {
		compat = fdt_getprop(fdt, node, "compatible", &clen);
		if (!compat || clen <= 0)
			compat = "", clen = 1;
		return kj_fail(err, ENODEV,
			       "%s: the console \"%s\" is not a PL011 "
			       "(compatible \"%.*s\")",
			       name, path, (int)strnlen(compat, (size_t)clen),
			       compat);
	}
	parent = fdt_parent_offset(fdt, node);
	if (parent < 0 || cells_of(fdt, parent, &ac, &sc))
		return kj_fail(err, EINVAL,
			       "%s: %s: bad #address-cells or "
			       "#size-cells above it",
			       name, path);
	reg = fdt_getprop(fdt, node, "reg", &plen);
	if (!reg || plen < 4 * (ac + sc))
		return kj_fail(err, EINVAL, "%s: %s: no reg", name, path);
	addr = read_cells(reg, ac);
	/* Up through every bus to the root. */
	for (int depth = 0; parent > 0; depth++) {
		if (depth == MAX_DEPTH)
			return kj_fail(err, EINVAL,
				       "%s: %s: nested deeper "
				       "than %d buses",
				       name, path, MAX_DEPTH);
		rc = translate(fdt, parent, &addr);
		if (rc)
			return kj_fail(err, EINVAL,
				       "%s: %s: its address 0x%" PRIx64
				       " is not in the ranges of %s",
				       name, path, addr,
				       fdt_get_name(fdt, parent, NULL));
		parent = fdt_parent_offset(fdt, parent);
	}
	*base = addr;
	return 0;
}
