/* EFI zboot: the header laid out as drivers/firmware/efi/libstub/
 * zboot-header.S does, payloads compressed here with gzip, xz and zstd
 * (plus the size word the kernel build appends to non-gzip payloads),
 * every header error, the compressions refused by name, and a zboot
 * image as the .linux of a UKI (how arm64 UKIs carry it). */
#include "testlib.h"

#include <errno.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include "fake_pe.h"
#include "image/unwrap.h"
#include "image/zboot.h"

#define PAYLOAD_AT 0x1000

static uint8_t payload[20000];

static void fill_payload(void)
{
	uint32_t x = 1;

	/* Compressible but not trivial: an "Image" of repeating words. */
	for (size_t i = 0; i < sizeof(payload); i++) {
		x = x * 1103515245u + 12345u;
		payload[i] = (uint8_t)((i % 64 < 32) ? i : (x >> 24));
	}
	memcpy(payload + 0x38, "ARMd", 4);
}

static size_t gzip_it(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
	z_stream z = { 0 };

	assert_int_equal(
		deflateInit2(&z, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY),
		Z_OK);
	z.next_in = (uint8_t *)in;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	deflateEnd(&z);
	return z.total_out;
}

static size_t xz_it(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
	size_t pos = 0;

	assert_int_equal(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC32, NULL, in,
						 len, out, &pos, cap),
			 LZMA_OK);
	return pos;
}

static size_t zstd_it(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
	size_t n = ZSTD_compress(out, cap, in, len, 19);

	assert_false(ZSTD_isError(n));
	return n;
}

/* A zboot image of in[0..len) compressed as comp ("gzip", "xzkern",
 * "zstd22"; anything else stores the bytes as they are). */
static uint8_t *zboot(const char *comp, const uint8_t *in, size_t len,
		      size_t *out_len)
{
	size_t cap = len * 2 + 4096, n;
	uint8_t *img = calloc(1, PAYLOAD_AT + cap + 4);
	uint8_t *p = img + PAYLOAD_AT;

	if (!strcmp(comp, "gzip"))
		n = gzip_it(in, len, p, cap);
	else if (!strcmp(comp, "xzkern"))
		n = xz_it(in, len, p, cap);
	else if (!strcmp(comp, "zstd22"))
		n = zstd_it(in, len, p, cap);
	else {
		memcpy(p, in, len);
		n = len;
	}
	memcpy(img, "MZ\0\0zimg", 8);
	fake_pe_put(img, 8, PAYLOAD_AT, 4);
	fake_pe_put(img, 12, n, 4);
	strcpy((char *)img + 0x18, comp);
	memcpy(img + 0x38, "\xcd\x23\x82\x81", 4);
	fake_pe_put(img, 0x3c, 0x40, 4);
	memcpy(img + 0x40, "PE\0\0", 4);
	fake_pe_put(img, 0x44, 0xaa64, 2);
	/* Non-gzip payloads get the size appended, outside payload_size. */
	if (strcmp(comp, "gzip"))
		fake_pe_put(p, n, len, 4);
	*out_len = PAYLOAD_AT + n + 4;
	return img;
}

static void check_roundtrip(const char *comp, const char *format)
{
	struct kj_unwrapped u;
	struct kj_err err = { 0 };
	size_t len;
	uint8_t *img = zboot(comp, payload, sizeof(payload), &len);

	assert_true(kj_zboot_probe(img, len));
	assert_int_equal(kj_wrapper_detect(img, len), KJ_WRAP_ZBOOT);
	if (kj_unwrap(img, len, "Image.efi", NULL, &u, &err))
		fail_msg("%s: %s", comp, err.msg);
	assert_int_equal(u.wrapper, KJ_WRAP_ZBOOT);
	assert_string_equal(u.zboot.comp, comp);
	assert_string_equal(u.zboot.format, format);
	assert_int_equal(u.zboot.machine, 0xaa64);
	assert_int_equal(u.zboot.payload_offset, PAYLOAD_AT);
	assert_int_equal(u.kernel_len, sizeof(payload));
	assert_memory_equal(u.kernel, payload, sizeof(payload));
	kj_unwrapped_free(&u);
	free(img);
}

static void test_gzip_xz_zstd(void **state)
{
	(void)state;
	fill_payload();
	check_roundtrip("gzip", "gzip");
	check_roundtrip("xzkern", "xz");
	check_roundtrip("zstd22", "zstd");
}

