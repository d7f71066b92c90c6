/* The options issue 12 adds to both spellings: --entry-32bit and
 * --real-mode (kexec-tools' names for the bzImage entries) and
 * --uki-profile N (load, and inspect in kjump's spelling). */
#include "testlib.h"

#include "cli/cli.h"

#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])))

static void test_kjump_spelling(void **state)
{
	char *load[] = { "kjump",	  "load",	   "k",
			 "--entry-32bit", "--uki-profile", "3" };
	char *real[] = { "kjump", "load", "k", "--real-mode" };
	char *inspect[] = { "kjump", "inspect", "u.efi", "--uki-profile", "1" };
	char *status[] = { "kjump", "status", "--real-mode" };
	char *bad[] = { "kjump", "load", "k", "--uki-profile", "256" };
	char *neg[] = { "kjump", "load", "k", "--uki-profile", "-1" };
	char *junk[] = { "kjump", "load", "k", "--uki-profile", "1x" };
	struct kj_cli cli;
	struct kj_err err = { 0 };

	(void)state;
	assert_int_equal(kj_cli_parse_kjump(ARGC(load), load, &cli, &err), 0);
	assert_true(cli.req.entry_32bit);
	assert_false(cli.req.real_mode);
	assert_int_equal(cli.req.uki_profile, 3);
	assert_int_equal(kj_cli_parse_kjump(ARGC(real), real, &cli, &err), 0);
	assert_true(cli.req.real_mode);
	assert_int_equal(cli.req.uki_profile, 0);
	assert_int_equal(kj_cli_parse_kjump(ARGC(inspect), inspect, &cli, &err),
			 0);
	assert_int_equal(cli.req.uki_profile, 1);
	assert_true(kj_cli_parse_kjump(ARGC(status), status, &cli, &err) < 0);
	assert_non_null(strstr(err.msg, "does not apply"));
	assert_true(kj_cli_parse_kjump(ARGC(bad), bad, &cli, &err) < 0);
	assert_string_equal(err.msg, "--uki-profile takes a profile number (0 "
				     "to 255), not '256'");
	assert_true(kj_cli_parse_kjump(ARGC(neg), neg, &cli, &err) < 0);
	assert_true(kj_cli_parse_kjump(ARGC(junk), junk, &cli, &err) < 0);
}

static void test_kexec_spelling(void **state)
{
	char *argv[] = { "kexec", "-l", "vmlinuz", "--real-mode",
			 "--uki-profile=2" };
	char *e32[] = { "kexec", "-l", "vmlinuz", "--entry-32bit", "-c" };
	struct kj_cli cli;
	struct kj_err err = { 0 };

	(void)state;
	assert_int_equal(kj_cli_parse_kexec(ARGC(argv), argv, &cli, &err), 0);
	assert_true(cli.req.real_mode);
	assert_int_equal(cli.req.uki_profile, 2);
	assert_int_equal(kj_cli_parse_kexec(ARGC(e32), e32, &cli, &err), 0);
	assert_true(cli.req.entry_32bit);
	assert_int_equal(cli.req.syscall, KJ_SYSCALL_LOAD);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kjump_spelling),
		cmocka_unit_test(test_kexec_spelling),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
