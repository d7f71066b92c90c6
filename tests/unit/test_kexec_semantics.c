/* The kexec spelling means what kexec-tools means (issue 11): the action
 * rules, -S's answer and slot, every kexec-tools 2.0.32 option taken by
 * name (implemented, or refused with the reason), and --dry-run that
 * executes and unloads nothing. */
#include "testlib.h"

#include <errno.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "sys/execute.h"

#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])))

static struct kj_cli cli;
static struct kj_err err;

static int parse(int argc, char **argv)
{
	memset(&err, 0, sizeof(err));
	return kj_cli_parse_kexec(argc, argv, &cli, &err);
}

#define PARSE(...)                                        \
	({                                                \
		char *argv_[] = { "kexec", __VA_ARGS__ }; \
		parse(ARGC(argv_), argv_);                \
	})

static void no_action_loads_then_shuts_down(void **state)
{
	assert_int_equal(PARSE("/boot/vmlinuz", "--append=quiet"), 0);
	assert_int_equal(cli.action, KJ_ACT_LOAD_SHUTDOWN);
	assert_string_equal(cli.req.kernel, "/boot/vmlinuz");
	/* -f: load and start at once, no shutdown(8) */
	assert_int_equal(PARSE("-f", "/boot/vmlinuz"), 0);
	assert_int_equal(cli.action, KJ_ACT_LOAD_EXEC);
	assert_int_equal(PARSE("/boot/vmlinuz", "--force"), 0);
	assert_int_equal(cli.action, KJ_ACT_LOAD_EXEC);
	/* -l only loads, -e only starts */
	assert_int_equal(PARSE("-l", "/boot/vmlinuz"), 0);
	assert_int_equal(cli.action, KJ_ACT_LOAD);
	assert_int_equal(PARSE("-e"), 0);
	assert_int_equal(cli.action, KJ_ACT_EXEC);
	/* -x and -y modify the start */
	assert_int_equal(PARSE("-e", "-x", "-y"), 0);
	assert_true(cli.no_ifdown && cli.no_sync);
	/* ZFSBootMenu's `kexec -e -i`: -i changes nothing at exec time */
	assert_int_equal(PARSE("-e", "-i"), 0);
	assert_int_equal(cli.action, KJ_ACT_EXEC);
	/* -f without a kernel (or -f -e) starts what is loaded */
	assert_int_equal(PARSE("-f", "-e"), 0);
	assert_int_equal(cli.action, KJ_ACT_EXEC);
	assert_int_equal(PARSE("-p", "/boot/vmlinuz"), 0);
	assert_true(cli.action == KJ_ACT_LOAD && cli.req.panic);
	assert_int_equal(PARSE("-l", "-p", "/boot/vmlinuz"), 0);
	assert_true(cli.action == KJ_ACT_LOAD && cli.req.panic);
}

static void status_answers_for_the_chosen_slot(void **state)
{
	/* The crash kernel by default, -l the normal one, -p the crash
	 * one; it supersedes every other option and loads nothing. */
	assert_int_equal(PARSE("-S"), 0);
	assert_true(cli.action == KJ_ACT_STATUS && cli.req.panic);
	assert_int_equal(PARSE("-S", "-l"), 0);
	assert_true(cli.action == KJ_ACT_STATUS && !cli.req.panic);
	assert_int_equal(PARSE("-l", "-S", "-p"), 0);
	assert_true(cli.action == KJ_ACT_STATUS && cli.req.panic);
	assert_int_equal(PARSE("--status", "--load-preserve-context"), 0);
	assert_true(cli.action == KJ_ACT_STATUS && !cli.req.panic);
	assert_int_equal(
		PARSE("-S", "-l", "/boot/vmlinuz", "-e", "-u", "--initrd=x"),
		0);
	assert_true(cli.action == KJ_ACT_STATUS && !cli.req.panic);
}

static void unload_slots(void **state)
{
	assert_int_equal(PARSE("-u"), 0);
	assert_true(cli.action == KJ_ACT_UNLOAD && !cli.req.panic);
	assert_int_equal(PARSE("-p", "-u"), 0);
	assert_true(cli.action == KJ_ACT_UNLOAD && cli.req.panic);
	assert_int_equal(PARSE("-u", "-p"), 0);
	assert_true(cli.action == KJ_ACT_UNLOAD && cli.req.panic);
	/* kdump-tools: kexec -s -p -u */
	assert_int_equal(PARSE("-s", "-p", "-u"), 0);
	assert_true(cli.action == KJ_ACT_UNLOAD && cli.req.panic &&
		    cli.req.syscall == KJ_SYSCALL_FILE);
}

