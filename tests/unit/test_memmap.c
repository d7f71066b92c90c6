#include "testlib.h"

#include <errno.h>
#include <string.h>

#include "arch/arch.h"
#include "fixtures.h"
#include "sys/sysroot.h"

static struct kj_memmap mm;

static void test_firmware_memmap(void **state)
{
	struct kj_err err;
	struct kj_range r[8];

	kj_fx_sysroot("memmap-qemu");
	assert_int_equal(kj_arch_memmap_read(&mm, &err), 0);
	assert_string_equal(mm.source, "/sys/firmware/memmap");
	assert_int_equal(mm.n, 8);
	assert_int_equal(mm.e[0].start, 0);
	assert_int_equal(mm.e[0].end, 0x9fc00);
	assert_int_equal(mm.e[0].type, KJ_MEM_RAM);
	assert_int_equal(mm.e[1].type, KJ_MEM_RESERVED);
	assert_int_equal(mm.e[7].start, 0x100000000);
	assert_int_equal(mm.e[7].end, 0x140000000);
	/* The crash region comes from /proc/iomem, nested in System RAM. */
	assert_int_equal(mm.ncrash, 1);
	assert_int_equal(mm.crash[0].start, 0x2b000000);
	assert_int_equal(mm.crash[0].end, 0x33000000);

	/* Usable: RAM minus what iomem says is taken (page 0, reserved by
	 * the kernel) and minus the crash region. */
	assert_int_equal(kj_memmap_usable(&mm, false, r, 8), 4);
	assert_int_equal(r[0].start, 0x1000);
	assert_int_equal(r[0].end, 0x9fc00);
	assert_int_equal(r[1].start, 0x100000);
	assert_int_equal(r[1].end, 0x2b000000);
	assert_int_equal(r[2].start, 0x33000000);
	assert_int_equal(r[2].end, 0xbffe0000);
	assert_int_equal(r[3].start, 0x100000000);
	assert_int_equal(kj_memmap_usable(&mm, true, r, 8), 1);
	assert_int_equal(r[0].start, 0x2b000000);
}

static void test_iomem_fallback(void **state)
{
	struct kj_err err;
	struct kj_range r[8];

	kj_fx_sysroot("memmap-iomem");
	assert_int_equal(kj_arch_memmap_read(&mm, &err), 0);
	assert_string_equal(mm.source, "/proc/iomem");
	/* Top-level lines of known types only; nested and PCI skipped. */
	assert_int_equal(mm.n, 8);
	assert_int_equal(mm.e[1].start, 0x1000);
	assert_int_equal(mm.e[1].end, 0x9f000);
	assert_int_equal(mm.e[4].type, KJ_MEM_ACPI);
	assert_int_equal(mm.e[5].type, KJ_MEM_NVS);
	assert_int_equal(mm.e[6].type, KJ_MEM_UNUSABLE);
	assert_int_equal(mm.e[7].type, KJ_MEM_PMEM);
	assert_int_equal(mm.ncrash, 0);
	assert_int_equal(kj_memmap_usable(&mm, false, r, 8), 2);
	assert_int_equal(kj_memmap_usable(&mm, true, r, 8), 0);
}

static void test_iomem_nonroot(void **state)
{
	struct kj_err err;

	kj_fx_sysroot("memmap-nonroot");
	assert_int_equal(kj_arch_memmap_read(&mm, &err), -EPERM);
	assert_non_null(strstr(err.msg, "/proc/iomem: every address reads as 0"));
	assert_true(mm.iomem_zeroed);
}

static void test_missing(void **state)
{
	struct kj_err err;

	kj_fx_sysroot("does-not-exist");
	assert_int_equal(kj_arch_memmap_read(&mm, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "/proc/iomem"));
}

