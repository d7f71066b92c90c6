/* Option parsing in both spellings: kjump's own and kexec-tools'. */
#include "testlib.h"

#include <errno.h>

#include "cli/cli.h"

#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])))

static void kjump_load_full(void **state)
{
	char *argv[] = { "kjump", "load", "/boot/vmlinuz", "--initrd", "a.img",
			 "--initrd", "b.img", "--append", "quiet x=1",
			 "--reuse-cmdline", "--panic", "--syscall", "file",
			 "--type", "bzImage" };
	struct kj_cli cli;
	struct kj_err err = { 0 };

	assert_int_equal(kj_cli_parse_kjump(ARGC(argv), argv, &cli, &err), 0);
	assert_int_equal(cli.action, KJ_ACT_LOAD);
	assert_string_equal(cli.req.kernel, "/boot/vmlinuz");
	assert_int_equal(cli.req.n_initrds, 2);
	assert_string_equal(cli.req.initrds[0], "a.img");
	assert_string_equal(cli.req.initrds[1], "b.img");
	assert_string_equal(cli.append, "quiet x=1");
	assert_true(cli.reuse_cmdline);
	assert_true(cli.req.panic);
	assert_int_equal(cli.req.syscall, KJ_SYSCALL_FILE);
	assert_string_equal(cli.req.type, "bzImage");
	assert_false(cli.kexec_mode);
}

static void kjump_errors(void **state)
{
	struct kj_cli cli;
	struct kj_err err = { 0 };
	char *none[] = { "kjump" };
	char *unknown[] = { "kjump", "frobnicate" };
	char *missing[] = { "kjump", "load" };
	char *badopt[] = { "kjump", "load", "k", "--bogus" };
	char *noval[] = { "kjump", "load", "k", "--initrd" };
	char *wrongcmd[] = { "kjump", "status", "--initrd", "x" };
	char *extra[] = { "kjump", "load", "k", "k2" };
	char *badsys[] = { "kjump", "load", "k", "--syscall", "magic" };
	char *conflict[] = { "kjump", "load", "k", "--command-line", "x",
			     "--reuse-cmdline" };

	assert_true(kj_cli_parse_kjump(ARGC(none), none, &cli, &err) < 0);
	assert_true(kj_cli_parse_kjump(ARGC(unknown), unknown, &cli, &err) < 0);
	assert_non_null(strstr(err.msg, "frobnicate"));
	assert_true(kj_cli_parse_kjump(ARGC(missing), missing, &cli, &err) < 0);
	assert_non_null(strstr(err.msg, "missing KERNEL"));
	assert_true(kj_cli_parse_kjump(ARGC(badopt), badopt, &cli, &err) < 0);
	assert_non_null(strstr(err.msg, "--bogus"));
	assert_true(kj_cli_parse_kjump(ARGC(noval), noval, &cli, &err) < 0);
	assert_non_null(strstr(err.msg, "needs a value"));
	assert_true(kj_cli_parse_kjump(ARGC(wrongcmd), wrongcmd, &cli, &err) <
		    0);
	assert_non_null(strstr(err.msg, "does not apply"));
	assert_true(kj_cli_parse_kjump(ARGC(extra), extra, &cli, &err) < 0);
	assert_true(kj_cli_parse_kjump(ARGC(badsys), badsys, &cli, &err) < 0);
	assert_non_null(strstr(err.msg, "magic"));
	assert_true(kj_cli_parse_kjump(ARGC(conflict), conflict, &cli, &err) <
		    0);
}

static void kjump_other_commands(void **state)
{
	struct kj_cli cli;
	struct kj_err err = { 0 };
	char *exec[] = { "kjump", "exec", "--no-sync" };
	char *unload[] = { "kjump", "unload", "--panic" };
	char *status[] = { "kjump", "status", "--json" };
	char *inspect[] = { "kjump", "inspect", "--json", "vmlinuz" };
	char *help[] = { "kjump", "help", "load" };
	char *version[] = { "kjump", "--version" };

	assert_int_equal(kj_cli_parse_kjump(ARGC(exec), exec, &cli, &err), 0);
	assert_int_equal(cli.action, KJ_ACT_EXEC);
	assert_true(cli.no_sync);
	assert_int_equal(kj_cli_parse_kjump(ARGC(unload), unload, &cli, &err),
			 0);
	assert_true(cli.action == KJ_ACT_UNLOAD && cli.req.panic);
	assert_int_equal(kj_cli_parse_kjump(ARGC(status), status, &cli, &err),
			 0);
	assert_true(cli.action == KJ_ACT_STATUS && cli.req.json);
	assert_int_equal(kj_cli_parse_kjump(ARGC(inspect), inspect, &cli, &err),
			 0);
	assert_string_equal(cli.file, "vmlinuz");
	assert_int_equal(kj_cli_parse_kjump(ARGC(help), help, &cli, &err), 0);
	assert_string_equal(cli.help_topic, "load");
	assert_int_equal(kj_cli_parse_kjump(ARGC(version), version, &cli, &err),
			 0);
	assert_int_equal(cli.action, KJ_ACT_VERSION);
}

