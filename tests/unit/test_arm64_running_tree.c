/* What an unprivileged arm64 kjump reads instead of root's files: the
 * running tree rebuilt from /sys/firmware/devicetree/base (fs_tree.c)
 * and the memory map of a tree (dt_memory.c), over fixture trees. */
#include "testlib.h"

#include <errno.h>
#include <libfdt.h>

#include "arch/arm64/dt_memory.h"
#include "arch/arm64/fs_tree.h"
#include "dtc_fixture.h"
#include "fixtures.h"

static struct kj_memmap mm;


static bool reserved(uint64_t start, uint64_t end)
{
	for (size_t i = 0; i < mm.nreserved; i++)
		if (mm.reserved[i].start == start && mm.reserved[i].end == end)
			return true;
	return false;
}

static void memory_of_qemu_virt(void **state)
{
	struct kj_err err = { 0 };
	struct kj_range u[8];
	size_t len;
	uint8_t *t = kj_test_dtb("running-qemu-virt", NULL, &len);

	memset(&mm, 0, sizeof(mm));
	assert_int_equal(kj_arm64_dt_memory(t, len, "tree", &mm, &err), 0);
	assert_int_equal(mm.n, 1);
	assert_int_equal(mm.e[0].start, 0x40000000);
	assert_int_equal(mm.e[0].end, 0x80000000);
	assert_int_equal(mm.e[0].type, KJ_MEM_RAM);
	/* The running kernel's initrd is kept clear (whole pages). */
	assert_true(reserved(0x48000000, 0x48d4f000));
	assert_int_equal(kj_memmap_usable(&mm, false, u, 8), 2);
	assert_int_equal(u[0].end, 0x48000000);
	free(t);
}

static void memory_of_stale_tree(void **state)
{
	struct kj_err err = { 0 };
	size_t len;
	uint8_t *t = kj_test_dtb("stale", NULL, &len);

	memset(&mm, 0, sizeof(mm));
	assert_int_equal(kj_arm64_dt_memory(t, len, "tree", &mm, &err), 0);
	assert_int_equal(mm.n, 1);
	assert_int_equal(mm.e[0].start, 0x80000000);
	assert_int_equal(mm.e[0].end, 0xc0000000);
	/* /memreserve/, /reserved-memory (32-bit cells) and the initrd. */
	assert_int_equal(mm.nreserved, 4);
	assert_true(reserved(0x80000000, 0x80010000));
	assert_true(reserved(0x8ff00000, 0x90000000));
	assert_true(reserved(0x8e000000, 0x8e200000));
	assert_true(reserved(0x88000000, 0x88100000));
	free(t);
}

static void memory_refusals(void **state)
{
	struct kj_err err = { 0 };
	size_t len;
	uint8_t *t = kj_test_dtb("running-uefi", NULL, &len);

	/* The EFI stub's tree has no memory nodes: UEFI says. */
	memset(&mm, 0, sizeof(mm));
	assert_int_equal(kj_arm64_dt_memory(t, len, "tree", &mm, &err),
			 -ENOENT);
	assert_string_equal(err.msg, "tree: no memory nodes");
	t[0] ^= 0xff;
	assert_int_equal(kj_arm64_dt_memory(t, len, "tree", &mm, &err),
			 -EINVAL);
	assert_non_null(strstr(err.msg, "not a valid device tree"));
	free(t);
}

static void prop(const void *fdt, const char *path, const char *name,
		 const char *want, int want_len)
{
	int node = fdt_path_offset(fdt, path), len;
	const void *p;

	assert_true(node >= 0);
	p = fdt_getprop(fdt, node, name, &len);
	if (!want) {
		assert_null(p);
		return;
	}
	assert_non_null(p);
	assert_int_equal(len, want_len);
	assert_memory_equal(p, want, (size_t)want_len);
}

