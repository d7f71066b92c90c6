/* A mapped file that shrinks while kjump reads it: no SIGBUS, a clean
 * one-line error instead (issue 13's reproducer, in process). */
#include "testlib.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "image/image.h"
#include "image/mapguard.h"

static char path[] = "/tmp/kjump-mapguard-XXXXXX";

static void make_file(size_t size)
{
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)size), 0);
	close(fd);
}

static void test_shrunk_while_read(void **state)
{
	struct kj_image img;
	struct kj_err err = { 0 };
	volatile uint8_t sum = 0;

	make_file(256 * 1024);
	assert_int_equal(kj_image_open(&img, path, &err), 0);
	assert_int_equal(kj_mapguard_check(&err), 0);
	assert_int_equal(truncate(path, 4096), 0);
	/* Past the new end: SIGBUS without the guard. */
	for (size_t off = 0; off < img.size; off += 4096)
		sum += img.data[off];
	assert_int_equal(sum, 0);
	assert_int_equal(kj_mapguard_check(&err), -ESTALE);
	assert_non_null(strstr(err.msg, path));
	assert_non_null(strstr(err.msg, "changed size while being read"));
	kj_image_close(&img);
	/* Unmapped: nothing left to complain about. */
	assert_int_equal(kj_mapguard_check(&err), 0);
	unlink(path);
}

static void test_grown_is_seen_too(void **state)
{
	struct kj_image img;
	struct kj_err err = { 0 };

	strcpy(path, "/tmp/kjump-mapguard-XXXXXX");
	make_file(8192);
	assert_int_equal(kj_image_open(&img, path, &err), 0);
	assert_int_equal(truncate(path, 16384), 0);
	assert_int_equal(kj_mapguard_check(&err), -ESTALE);
	kj_image_close(&img);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shrunk_while_read),
		cmocka_unit_test(test_grown_is_seen_too),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