static void test_iomem_garbage(void **state)
{
	static const char *const bad[] = {
		"zzzz\n",
		"1000-1fff : System RAM\n100-fff System RAM\n",
		"10000000000000000-10000000000000fff : System RAM\n", /* > 2^64 */
		"1000-1fff:System RAM\n",
		"-1000 : System RAM\n",
	};
	struct kj_err err;

	/* A line that does not parse makes the whole map untrusted: an
	 * error naming the line, never a partial map used quietly. */
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&mm, 0, sizeof(mm));
		assert_int_equal(kj_memmap_parse_iomem(&mm, bad[i], true, &err),
				 -EINVAL);
		assert_non_null(strstr(err.msg, "/proc/iomem: line "));
	}
	assert_non_null(strstr(err.msg, "line 1 "));
	/* Empty and wrapped ranges parse, and hold nothing. */
	memset(&mm, 0, sizeof(mm));
	assert_int_equal(kj_memmap_parse_iomem(&mm,
					       "2000-1000 : System RAM\n"
					       "fffffffffffffff0-ffffffffffffffff : System RAM\n"
					       "\n"
					       "1000-1fff : System RAM",
					       true, &err),
			 0);
	assert_int_equal(mm.n, 1);
	assert_int_equal(mm.e[0].start, 0x1000);
	assert_int_equal(mm.e[0].end, 0x2000);
}

static void test_reserved_inside_ram(void **state)
{
	struct kj_err err;
	struct kj_range r[8];

	/* The reproducer: a reservation inside System RAM (nested,
	 * or overlapping at the top level) is never used for segments. */
	memset(&mm, 0, sizeof(mm));
	assert_int_equal(kj_memmap_parse_iomem(&mm,
					       "00100000-bffdffff : System RAM\n"
					       "  00800000-7fffffff : Reserved\n"
					       "  01000000-01e00c16 : Kernel code\n",
					       true, &err),
			 0);
	assert_int_equal(mm.nreserved, 1);
	assert_int_equal(kj_memmap_usable(&mm, false, r, 8), 2);
	assert_int_equal(r[0].start, 0x100000);
	assert_int_equal(r[0].end, 0x800000);
	assert_int_equal(r[1].start, 0x80000000);
	assert_int_equal(r[1].end, 0xbffe0000);
	memset(&mm, 0, sizeof(mm));
	assert_int_equal(kj_memmap_parse_iomem(&mm,
					       "00100000-bffdffff : System RAM\n"
					       "00800000-7fffffff : Reserved\n"
					       "20000000-2fffffff : ACPI Tables\n",
					       true, &err),
			 0);
	assert_int_equal(kj_memmap_usable(&mm, false, r, 8), 2);
	assert_int_equal(r[1].start, 0x80000000);
	/* No room to split: the lower piece stays, nothing overlaps. */
	assert_int_equal(kj_memmap_usable(&mm, false, r, 1), 1);
	assert_int_equal(r[0].end, 0x800000);
}

static void test_view(void **state)
{
	struct kj_err err;
	struct kj_memmap_entry e[KJ_MEMMAP_RANGES_MAX];
	size_t n;

	kj_fx_sysroot("memmap-qemu");
	assert_int_equal(kj_arch_memmap_read(&mm, &err), 0);
	n = kj_memmap_view(&mm, false, 0xa0000, e, 64);
	assert_int_equal(n, 8);
	assert_int_equal(e[3].start, 0x100000);
	assert_int_equal(e[3].end - e[3].start, 0xbfee0000);
	assert_int_equal(e[3].type, KJ_MEM_RAM);

	/* Panic: low 640 KiB, the crash region, and all non-RAM. */
	n = kj_memmap_view(&mm, true, 0xa0000, e, 64);
	assert_int_equal(n, 7);
	assert_int_equal(e[0].start, 0);
	assert_int_equal(e[0].end, 0x9fc00);
	assert_int_equal(e[0].type, KJ_MEM_RAM);
	assert_int_equal(e[3].start, 0x2b000000);
	assert_int_equal(e[3].end - e[3].start, 0x8000000);
	assert_int_equal(e[3].type, KJ_MEM_RAM);
	for (size_t i = 4; i < n; i++)
		assert_int_equal(e[i].type, KJ_MEM_RESERVED);
	/* As firmware numbers the types (e820, Multiboot). */
	assert_int_equal(kj_memmap_firmware_type(KJ_MEM_RAM), 1);
	assert_int_equal(kj_memmap_firmware_type(KJ_MEM_NVS), 4);
	assert_int_equal(kj_memmap_firmware_type(KJ_MEM_PRAM), 12);
	assert_int_equal(kj_memmap_firmware_type(KJ_MEM_SOFT_RESERVED),
			 0xefffffffu);
}

