/* Several initrds become one, each padded to 4 bytes, in order. */
#include "testlib.h"

#include <errno.h>
#include <fcntl.h>

#include "image/initrd.h"

static void concatenates_with_padding(void **state)
{
	char *dir = kj_test_tmpdir();
	char a[4200], b[4200], c[4200];
	const char *paths[] = { a, b, c };
	struct kj_err err = { 0 };
	char buf[64];
	ssize_t n;
	int fd;

	snprintf(a, sizeof(a), "%s/a", dir);
	snprintf(b, sizeof(b), "%s/b", dir);
	snprintf(c, sizeof(c), "%s/c", dir);
	kj_test_write(dir, "a", "12345");  /* 5 bytes: 3 of padding */
	kj_test_write(dir, "b", "abcd");   /* aligned: none */
	kj_test_write(dir, "c", "xy");
	fd = kj_initrd_open(-1, paths, 3, &err);
	assert_true(fd >= 0);
	n = pread(fd, buf, sizeof(buf), 0);
	assert_int_equal(n, 8 + 4 + 4);
	assert_memory_equal(buf, "12345\0\0\0abcdxy\0\0", 16);
	close(fd);
	/* One file is passed through as itself. */
	fd = kj_initrd_open(-1, paths, 1, &err);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, buf, sizeof(buf), 0), 5);
	close(fd);
	kj_test_rmtree(dir);
	free(dir);
}

static void names_the_missing_file(void **state)
{
	const char *paths[] = { "/nonexistent/initrd.img", "/etc/hostname" };
	struct kj_err err = { 0 };

	assert_int_equal(kj_initrd_open(-1, paths, 2, &err), -ENOENT);
	assert_string_equal(err.msg,
			    "/nonexistent/initrd.img: No such file or directory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(concatenates_with_padding),
		cmocka_unit_test(names_the_missing_file),
	};
	return cmocka_run_group_tests_name("initrd", tests, NULL, NULL);
}