static void kexec_load_spelling(void **state)
{
	char *argv[] = { "kexec", "-s", "-l", "/boot/vmlinuz",
			 "--initrd=/boot/initrd.img", "--ramdisk", "b.img",
			 "--append=root=/dev/sda1 ro", "--reuse-cmdline", "-x",
			 "-y", "-i", "-d", "-t", "bzImage" };
	struct kj_cli cli;
	struct kj_err err = { 0 };

	assert_int_equal(kj_cli_parse_kexec(ARGC(argv), argv, &cli, &err), 0);
	assert_true(cli.kexec_mode);
	assert_int_equal(cli.action, KJ_ACT_LOAD);
	assert_string_equal(cli.req.kernel, "/boot/vmlinuz");
	assert_int_equal(cli.req.n_initrds, 2);
	assert_string_equal(cli.req.initrds[1], "b.img");
	assert_string_equal(cli.append, "root=/dev/sda1 ro");
	assert_true(cli.reuse_cmdline && cli.no_ifdown && cli.no_sync);
	assert_int_equal(cli.req.checks, KJ_CHECKS_NONE);
	assert_true(cli.req.verbose);
	assert_int_equal(cli.req.syscall, KJ_SYSCALL_FILE);
}

static void kexec_actions(void **state)
{
	struct kj_cli cli;
	struct kj_err err = { 0 };
	char *panic[] = { "kexec", "-p", "vmlinuz", "--command-line", "x" };
	char *unload[] = { "kexec", "-u", "-p" };
	char *exec[] = { "kexec", "-e" };
	char *status[] = { "kexec", "-S" };
	char *both[] = { "kexec", "vmlinuz", "-f" };
	char *mem[] = { "kexec", "-l", "vmlinuz", "--mem-min=16M",
			"--mem-max", "0x40000000", "-c" };
	char *module[] = { "kexec", "-l", "xen.gz", "--module",
			   "/boot/vmlinuz console=hvc0" };

	assert_int_equal(kj_cli_parse_kexec(ARGC(panic), panic, &cli, &err), 0);
	assert_true(cli.action == KJ_ACT_LOAD && cli.req.panic);
	assert_string_equal(cli.append, "x");
	assert_int_equal(kj_cli_parse_kexec(ARGC(unload), unload, &cli, &err),
			 0);
	assert_true(cli.action == KJ_ACT_UNLOAD && cli.req.panic);
	assert_int_equal(kj_cli_parse_kexec(ARGC(exec), exec, &cli, &err), 0);
	assert_int_equal(cli.action, KJ_ACT_EXEC);
	assert_int_equal(kj_cli_parse_kexec(ARGC(status), status, &cli, &err),
			 0);
	assert_int_equal(cli.action, KJ_ACT_STATUS);
	assert_int_equal(kj_cli_parse_kexec(ARGC(both), both, &cli, &err), 0);
	assert_int_equal(cli.action, KJ_ACT_LOAD_EXEC);
	assert_int_equal(kj_cli_parse_kexec(ARGC(mem), mem, &cli, &err), 0);
	assert_int_equal(cli.req.mem_min, 16ull << 20);
	assert_int_equal(cli.req.mem_max, 0x40000000ull);
	assert_int_equal(cli.req.syscall, KJ_SYSCALL_LOAD);
	assert_int_equal(kj_cli_parse_kexec(ARGC(module), module, &cli, &err),
			 0);
	assert_int_equal(cli.req.n_modules, 1);
	/* kexec-tools' "FILE ARGS": split once, into the file and its own
	 * arguments. */
	assert_string_equal(cli.req.modules[0].path, "/boot/vmlinuz");
	assert_string_equal(cli.req.modules[0].args, "console=hvc0");
}