static void test_add_limits(void **state)
{
	struct kj_err err;

	memset(&mm, 0, sizeof(mm));
	for (int i = 0; i < KJ_MEMMAP_MAX; i++)
		assert_int_equal(kj_memmap_add(&mm, (uint64_t)(KJ_MEMMAP_MAX - i) << 12,
					       ((uint64_t)(KJ_MEMMAP_MAX - i) << 12) + 0x800,
					       KJ_MEM_RAM, &err),
				 0);
	assert_int_equal(mm.e[0].start, 0x1000); /* sorted */
	assert_int_equal(kj_memmap_add(&mm, 0, 1, KJ_MEM_RAM, &err), -E2BIG);
	assert_int_equal(kj_memmap_add(&mm, 5, 5, KJ_MEM_RAM, &err), -EINVAL);
	assert_string_equal(kj_memmap_type_name(KJ_MEM_NVS),
			    "ACPI Non-volatile Storage");
	assert_int_equal(kj_memmap_type("PCI Bus 0000:00"), 0);
}

static void test_firmware_gap_and_size(void **state)
{
	struct kj_err err;
	char *root = kj_fx_mkroot(), big[70000];

	/* Entries 0 and 2 but no 1: the map would be partial. */
	kj_fx_puts(root, "sys/firmware/memmap/0/start", "0x0\n");
	kj_fx_puts(root, "sys/firmware/memmap/0/end", "0x9fbff\n");
	kj_fx_puts(root, "sys/firmware/memmap/0/type", "System RAM\n");
	kj_fx_puts(root, "sys/firmware/memmap/2/start", "0x100000\n");
	kj_fx_puts(root, "sys/firmware/memmap/2/end", "0x3fffffff\n");
	kj_fx_puts(root, "sys/firmware/memmap/2/type", "System RAM\n");
	kj_fx_puts(root, "proc/iomem", "00100000-3fffffff : System RAM\n");
	assert_int_equal(kj_arch_memmap_read(&mm, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "/sys/firmware/memmap: 2 entries "
					"numbered up to 2: a gap"));
	kj_fx_rmroot(root);

	/* A /proc file larger than the reader allows is refused, not cut. */
	root = kj_fx_mkroot();
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	kj_fx_puts(root, "proc/cmdline", big);
	{
		char *text;

		assert_int_equal(kj_sys_read("/proc/cmdline", 65536, &text,
					     NULL, &err),
				 -EFBIG);
		assert_string_equal(err.msg, "/proc/cmdline: larger than 65536 bytes");
		big[65536] = '\0';
		kj_fx_puts(root, "proc/cmdline", big);
		assert_int_equal(kj_sys_read("/proc/cmdline", 65536, &text,
					     NULL, &err),
				 0);
		assert_int_equal(strlen(text), 65536);
		free(text);
	}
	kj_fx_rmroot(root);
}

/* arm64 has no /sys/firmware/memmap: /proc/iomem is its whole map. The
 * real text of Debian's arm64 cloud kernel in QEMU's virt machine
 * (fixtures/arm64-iomem/README), through the same parser. */
static char *arm64_iomem(const char *name)
{
	static char buf[1 << 16];
	char path[512];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), KJ_FIXTURES "/arm64-iomem/%s", name);
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

static bool overlaps(const struct kj_range *r, size_t n, uint64_t a,
		     uint64_t b)
{
	for (size_t i = 0; i < n; i++)
		if (a < r[i].end && r[i].start < b)
			return true;
	return false;
}

static size_t count_ram(void)
{
	size_t n = 0;

	for (size_t i = 0; i < mm.n; i++)
		n += mm.e[i].type == KJ_MEM_RAM;
	return n;
}

