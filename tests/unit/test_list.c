/* `kjump list --json` (issue 15, case 7): an entry kjump cannot boot
 * (fwsetup, reboot, exit) carries its root like every other entry. */
#include "testlib.h"

#include "list_testlib.h"

static void unbootable_entries_have_a_root(void **state)
{
	char *root = kj_test_tmpdir(), *out, *err, want[PATH_MAX + 64];
	size_t n = 0;

	(void)state;
	kj_test_write(root, "boot/grub/grub.cfg",
		      "menuentry 'Debian' { linux /boot/vmlinuz; }\n"
		      "menuentry 'UEFI Firmware Settings' --id uefi-firmware "
		      "{ fwsetup; }\n"
		      "menuentry 'Reboot' { reboot; }\n"
		      "menuentry 'Exit to firmware' { exit; }\n");
	kj_test_run_list(root, true, &out, &err);
	if (getenv("KJ_TEST_VERBOSE"))
		fprintf(stderr, "%s%s", out, err);
	snprintf(want, sizeof(want), "\"root\":\"%s\"", root);
	for (const char *p = strstr(out, want); p; p = strstr(p + 1, want))
		n++;
	assert_int_equal(n, 4);
	assert_null(strstr(out, "\"root\":null"));
	assert_non_null(strstr(out, "\"id\":\"uefi-firmware\""));
	assert_non_null(strstr(out, "\"type\":\"unsupported\""));
	assert_string_equal(err, "");
	free(out);
	free(err);
	kj_test_rmtree(root);
	free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unbootable_entries_have_a_root),
	};
	return cmocka_run_group_tests_name("list", tests, NULL, NULL);
}
