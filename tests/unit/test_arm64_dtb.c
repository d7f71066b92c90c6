/* The next arm64 kernel's device tree (arch/arm64/dtb.c) and the console
 * UART lookup (stdout_uart.c), over fixture trees compiled here with dtc
 * from the .dts files in tests/unit/fixtures/dtb/. */
#include "testlib.h"

#include <errno.h>
#include <libfdt.h>

#include "arch/arm64/dtb.h"
#include "arch/arm64/stdout_uart.h"
#include "dtc_fixture.h"

#define MIB (1ull << 20)


static uint8_t seed[KJ_ARM64_SEED_BYTES];

static int setup(void **state)
{
	for (size_t i = 0; i < sizeof(seed); i++)
		seed[i] = (uint8_t)(0xa5 ^ i);
	return 0;
}

static const void *prop(const void *fdt, const char *path, const char *name,
			int *len)
{
	int node = fdt_path_offset(fdt, path);

	assert_true(node >= 0);
	return fdt_getprop(fdt, node, name, len);
}

static uint64_t prop_u64(const void *fdt, const char *name)
{
	int len;
	const uint8_t *p = prop(fdt, "/chosen", name, &len);

	assert_non_null(p);
	assert_int_equal(len, 8);
	return fdt64_ld((const fdt64_t *)p);
}

static void assert_absent(const void *fdt, const char *name)
{
	int len;

	if (prop(fdt, "/chosen", name, &len))
		fail_msg("/chosen/%s should be gone", name);
}

