/* arm64 Image header parsing (crafted headers, the real Debian kernel)
 * and the kernel/initrd placement rules of booting.rst. */
#include "testlib.h"

#include <errno.h>
#include <glob.h>

#include "image/image.h"
#include "loaders/arm64_image.h"

#define MIB (1ull << 20)
#define GIB (1ull << 30)

static void put32(uint8_t *d, size_t off, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		d[off + i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *d, size_t off, uint64_t v)
{
	put32(d, off, (uint32_t)v);
	put32(d, off + 4, (uint32_t)(v >> 32));
}

/* A plain Image (no EFI stub) of size bytes: text_offset 0, image_size
 * 1 MiB, 4K pages, placement anywhere. */
static uint8_t *make_image(size_t size)
{
	uint8_t *d = calloc(1, size);

	put32(d, 0, 0x14000010); /* b +0x40 */
	put64(d, 0x08, 0);
	put64(d, 0x10, MIB);
	put64(d, 0x18, 0xa);
	put32(d, 0x38, KJ_ARM64_MAGIC);
	return d;
}

/* The same with an EFI stub: "MZ", PE header at 0x40, one section whose
 * file data ends at sect_end. */
static uint8_t *make_efi_image(size_t size, uint32_t sect_end)
{
	uint8_t *d = make_image(size);

	d[0] = 'M';
	d[1] = 'Z';
	put32(d, 0x3c, 0x40);
	put32(d, 0x40, 0x00004550); /* PE\0\0 */
	d[0x44] = 0x64;		    /* machine 0xaa64 */
	d[0x45] = 0xaa;
	d[0x46] = 1;		       /* one section */
	d[0x54] = 112;		       /* optional header size */
	put32(d, 0x58 + 56, 0x100000); /* SizeOfImage */
	/* section header at 0x58 + 112 */
	memcpy(d + 0xc8, ".text", 5);
	put32(d, 0xc8 + 16, sect_end - 0x1000); /* SizeOfRawData */
	put32(d, 0xc8 + 20, 0x1000);		/* PointerToRawData */
	return d;
}

static void parses_plain_image(void **state)
{
	struct kj_arm64_image img;
	struct kj_err err = { 0 };
	uint8_t *d = make_image(8192);

	assert_true(kj_arm64_image_probe(d, 8192));
	assert_int_equal(kj_arm64_image_parse(d, 8192, "Image", &img, &err), 0);
	assert_int_equal(img.text_offset, 0);
	assert_int_equal(img.image_size, MIB);
	assert_int_equal(img.page_size, 4096);
	assert_string_equal(kj_arm64_page_size_name(&img), "4K");
	assert_true(img.phys_anywhere);
	assert_false(img.efi_stub);
	assert_int_equal(img.file_size, 8192);
	free(d);
}

static void parses_efi_stub(void **state)
{
	struct kj_arm64_image img;
	struct kj_err err = { 0 };
	uint8_t *d = make_efi_image(0x3000, 0x3000);

	assert_int_equal(kj_arm64_image_parse(d, 0x3000, "Image", &img, &err),
			 0);
	assert_true(img.efi_stub);
	assert_int_equal(img.pe_file_end, 0x3000);
	assert_int_equal(img.pe_size_of_image, 0x100000);
	free(d);
}

static void expect_error(const uint8_t *d, size_t size, const char *what)
{
	struct kj_arm64_image img;
	struct kj_err err = { 0 };

	assert_int_equal(kj_arm64_image_parse(d, size, "vmlinuz", &img, &err),
			 -EINVAL);
	if (!strstr(err.msg, what))
		fail_msg("expected \"%s\" in \"%s\"", what, err.msg);
	assert_non_null(strstr(err.msg, "vmlinuz: "));
}

static void rejects_bad_headers(void **state)
{
	uint8_t *d = make_image(8192);

	expect_error(d, 63, "truncated: 63 bytes");
	expect_error(d, 0, "truncated");

	d[0x38] = 'X';
	assert_false(kj_arm64_image_probe(d, 8192));
	expect_error(d, 8192, "not an arm64 Image (magic 0x644d5258");
	d[0x38] = 'A';

	put64(d, 0x10, 0);
	expect_error(d, 8192, "image_size is 0");
	put64(d, 0x10, UINT64_MAX);
	expect_error(d, 8192, "image_size 0xffffffffffffffff is implausibly");
	put64(d, 0x10, 4096);
	expect_error(d, 8192, "image_size 0x1000 is smaller than the file");
	put64(d, 0x10, MIB);

	put64(d, 0x08, 2 * MIB);
	expect_error(d, 8192,
		     "text_offset 0x200000 is not a 4 KiB-aligned "
		     "offset inside the 2 MiB window");
	put64(d, 0x08, 0x80010);
	expect_error(d, 8192, "text_offset 0x80010");
	put64(d, 0x08, UINT64_MAX);
	expect_error(d, 8192, "text_offset 0xffffffffffffffff");
	put64(d, 0x08, 0x80000);

	put64(d, 0x18, 0xb);
	expect_error(d, 8192, "big-endian arm64 kernel (flags 0xb)");
	free(d);
}

static void rejects_truncated_efi_stub(void **state)
{
	uint8_t *d = make_efi_image(0x3000, 0x3000);

	/* The sections promise 0x3000 bytes: one byte less is caught. */
	expect_error(d, 0x2fff,
		     "truncated: the EFI stub's sections promise "
		     "12288 bytes, the file has 12287");
	/* The PE header itself beyond the file. */
	put32(d, 0x3c, 0x10000);
	expect_error(d, 0x3000, "PE header at 0x10000 is beyond the file");
	put32(d, 0x3c, 0x40);
	/* Section headers that run past the end. */
	d[0x46] = 0xff;
	d[0x47] = 0xff;
	expect_error(d, 0x3000, "65535 section headers end beyond the file");
	d[0x46] = 1;
	d[0x47] = 0;
	/* MZ but no PE signature, or a PE for another machine. */
	d[0x40] = 'X';
	expect_error(d, 0x3000, "no PE signature at 0x40");
	d[0x40] = 'P';
	d[0x44] = 0x64;
	d[0x45] = 0x86;
	expect_error(d, 0x3000, "PE machine 0x8664, not arm64");
	free(d);
}

static void page_size_and_placement_flags(void **state)
{
	static const struct {
		uint64_t flags;
		unsigned int page;
		bool anywhere;
	} cases[] = {
		{ 0x0, 0, false },     { 0x2, 4096, false },
		{ 0x4, 16384, false }, { 0x6, 65536, false },
		{ 0x8, 0, true },      { 0xe, 65536, true },
	};
	uint8_t *d = make_image(4096);

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kj_arm64_image img;
		struct kj_err err = { 0 };

		put64(d, 0x18, cases[i].flags);
		assert_int_equal(kj_arm64_image_parse(d, 4096, "I", &img, &err),
				 0);
		assert_int_equal(img.page_size, cases[i].page);
		assert_int_equal(img.phys_anywhere, cases[i].anywhere);
	}
	free(d);
}