static void contradictions_are_refused(void **state)
{
	assert_true(PARSE("-l", "/boot/vmlinuz", "-e") < 0);
	assert_non_null(strstr(err.msg, "two different actions"));
	assert_true(PARSE("-l", "-u") < 0);
	assert_true(PARSE("-u", "-e") < 0);
	assert_true(PARSE("-p", "/k", "-f") < 0);
	assert_true(PARSE("-p", "--load-preserve-context", "/k") < 0);
	assert_true(PARSE("--load-jump-back-helper", "--entry=0x1000", "-e") <
		    0);
	/* Loader options without a load, as kexec-tools refuses them. */
	assert_true(PARSE("-e", "--initrd=/boot/initrd") < 0);
	assert_non_null(strstr(err.msg, "--initrd only applies when loading"));
	assert_true(PARSE("-u", "--append=x") < 0);
	/* A kernel nothing would load */
	assert_true(PARSE("-u", "/boot/vmlinuz") < 0);
	assert_true(PARSE() < 0);
	assert_non_null(strstr(err.msg, "nothing to do"));
	assert_true(PARSE("--load-jump-back-helper") < 0);
	assert_non_null(strstr(err.msg, "--entry"));
}

static void immediate_options(void **state)
{
	/* kexec-tools acts on -h, -v and --print-ckr-size where they stand,
	 * before looking at the rest of the line. */
	assert_int_equal(PARSE("-v", "--frobnicate"), 0);
	assert_int_equal(cli.action, KJ_ACT_VERSION);
	assert_int_equal(PARSE("-?"), 0);
	assert_int_equal(cli.action, KJ_ACT_HELP);
	assert_int_equal(PARSE("--print-ckr-size", "-l"), 0);
	assert_int_equal(cli.action, KJ_ACT_PRINT_CKR_SIZE);
}

/* Every option of kexec-tools 2.0.32's kexec for x86_64 and arm64 (its
 * kexec.h KEXEC_OPTIONS, the i386/x86_64 and arm64 options.h and the
 * loaders' option lists), plus those its git tree added since. */
static const char *const kexec_tools_options[] = {
	"help",
	"version",
	"force",
	"no-checks",
	"no-ifdown",
	"no-sync",
	"load",
	"unload",
	"exec",
	"exec-live-update",
	"load-preserve-context",
	"load-jump-back-helper",
	"load-live-update",
	"entry",
	"type",
	"load-panic",
	"mem-min",
	"mem-max",
	"reuseinitrd",
	"kexec-file-syscall",
	"kexec-syscall",
	"kexec-syscall-auto",
	"debug",
	"status",
	"print-ckr-size",
	"hotplug",
	"no-cma",
	"force-dtb",
	/* x86 arch */
	"reset-vga",
	"serial",
	"serial-baud",
	"console-vga",
	"console-serial",
	"elf32-core-headers",
	"elf64-core-headers",
	"pass-memmap-cmdline",
	"noefi",
	"reuse-video-type",
	/* x86 loaders */
	"command-line",
	"append",
	"reuse-cmdline",
	"initrd",
	"ramdisk",
	"args-elf",
	"args-linux",
	"args-none",
	"module",
	"real-mode",
	"entry-32bit",
	"dtb",
	/* MultiROM */
	"load-hardboot",
	NULL,
};

static void every_kexec_tools_option_is_known(void **state)
{
	for (size_t i = 0; kexec_tools_options[i]; i++) {
		const struct kj_opt *o =
			kj_opt_by_name(kexec_tools_options[i], KJ_IN_KEXEC);

		assert_non_null(o);
		assert_non_null(o->help);
		if (o->refused)
			assert_true(strlen(o->refused) > 20);
	}
	/* kexec-tools' short letters */
	for (const char *p = "hvdfixyluetpscaS"; *p; p++) {
		const struct kj_opt *o = kj_opts;

		while (o->name && !(o->letter == *p && (o->in & KJ_IN_KEXEC)))
			o++;
		assert_non_null(o->name);
	}
}

