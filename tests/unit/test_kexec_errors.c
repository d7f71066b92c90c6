/* Every errno of the kexec syscalls gets an actionable sentence; EPERM is
 * told apart by what the (fixture) system says. */
#include "testlib.h"

#include <errno.h>

#include "sys/kexec_errors.h"
#include "sys/secure_boot.h"
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
			       "signature check failed"));
	assert_non_null(strstr(explain(EBADMSG, KJ_OP_FILE_LOAD, false),
			       "signature check failed"));
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
			       "lockdown (integrity; the machine booted without "
			       "EFI"));
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

/* SecureBoot-8be4df61-...: 4 attribute bytes, then the value. */
static void put_secure_boot(unsigned char value)
{
	char path[4096];
	const unsigned char data[5] = { 0x06, 0, 0, 0, value };
	FILE *f;

	kj_test_write(root, "sys/firmware/efi/efivars/.keep", "");
	snprintf(path, sizeof(path),
		 "%s/sys/firmware/efi/efivars/"
		 "SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c",
		 root);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, sizeof(data), f), sizeof(data));
	fclose(f);
}

static void secure_boot_state_from_efivars(void **state)
{
	char path[4096];

	/* No /sys/firmware/efi: a BIOS boot. */
	assert_int_equal(kj_secure_boot_state(), KJ_SB_NOT_EFI);
	kj_test_write(root, "sys/firmware/efi/systab", "ACPI20=0x1\n");
	assert_int_equal(kj_secure_boot_state(), KJ_SB_UNKNOWN);
	put_secure_boot(1);
	assert_int_equal(kj_secure_boot_state(), KJ_SB_ON);
	put_secure_boot(0);
	assert_int_equal(kj_secure_boot_state(), KJ_SB_OFF);
	snprintf(path, sizeof(path), "%s/sys/firmware/efi/efivars/"
		 "SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c", root);
	unlink(path);
	kj_test_write(root, "sys/firmware/efi/efivars/"
		      "SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c", "ab");
	assert_int_equal(kj_secure_boot_state(), KJ_SB_UNKNOWN);
}

/* EKEYREJECTED and friends say what the system enforces: Secure Boot
 * and lockdown as they are, not a guess. */
static void signature_messages_tell_the_truth(void **state)
{
	const char *m;

	kj_test_write(root, "sys/firmware/efi/systab", "ACPI20=0x1\n");
	put_secure_boot(1);
	kj_test_write(root, "sys/kernel/security/lockdown",
		      "none [integrity] confidentiality\n");
	m = explain(EKEYREJECTED, KJ_OP_FILE_LOAD, false);
	assert_non_null(strstr(m, "Secure Boot is on and lockdown is "
				  "integrity"));
	assert_non_null(strstr(m, "Key was rejected by service"));

	put_secure_boot(0);
	kj_test_write(root, "sys/kernel/security/lockdown",
		      "[none] integrity confidentiality\n");
	m = explain(EBADMSG, KJ_OP_FILE_LOAD, false);
	assert_non_null(strstr(m, "Secure Boot is off and lockdown is none"));
	assert_non_null(strstr(m, "kexec_load (-c) checks no signatures"));

	m = explain(ENODATA, KJ_OP_FILE_LOAD, false);
	assert_non_null(strstr(m, "the image carries no signature"));

	/* Lockdown set without Secure Boot (lockdown= on the command line):
	 * still enforced, and said so. */
	kj_test_write(root, "sys/kernel/security/lockdown",
		      "none integrity [confidentiality]\n");
	m = explain(ENOKEY, KJ_OP_FILE_LOAD, false);
	assert_non_null(strstr(m, "Secure Boot is off and lockdown is "
				  "confidentiality"));

	/* securityfs not mounted: the mode is unknown, and said so. */
	{
		char path[4096];

		snprintf(path, sizeof(path), "%s/sys/kernel/security/lockdown",
			 root);
		unlink(path);
	}
	m = explain(EKEYREJECTED, KJ_OP_FILE_LOAD, false);
	assert_non_null(strstr(m, "lockdown mode is unknown"));
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
		cmocka_unit_test_setup_teardown(each_errno_has_a_sentence, setup, teardown),
		cmocka_unit_test_setup_teardown(eperm_reads_the_system, setup, teardown),
		cmocka_unit_test_setup_teardown(secure_boot_state_from_efivars, setup, teardown),
		cmocka_unit_test_setup_teardown(signature_messages_tell_the_truth, setup, teardown),
		cmocka_unit_test_setup_teardown(status_from_fixture, setup, teardown),
	};
	return cmocka_run_group_tests_name("kexec_errors", tests, NULL,
					   NULL);
}
