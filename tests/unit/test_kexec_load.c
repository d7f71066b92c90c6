#include "testlib.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "fixtures.h"
#include "sys/kexec_errors.h"
#include "sys/kexec_load.h"

/* The syscall itself is never made here: an empty kexec_load unloads
 * the running system's kernel. Only conversion and explanations. */

static void test_segments(void **state)
{
	static const char data[8192];
	struct kexec_segment segs[KJ_PLAN_MAX_SEGMENTS];
	struct kj_plan p;
	struct kj_err err;

	kj_plan_init(&p);
	assert_int_equal(kj_kexec_load_segments(&p, segs, &err), -EINVAL);
	assert_string_equal(err.msg, "kexec_load: a plan needs 1 to 16 segments, not 0");
	kj_plan_add(&p, "kernel", data, 5000, 0x1000000, 0x3000, false, NULL);
	kj_plan_add(&p, "bp", data, 10, 0x9000, 1, false, NULL);
	assert_int_equal(kj_kexec_load_segments(&p, segs, &err), 2);
	assert_ptr_equal(segs[0].buf, data);
	assert_int_equal(segs[0].bufsz, 5000);
	assert_ptr_equal(segs[0].mem, (void *)0x1000000);
	assert_int_equal(segs[0].memsz, 0x3000);
	assert_int_equal(segs[1].memsz, 0x1000);
	assert_ptr_equal(segs[1].mem, (void *)0x9000);
	/* And an empty plan is refused before any syscall. */
	kj_plan_init(&p);
	assert_int_equal(kj_kexec_load_plan(&p, &err), -EINVAL);
}

static void expect(int e, bool panic, const char *part)
{
	struct kj_err err;

	assert_int_equal(kj_kexec_explain(e, KJ_OP_LOAD, "kexec_load", panic,
					  &err),
			 -e);
	assert_int_equal(err.code, e);
	if (strncmp(err.msg, "kexec_load: ", 12) || !strstr(err.msg, part))
		fail_msg("got \"%s\", want \"%s\"", err.msg, part);
}

static void test_table(void **state)
{
	char *root = kj_fx_mkroot(); /* empty: no lockdown, no sysctls */

	expect(EBUSY, false, "busy");
	expect(ENOMEM, true, "crashkernel=");
	expect(EADDRNOTAVAIL, true, "outside the crash kernel region");
	expect(EADDRNOTAVAIL, false, "outside the memory the kernel allows");
	expect(ENOSYS, false, "CONFIG_KEXEC");
	expect(EINVAL, false, "rejected the segments");
	expect(E2BIG, false, "too many segments");
	expect(EIO, false, "Input/output error");
	kj_fx_rmroot(root);
}

static void test_eperm_causes(void **state)
{
	char *root;

	if (geteuid() != 0) {
		expect(EPERM, false, "needs root");
		return;
	}
	root = kj_fx_mkroot();
	expect(EPERM, false, "security module");
	kj_fx_puts(root, "proc/sys/kernel/kexec_load_limit_panic", "0\n");
	kj_fx_puts(root, "proc/sys/kernel/kexec_load_limit_reboot", "-1\n");
	expect(EPERM, true, "kexec_load_limit_panic is 0");
	expect(EPERM, false, "security module");
	kj_fx_puts(root, "proc/sys/kernel/kexec_load_disabled", "1\n");
	expect(EPERM, false, "kexec_load_disabled is 1");
	kj_fx_puts(root, "sys/kernel/security/lockdown", "[none] integrity confidentiality\n");
	expect(EPERM, false, "kexec_load_disabled is 1");
	kj_fx_puts(root, "sys/kernel/security/lockdown", "none [integrity] confidentiality\n");
	expect(EPERM, false, "forbids kexec_load");
	kj_fx_rmroot(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_segments),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_eperm_causes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
