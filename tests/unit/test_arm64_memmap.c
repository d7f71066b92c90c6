/* arm64 usable memory from /proc/iomem (arch/arm64/memmap.c), over the
 * real text of an arm64 VM (tests/unit/fixtures/arm64-iomem/). */
#include "testlib.h"

#include <errno.h>

#include "arch/arm64/memmap.h"

#define FX "tests/unit/fixtures/arm64-iomem/"

static char *slurp(const char *name)
{
	char path[512];
	static char buf[1 << 20];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), FX "%s", name);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static bool inside(const struct kj_range *r, size_t n, uint64_t a, uint64_t b)
{
	for (size_t i = 0; i < n; i++)
		if (a >= r[i].start && b <= r[i].end)
			return true;
	return false;
}

static bool overlaps(const struct kj_range *r, size_t n, uint64_t a, uint64_t b)
{
	for (size_t i = 0; i < n; i++)
		if (a < r[i].end && r[i].start < b)
			return true;
	return false;
}

static void device_tree_boot(void **state)
{
	static struct kj_arm64_iomem m;
	struct kj_range u[64];
	struct kj_err err = { 0 };
	size_t n;

	assert_int_equal(kj_arm64_iomem_parse(slurp("qemu-virt-dtb-crashkernel"
						    ".txt"),
					      &m, &err),
			 0);
	assert_int_equal(m.nram, 1);
	assert_int_equal(m.ram[0].start, 0x40000000);
	assert_int_equal(m.ram[0].end, 0x80000000);
	assert_int_equal(m.ncrash, 1);
	assert_int_equal(m.crash[0].start, 0x72c00000);
	assert_int_equal(m.crash[0].end, 0x7ac00000);
	assert_int_equal(m.nreserved, 10);

	n = kj_arm64_usable(&m, false, u, 64);
	/* The running kernel may be overwritten ... */
	assert_true(inside(u, n, 0x40210000, 0x41590000));
	/* ... its initrd, the DTB's reservations and the crash kernel not. */
	assert_false(overlaps(u, n, 0x48000000, 0x48d4f000));
	assert_false(overlaps(u, n, 0x72c00000, 0x7ac00000));
	assert_false(overlaps(u, n, 0x7fdfa000, 0x80000000));
	assert_true(inside(u, n, 0x41caf000 + 0x1000, 0x48000000));
	for (size_t i = 1; i < n; i++)
		assert_true(u[i].start >= u[i - 1].end);

	n = kj_arm64_usable(&m, true, u, 64);
	assert_int_equal(n, 1);
	assert_int_equal(u[0].start, 0x72c00000);
	assert_int_equal(u[0].end, 0x7ac00000);
}

static void uefi_boot(void **state)
{
	static struct kj_arm64_iomem m;
	struct kj_range u[64];
	struct kj_err err = { 0 };
	size_t n;

	assert_int_equal(kj_arm64_iomem_parse(slurp("qemu-virt-uefi-"
						    "crashkernel.txt"),
					      &m, &err),
			 0);
	/* Firmware holes split the RAM; top-level reserved is not RAM. */
	assert_int_equal(m.nram, 3);
	assert_int_equal(m.ram[1].start, 0x7c730000);
	assert_int_equal(m.ncrash, 1);
	n = kj_arm64_usable(&m, false, u, 64);
	assert_false(overlaps(u, n, 0x7c440000, 0x7c730000)); /* no-map */
	assert_false(overlaps(u, n, 0x6c200000, 0x74200000)); /* crash */
	/* The UEFI memory map the next kernel reads stays reserved. */
	assert_false(overlaps(u, n, 0x7b6e0000, 0x7b6f0000));
	assert_false(overlaps(u, n, 0x7ffe0000, 0x80000000));
	assert_true(inside(u, n, 0x40000000, 0x6c200000));
}

static void not_root_and_broken_text(void **state)
{
	static struct kj_arm64_iomem m;
	struct kj_err err = { 0 };
	struct kj_range u[4];

	assert_int_equal(
		kj_arm64_iomem_parse("00000000-00000000 : System RAM\n"
				     "  00000000-00000000 : reserved\n",
				     &m, &err),
		-EPERM);
	assert_non_null(strstr(err.msg, "only root"));
	assert_int_equal(
		kj_arm64_iomem_parse("09000000-09000fff : pl011\n", &m, &err),
		-ENOENT);
	/* Garbage lines are skipped, good ones still count. */
	assert_int_equal(
		kj_arm64_iomem_parse("junk\n-1 : x\n"
				     "fffffffffffffffff-1 : System RAM\n"
				     "40000000-4fffffff : System RAM\r\n"
				     "  40001000-40001fff : reserved",
				     &m, &err),
		0);
	assert_int_equal(m.nram, 1);
	assert_int_equal(kj_arm64_usable(&m, false, u, 4), 2);
	assert_int_equal(u[0].end, 0x40001000);
	assert_int_equal(u[1].start, 0x40002000);
	/* Output is capped. */
	assert_int_equal(kj_arm64_usable(&m, false, u, 1), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(device_tree_boot),
		cmocka_unit_test(uefi_boot),
		cmocka_unit_test(not_root_and_broken_text),
	};
	return cmocka_run_group_tests_name("arm64_memmap", tests, NULL, NULL);
}
