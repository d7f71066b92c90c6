/* The arm64 probe's own device tree walker (probe/arm64/dt.c, built for
 * the host here) against libfdt over the fixture trees: the same nodes
 * in the same order at the same offsets, the same property values, the
 * same path lookups, the same reservation map. */
#include "testlib.h"

#include <libfdt.h>

#include "../../probe/arm64/dt.c"
#include "dtc_fixture.h"


/* Every node, depth first (preorder), as the probe's walker sees it. */
static size_t dfs(const struct dt *t, int node, int *out, size_t n)
{
	out[n++] = node;
	for (int c = dt_first_child(t, node); c >= 0; c = dt_next_sibling(t, c))
		n = dfs(t, c, out, n);
	return n;
}

static void same_props(const struct dt *t, const void *fdt, int node)
{
	static const char *const props[] = { "reg",	    "compatible",
					     "device_type", "bootargs",
					     "stdout-path", "ranges" };

	assert_string_equal(dt_name(t, node), fdt_get_name(fdt, node, NULL));
	for (size_t i = 0; i < sizeof(props) / sizeof(props[0]); i++) {
		uint32_t len;
		int llen;
		const uint8_t *a = dt_prop(t, node, props[i], &len);
		const void *b = fdt_getprop(fdt, node, props[i], &llen);

		assert_int_equal(a != NULL, b != NULL);
		if (a) {
			assert_int_equal(len, (uint32_t)llen);
			assert_ptr_equal(a, b);
		}
	}
}

static void walks_like_libfdt(void **state)
{
	static const char *const trees[] = { "running-qemu-virt",
					     "running-uefi", "stale",
					     "no-chosen" };
	static const char *const paths[] = {
		"/chosen",
		"/memory",
		"/memory@40000000",
		"/psci",
		"/pl011@9000000",
		"/soc/serial@1c090000",
		"/reserved-memory",
		"/reserved-memory/secmon",
		"/nope",
		"/",
	};

	for (size_t i = 0; i < sizeof(trees) / sizeof(trees[0]); i++) {
		size_t len;
		uint8_t *fdt = kj_test_dtb(trees[i], NULL, &len);
		struct dt t;
		uint64_t a, s, la, ls;
		unsigned int r;

		assert_null(dt_open(&t, fdt, len));
		/* Node offsets are structure-block offsets in both. */
		for (size_t p = 0; p < sizeof(paths) / sizeof(paths[0]); p++) {
			int want = fdt_path_offset(fdt, paths[p]);
			int got = dt_path(&t, paths[p], strlen(paths[p]));

			if (want < 0)
				want = -1;
			if (got != want)
				fail_msg("%s %s: %d, libfdt %d", trees[i],
					 paths[p], got, want);
		}
		for (r = 0; dt_memreserve(&t, r, &a, &s); r++) {
			assert_int_equal(fdt_get_mem_rsv(fdt, (int)r, &la, &ls),
					 0);
			assert_int_equal(a, la);
			assert_int_equal(s, ls);
		}
		assert_int_equal((int)r, fdt_num_mem_rsv(fdt));
		{
			static int mine[4096];
			size_t n = dfs(&t, dt_root(&t), mine, 0), k = 0;
			int depth = 0;

			/* libfdt 1.6.1 ends with the FDT_END offset and
			 * depth -1. */
			for (int o = 0; o >= 0 && depth >= 0;
			     o = fdt_next_node(fdt, o, &depth)) {
				assert_true(k < n);
				assert_int_equal(mine[k], o);
				same_props(&t, fdt, o);
				k++;
			}
			assert_int_equal(k, n);
		}
		free(fdt);
	}
}

static void refuses_what_the_check_refuses(void **state)
{
	size_t len;
	uint8_t *fdt = kj_test_dtb("stale", NULL, &len);
	struct dt t;

	assert_non_null(dt_open(&t, fdt, 39));
	assert_non_null(dt_open(&t, fdt, len - 1));
	fdt[0] ^= 1;
	assert_string_equal(dt_open(&t, fdt, len), "no device tree magic");
	free(fdt);
}

static void cells_and_string_lists(void **state)
{
	size_t len;
	uint8_t *fdt = kj_test_dtb("stale", NULL, &len);
	const uint8_t *p;
	struct dt t;
	uint32_t plen;
	int soc;

	assert_null(dt_open(&t, fdt, len));
	assert_int_equal(dt_cells(&t, dt_root(&t), "#address-cells"), 1);
	soc = dt_path(&t, "/soc", 4);
	assert_true(soc >= 0);
	p = dt_prop(&t, dt_path(&t, "/soc/serial@1c090000", 20), "compatible",
		    &plen);
	assert_non_null(p);
	assert_true(dt_has_string(p, plen, "arm,primecell"));
	assert_true(dt_has_string(p, plen, "arm,pl011"));
	assert_false(dt_has_string(p, plen, "arm,pl01"));
	p = dt_prop(&t, dt_path(&t, "/memory", 7), "reg", &plen);
	assert_int_equal(plen, 8);
	assert_int_equal(dt_read_cells(p, 1), 0x80000000);
	/* no-chosen has no /chosen and default-less cells. */
	free(fdt);
	fdt = kj_test_dtb("no-chosen", NULL, &len);
	assert_null(dt_open(&t, fdt, len));
	assert_int_equal(dt_path(&t, "/chosen", 7), -1);
	free(fdt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(walks_like_libfdt),
		cmocka_unit_test(refuses_what_the_check_refuses),
		cmocka_unit_test(cells_and_string_lists),
	};
	return cmocka_run_group_tests_name("probe_arm64_dt", tests, NULL, NULL);
}
