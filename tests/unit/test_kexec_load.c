#include "testlib.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "fixtures.h"
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

static void expect(int e, bool panic, const char *msg)
{
	struct kj_err err;

	assert_int_equal(kj_kexec_load_explain(e, panic, &err), -e);
	assert_int_equal(err.code, e);
	if (strcmp(err.msg, msg))
		fail_msg("got \"%s\", want \"%s\"", err.msg, msg);
}

static void test_table(void **state)
{
	char *root = kj_fx_mkroot(); /* empty: no lockdown, no sysctls */

	expect(EBUSY, false, "kexec_load: another kexec load or unload is in progress (Device or resource busy)");
	expect(ENOMEM, true, "kexec_load: the segments do not fit the crashkernel= reservation (Cannot allocate memory)");
	expect(EADDRNOTAVAIL, true, "kexec_load: a segment lies outside the crash kernel region (Cannot assign requested address)");
	expect(EADDRNOTAVAIL, false, "kexec_load: a segment lies outside the memory the kernel allows (Cannot assign requested address)");
	expect(ENOSYS, false, "kexec_load: this kernel has no kexec_load (CONFIG_KEXEC is off) (Function not implemented)");
	expect(EIO, false, "kexec_load: Input/output error");
	/* A negative errno is the same errno. */
	assert_int_equal(kj_kexec_load_explain(-EBUSY, false, NULL), -EBUSY);
	kj_fx_rmroot(root);
}

static void test_eperm_causes(void **state)
{
	char *root;

	if (geteuid() != 0) {
		expect(EPERM, false, "kexec_load: kexec_load needs root (CAP_SYS_BOOT)");
		return;
	}
	root = kj_fx_mkroot();
	expect(EPERM, false, "kexec_load: not permitted (a security module may refuse kexec)");
	kj_fx_puts(root, "proc/sys/kernel/kexec_load_limit_panic", "0\n");
	kj_fx_puts(root, "proc/sys/kernel/kexec_load_limit_reboot", "-1\n");
	expect(EPERM, true, "kexec_load: no kexec loads left (/proc/sys/kernel/kexec_load_limit_panic is 0)");
	expect(EPERM, false, "kexec_load: not permitted (a security module may refuse kexec)");
	kj_fx_puts(root, "proc/sys/kernel/kexec_load_disabled", "1\n");
	expect(EPERM, false, "kexec_load: kexec_load is disabled until reboot (/proc/sys/kernel/kexec_load_disabled is 1)");
	kj_fx_puts(root, "sys/kernel/security/lockdown", "[none] integrity confidentiality\n");
	expect(EPERM, false, "kexec_load: kexec_load is disabled until reboot (/proc/sys/kernel/kexec_load_disabled is 1)");
	kj_fx_puts(root, "sys/kernel/security/lockdown", "none [integrity] confidentiality\n");
	expect(EPERM, false, "kexec_load: kernel lockdown forbids kexec_load; use kexec_file_load with a signed kernel");
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