static void expect_parse(const uint8_t *img, size_t len, int code,
			 const char *msg)
{
	struct kj_zboot z;
	struct kj_err err = { 0 };

	assert_int_equal(kj_zboot_parse(img, len, "Image.efi", &z, &err),
			 -code);
	assert_string_equal(err.msg, msg);
}

static void test_header_errors(void **state)
{
	size_t len;
	uint8_t *img;

	(void)state;
	fill_payload();
	img = zboot("gzip", payload, sizeof(payload), &len);
	expect_parse(img, 0x30, EINVAL,
		     "Image.efi: EFI zboot header cut short (48 of 64 bytes)");
	fake_pe_put(img, 8, 0x20, 4);
	expect_parse(img, len, EINVAL,
		     "Image.efi: EFI zboot payload offset 0x20 lies inside "
		     "the header");
	fake_pe_put(img, 8, PAYLOAD_AT, 4);
	fake_pe_put(img, 12, 0, 4);
	expect_parse(img, len, EINVAL, "Image.efi: EFI zboot payload is empty");
	free(img);
}

static void test_header_errors_messages(void **state)
{
	struct kj_zboot z;
	struct kj_err err = { 0 };
	size_t len;
	uint8_t *img;

	(void)state;
	fill_payload();
	img = zboot("gzip", payload, sizeof(payload), &len);
	fake_pe_put(img, 12, 0x7fff0000, 4);
	assert_int_equal(kj_zboot_parse(img, len, "Image.efi", &z, &err),
			 -EINVAL);
	assert_non_null(strstr(err.msg, "EFI zboot payload 0x1000+0x7fff0000 "
					"lies past the end of the file"));
	fake_pe_put(img, 12, len - PAYLOAD_AT, 4);
	memset(img + 0x18, 'x', 32);
	expect_parse(img, len, EINVAL,
		     "Image.efi: EFI zboot compression type is not "
		     "terminated");
	memset(img + 0x18, 0, 32);
	expect_parse(img, len, EINVAL,
		     "Image.efi: EFI zboot compression type is empty");
	/* Not zboot at all. */
	memcpy(img + 4, "zimh", 4);
	assert_false(kj_zboot_probe(img, len));
	expect_parse(img, len, ENOEXEC, "Image.efi: not an EFI zboot image");
	free(img);
}

static void expect_unwrap(const uint8_t *img, size_t len, int code,
			  const char *msg)
{
	struct kj_unwrapped u;
	struct kj_err err = { 0 };

	assert_int_equal(kj_unwrap(img, len, "Image.efi", NULL, &u, &err),
			 -code);
	assert_string_equal(err.msg, msg);
	assert_null(u.kernel_buf);
}

static void test_refused_compressions(void **state)
{
	static const char *const names[] = { "lzma", "lz4", "lzo", "bzip2" };
	char msg[256];
	size_t len;
	uint8_t *img;

	(void)state;
	fill_payload();
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		img = zboot(names[i], payload, 100, &len);
		snprintf(msg, sizeof(msg),
			 "Image.efi: EFI zboot payload is %s-compressed, which "
			 "kjump cannot unpack (gzip, xz and zstd only)",
			 names[i]);
		expect_unwrap(img, len, ENOTSUP, msg);
		free(img);
	}
}

static void test_payload_not_what_header_says(void **state)
{
	size_t len;
	uint8_t *img;

	(void)state;
	fill_payload();
	img = zboot("zstd22", payload, sizeof(payload), &len);
	strcpy((char *)img + 0x18, "gzip");
	expect_unwrap(img, len, EBADMSG,
		      "Image.efi: EFI zboot header says gzip, but the payload "
		      "at 0x1000 is zstd");
	free(img);
	/* Declared xz, stored raw: no known magic at all. */
	img = zboot("stored", payload, 100, &len);
	strcpy((char *)img + 0x18, "xzkern");
	expect_unwrap(img, len, EBADMSG,
		      "Image.efi: EFI zboot header says xzkern, but the "
		      "payload at 0x1000 is not compressed data we know");
	free(img);
}

