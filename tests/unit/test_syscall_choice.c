/* --syscall auto falls back to kexec_load only for "cannot take this
 * image by file" errnos, never for signature or permission refusals. */
#include "testlib.h"

#include <errno.h>

#include "sys/syscall_choice.h"

static void falls_back_only_where_allowed(void **state)
{
	assert_true(kj_file_load_may_fall_back(ENOSYS));
	assert_true(kj_file_load_may_fall_back(ENOEXEC));
	assert_true(kj_file_load_may_fall_back(-EINVAL));
	assert_true(kj_file_load_may_fall_back(EOPNOTSUPP));
	assert_false(kj_file_load_may_fall_back(EKEYREJECTED));
	assert_false(kj_file_load_may_fall_back(EBADMSG));
	assert_false(kj_file_load_may_fall_back(EPERM));
	assert_false(kj_file_load_may_fall_back(ENOMEM));
	assert_false(kj_file_load_may_fall_back(EBUSY));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(falls_back_only_where_allowed),
	};
	return cmocka_run_group_tests_name("syscall_choice", tests, NULL, NULL);
}