static void kexec_errors(void **state)
{
	struct kj_cli cli;
	struct kj_err err = { 0 };
	char *nothing[] = { "kexec" };
	char *two[] = { "kexec", "-l", "-u", "k" };
	char *nokernel[] = { "kexec", "-l" };
	char *bad[] = { "kexec", "--frob" };
	char *badsize[] = { "kexec", "-l", "k", "--mem-min=12Q" };

	assert_true(kj_cli_parse_kexec(ARGC(nothing), nothing, &cli, &err) < 0);
	assert_non_null(strstr(err.msg, "nothing to do"));
	assert_true(kj_cli_parse_kexec(ARGC(two), two, &cli, &err) < 0);
	assert_true(kj_cli_parse_kexec(ARGC(nokernel), nokernel, &cli, &err) <
		    0);
	assert_non_null(strstr(err.msg, "no kernel"));
	assert_true(kj_cli_parse_kexec(ARGC(bad), bad, &cli, &err) < 0);
	assert_non_null(strstr(err.msg, "--frob"));
	assert_true(kj_cli_parse_kexec(ARGC(badsize), badsize, &cli, &err) < 0);
	assert_non_null(strstr(err.msg, "--mem-min"));
}

/* --checks=ALG in both spellings; -i / --no-checks is "none". */
static void checks_option(void **state)
{
	struct kj_cli cli;
	struct kj_err err = { 0 };
	char *plain[] = { "kjump", "load", "k" };
	char *sha[] = { "kjump", "load", "k", "--checks=sha256" };
	char *xxh[] = { "kjump", "load", "k", "--checks", "xxh64" };
	char *none[] = { "kjump", "load", "k", "--no-checks" };
	char *boot[] = { "kjump", "boot", "--checks=none", "--dry-run" };
	char *bad[] = { "kjump", "load", "k", "--checks=md5" };
	char *clash[] = { "kjump", "load", "k", "--checks=sha256",
			  "--no-checks" };
	char *status[] = { "kjump", "status", "--checks=sha256" };
	char *ksha[] = { "kexec", "-l", "k", "--checks=sha256" };
	char *ki[] = { "kexec", "-l", "k", "-i", "--checks=none" };
	char *kclash[] = { "kexec", "-l", "k", "-i", "--checks=xxh64" };

	assert_int_equal(kj_cli_parse_kjump(ARGC(plain), plain, &cli, &err), 0);
	assert_int_equal(cli.req.checks, KJ_CHECKS_DEFAULT);
	assert_int_equal(kj_cli_parse_kjump(ARGC(sha), sha, &cli, &err), 0);
	assert_int_equal(cli.req.checks, KJ_CHECKS_SHA256);
	assert_int_equal(kj_cli_parse_kjump(ARGC(xxh), xxh, &cli, &err), 0);
	assert_int_equal(cli.req.checks, KJ_CHECKS_XXH64);
	assert_int_equal(kj_cli_parse_kjump(ARGC(none), none, &cli, &err), 0);
	assert_int_equal(cli.req.checks, KJ_CHECKS_NONE);
	assert_int_equal(kj_cli_parse_kjump(ARGC(boot), boot, &cli, &err), 0);
	assert_int_equal(cli.req.checks, KJ_CHECKS_NONE);
	assert_int_equal(kj_cli_parse_kjump(ARGC(bad), bad, &cli, &err),
			 -EINVAL);
	assert_string_equal(err.msg,
			    "--checks takes xxh64, sha256 or none, not 'md5'");
	assert_int_equal(kj_cli_parse_kjump(ARGC(clash), clash, &cli, &err),
			 -EINVAL);
	assert_non_null(strstr(err.msg, "different choices"));
	assert_true(kj_cli_parse_kjump(ARGC(status), status, &cli, &err) < 0);
	assert_non_null(strstr(err.msg, "'--checks' does not apply"));

	assert_int_equal(kj_cli_parse_kexec(ARGC(ksha), ksha, &cli, &err), 0);
	assert_int_equal(cli.req.checks, KJ_CHECKS_SHA256);
	assert_int_equal(kj_cli_parse_kexec(ARGC(ki), ki, &cli, &err), 0);
	assert_int_equal(cli.req.checks, KJ_CHECKS_NONE);
	assert_int_equal(kj_cli_parse_kexec(ARGC(kclash), kclash, &cli, &err),
			 -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kjump_load_full),
		cmocka_unit_test(kjump_errors),
		cmocka_unit_test(kjump_other_commands),
		cmocka_unit_test(kexec_load_spelling),
		cmocka_unit_test(kexec_actions),
		cmocka_unit_test(kexec_errors),
		cmocka_unit_test(checks_option),
	};
	return cmocka_run_group_tests_name("cli_parse", tests, NULL, NULL);
}
