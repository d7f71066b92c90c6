/* Every errno of the kexec syscalls gets an actionable sentence; EPERM is
 * told apart by what the (fixture) system says. */
#include "testlib.h"

#include <errno.h>

#include "sys/kexec_errors.h"
#include "sys/status.h"

static char *root;

static int setup(void **state)
{
	root = kj_test_tmpdir();
	setenv("KJUMP_SYSROOT", root, 1);
	return 0;
}

static int teardown(void **state)
{
	kj_test_rmtree(root);
	free(root);
	unsetenv("KJUMP_SYSROOT");
	return 0;
}

static const char *explain(int code, enum kj_kexec_op op, bool panic)
{
	static struct kj_err err;

	assert_int_equal(kj_kexec_explain(code, op, "vmlinuz", panic, &err),
			 -code);
	assert_int_equal(err.code, code);
	assert_null(strchr(err.msg, '\n'));
	return err.msg;
}

static void each_errno_has_a_sentence(void **state)
{
	assert_non_null(strstr(explain(EKEYREJECTED, KJ_OP_FILE_LOAD, false),
			       "signed"));
	assert_non_null(strstr(explain(EBADMSG, KJ_OP_FILE_LOAD, false),
			       "signed"));
	assert_non_null(strstr(explain(ENOEXEC, KJ_OP_FILE_LOAD, false),
			       "does not accept this image format"));
	assert_non_null(strstr(explain(EBUSY, KJ_OP_FILE_LOAD, false),
			       "busy"));
	assert_non_null(strstr(explain(ENOMEM, KJ_OP_FILE_LOAD, true),
			       "crashkernel="));
	assert_non_null(strstr(explain(ENOMEM, KJ_OP_FILE_LOAD, false),
			       "no room"));
	assert_non_null(strstr(explain(EINVAL, KJ_OP_FILE_LOAD, true),
			       "crashkernel="));
	assert_non_null(strstr(explain(EINVAL, KJ_OP_FILE_LOAD, false),
			       "invalid"));
	assert_non_null(strstr(explain(ENOSYS, KJ_OP_FILE_LOAD, false),
			       "CONFIG_KEXEC_FILE"));
	assert_non_null(strstr(explain(ENOSYS, KJ_OP_LOAD, false),
			       "CONFIG_KEXEC"));
	assert_true(strncmp(explain(EIO, KJ_OP_FILE_LOAD, false), "vmlinuz: ",
			    9) == 0);
}

static void eperm_reads_the_system(void **state)
{
	if (geteuid() != 0)
		skip(); /* the not-root sentence wins for ordinary users */
	kj_test_write(root, "proc/sys/kernel/kexec_load_disabled", "0\n");
	kj_test_write(root, "sys/kernel/security/lockdown",
		      "none [integrity] confidentiality\n");
	assert_string_equal(kj_lockdown_mode(), "integrity");
	assert_non_null(strstr(explain(EPERM, KJ_OP_FILE_LOAD, false),
			       "lockdown (integrity)"));
	assert_non_null(strstr(explain(EPERM, KJ_OP_LOAD, false),
			       "forbids kexec_load"));
	/* Lockdown is the deeper reason, so it is named first; without it
	 * the disabled switch is. */
	kj_test_write(root, "sys/kernel/security/lockdown",
		      "[none] integrity confidentiality\n");
	kj_test_write(root, "proc/sys/kernel/kexec_load_disabled", "1\n");
	assert_non_null(strstr(explain(EPERM, KJ_OP_FILE_LOAD, false),
			       "kexec_load_disabled"));
}

static void status_from_fixture(void **state)
{
	struct kj_kexec_status st;
	struct kj_err err = { 0 };

	kj_test_write(root, "sys/kernel/kexec_loaded", "1\n");
	kj_test_write(root, "sys/kernel/kexec_crash_loaded", "0\n");
	kj_test_write(root, "sys/kernel/kexec_crash_size", "268435456\n");
	kj_test_write(root, "proc/sys/kernel/kexec_load_disabled", "0\n");
	kj_test_write(root, "sys/kernel/security/lockdown",
		      "[none] integrity confidentiality\n");
	assert_int_equal(kj_kexec_status_read(&st, &err), 0);
	assert_true(st.loaded);
	assert_false(st.crash_loaded);
	assert_int_equal(st.crash_size, 268435456);
	assert_string_equal(st.lockdown, "none");
	{
		char path[4096];

		snprintf(path, sizeof(path), "%s/sys/kernel/kexec_loaded", root);
		unlink(path);
	}
	assert_true(kj_kexec_status_read(&st, &err) < 0);
	assert_non_null(strstr(err.msg, "no kexec support"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_errno_has_a_sentence),
		cmocka_unit_test(eperm_reads_the_system),
		cmocka_unit_test(status_from_fixture),
	};
	return cmocka_run_group_tests_name("kexec_errors", tests, setup,
					   teardown);
}