/* Debian's arm64 cloud kernel: an uncompressed Image with an EFI stub.
 * KJ_TEST_ARM64_KERNELS (colon-separated), else the fetch-deb cache
 * ($KJ_CACHE or build/cache: tools/fetch-deb
 * linux-image-cloud-arm64:arm64). */
static void parses_real_debian_kernel(void **state)
{
	const char *list = getenv("KJ_TEST_ARM64_KERNELS");
	const char *cache = getenv("KJ_CACHE");
	char pattern[PATH_MAX];
	glob_t g = { 0 };
	int seen = 0;

	if (list && *list) {
		char *copy = strdup(list), *save = NULL, *p;

		for (p = strtok_r(copy, ":", &save); p;
		     p = strtok_r(NULL, ":", &save))
			glob(p, GLOB_APPEND | GLOB_NOCHECK, NULL, &g);
		free(copy);
	} else {
		snprintf(pattern, sizeof(pattern),
			 "%s/arm64/linux-image-cloud-arm64/boot/vmlinuz-*",
			 cache && *cache ? cache : "build/cache");
		glob(pattern, 0, NULL, &g);
	}
	if (!g.gl_pathc) {
		globfree(&g);
		skip();
	}
	for (size_t i = 0; i < g.gl_pathc; i++) {
		const char *path = g.gl_pathv[i];
		struct kj_arm64_image img;
		struct kj_err err = { 0 };
		struct kj_image f;

		assert_int_equal(kj_image_open(&f, path, &err), 0);
		assert_true(kj_arm64_image_probe(f.data, f.size));
		if (kj_arm64_image_parse(f.data, f.size, path, &img, &err))
			fail_msg("%s", err.msg);
		assert_true(img.efi_stub);
		assert_int_equal(img.text_offset, 0);
		assert_int_equal(img.page_size, 4096);
		assert_true(img.phys_anywhere);
		assert_true(img.image_size >= f.size);
		assert_true(img.pe_file_end <= f.size);
		assert_true(img.pe_file_end > f.size / 2);
		/* A download cut short by one byte is caught. */
		assert_true(kj_arm64_image_parse(f.data, img.pe_file_end - 1,
						 path, &img, &err) < 0);
		assert_non_null(strstr(err.msg, "truncated"));
		kj_image_close(&f);
		seen++;
	}
	globfree(&g);
	assert_true(seen > 0);
}

