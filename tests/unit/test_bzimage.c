/* Setup-header parsing over real Debian kernels and crafted bad headers. */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/image.h"
#include "loaders/bzimage.h"
#include "loaders/loader.h"

#define IMG_SIZE (64 * 1024)

/* A minimal, valid protocol-2.15 header: 4 setup sectors + 40 KiB kernel. */
static uint8_t *make_image(size_t *size)
{
	uint8_t *d = calloc(1, IMG_SIZE);

	d[0x1f1] = 4;                               /* setup_sects */
	d[0x1f4] = (40 * 1024 / 16) & 0xff;          /* syssize */
	d[0x1f5] = (40 * 1024 / 16) >> 8;
	d[0x1fe] = 0x55;
	d[0x1ff] = 0xaa;
	d[0x201] = 0x6a;                            /* header ends at 0x26c */
	memcpy(d + 0x202, "HdrS", 4);
	d[0x206] = 0x0f;                            /* version 2.15 */
	d[0x207] = 0x02;
	d[0x20e] = 0x00;                            /* kernel_version -> 0x400 */
	d[0x20f] = 0x02;
	strcpy((char *)d + 0x400, "6.99.0-test (kjump) #1");
	d[0x211] = 0x01;                            /* LOADED_HIGH */
	d[0x234] = 1;                               /* relocatable */
	d[0x236] = 0x03;                            /* XLF_KERNEL_64 | 4G */
	d[0x238] = 0xff;                            /* cmdline_size 2047 */
	d[0x239] = 0x07;
	*size = (4 + 1) * 512 + 40 * 1024;
	return d;
}

static void parses_crafted_header(void **state)
{
	struct kj_bzimage bz;
	struct kj_err err = { 0 };
	size_t size;
	uint8_t *d = make_image(&size);

	assert_int_equal(kj_bzimage_parse(d, size, "img", &bz, &err), 0);
	assert_int_equal(bz.version, 0x020f);
	/* syssize is rounded up to 16 bytes: a file up to 15 bytes short
	 * is whole, and the kernel size is what the file has. */
	{
		struct kj_bzimage short_bz;

		assert_int_equal(kj_bzimage_parse(d, size - 8, "img", &short_bz,
						  &err),
				 0);
		assert_int_equal(short_bz.kernel_size, 40 * 1024 - 8);
	}
	assert_int_equal(bz.setup_size, 5 * 512);
	assert_int_equal(bz.kernel_size, 40 * 1024);
	assert_int_equal(bz.cmdline_size, 2047);
	assert_string_equal(bz.kernel_version, "6.99.0-test (kjump) #1");
	assert_int_equal(kj_bzimage_check_64bit_entry(&bz, "img", &err), 0);
	assert_true(kj_bzimage_probe(d, size));
	assert_ptr_equal(kj_loader_detect(d, size), &kj_loader_bzimage);
	free(d);
}

static void expect_error(uint8_t *d, size_t size, const char *needle)
{
	struct kj_bzimage bz;
	struct kj_err err = { 0 };

	assert_true(kj_bzimage_parse(d, size, "vmlinuz", &bz, &err) < 0);
	if (!strstr(err.msg, needle))
		fail_msg("message '%s' lacks '%s'", err.msg, needle);
	assert_true(strncmp(err.msg, "vmlinuz: ", 9) == 0);
}

static void rejects_truncated(void **state)
{
	size_t size;
	uint8_t *d = make_image(&size);

	expect_error(d, size - 16, "truncated");
	expect_error(d, 100, "too small");
	free(d);
}

static void rejects_wrong_magic(void **state)
{
	size_t size;
	uint8_t *d = make_image(&size);

	d[0x1fe] = 0;
	expect_error(d, size, "0xAA55");
	d[0x1fe] = 0x55;
	d[0x203] = 'X';
	expect_error(d, size, "HdrS");
	free(d);
}

