/* --syscall auto falls back to kexec_load for "cannot take this image by
 * file" errnos; after a signature refusal only when lockdown is none;
 * never for permission refusals. Unload falls back only when the kernel
 * has no file syscall. */
#include "testlib.h"

#include <errno.h>

#include "sys/syscall_choice.h"

static void falls_back_only_where_allowed(void **state)
{
	const char *modes[] = { "none", "integrity", NULL };

	for (int i = 0; i < 3; i++) {
		const char *l = modes[i];

		assert_true(kj_file_load_may_fall_back(ENOSYS, l));
		assert_true(kj_file_load_may_fall_back(ENOEXEC, l));
		assert_true(kj_file_load_may_fall_back(-EINVAL, l));
		assert_true(kj_file_load_may_fall_back(EOPNOTSUPP, l));
		assert_false(kj_file_load_may_fall_back(EPERM, l));
		assert_false(kj_file_load_may_fall_back(ENOMEM, l));
		assert_false(kj_file_load_may_fall_back(EBUSY, l));
	}
}

static void signature_refusals_need_lockdown_none(void **state)
{
	const int sig[] = { EKEYREJECTED, EBADMSG, ENOKEY, ENODATA, ENOPKG,
			    ELIBBAD };

	for (size_t i = 0; i < sizeof(sig) / sizeof(sig[0]); i++) {
		assert_true(kj_is_signature_errno(sig[i]));
		assert_true(kj_file_load_may_fall_back(sig[i], "none"));
		assert_true(kj_file_load_may_fall_back(-sig[i], "none"));
		assert_false(kj_file_load_may_fall_back(sig[i], "integrity"));
		assert_false(
			kj_file_load_may_fall_back(sig[i], "confidentiality"));
		/* Unknown lockdown (securityfs not mounted): never. */
		assert_false(kj_file_load_may_fall_back(sig[i], NULL));
	}
	assert_false(kj_is_signature_errno(EPERM));
	assert_false(kj_is_signature_errno(EINVAL));
}

static void unload_falls_back_without_the_file_syscall(void **state)
{
	assert_true(kj_unload_may_fall_back(ENOSYS));
	assert_true(kj_unload_may_fall_back(-ENOSYS));
	/* Anything else is the answer: retrying would hide it. */
	assert_false(kj_unload_may_fall_back(EPERM));
	assert_false(kj_unload_may_fall_back(EINVAL));
	assert_false(kj_unload_may_fall_back(EBUSY));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(falls_back_only_where_allowed),
		cmocka_unit_test(signature_refusals_need_lockdown_none),
		cmocka_unit_test(unload_falls_back_without_the_file_syscall),
	};
	return cmocka_run_group_tests_name("syscall_choice", tests, NULL, NULL);
}