static void places_kernel_and_initrd(void **state)
{
	/* QEMU virt: RAM from 1 GiB; something already at the bottom. */
	struct kj_range ram[] = { { GIB, 3 * GIB } };
	struct kj_arm64_image img = {
		.text_offset = 0x80000,
		.image_size = 30 * MIB + 123,
		.file_size = 27 * MIB,
		.phys_anywhere = true,
	};
	struct kj_arm64_layout l;
	struct kj_err err = { 0 };
	struct kj_plan plan;

	kj_plan_init(&plan);
	assert_int_equal(
		kj_plan_add(&plan, "dtb", NULL, 0, GIB, 4096, false, &err), 0);
	assert_int_equal(kj_arm64_image_place(&img, "Image", ram, 1, &plan,
					      200 * MIB, 0, 0, &l, &err),
			 0);
	assert_int_equal(l.kernel_base, GIB + 2 * MIB);
	assert_int_equal(l.kernel_addr, GIB + 2 * MIB + 0x80000);
	assert_int_equal(l.kernel_memsz, 30 * MIB + 4096);
	assert_int_equal(l.initrd_addr, l.kernel_addr + l.kernel_memsz);
	assert_int_equal(l.initrd_size, 200 * MIB);

	/* --mem-min moves the kernel up to the next 2 MiB boundary. */
	assert_int_equal(kj_arm64_image_place(&img, "Image", ram, 1, &plan, 0,
					      GIB + 5 * MIB, 0, &l, &err),
			 0);
	assert_int_equal(l.kernel_base, GIB + 6 * MIB);
	assert_int_equal(l.initrd_addr, 0);

	/* --mem-max too low for kernel + initrd. */
	assert_true(kj_arm64_image_place(&img, "Image", ram, 1, &plan,
					 200 * MIB, 0, GIB + 64 * MIB - 1, &l,
					 &err) < 0);
	assert_non_null(strstr(err.msg, "initrd"));
	kj_plan_free(&plan);
}

static void initrd_stays_in_the_32g_window(void **state)
{
	/* The kernel fits low, the only room for the initrd is 40 GiB up:
	 * outside the kernel's 32 GiB window, so it must fail. */
	struct kj_range ram[] = { { GIB, GIB + 64 * MIB },
				  { 40 * GIB, 41 * GIB } };
	struct kj_arm64_image img = {
		.image_size = 32 * MIB,
		.file_size = 1 * MIB,
		.phys_anywhere = true,
	};
	struct kj_arm64_layout l;
	struct kj_err err = { 0 };
	struct kj_plan plan;

	kj_plan_init(&plan);
	assert_true(kj_arm64_image_place(&img, "Image", ram, 2, &plan,
					 100 * MIB, 0, 0, &l, &err) < 0);
	assert_non_null(strstr(err.msg, "32 GiB window"));

	/* With flags bit 3 the image must sit below 2^48, so RAM only
	 * above it is refused; without it the lowest RAM is taken. */
	struct kj_range high[] = { { 1ull << 48, (1ull << 48) + GIB } };

	img.phys_anywhere = false;
	assert_int_equal(kj_arm64_image_place(&img, "Image", high, 1, &plan, 0,
					      0, 0, &l, &err),
			 0);
	img.phys_anywhere = true;
	assert_true(kj_arm64_image_place(&img, "Image", high, 1, &plan, 0, 0, 0,
					 &l, &err) < 0);
	kj_plan_free(&plan);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_plain_image),
		cmocka_unit_test(parses_efi_stub),
		cmocka_unit_test(rejects_bad_headers),
		cmocka_unit_test(rejects_truncated_efi_stub),
		cmocka_unit_test(page_size_and_placement_flags),
		cmocka_unit_test(parses_real_debian_kernel),
		cmocka_unit_test(places_kernel_and_initrd),
		cmocka_unit_test(initrd_stays_in_the_32g_window),
	};
	return cmocka_run_group_tests_name("arm64_image", tests, NULL, NULL);
}
