/* The arm64 probe's device tree walker (probe/arm64/dt.c), built for the
 * host: over any tree that passes kj_fdt_check, every walk the probe does
 * (paths, children, properties, cells, string lists, the reservation map)
 * stays inside the buffer. ASan sees a read past it: the copy is exactly
 * the input's size. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../probe/arm64/dt.c"

static void walk(const struct dt *t, int node, int depth, uint64_t *sink)
{
	static const char *const names[] = {
		"reg",
		"compatible",
		"device_type",
		"bootargs",
		"stdout-path",
		"linux,initrd-start",
		"#address-cells",
		"#size-cells",
		"method",
	};
	uint32_t len;

	if (depth > 70)
		abort(); /* kj_fdt_check caps nesting at 64 */
	*sink += dt_cells(t, node, "#address-cells");
	*sink += dt_cells(t, node, "#size-cells");
	*sink += dt_name(t, node)[0];
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const uint8_t *p = dt_prop(t, node, names[i], &len);

		if (!p)
			continue;
		*sink += dt_has_string(p, len, "memory");
		for (uint32_t off = 0; off + 8 <= len; off += 8)
			*sink += dt_read_cells(p + off, 2);
		if (len)
			*sink += p[len - 1];
	}
	for (int c = dt_first_child(t, node); c >= 0; c = dt_next_sibling(t, c))
		walk(t, c, depth + 1, sink);
}

static volatile uint64_t keep;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = {
		"/",	 "/chosen",  "/memory",	       "/reserved-memory",
		"/psci", "/aliases", "/pl011@9000000", "/soc/serial",
		"//x//", "/a/b/c",
	};
	uint8_t *copy = malloc(size ? size : 1);
	uint64_t sink = 0, a, s;
	struct dt t;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	if (!dt_open(&t, copy, size)) {
		walk(&t, dt_root(&t), 0, &sink);
		for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
			sink += (uint64_t)dt_path(&t, paths[i],
						  strlen(paths[i]));
		for (unsigned int i = 0; dt_memreserve(&t, i, &a, &s); i++)
			sink += a + s;
	}
	free(copy);
	keep = sink; /* keep the walk from being optimised away */
	return 0;
}