static void refused_options_say_why(void **state)
{
	assert_true(PARSE("--load-live-update", "/k") < 0);
	assert_non_null(strstr(err.msg, "--load-live-update is not supported"));
	assert_non_null(strstr(err.msg, "Xen"));
	assert_true(PARSE("-e", "--exec-live-update") < 0);
	assert_non_null(strstr(err.msg, "Xen"));
	assert_true(PARSE("-l", "/k", "--args-elf") < 0);
	assert_non_null(strstr(err.msg, "ELF boot notes"));
}

static void implemented_options_reach_the_request(void **state)
{
	assert_int_equal(PARSE("-c", "-l", "/k", "--serial=ttyS1",
			       "--console-serial", "--serial-baud=9600",
			       "--console-vga", "--reset-vga", "--noefi",
			       "--entry-32bit", "--reuse-video-type"),
			 0);
	assert_int_equal(cli.req.console_serial, 0x2f8);
	assert_int_equal(cli.req.serial_baud, 9600);
	assert_true(cli.req.console_vga && cli.req.reset_vga && cli.req.noefi &&
		    cli.req.entry_32bit);
	/* --serial alone prints nothing, as in kexec-tools */
	assert_int_equal(PARSE("-l", "/k", "--serial=0x2e8"), 0);
	assert_int_equal(cli.req.console_serial, 0);
	assert_int_equal(PARSE("-l", "/k", "--console-serial"), 0);
	assert_int_equal(cli.req.console_serial, 0x3f8);
	assert_true(PARSE("-l", "/k", "--serial-baud=12345") < 0);
	assert_non_null(strstr(err.msg, "--serial-baud"));
	assert_true(PARSE("-l", "/k", "--serial-baud=300") < 0);

	assert_int_equal(PARSE("-p", "/k", "--elf32-core-headers", "--hotplug",
			       "--pass-memmap-cmdline"),
			 0);
	assert_true(cli.req.elf32_core && cli.req.hotplug &&
		    cli.req.pass_memmap_cmdline);
	assert_int_equal(PARSE("-p", "/k", "--elf32-core-headers",
			       "--elf64-core-headers"),
			 0);
	assert_false(cli.req.elf32_core);

	assert_int_equal(
		PARSE("-l", "/k", "--reuseinitrd", "--no-cma", "--force-dtb"),
		0);
	assert_true(cli.req.reuse_initrd && cli.req.no_cma &&
		    cli.req.force_dtb);
	assert_true(PARSE("-l", "/k", "--reuseinitrd", "--initrd=i") < 0);

	assert_int_equal(
		PARSE("--load-preserve-context", "--mem-max=0x8000000", "/k"),
		0);
	assert_true(cli.action == KJ_ACT_LOAD && cli.req.preserve_context);
	assert_int_equal(PARSE("--load-jump-back-helper", "--entry=0x1234000"),
			 0);
	assert_int_equal(cli.action, KJ_ACT_JUMP_BACK);
	assert_int_equal(cli.req.entry, 0x1234000);
	assert_int_equal(PARSE("--load-hardboot", "/k"), 0);
	assert_true(cli.action == KJ_ACT_LOAD && cli.req.hardboot);
	/* kexec-tools 2.0.32's -t names */
	assert_int_equal(PARSE("-l", "-t", "bzImage64", "/k"), 0);
	assert_string_equal(cli.req.type, "bzImage64");
	assert_int_equal(PARSE("-l", "/k", "--real-mode"), 0);
	assert_true(cli.req.real_mode);
}

static void dry_run_unloads_nothing(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	/* An unload would fail here (no root in tests, or nothing loaded);
	 * a dry run only says what it would do. */
	assert_int_equal(kj_unload(true, KJ_SYSCALL_AUTO, false, true, f, &err),
			 0);
	fclose(f);
	assert_non_null(strstr(text, "dry run: would unload the crash kernel"));
	free(text);
}