static void test_arm64_device_tree_boot(void **state)
{
	struct kj_range u[64];
	struct kj_err err;
	size_t n;

	memset(&mm, 0, sizeof(mm));
	assert_int_equal(kj_memmap_parse_iomem(&mm,
			 arm64_iomem("qemu-virt-dtb-crashkernel.txt"), true,
			 &err), 0);
	assert_int_equal(count_ram(), 1);
	assert_int_equal(mm.e[0].start, 0x40000000);
	assert_int_equal(mm.e[0].end, 0x80000000);
	assert_int_equal(mm.ncrash, 1);
	assert_int_equal(mm.crash[0].start, 0x72c00000);
	assert_int_equal(mm.crash[0].end, 0x7ac00000);

	n = kj_memmap_usable(&mm, false, u, 64);
	/* The running kernel may be overwritten (it is copied over at
	 * exec) ... */
	assert_true(inside(u, n, 0x40210000, 0x41590000));
	/* ... its initrd, the tree's reservations and the crash kernel
	 * not; nor the devices below RAM. */
	assert_false(overlaps(u, n, 0x48000000, 0x48d4f000));
	assert_false(overlaps(u, n, 0x72c00000, 0x7ac00000));
	assert_false(overlaps(u, n, 0x7fdfa000, 0x80000000));
	assert_false(overlaps(u, n, 0, 0x40000000));
	assert_true(inside(u, n, 0x41caf000 + 0x1000, 0x48000000));
	for (size_t i = 1; i < n; i++)
		assert_true(u[i].start >= u[i - 1].end);

	n = kj_memmap_usable(&mm, true, u, 64);
	assert_int_equal(n, 1);
	assert_int_equal(u[0].start, 0x72c00000);
	assert_int_equal(u[0].end, 0x7ac00000);
}

static void test_arm64_uefi_boot(void **state)
{
	struct kj_range u[64];
	struct kj_err err;
	size_t n;

	memset(&mm, 0, sizeof(mm));
	assert_int_equal(kj_memmap_parse_iomem(&mm,
			 arm64_iomem("qemu-virt-uefi-crashkernel.txt"), true,
			 &err), 0);
	/* Firmware holes split the RAM; top-level reserved is not RAM. */
	assert_int_equal(count_ram(), 3);
	assert_int_equal(mm.ncrash, 1);
	n = kj_memmap_usable(&mm, false, u, 64);
	assert_false(overlaps(u, n, 0x7c440000, 0x7c730000)); /* no-map */
	assert_false(overlaps(u, n, 0x6c200000, 0x74200000)); /* crash */
	/* The UEFI memory map the next kernel reads stays reserved. */
	assert_false(overlaps(u, n, 0x7b6e0000, 0x7b6f0000));
	assert_false(overlaps(u, n, 0x7ffe0000, 0x80000000));
	assert_true(inside(u, n, 0x40000000, 0x6c200000));
	/* A panic load: the crash region, nothing else. */
	n = kj_memmap_usable(&mm, true, u, 64);
	assert_int_equal(n, 1);
	assert_int_equal(u[0].start, 0x6c200000);
	assert_int_equal(u[0].end, 0x74200000);
}

/* A fuzzer's find: the same crash region twice (or two overlapping)
 * must not give a panic load the same memory twice. */
static void test_crash_regions_repeated(void **state)
{
	struct kj_range r[8];
	struct kj_err err;

	memset(&mm, 0, sizeof(mm));
	assert_int_equal(kj_memmap_parse_iomem(&mm,
					       "40000000-7fffffff : System RAM\n"
					       "  60000000-67ffffff : Crash kernel\n"
					       "  60000000-67ffffff : Crash kernel\n"
					       "  64000000-6bffffff : Crash kernel\n",
					       true, &err),
			 0);
	assert_int_equal(mm.ncrash, 3);
	assert_int_equal(kj_memmap_usable(&mm, true, r, 8), 1);
	assert_int_equal(r[0].start, 0x60000000);
	assert_int_equal(r[0].end, 0x6c000000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_firmware_memmap),
		cmocka_unit_test(test_iomem_fallback),
		cmocka_unit_test(test_iomem_nonroot),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_iomem_garbage),
		cmocka_unit_test(test_reserved_inside_ram),
		cmocka_unit_test(test_firmware_gap_and_size),
		cmocka_unit_test(test_view),
		cmocka_unit_test(test_add_limits),
		cmocka_unit_test(test_arm64_device_tree_boot),
		cmocka_unit_test(test_arm64_uefi_boot),
		cmocka_unit_test(test_crash_regions_repeated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
