/* --console-serial / kexec-tools' arm64 --serial= and --dtb, per arch:
 * x86 parses an I/O port; arm64 keeps the value for the arch (a PL011
 * address or a tty name, resolved at load time). */
#include "testlib.h"

#include "arch/arch.h"
#include "cli/cli.h"

#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])))

static void console_serial(void **state)
{
	char *bare[] = { "kjump", "load", "k", "--console-serial" };
	char *port[] = { "kjump", "load", "k", "--console-serial=ttyS1" };
	char *mmio[] = { "kjump", "load", "k", "--console-serial=0x9000000" };
	char *tty[] = { "kexec", "-l", "k", "--console-serial=ttyAMA0" };
	bool arm64 = kj_arch_this() == KJ_ARCH_ARM64;
	struct kj_err err = { 0 };
	struct kj_cli cli;

	assert_int_equal(kj_cli_parse_kjump(ARGC(bare), bare, &cli, &err), 0);
	assert_true(cli.req.console_serial);
	assert_null(cli.req.console_uart);
	if (!arm64) {
		assert_int_equal(cli.req.console_serial, 0x3f8);
		assert_int_equal(
			kj_cli_parse_kjump(ARGC(port), port, &cli, &err), 0);
		assert_int_equal(cli.req.console_serial, 0x2f8);
		/* No I/O port: refused at once on x86. */
		assert_true(kj_cli_parse_kjump(ARGC(mmio), mmio, &cli, &err) <
			    0);
		assert_true(kj_cli_parse_kexec(ARGC(tty), tty, &cli, &err) < 0);
		return;
	}
	assert_int_equal(kj_cli_parse_kjump(ARGC(mmio), mmio, &cli, &err), 0);
	assert_true(cli.req.console_serial);
	assert_string_equal(cli.req.console_uart, "0x9000000");
	assert_int_equal(kj_cli_parse_kexec(ARGC(tty), tty, &cli, &err), 0);
	assert_string_equal(cli.req.console_uart, "ttyAMA0");
}

static void kexec_serial(void **state)
{
	char *serial[] = { "kexec", "-l", "k", "--serial=ttyAMA0" };
	struct kj_err err = { 0 };
	struct kj_cli cli;
	int r = kj_cli_parse_kexec(ARGC(serial), serial, &cli, &err);

	if (kj_arch_this() == KJ_ARCH_ARM64) {
		assert_int_equal(r, 0);
		assert_true(cli.req.console_serial);
		assert_string_equal(cli.req.console_uart, "ttyAMA0");
	} else {
		/* kexec-tools' x86 --serial only picks a port: refused by
		 * name, never ignored. */
		assert_true(r < 0);
		assert_non_null(strstr(err.msg, "--serial=ttyAMA0"));
	}
}

static void dtb_both_spellings(void **state)
{
	char *kjump[] = { "kjump", "load", "k", "--dtb", "board.dtb" };
	char *kexec[] = { "kexec", "-l", "k", "--dtb=board.dtb" };
	struct kj_err err = { 0 };
	struct kj_cli cli;

	assert_int_equal(kj_cli_parse_kjump(ARGC(kjump), kjump, &cli, &err), 0);
	assert_string_equal(cli.req.dtb, "board.dtb");
	assert_int_equal(kj_cli_parse_kexec(ARGC(kexec), kexec, &cli, &err), 0);
	assert_string_equal(cli.req.dtb, "board.dtb");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(console_serial),
		cmocka_unit_test(kexec_serial),
		cmocka_unit_test(dtb_both_spellings),
	};
	return cmocka_run_group_tests_name("cli_serial", tests, NULL, NULL);
}