static void rejects_old_protocol_for_64bit(void **state)
{
	struct kj_bzimage bz;
	struct kj_err err = { 0 };
	size_t size;
	uint8_t *d = make_image(&size);

	d[0x206] = 0x02; /* 2.02 */
	assert_int_equal(kj_bzimage_parse(d, size, "vmlinuz", &bz, &err), 0);
	assert_true(kj_bzimage_check_64bit_entry(&bz, "vmlinuz", &err) < 0);
	assert_string_equal(err.msg, "vmlinuz: setup header version 2.02 is "
				     "too old for 64-bit entry (2.12 or newer "
				     "needed)");
	/* Fields introduced after 2.02 read as their defaults. */
	assert_int_equal(bz.cmdline_size, 255);
	assert_int_equal(bz.initrd_addr_max, 0x37ffffff);
	assert_int_equal(bz.xloadflags, 0);
	d[0x206] = 0x0f;
	d[0x207] = 0x01; /* 1.15 */
	expect_error(d, size, "older than 2.00");
	free(d);
}

static void rejects_huge_setup_sects(void **state)
{
	size_t size;
	uint8_t *d = make_image(&size);

	d[0x1f1] = 0xff;
	expect_error(d, 20000, "setup_sects 255");
	free(d);
}

static void rejects_long_cmdline(void **state)
{
	struct kj_bzimage bz;
	struct kj_err err = { 0 };
	size_t size;
	uint8_t *d = make_image(&size);

	assert_int_equal(kj_bzimage_parse(d, size, "vmlinuz", &bz, &err), 0);
	assert_int_equal(kj_bzimage_check_cmdline(&bz, "vmlinuz", 2047, &err),
			 0);
	assert_true(kj_bzimage_check_cmdline(&bz, "vmlinuz", 2048, &err) < 0);
	assert_non_null(strstr(err.msg, "2048 bytes"));
	free(d);
}

static void rejects_bad_version_pointer(void **state)
{
	struct kj_bzimage bz;
	struct kj_err err = { 0 };
	size_t size;
	uint8_t *d = make_image(&size);

	/* A kernel_version pointer past the setup code is ignored, not
	 * followed out of bounds. */
	d[0x20e] = 0xff;
	d[0x20f] = 0xff;
	assert_int_equal(kj_bzimage_parse(d, size, "vmlinuz", &bz, &err), 0);
	assert_string_equal(bz.kernel_version, "");
	free(d);
}

/* The real thing: Debian's kernels (KJ_TEST_KERNELS, a colon-separated
 * list set by make check after fetching them). */
static void parses_real_debian_kernels(void **state)
{
	const char *list = getenv("KJ_TEST_KERNELS");
	char *copy, *path, *save = NULL;
	int seen = 0;

	if (!list || !*list)
		skip();
	copy = strdup(list);
	for (path = strtok_r(copy, ":", &save); path;
	     path = strtok_r(NULL, ":", &save)) {
		struct kj_image img;
		struct kj_bzimage bz;
		struct kj_err err = { 0 };

		assert_int_equal(kj_image_open(&img, path, &err), 0);
		assert_ptr_equal(kj_loader_detect(img.data, img.size),
				 &kj_loader_bzimage);
		if (kj_bzimage_parse(img.data, img.size, path, &bz, &err))
			fail_msg("%s", err.msg);
		assert_true(bz.version >= 0x020c);
		assert_int_equal(kj_bzimage_check_64bit_entry(&bz, path, &err),
				 0);
		assert_non_null(strstr(bz.kernel_version, "debian"));
		assert_true(bz.cmdline_size >= 2047);
		assert_true(bz.init_size > bz.kernel_size);
		/* Truncating the real file by one paragraph is caught. */
		assert_true(kj_bzimage_parse(img.data,
					     bz.setup_size + bz.kernel_size - 16,
					     path, &bz, &err) < 0);
		assert_non_null(strstr(err.msg, "truncated"));
		kj_image_close(&img);
		seen++;
	}
	free(copy);
	assert_true(seen > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_crafted_header),
		cmocka_unit_test(rejects_truncated),
		cmocka_unit_test(rejects_wrong_magic),
		cmocka_unit_test(rejects_old_protocol_for_64bit),
		cmocka_unit_test(rejects_huge_setup_sects),
		cmocka_unit_test(rejects_long_cmdline),
		cmocka_unit_test(rejects_bad_version_pointer),
		cmocka_unit_test(parses_real_debian_kernels),
	};
	return cmocka_run_group_tests_name("bzimage", tests, NULL, NULL);
}