static void tree_from_sysfs(void **state)
{
	static const uint8_t reg[] = { 0, 0, 0, 0, 0x40, 0, 0, 0,
				       0, 0, 0, 0, 0x40, 0, 0, 0 };
	static const uint8_t two[] = { 0, 0, 0, 2 };
	char *root = kj_fx_mkroot();
	struct kj_err err = { 0 };
	uint8_t *fdt;
	size_t len;
	int node;

	/* What Linux shows under /sys/firmware/devicetree/base, with the
	 * "name" properties it makes up for every node. */
	kj_fx_write(root, "sys/dt/#address-cells", two, 4);
	kj_fx_write(root, "sys/dt/#size-cells", two, 4);
	kj_fx_write(root, "sys/dt/name", "", 1);
	kj_fx_write(root, "sys/dt/memory@40000000/reg", reg, sizeof(reg));
	kj_fx_write(root, "sys/dt/memory@40000000/device_type", "memory", 7);
	kj_fx_write(root, "sys/dt/memory@40000000/name", "memory", 7);
	kj_fx_write(root, "sys/dt/chosen/bootargs", "console=ttyAMA0", 16);
	kj_fx_write(root, "sys/dt/chosen/stdout-path", "/pl011@9000000", 15);
	kj_fx_write(root, "sys/dt/chosen/security-key", "x", 1);
	kj_fx_write(root, "sys/dt/pl011@9000000/compatible",
		    "arm,pl011\0arm,primecell", 24);
	kj_fx_write(root, "sys/dt/a/b/c/empty", "", 0);
	assert_int_equal(kj_arm64_fs_tree("/sys/dt", 1 << 20, &fdt, &len, &err),
			 0);
	assert_int_equal(fdt_check_full(fdt, len), 0);
	assert_int_equal(fdt_num_mem_rsv(fdt), 0);
	prop(fdt, "/", "#address-cells", (const char *)two, 4);
	prop(fdt, "/", "name", NULL, 0);
	prop(fdt, "/memory@40000000", "reg", (const char *)reg, sizeof(reg));
	prop(fdt, "/memory@40000000", "name", NULL, 0);
	prop(fdt, "/chosen", "bootargs", "console=ttyAMA0", 16);
	prop(fdt, "/chosen", "security-key", NULL, 0);
	prop(fdt, "/a/b/c", "empty", "", 0);
	/* Sorted: the same directory gives the same blob. */
	node = fdt_first_subnode(fdt, 0);
	assert_string_equal(fdt_get_name(fdt, node, NULL), "a");
	/* And its memory map is the one the tree says. */
	memset(&mm, 0, sizeof(mm));
	assert_int_equal(kj_arm64_dt_memory(fdt, len, "tree", &mm, &err), 0);
	assert_int_equal(mm.e[0].end, 0x80000000);
	free(fdt);

	/* Too big for the cap; nested too deep; not there. */
	assert_int_equal(kj_arm64_fs_tree("/sys/dt", 100, &fdt, &len, &err),
			 -E2BIG);
	{
		char rel[512] = "sys/deep";

		for (int i = 0; i <= KJ_ARM64_FS_TREE_DEPTH + 1; i++)
			strcat(rel, "/n");
		strcat(rel, "/p");
		kj_fx_write(root, rel, "", 0);
	}
	assert_int_equal(
		kj_arm64_fs_tree("/sys/deep", 1 << 20, &fdt, &len, &err),
		-ELOOP);
	assert_int_equal(
		kj_arm64_fs_tree("/sys/none", 1 << 20, &fdt, &len, &err),
		-ENOENT);
	assert_non_null(strstr(err.msg, "/sys/none"));
	kj_fx_rmroot(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(memory_of_qemu_virt),
		cmocka_unit_test(memory_of_stale_tree),
		cmocka_unit_test(memory_refusals),
		cmocka_unit_test(tree_from_sysfs),
	};

	return cmocka_run_group_tests_name("arm64_running_tree", tests, NULL,
					   NULL);
}
