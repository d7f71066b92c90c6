/* The memory map of a device tree; see dt_memory.h. */
#include "arch/arm64/dt_memory.h"

#include <errno.h>
#include <inttypes.h>
#include <libfdt.h>
#include <string.h>

#include "core/fdt_check.h"

#define PAGE 4096ull

static uint64_t cells(const uint8_t *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = v << 32 | fdt32_ld((const fdt32_t *)(p + 4 * i));
	return v;
}

static int reserve(struct kj_memmap *mm, uint64_t start, uint64_t size,
		   const char *name, struct kj_err *err)
{
	uint64_t end = start + size;

	if (!size || end < start || end > UINT64_MAX - PAGE)
		return 0; /* nothing, or wraps: holds nothing either way */
	if (mm->nreserved >= KJ_MEMMAP_MAX_RESERVED)
		return kj_fail(err, E2BIG, "%s: more than %d reserved ranges",
			       name, KJ_MEMMAP_MAX_RESERVED);
	/* Whole pages, as the kernel reserves them. */
	mm->reserved[mm->nreserved++] =
		(struct kj_range){ start & ~(PAGE - 1),
				   (end + PAGE - 1) & ~(PAGE - 1) };
	return 0;
}

/* Every (address, size) pair of node's reg, in its parent's cells: as
 * RAM, or as reserved. */
static int add_reg(const void *fdt, int node, bool ram, const char *name,
		   struct kj_memmap *mm, struct kj_err *err)
{
	int parent = fdt_parent_offset(fdt, node);
	int ac = parent >= 0 ? fdt_address_cells(fdt, parent) : -1;
	int sc = parent >= 0 ? fdt_size_cells(fdt, parent) : -1;
	const char *path = fdt_get_name(fdt, node, NULL);
	const uint8_t *reg;
	int len, entry, r = 0;

	if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return kj_fail(err, EINVAL,
			       "%s: %s: #address-cells %d, #size-cells %d "
			       "above it (1 or 2 each)",
			       name, path ? path : "?", ac, sc);
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg)
		return ram ? kj_fail(err, EINVAL, "%s: %s has no reg", name,
				     path ? path : "?")
			   : 0; /* a dynamic reservation: placed by Linux */
	entry = 4 * (ac + sc);
	if (len % entry)
		return kj_fail(err, EINVAL,
			       "%s: %s: reg of %d bytes is not whole "
			       "(address, size) pairs",
			       name, path ? path : "?", len);
	for (int off = 0; off < len && !r; off += entry) {
		uint64_t a = cells(reg + off, ac),
			 s = cells(reg + off + 4 * ac, sc);

		if (!ram)
			r = reserve(mm, a, s, name, err);
		else if (s && a + s > a)
			r = kj_memmap_add(mm, a, a + s, KJ_MEM_RAM, err);
	}
	return r;
}

static int initrd(const void *fdt, const char *name, struct kj_memmap *mm,
		  struct kj_err *err)
{
	int chosen = fdt_path_offset(fdt, "/chosen"), ls, le;
	const uint8_t *s, *e;
	uint64_t start, end;

	if (chosen < 0)
		return 0;
	s = fdt_getprop(fdt, chosen, "linux,initrd-start", &ls);
	e = fdt_getprop(fdt, chosen, "linux,initrd-end", &le);
	if (!s || !e || (ls != 4 && ls != 8) || (le != 4 && le != 8))
		return 0;
	start = cells(s, ls / 4);
	end = cells(e, le / 4);
	return end > start ? reserve(mm, start, end - start, name, err) : 0;
}

int kj_arm64_dt_memory(const void *fdt, size_t len, const char *name,
		       struct kj_memmap *mm, struct kj_err *err)
{
	const char *why = kj_fdt_check(fdt, len);
	size_t before = mm->n;
	int node, rmem, n, r = 0;

	if (why || fdt_check_full(fdt, len))
		return kj_fail(err, EINVAL, "%s: not a valid device tree (%s)",
			       name, why ? why : "libfdt");
	for (node = fdt_next_node(fdt, -1, NULL); node >= 0 && !r;
	     node = fdt_next_node(fdt, node, NULL)) {
		int tl;
		const char *type = fdt_getprop(fdt, node, "device_type", &tl);

		if (type && tl == 7 && !memcmp(type, "memory", 7))
			r = add_reg(fdt, node, true, name, mm, err);
	}
	if (r)
		return r;
	if (mm->n == before)
		return kj_fail(err, ENOENT, "%s: no memory nodes", name);
	n = fdt_num_mem_rsv(fdt);
	for (int i = 0; i < n && !r; i++) {
		uint64_t a, s;

		if (fdt_get_mem_rsv(fdt, i, &a, &s) == 0)
			r = reserve(mm, a, s, name, err);
	}
	rmem = fdt_path_offset(fdt, "/reserved-memory");
	if (rmem >= 0)
		fdt_for_each_subnode(node, fdt, rmem)
		{
			if (r)
				break;
			r = add_reg(fdt, node, false, name, mm, err);
		}
	return r ? r : initrd(fdt, name, mm, err);
}