static uint8_t *build_ok(const struct kj_arm64_dtb_req *r, size_t *len)
{
	struct kj_err err = { 0 };
	uint8_t *out;

	if (kj_arm64_dtb_build(r, &out, len, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(fdt_check_full(out, *len), 0);
	assert_int_equal(fdt_totalsize(out), *len);
	return out;
}

static void normal_load_over_the_running_tree(void **state)
{
	size_t blen, len;
	/* QEMU's tree is 1 MiB with padding in /sys/firmware/fdt. */
	uint8_t *base = kj_test_dtb("running-qemu-virt", "-S 1048576", &blen);
	struct kj_arm64_dtb_req r = {
		.running = base,
		.running_len = blen,
		.cmdline = "console=ttyAMA0 kj_stage=2",
		.initrd_addr = 0x48200000,
		.initrd_size = 0x123457,
		.rng_seed = seed,
		.rng_seed_len = sizeof(seed),
	};
	uint8_t *out = build_ok(&r, &len);
	const uint8_t *p;
	int plen;

	assert_int_equal(blen, MIB);
	assert_true(len < 16 * 1024); /* packed */
	assert_string_equal(prop(out, "/chosen", "bootargs", &plen),
			    "console=ttyAMA0 kj_stage=2");
	assert_int_equal(prop_u64(out, "linux,initrd-start"), 0x48200000);
	assert_int_equal(prop_u64(out, "linux,initrd-end"),
			 0x48200000 + 0x123457);
	p = prop(out, "/chosen", "kaslr-seed", &plen);
	assert_int_equal(plen, 8);
	assert_memory_equal(p, seed, 8);
	p = prop(out, "/chosen", "rng-seed", &plen);
	assert_int_equal(plen, KJ_ARM64_RNG_SEED_LEN);
	assert_memory_equal(p, seed + 8, KJ_ARM64_RNG_SEED_LEN);
	assert_absent(out, "linux,elfcorehdr");
	assert_absent(out, "linux,usable-memory-range");
	/* The rest is the running tree's. */
	assert_string_equal(prop(out, "/chosen", "stdout-path", &plen),
			    "/pl011@9000000");
	p = prop(out, "/memory@40000000", "reg", &plen);
	assert_int_equal(plen, 16);
	assert_int_equal(fdt64_ld((const fdt64_t *)(p + 8)), 0x40000000);
	assert_string_equal(prop(out, "/psci", "method", &plen), "hvc");
	free(out);
	free(base);
}

static void no_initrd_and_no_seed_remove_stale_ones(void **state)
{
	size_t blen, len;
	uint8_t *base = kj_test_dtb("running-qemu-virt", NULL, &blen);
	struct kj_arm64_dtb_req r = {
		.running = base,
		.running_len = blen,
		.cmdline = "quiet",
	};
	uint8_t *out = build_ok(&r, &len);

	assert_absent(out, "linux,initrd-start");
	assert_absent(out, "linux,initrd-end");
	assert_absent(out, "kaslr-seed");
	assert_absent(out, "rng-seed");
	free(out);
	/* Exactly a kaslr-seed and nothing for rng-seed. */
	r.rng_seed = seed;
	r.rng_seed_len = KJ_ARM64_KASLR_SEED_LEN;
	out = build_ok(&r, &len);
	assert_int_equal(prop_u64(out, "kaslr-seed"),
			 fdt64_ld((const fdt64_t *)seed));
	assert_absent(out, "rng-seed");
	free(out);
	free(base);
}

static void keeps_uefi_properties(void **state)
{
	static const char *const keep[] = {
		"linux,uefi-system-table",  "linux,uefi-mmap-start",
		"linux,uefi-mmap-size",	    "linux,uefi-mmap-desc-size",
		"linux,uefi-mmap-desc-ver", "linux,uefi-secure-boot",
	};
	size_t blen, len;
	uint8_t *base = kj_test_dtb("running-uefi", NULL, &blen);
	struct kj_arm64_dtb_req r = {
		.running = base,
		.running_len = blen,
		.cmdline = "console=ttyAMA0 acpi=force",
		.initrd_addr = 0x60000000,
		.initrd_size = 4096,
		.rng_seed = seed,
		.rng_seed_len = sizeof(seed),
	};
	uint8_t *out = build_ok(&r, &len);

	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
		int l1, l2;
		const void *a = prop(base, "/chosen", keep[i], &l1);
		const void *b = prop(out, "/chosen", keep[i], &l2);

		assert_non_null(a);
		if (!b)
			fail_msg("%s lost", keep[i]);
		assert_int_equal(l1, l2);
		assert_memory_equal(a, b, (size_t)l1);
	}
	assert_int_equal(prop_u64(out, "linux,initrd-start"), 0x60000000);
	free(out);
	free(base);
}

static void normal_load_drops_crash_properties_keeps_the_rest(void **state)
{
	size_t blen, len;
	uint8_t *base = kj_test_dtb("stale", NULL, &blen);
	struct kj_arm64_dtb_req r = {
		.running = base,
		.running_len = blen,
		.cmdline = "new",
		.rng_seed = seed,
		.rng_seed_len = sizeof(seed),
	};
	uint8_t *out = build_ok(&r, &len);
	uint64_t a, s;
	int plen;

	assert_absent(out, "linux,elfcorehdr");
	assert_absent(out, "linux,usable-memory-range");
	assert_absent(out, "linux,initrd-start");
	assert_string_equal(prop(out, "/chosen", "bootargs", &plen), "new");
	assert_non_null(prop(out, "/chosen", "linux,uefi-system-table", &plen));
	assert_non_null(
		prop(out, "/reserved-memory/secmon@8e000000", "no-map", &plen));
	assert_int_equal(fdt_num_mem_rsv(out), 2);
	assert_int_equal(fdt_get_mem_rsv(out, 1, &a, &s), 0);
	assert_int_equal(a, 0x8ff00000);
	assert_int_equal(s, 0x100000);
	free(out);
	free(base);
}

static void panic_load_sets_elfcorehdr_and_usable_ranges(void **state)
{
	/* Two crash regions given low first: the high one goes first. */
	static const struct kj_range crash[] = { { 0x60000000, 0x68000000 },
						 { 0x880000000, 0x8a0000000 } };
	size_t blen, len;
	uint8_t *base = kj_test_dtb("running-qemu-virt", NULL, &blen);
	struct kj_arm64_dtb_req r = {
		.running = base,
		.running_len = blen,
		.cmdline = "crash",
		.initrd_addr = 0x880100000,
		.initrd_size = 0x1000,
		.panic = true,
		.elfcorehdr_addr = 0x89ff00000,
		.elfcorehdr_size = 0x10000,
		.usable = crash,
		.n_usable = 2,
	};
	uint8_t *out = build_ok(&r, &len);
	const uint8_t *p;
	int plen;

	p = prop(out, "/chosen", "linux,elfcorehdr", &plen);
	assert_int_equal(plen, 16);
	assert_int_equal(fdt64_ld((const fdt64_t *)p), 0x89ff00000);
	assert_int_equal(fdt64_ld((const fdt64_t *)(p + 8)), 0x10000);
	p = prop(out, "/chosen", "linux,usable-memory-range", &plen);
	assert_int_equal(plen, 32);
	assert_int_equal(fdt64_ld((const fdt64_t *)p), 0x880000000);
	assert_int_equal(fdt64_ld((const fdt64_t *)(p + 8)), 0x20000000);
	assert_int_equal(fdt64_ld((const fdt64_t *)(p + 16)), 0x60000000);
	assert_int_equal(fdt64_ld((const fdt64_t *)(p + 24)), 0x8000000);
	free(out);
	free(base);
}

static void panic_load_with_32bit_root_cells(void **state)
{
	static const struct kj_range crash[] = { { 0x98000000, 0xa0000000 } };
	static const struct kj_range high[] = { { 0x100000000, 0x110000000 } };
	struct kj_err err = { 0 };
	size_t blen, len;
	uint8_t *base = kj_test_dtb("stale", NULL, &blen), *out;
	struct kj_arm64_dtb_req r = {
		.running = base,
		.running_len = blen,
		.panic = true,
		.elfcorehdr_addr = 0x9ff00000,
		.elfcorehdr_size = 0x2000,
		.usable = crash,
		.n_usable = 1,
	};
	const uint8_t *p;
	int plen;

	out = build_ok(&r, &len);
	p = prop(out, "/chosen", "linux,elfcorehdr", &plen);
	assert_int_equal(plen, 8);
	assert_int_equal(fdt32_ld((const fdt32_t *)p), 0x9ff00000);
	assert_int_equal(fdt32_ld((const fdt32_t *)(p + 4)), 0x2000);
	p = prop(out, "/chosen", "linux,usable-memory-range", &plen);
	assert_int_equal(plen, 8);
	assert_int_equal(fdt32_ld((const fdt32_t *)p), 0x98000000);
	assert_int_equal(fdt32_ld((const fdt32_t *)(p + 4)), 0x8000000);
	assert_string_equal(prop(out, "/chosen", "bootargs", &plen), "");
	free(out);

	/* A region above 4 GiB cannot be written in one cell. */
	r.usable = high;
	assert_int_equal(kj_arm64_dtb_build(&r, &out, &len, &err), -ERANGE);
	assert_non_null(strstr(err.msg, "does not fit the root's 1/1 cells"));
	/* Panic loads need the header and 1 or 2 regions. */
	r.usable = crash;
	r.n_usable = 0;
	assert_true(kj_arm64_dtb_build(&r, &out, &len, &err) < 0);
	assert_non_null(strstr(err.msg, "1 or 2 crash regions"));
	r.n_usable = 1;
	r.elfcorehdr_size = 0;
	assert_true(kj_arm64_dtb_build(&r, &out, &len, &err) < 0);
	assert_non_null(strstr(err.msg, "ELF core header"));
	free(base);
}

static void dtb_option_wins_and_gains_a_chosen_node(void **state)
{
	size_t rlen, dlen, len;
	uint8_t *running = kj_test_dtb("running-qemu-virt", NULL, &rlen);
	uint8_t *file = kj_test_dtb("no-chosen", NULL, &dlen);
	struct kj_arm64_dtb_req r = {
		.dtb = file,
		.dtb_len = dlen,
		.dtb_name = "board.dtb",
		.running = running,
		.running_len = rlen,
		.cmdline = "root=/dev/vda",
	};
	uint8_t *out = build_ok(&r, &len);
	int plen;

	assert_string_equal(prop(out, "/kjump-test", "marker", &plen),
			    "from --dtb");
	assert_string_equal(prop(out, "/chosen", "bootargs", &plen),
			    "root=/dev/vda");
	free(out);
	free(file);
	free(running);
}

static void expect_fail(const uint8_t *base, size_t len, const char *what)
{
	struct kj_arm64_dtb_req r = {
		.dtb = base,
		.dtb_len = len,
		.dtb_name = "bad.dtb",
	};
	struct kj_err err = { 0 };
	uint8_t *out = (uint8_t *)1;
	size_t olen = 1;

	assert_true(kj_arm64_dtb_build(&r, &out, &olen, &err) < 0);
	assert_null(out);
	assert_int_equal(olen, 0);
	if (!strstr(err.msg, what))
		fail_msg("expected \"%s\" in \"%s\"", what, err.msg);
}

static void refuses_broken_trees(void **state)
{
	size_t len;
	uint8_t *good = kj_test_dtb("stale", NULL, &len);
	uint8_t *bad = malloc(len);
	struct kj_arm64_dtb_req none = { .cmdline = "x" };
	struct kj_err err = { 0 };
	uint8_t *out;
	size_t olen;

	assert_int_equal(kj_arm64_dtb_build(&none, &out, &olen, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "/sys/firmware/fdt: no device tree"));

	expect_fail(good, 20, "bad.dtb: 20 bytes, too short");
	memcpy(bad, good, len);
	bad[0] = 0;
	expect_fail(bad, len, "bad.dtb: not a device tree (no magic)");
	expect_fail(good, len - 1, "bad.dtb: truncated: the header says");
	/* A property length running off the structure block. */
	memcpy(bad, good, len);
	{
		uint32_t off = fdt_off_dt_struct(bad);

		/* FDT_BEGIN_NODE "", then the first FDT_PROP's length. */
		assert_int_equal(fdt32_ld((fdt32_t *)(bad + off + 8)), 3);
		fdt32_st(bad + off + 12, 0x7fffff00);
	}
	expect_fail(bad, len, "bad.dtb: malformed device tree");
	free(bad);
	free(good);
}

static void refuses_a_result_over_2mib(void **state)
{
	size_t blen, len;
	uint8_t *base = kj_test_dtb("running-uefi", NULL, &blen), *out;
	char *huge = malloc(KJ_ARM64_DTB_MAX);
	struct kj_err err = { 0 };
	struct kj_arm64_dtb_req r = {
		.running = base,
		.running_len = blen,
		.cmdline = huge,
	};

	memset(huge, 'x', KJ_ARM64_DTB_MAX - 1);
	huge[KJ_ARM64_DTB_MAX - 1] = '\0';
	assert_int_equal(kj_arm64_dtb_build(&r, &out, &len, &err), -EFBIG);
	assert_non_null(strstr(err.msg, "booting.rst allows 2097152"));
	free(huge);
	free(base);
}

static void finds_the_console_pl011(void **state)
{
	struct kj_err err = { 0 };
	uint64_t uart = 0;
	size_t len;
	uint8_t *t = kj_test_dtb("running-qemu-virt", NULL, &len);

	assert_int_equal(kj_arm64_stdout_uart(t, len, "fdt", &uart, &err), 0);
	assert_int_equal(uart, 0x9000000);
	free(t);

	/* By alias, with options, behind a bus's ranges. */
	t = kj_test_dtb("stale", NULL, &len);
	assert_int_equal(kj_arm64_stdout_uart(t, len, "fdt", &uart, &err), 0);
	assert_int_equal(uart, 0x7c090000);
	free(t);

	t = kj_test_dtb("running-uefi", NULL, &len);
	assert_int_equal(kj_arm64_stdout_uart(t, len, "fdt", &uart, &err),
			 -ENOENT);
	assert_non_null(strstr(err.msg, "fdt: /chosen has no stdout-path"));
	free(t);
}

static void console_that_is_no_pl011(void **state)
{
	struct kj_err err = { 0 };
	uint64_t uart = 0;
	size_t len, olen;
	uint8_t *t = kj_test_dtb("no-chosen", NULL, &len), *out;
	struct kj_arm64_dtb_req r = { .dtb = t, .dtb_len = len };
	int chosen;

	/* No /chosen at all. */
	assert_int_equal(kj_arm64_stdout_uart(t, len, "b.dtb", &uart, &err),
			 -ENOENT);
	/* With one pointing at the 16550 by alias. */
	assert_int_equal(kj_arm64_dtb_build(&r, &out, &olen, &err), 0);
	out = realloc(out, olen + 256);
	assert_int_equal(fdt_open_into(out, out, (int)olen + 256), 0);
	chosen = fdt_path_offset(out, "/chosen");
	assert_int_equal(fdt_setprop_string(out, chosen, "stdout-path",
					    "serial0:115200"),
			 0);
	assert_int_equal(
		kj_arm64_stdout_uart(out, olen + 256, "b.dtb", &uart, &err),
		-ENODEV);
	assert_non_null(strstr(err.msg, "b.dtb: the console \"serial0:115200\" "
					"is not a PL011 (compatible "
					"\"ns16550a\")"));
	/* A path that names nothing. */
	assert_int_equal(
		fdt_setprop_string(out, chosen, "stdout-path", "/nowhere"), 0);
	assert_int_equal(
		kj_arm64_stdout_uart(out, olen + 256, "b.dtb", &uart, &err),
		-ENOENT);
	/* Garbage. */
	assert_int_equal(
		kj_arm64_stdout_uart("nonsense", 8, "b.dtb", &uart, &err),
		-EINVAL);
	free(out);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(normal_load_over_the_running_tree),
		cmocka_unit_test(no_initrd_and_no_seed_remove_stale_ones),
		cmocka_unit_test(keeps_uefi_properties),
		cmocka_unit_test(
			normal_load_drops_crash_properties_keeps_the_rest),
		cmocka_unit_test(panic_load_sets_elfcorehdr_and_usable_ranges),
		cmocka_unit_test(panic_load_with_32bit_root_cells),
		cmocka_unit_test(dtb_option_wins_and_gains_a_chosen_node),
		cmocka_unit_test(refuses_broken_trees),
		cmocka_unit_test(refuses_a_result_over_2mib),
		cmocka_unit_test(finds_the_console_pl011),
		cmocka_unit_test(console_that_is_no_pl011),
	};
	return cmocka_run_group_tests_name("arm64_dtb", tests, setup, NULL);
}