static void test_corrupt_and_bounded_payload(void **state)
{
	struct kj_unwrap_opts small = { .max = 1000 };
	struct kj_unwrapped u;
	struct kj_err err = { 0 };
	size_t len, n;
	uint8_t *img;

	(void)state;
	fill_payload();
	img = zboot("xzkern", payload, sizeof(payload), &len);
	/* Cut the payload: the decoder sees truncated data. */
	n = len - PAYLOAD_AT - 4;
	fake_pe_put(img, 12, n - 10, 4);
	assert_int_equal(kj_unwrap(img, len, "Image.efi", NULL, &u, &err),
			 -EBADMSG);
	assert_non_null(strstr(err.msg, "Image.efi: "));
	fake_pe_put(img, 12, n, 4);
	/* The caller's bound holds. */
	assert_int_equal(kj_unwrap(img, len, "Image.efi", &small, &u, &err),
			 -EFBIG);
	assert_non_null(strstr(err.msg, "exceeds 1000 bytes"));
	free(img);
}

static void test_zboot_inside_uki(void **state)
{
	struct kj_unwrapped u;
	struct kj_err err = { 0 };
	struct fake_sec s[2];
	struct fake_pe f;
	size_t zlen;
	uint8_t *z;
	char *text = NULL;
	size_t tlen = 0;
	FILE *out;

	(void)state;
	fill_payload();
	z = zboot("gzip", payload, sizeof(payload), &zlen);
	s[0] = (struct fake_sec){ ".cmdline", "root=/dev/vda", 13, 0 };
	s[1] = (struct fake_sec){ ".linux", z, zlen, 0 };
	f = fake_pe_build(0xaa64, s, 2);
	assert_int_equal(kj_wrapper_detect(f.buf, f.len), KJ_WRAP_UKI);
	assert_int_equal(kj_unwrap(f.buf, f.len, "arm.efi", NULL, &u, &err), 0);
	assert_int_equal(u.wrapper, KJ_WRAP_UKI);
	assert_true(u.inner_zboot);
	assert_int_equal(u.kernel_len, sizeof(payload));
	assert_memory_equal(u.kernel, payload, sizeof(payload));
	assert_string_equal(u.cmdline, "root=/dev/vda");
	out = open_memstream(&text, &tlen);
	kj_unwrapped_report(&u, out, false);
	fclose(out);
	assert_non_null(strstr(text, "wrapper             UKI (PE32+, arm64)"));
	assert_non_null(strstr(text, "inner wrapper       EFI zboot (arm64), "
				     "payload "));
	assert_non_null(
		strstr(text, "kernel              20000 bytes inside\n"));
	free(text);
	kj_unwrapped_free(&u);

	/* An error inside names the section it came from. */
	fake_pe_put(f.buf, f.raw_off[1] + 12, 0, 4);
	assert_int_equal(kj_unwrap(f.buf, f.len, "arm.efi", NULL, &u, &err),
			 -EINVAL);
	assert_string_equal(err.msg,
			    "arm.efi (.linux): EFI zboot payload is empty");
	free(f.buf);
	free(z);
}

static void test_report_json(void **state)
{
	struct kj_unwrapped u;
	struct kj_err err = { 0 };
	char *text = NULL, want[256];
	size_t tlen = 0, len;
	uint8_t *img;
	FILE *out;

	(void)state;
	fill_payload();
	img = zboot("zstd22", payload, sizeof(payload), &len);
	assert_int_equal(kj_unwrap(img, len, "Image.efi", NULL, &u, &err), 0);
	out = open_memstream(&text, &tlen);
	kj_unwrapped_report(&u, out, true);
	fclose(out);
	snprintf(want, sizeof(want),
		 "\"wrapper\":\"zboot\",\"zboot\":{\"payload_offset\":4096,"
		 "\"payload_size\":%u,\"compression\":\"zstd22\","
		 "\"machine\":\"arm64\",\"size\":%zu},\"kernel_size\":20000",
		 u.zboot.payload_size, len);
	assert_string_equal(text, want);
	free(text);
	kj_unwrapped_free(&u);
	free(img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gzip_xz_zstd),
		cmocka_unit_test(test_header_errors),
		cmocka_unit_test(test_header_errors_messages),
		cmocka_unit_test(test_refused_compressions),
		cmocka_unit_test(test_payload_not_what_header_says),
		cmocka_unit_test(test_corrupt_and_bounded_payload),
		cmocka_unit_test(test_zboot_inside_uki),
		cmocka_unit_test(test_report_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