static void dry_run_executes_nothing(void **state)
{
	char *root = kj_test_tmpdir();
	struct kj_exec_job job = { .dry_run = true };
	char *text = NULL;
	size_t len = 0;

	setenv("KJUMP_SYSROOT", root, 1);
	kj_test_write(root, "sys/kernel/kexec_loaded", "1\n");
	job.out = open_memstream(&text, &len);
	assert_int_equal(kj_exec(&job, &err), 0);
	job.no_sync = job.no_ifdown = true;
	assert_int_equal(kj_exec(&job, &err), 0);
	job.shutdown = true;
	assert_int_equal(kj_exec(&job, &err), 0);
	fclose(job.out);
	assert_non_null(strstr(text,
			       "dry run: would sync the filesystems, take "
			       "the network interfaces down, and start "
			       "the loaded kernel\n"));
	assert_non_null(strstr(text, "dry run: would start the loaded "
				     "kernel\n"));
	assert_non_null(strstr(text, "shutdown -r now\n"));
	free(text);

	/* Nothing loaded: the same refusal a real exec gives, and nothing
	 * printed as if it would work. */
	kj_test_write(root, "sys/kernel/kexec_loaded", "0\n");
	text = NULL;
	job.out = open_memstream(&text, &len);
	job.shutdown = false;
	assert_true(kj_exec(&job, &err) < 0);
	fclose(job.out);
	assert_non_null(strstr(err.msg, "no kernel is loaded"));
	assert_string_equal(text, "");
	free(text);
	/* After a dry-run load (-f --dry-run) nothing is loaded, and that is
	 * expected. */
	text = NULL;
	job.out = open_memstream(&text, &len);
	job.just_loaded = true;
	assert_int_equal(kj_exec(&job, &err), 0);
	fclose(job.out);
	assert_non_null(strstr(text, "dry run: would"));
	free(text);

	unsetenv("KJUMP_SYSROOT");
	kj_test_rmtree(root);
	free(root);
}

static void kjump_spelling_shares_the_options(void **state)
{
	char *argv[] = { "kjump",
			 "load",
			 "/k",
			 "--console-vga",
			 "--noefi",
			 "--mem-max",
			 "1G",
			 "--preserve-context",
			 "--console-serial=ttyS1",
			 "--serial-baud",
			 "57600" };
	char *bad[] = { "kjump", "exec", "--initrd", "x" };
	char *unload[] = { "kjump", "unload", "--dry-run", "--panic" };

	assert_int_equal(kj_cli_parse_kjump(ARGC(argv), argv, &cli, &err), 0);
	assert_true(cli.req.console_vga && cli.req.noefi &&
		    cli.req.preserve_context);
	assert_int_equal(cli.req.mem_max, 1ull << 30);
	assert_int_equal(cli.req.console_serial, 0x2f8);
	assert_int_equal(cli.req.serial_baud, 57600);
	assert_true(kj_cli_parse_kjump(ARGC(bad), bad, &cli, &err) < 0);
	assert_non_null(strstr(err.msg, "does not apply"));
	assert_int_equal(kj_cli_parse_kjump(ARGC(unload), unload, &cli, &err),
			 0);
	assert_true(cli.req.dry_run && cli.req.panic);
}

static void option_table_is_consistent(void **state)
{
	static const unsigned scopes[] = { KJ_IN_LOAD,	  KJ_IN_EXEC,
					   KJ_IN_UNLOAD,  KJ_IN_STATUS,
					   KJ_IN_INSPECT, KJ_IN_LIST,
					   KJ_IN_BOOT,	  KJ_IN_MENU,
					   KJ_IN_KEXEC };

	/* No name twice in one scope, every entry has help, ids are
	 * unique. */
	for (const struct kj_opt *a = kj_opts; a->name; a++) {
		assert_non_null(a->help);
		assert_ptr_equal(kj_opt_by_id(a->id), a);
		for (const struct kj_opt *b = a + 1; b->name; b++)
			for (size_t s = 0; s < sizeof(scopes) / sizeof(*scopes);
			     s++)
				if ((a->in & scopes[s]) && (b->in & scopes[s]))
					assert_string_not_equal(a->name,
								b->name);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(no_action_loads_then_shuts_down),
		cmocka_unit_test(status_answers_for_the_chosen_slot),
		cmocka_unit_test(unload_slots),
		cmocka_unit_test(contradictions_are_refused),
		cmocka_unit_test(immediate_options),
		cmocka_unit_test(every_kexec_tools_option_is_known),
		cmocka_unit_test(refused_options_say_why),
		cmocka_unit_test(implemented_options_reach_the_request),
		cmocka_unit_test(dry_run_unloads_nothing),
		cmocka_unit_test(dry_run_executes_nothing),
		cmocka_unit_test(kjump_spelling_shares_the_options),
		cmocka_unit_test(option_table_is_consistent),
	};
	return cmocka_run_group_tests_name("kexec_semantics", tests, NULL,
					   NULL);
}
