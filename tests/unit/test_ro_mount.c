/* Issue 15, case 14: what the scan asks of a mount so that it never
 * writes (the VM test test_readonly_scan.py proves it on a dirty ext4
 * journal), and that a failed mount leaves nothing behind. */
#include "testlib.h"

#include <dirent.h>
#include <errno.h>

#include "boot/ro_mount.h"

static void recovery_options(void **state)
{
	(void)state;
	assert_string_equal(kj_ro_mount_data("ext4"), "noload");
	assert_string_equal(kj_ro_mount_data("ext3"), "noload");
	assert_string_equal(kj_ro_mount_data("xfs"), "norecovery");
	assert_string_equal(kj_ro_mount_data("f2fs"), "norecovery");
	assert_string_equal(kj_ro_mount_data("btrfs"), "rescue=nologreplay");
	/* No journal to replay: nothing to ask. */
	assert_null(kj_ro_mount_data("ext2"));
	assert_null(kj_ro_mount_data("vfat"));
	assert_null(kj_ro_mount_data("iso9660"));
	assert_null(kj_ro_mount_data(NULL));
}

static size_t entries_in(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	assert_non_null(d);
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

/* A regular file is not a block device: its flag is left alone, the
 * mount fails with a message naming it, the mount point is gone. */
static void failed_mount_cleans_up(void **state)
{
	char *parent = kj_test_tmpdir(), img[PATH_MAX];
	struct kj_warnings w = { 0 };
	struct kj_err err = { 0 };
	struct kj_ro_mount m;

	(void)state;
	snprintf(img, sizeof(img), "%s/disk.img", parent);
	kj_test_write(parent, "disk.img", "not a filesystem");
	assert_true(kj_ro_mount(img, "ext4", parent, &m, &w, &err) < 0);
	assert_non_null(strstr(err.msg, "disk.img: cannot mount ext4 "
					"read-only with noload"));
	assert_null(m.dir);
	assert_int_equal(m.dev_fd, -1);
	assert_int_equal(w.n, 0);
	assert_int_equal(entries_in(parent), 1); /* disk.img only */
	kj_ro_umount(&m);			 /* harmless twice */
	kj_test_rmtree(parent);
	free(parent);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(recovery_options),
		cmocka_unit_test(failed_mount_cleans_up),
	};
	return cmocka_run_group_tests_name("ro mount", tests, NULL, NULL);
}
