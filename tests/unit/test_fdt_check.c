/* The structural device tree check (core/fdt_check.c): sound trees pass,
 * every kind of damage is named, including the ones Debian's libfdt
 * 1.6.1 loops on. */
#include "testlib.h"

#include <libfdt.h>

#include "core/fdt_check.h"

/* A small tree built with libfdt's sequential writer: root with one
 * property, /chosen with bootargs, one memreserve entry. */
static uint8_t *tree(size_t *len)
{
	static uint8_t buf[4096];

	assert_int_equal(fdt_create(buf, sizeof(buf)), 0);
	assert_int_equal(fdt_add_reservemap_entry(buf, 0x80000000, 0x1000), 0);
	assert_int_equal(fdt_finish_reservemap(buf), 0);
	assert_int_equal(fdt_begin_node(buf, ""), 0);
	assert_int_equal(fdt_property_u32(buf, "#address-cells", 2), 0);
	assert_int_equal(fdt_begin_node(buf, "chosen"), 0);
	assert_int_equal(fdt_property_string(buf, "bootargs", "quiet"), 0);
	assert_int_equal(fdt_end_node(buf), 0);
	assert_int_equal(fdt_end_node(buf), 0);
	assert_int_equal(fdt_finish(buf), 0);
	*len = fdt_totalsize(buf);
	return buf;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Offset of the first FDT_PROP in the structure block. */
static size_t first_prop(const uint8_t *t)
{
	size_t off = fdt_off_dt_struct(t);

	/* FDT_BEGIN_NODE, "" padded to 4 bytes, then the property. */
	assert_int_equal(kj_fdt32(t + off), KJ_FDT_BEGIN_NODE);
	assert_int_equal(kj_fdt32(t + off + 8), KJ_FDT_PROP);
	return off + 8;
}

static void expect(const uint8_t *t, size_t len, const char *why)
{
	const char *got = kj_fdt_check(t, len);

	if (!got)
		fail_msg("accepted, expected \"%s\"", why);
	if (strcmp(got, why))
		fail_msg("\"%s\", expected \"%s\"", got, why);
}

static void accepts_sound_trees(void **state)
{
	size_t len;
	uint8_t *t = tree(&len);

	assert_null(kj_fdt_check(t, len));
	assert_int_equal(fdt_check_full(t, len), 0);
	/* A longer buffer than totalsize is fine. */
	assert_null(kj_fdt_check(t, 4096));
}

static void names_header_damage(void **state)
{
	static uint8_t t[4096];
	size_t len;
	const uint8_t *good = tree(&len);

	memcpy(t, good, sizeof(t));
	expect(NULL, 0, "too short for a device tree header");
	expect(t, 39, "too short for a device tree header");
	expect(t, len - 1, "totalsize beyond the buffer");
	t[0] ^= 1;
	expect(t, len, "no device tree magic");
	t[0] ^= 1;
	put32(t + 20, 16);
	expect(t, len, "not a version 17 device tree");
	put32(t + 20, 17);
	put32(t + 36, 0xffffff00); /* size_dt_struct */
	expect(t, len, "structure block outside the tree");
	put32(t + 36, fdt_size_dt_struct(tree(&len)));
	put32(t + 32, 0x7fffffff); /* size_dt_strings */
	expect(t, len, "strings block outside the tree");
	put32(t + 32, fdt_size_dt_strings(tree(&len)));
	put32(t + 16, 4); /* off_mem_rsvmap */
	expect(t, len, "memory reservation map inside the header");
	put32(t + 16, 44);
	expect(t, len, "memory reservation map not 8-byte aligned");
}

static void names_structure_damage(void **state)
{
	static uint8_t t[4096];
	size_t len, p;
	const uint8_t *good = tree(&len);

	memcpy(t, good, sizeof(t));
	p = first_prop(t);
	/* The length that wraps libfdt 1.6.1's offset (it then loops). */
	put32(t + p + 4, 0xfffffff8);
	expect(t, len, "property value runs past the structure");
	put32(t + p + 4, 4);
	put32(t + p + 8, 0x10000); /* nameoff */
	expect(t, len, "property name outside the strings");
	put32(t + p + 8, 0);
	put32(t + p, 7);
	expect(t, len, "unknown structure tag");
	put32(t + p, KJ_FDT_END_NODE); /* closes the root early */
	expect(t, len, "something after the root node");
	put32(t + p, KJ_FDT_PROP);
	t[fdt_off_dt_struct(t) + 4] = 'x'; /* root name */
	expect(t, len, "root node has a name");
}

static void names_nesting_and_rsvmap_damage(void **state)
{
	static uint8_t buf[1 << 16];
	size_t len;

	/* KJ_FDT_MAX_DEPTH + 1 nested nodes. */
	assert_int_equal(fdt_create(buf, sizeof(buf)), 0);
	assert_int_equal(fdt_finish_reservemap(buf), 0);
	assert_int_equal(fdt_begin_node(buf, ""), 0);
	for (int i = 0; i < KJ_FDT_MAX_DEPTH; i++)
		assert_int_equal(fdt_begin_node(buf, "n"), 0);
	for (int i = 0; i <= KJ_FDT_MAX_DEPTH; i++)
		assert_int_equal(fdt_end_node(buf), 0);
	assert_int_equal(fdt_finish(buf), 0);
	expect(buf, fdt_totalsize(buf), "nodes nested too deeply");

	/* A reservation map whose terminator would lie past the end. */
	{
		const uint8_t *t = tree(&len);

		memcpy(buf, t, len);
	}
	put32(buf + 16, (uint32_t)(len - 8) & ~7u);
	expect(buf, len, "memory reservation map runs past the end");
	/* One without a terminator within KJ_FDT_MAX_RSV entries. */
	assert_int_equal(fdt_create(buf, sizeof(buf)), 0);
	for (int i = 0; i <= KJ_FDT_MAX_RSV; i++)
		assert_int_equal(fdt_add_reservemap_entry(buf, 4096 * i, 1), 0);
	assert_int_equal(fdt_finish_reservemap(buf), 0);
	assert_int_equal(fdt_begin_node(buf, ""), 0);
	assert_int_equal(fdt_end_node(buf), 0);
	assert_int_equal(fdt_finish(buf), 0);
	expect(buf, fdt_totalsize(buf),
	       "memory reservation map has too many entries");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepts_sound_trees),
		cmocka_unit_test(names_header_damage),
		cmocka_unit_test(names_structure_damage),
		cmocka_unit_test(names_nesting_and_rsvmap_damage),
	};
	return cmocka_run_group_tests_name("fdt_check", tests, NULL, NULL);
}
