/* The arm64 purgatory's UART (arch/arm64/console_uart.c): an address, a
 * tty through a fixture /sys, the tree's stdout-path, the ACPI SPCR table
 * (QEMU virt's bytes) and every refusal. */
#include "testlib.h"

#include <errno.h>

#include "arch/arm64/console_uart.h"
#include "dtc_fixture.h"
#include "fixtures.h"

/* The SPCR table QEMU's virt machine gives (80 bytes, revision 2): a
 * PL011 at 0x9000000 in system memory. Only the fields read are set. */
static void qemu_spcr(uint8_t t[80])
{
	memset(t, 0, 80);
	memcpy(t, "SPCR", 4);
	t[4] = 80;
	t[8] = 2;
	t[36] = 0x03;	  /* ARM PL011 */
	t[40] = 0;	  /* system memory */
	t[41] = 8;	  /* bit width */
	t[44 + 3] = 0x09; /* address 0x09000000, little-endian */
}


static void spcr_table(void **state)
{
	struct kj_err err = { 0 };
	uint8_t t[80];
	uint64_t base = 0;

	qemu_spcr(t);
	assert_int_equal(kj_arm64_spcr_uart(t, sizeof(t), &base, &err), 0);
	assert_int_equal(base, 0x9000000);
	t[36] = 0x0e; /* SBSA generic UART: the same registers */
	assert_int_equal(kj_arm64_spcr_uart(t, sizeof(t), &base, &err), 0);
	t[36] = 0x00; /* a 16550 */
	assert_int_equal(kj_arm64_spcr_uart(t, sizeof(t), &base, &err),
			 -ENODEV);
	assert_non_null(strstr(err.msg, "UART type 0x00"));
	qemu_spcr(t);
	t[40] = 1; /* I/O space */
	assert_int_equal(kj_arm64_spcr_uart(t, sizeof(t), &base, &err),
			 -ENODEV);
	assert_non_null(strstr(err.msg, "not memory-mapped"));
	/* Cut short, lying about its length, not an SPCR table. */
	qemu_spcr(t);
	assert_int_equal(kj_arm64_spcr_uart(t, 51, &base, &err), -EINVAL);
	t[4] = 200;
	assert_int_equal(kj_arm64_spcr_uart(t, sizeof(t), &base, &err),
			 -EINVAL);
	qemu_spcr(t);
	t[0] = 'X';
	assert_int_equal(kj_arm64_spcr_uart(t, sizeof(t), &base, &err),
			 -EINVAL);
	assert_non_null(strstr(err.msg, "/sys/firmware/acpi/tables/SPCR"));
}

static void named_address(void **state)
{
	struct kj_err err = { 0 };
	const char *how = NULL;
	uint64_t base;

	assert_int_equal(
		kj_arm64_console_uart("0x9000000", NULL, 0, &base, &how, &err),
		0);
	assert_int_equal(base, 0x9000000);
	assert_string_equal(how, "--console-serial");
	assert_int_equal(
		kj_arm64_console_uart("0x9000001", NULL, 0, &base, &how, &err),
		-EINVAL);
	assert_non_null(strstr(err.msg, "4-byte aligned"));
	assert_int_equal(
		kj_arm64_console_uart("0x90zz", NULL, 0, &base, &how, &err),
		-EINVAL);
	assert_non_null(strstr(err.msg, "not a UART address"));
	assert_int_equal(kj_arm64_console_uart("0", NULL, 0, &base, &how, &err),
			 -EINVAL);
}

static void named_tty(void **state)
{
	char *root = kj_fx_mkroot();
	struct kj_err err = { 0 };
	const char *how;
	uint64_t base;

	/* What Linux 6.1 shows for QEMU virt's PL011 and for a 16550. */
	kj_fx_puts(root, "sys/class/tty/ttyAMA0/iomem_base", "0x9000000\n");
	kj_fx_puts(root, "sys/class/tty/ttyAMA0/type", "32\n");
	kj_fx_puts(root, "sys/class/tty/ttyS0/iomem_base", "0xFEDC9000\n");
	kj_fx_puts(root, "sys/class/tty/ttyS0/type", "4\n");
	kj_fx_puts(root, "sys/class/tty/tty1/iomem_base", "0x0\n");
	kj_fx_puts(root, "sys/class/tty/tty1/type", "0\n");
	assert_int_equal(
		kj_arm64_console_uart("ttyAMA0", NULL, 0, &base, &how, &err),
		0);
	assert_int_equal(base, 0x9000000);
	assert_int_equal(
		kj_arm64_console_uart("ttyS0", NULL, 0, &base, &how, &err),
		-ENODEV);
	assert_non_null(strstr(err.msg, "not a PL011"));
	assert_int_equal(
		kj_arm64_console_uart("tty1", NULL, 0, &base, &how, &err),
		-ENODEV);
	assert_non_null(strstr(err.msg, "not a memory-mapped UART"));
	assert_int_equal(
		kj_arm64_console_uart("ttyAMA7", NULL, 0, &base, &how, &err),
		-ENODEV);
	assert_non_null(strstr(err.msg, "/sys/class/tty/ttyAMA7/iomem_base: "
					"no such serial tty"));
	assert_int_equal(
		kj_arm64_console_uart("../../etc", NULL, 0, &base, &how, &err),
		-EINVAL);
	kj_fx_rmroot(root);
}

static void the_consoles(void **state)
{
	char *root = kj_fx_mkroot();
	struct kj_err err = { 0 };
	size_t qlen, ulen;
	uint8_t *qemu = kj_test_dtb("running-qemu-virt", NULL, &qlen);
	uint8_t *uefi = kj_test_dtb("running-uefi", NULL, &ulen);
	const char *how;
	uint64_t base;
	uint8_t t[80];

	assert_int_equal(
		kj_arm64_console_uart(NULL, qemu, qlen, &base, &how, &err), 0);
	assert_int_equal(base, 0x9000000);
	assert_string_equal(how, "stdout-path");
	/* The EFI stub's tree has no stdout-path: without SPCR, say how
	 * to name the UART; with it, SPCR's. */
	assert_int_equal(
		kj_arm64_console_uart(NULL, uefi, ulen, &base, &how, &err),
		-ENOENT);
	assert_non_null(strstr(err.msg, "--console-serial=0x9000000"));
	qemu_spcr(t);
	kj_fx_write(root, "sys/firmware/acpi/tables/SPCR", t, sizeof(t));
	assert_int_equal(
		kj_arm64_console_uart(NULL, uefi, ulen, &base, &how, &err), 0);
	assert_int_equal(base, 0x9000000);
	assert_string_equal(how, "ACPI SPCR");
	/* A named one wins over both. */
	assert_int_equal(kj_arm64_console_uart("0x9040000", qemu, qlen, &base,
					       &how, &err),
			 0);
	assert_int_equal(base, 0x9040000);
	free(qemu);
	free(uefi);
	kj_fx_rmroot(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spcr_table),
		cmocka_unit_test(named_address),
		cmocka_unit_test(named_tty),
		cmocka_unit_test(the_consoles),
	};

	return cmocka_run_group_tests_name("arm64_console_uart", tests, NULL,
					   NULL);
}
