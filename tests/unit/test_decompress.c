/* kj_decompress: round trips, concatenation, truncation, corruption,
 * bombs. Test vectors are made here with the libraries' own compressors,
 * so no binary blob lives in the tree. */
#include "testlib.h"

#include <errno.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "image/decompress.h"

#define MIB ((size_t)1 << 20)

struct blob {
	uint8_t *p;
	size_t n;
};

static void blob_free(struct blob *b)
{
	free(b->p);
	b->p = NULL;
	b->n = 0;
}

/* Append src to dst. */
static void blob_cat(struct blob *dst, const uint8_t *src, size_t n)
{
	dst->p = realloc(dst->p, dst->n + n + 1);
	assert_non_null(dst->p);
	memcpy(dst->p + dst->n, src, n);
	dst->n += n;
}

/* Compressible but not trivial: words with a counter, then noise. */
static struct blob sample(size_t n)
{
	struct blob b = { malloc(n + 1), n };
	uint32_t x = 12345;

	assert_non_null(b.p);
	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245 + 12345;
		b.p[i] = (i % 7 == 0) ? (uint8_t)(x >> 24) :
					(uint8_t)"kjump probe "[i % 12];
	}
	return b;
}

static struct blob make_gzip(const uint8_t *in, size_t n, int level)
{
	z_stream zs;
	struct blob b;

	memset(&zs, 0, sizeof(zs));
	assert_int_equal(deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8,
				      Z_DEFAULT_STRATEGY),
			 Z_OK);
	b.n = deflateBound(&zs, n) + 64;
	b.p = malloc(b.n);
	assert_non_null(b.p);
	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = (uInt)n;
	zs.next_out = b.p;
	zs.avail_out = (uInt)b.n;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	b.n = zs.total_out;
	deflateEnd(&zs);
	return b;
}

static struct blob make_xz(const uint8_t *in, size_t n, uint32_t preset)
{
	struct blob b;
	size_t pos = 0;

	b.n = lzma_stream_buffer_bound(n);
	b.p = malloc(b.n);
	assert_non_null(b.p);
	assert_int_equal(lzma_easy_buffer_encode(preset, LZMA_CHECK_CRC64,
						 NULL, in, n, b.p, &pos, b.n),
			 LZMA_OK);
	b.n = pos;
	return b;
}

static struct blob make_zstd(const uint8_t *in, size_t n, int level)
{
	ZSTD_CCtx *cc = ZSTD_createCCtx();
	struct blob b;

	assert_non_null(cc);
	ZSTD_CCtx_setParameter(cc, ZSTD_c_compressionLevel, level);
	/* A checksum, so that flipped bits are detected. */
	ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, 1);
	b.n = ZSTD_compressBound(n);
	b.p = malloc(b.n);
	assert_non_null(b.p);
	b.n = ZSTD_compress2(cc, b.p, b.n, in, n);
	assert_false(ZSTD_isError(b.n));
	ZSTD_freeCCtx(cc);
	return b;
}

typedef struct blob (*maker)(const uint8_t *, size_t, int);

static struct blob make_xz_level(const uint8_t *in, size_t n, int level)
{
	return make_xz(in, n, (uint32_t)level);
}

static const struct format {
	const char *name;
	maker make;
	int level;
} formats[] = {
	{ "gzip", make_gzip, 6 },
	{ "xz", make_xz_level, 1 },
	{ "zstd", make_zstd, 3 },
};

#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

/* Decompress and expect success with exactly want[0..n). */
static void expect_ok(const struct blob *c, size_t max_out,
		      const uint8_t *want, size_t n)
{
	struct kj_err err = { 0 };
	uint8_t *out = NULL;
	size_t out_len = 0;
	int rc = kj_decompress(c->p, c->n, "t", max_out, &out, &out_len,
			       &err);

	if (rc)
		fail_msg("kj_decompress: %d %s", rc, err.msg);
	assert_non_null(out);
	assert_int_equal(out_len, n);
	if (n)
		assert_memory_equal(out, want, n);
	free(out);
}

/* Decompress and expect rc with a message starting with prefix. */
static void expect_fail(const struct blob *c, size_t max_out, int want_rc,
			const char *prefix)
{
	struct kj_err err = { 0 };
	uint8_t *out = (uint8_t *)&err;
	size_t out_len = 123;
	int rc = kj_decompress(c->p, c->n, "t", max_out, &out, &out_len,
			       &err);

	if (rc != want_rc)
		fail_msg("rc %d (want %d): %s", rc, want_rc, err.msg);
	assert_null(out);
	assert_int_equal(out_len, 0);
	assert_int_equal(err.code, -want_rc);
	if (strncmp(err.msg, prefix, strlen(prefix)) != 0)
		fail_msg("message \"%s\" does not start with \"%s\"", err.msg,
			 prefix);
}

static void test_names(void **state)
{
	static const uint8_t gz[] = { 0x1f, 0x8b, 8 };
	static const uint8_t xz[] = { 0xfd, '7', 'z', 'X', 'Z', 0 };
	static const uint8_t zs[] = { 0x28, 0xb5, 0x2f, 0xfd };
	static const uint8_t elf[] = { 0x7f, 'E', 'L', 'F' };

	assert_string_equal(kj_compression_name(gz, sizeof(gz)), "gzip");
	assert_string_equal(kj_compression_name(xz, sizeof(xz)), "xz");
	assert_string_equal(kj_compression_name(zs, sizeof(zs)), "zstd");
	assert_null(kj_compression_name(xz, sizeof(xz) - 1));
	assert_null(kj_compression_name(zs, 3));
	assert_null(kj_compression_name(gz, 1));
	assert_null(kj_compression_name(elf, sizeof(elf)));
	assert_null(kj_compression_name(NULL, 10));
}

static void test_round_trip(void **state)
{
	/* Big enough that the output buffer grows several times. */
	struct blob raw = sample(3 * MIB + 17);

	for (size_t f = 0; f < NFORMATS; f++) {
		struct blob c = formats[f].make(raw.p, raw.n,
						formats[f].level);

		assert_string_equal(kj_compression_name(c.p, c.n),
				    formats[f].name);
		expect_ok(&c, 64 * MIB, raw.p, raw.n);
		/* The limit is inclusive. */
		expect_ok(&c, raw.n, raw.p, raw.n);
		expect_fail(&c, raw.n - 1, -EFBIG, "t: decompressed size");
		blob_free(&c);
	}
	blob_free(&raw);
}

static void test_empty_payload(void **state)
{
	for (size_t f = 0; f < NFORMATS; f++) {
		struct blob c = formats[f].make((const uint8_t *)"", 0,
						formats[f].level);

		expect_ok(&c, MIB, NULL, 0);
		blob_free(&c);
	}
}

static void test_concatenated(void **state)
{
	struct blob a = sample(1000), b = sample(70000), want = { 0 };

	blob_cat(&want, a.p, a.n);
	blob_cat(&want, b.p, b.n);
	for (size_t f = 0; f < NFORMATS; f++) {
		struct blob ca = formats[f].make(a.p, a.n, formats[f].level);
		struct blob cb = formats[f].make(b.p, b.n, formats[f].level);
		struct blob c = { 0 };

		blob_cat(&c, ca.p, ca.n);
		blob_cat(&c, cb.p, cb.n);
		expect_ok(&c, MIB, want.p, want.n);
		blob_free(&ca);
		blob_free(&cb);
		blob_free(&c);
	}
	blob_free(&a);
	blob_free(&b);
	blob_free(&want);
}

static void test_trailing_bytes(void **state)
{
	static const uint8_t zeros[16], junk[] = "not compressed at all";
	struct blob raw = sample(5000);
	struct blob c;

	/* gzip -d ignores what follows the last member... */
	c = make_gzip(raw.p, raw.n, 6);
	blob_cat(&c, zeros, sizeof(zeros));
	expect_ok(&c, MIB, raw.p, raw.n);
	blob_cat(&c, junk, sizeof(junk));
	expect_ok(&c, MIB, raw.p, raw.n);
	blob_free(&c);

	/* ...xz accepts stream padding (multiples of 4 zero bytes)... */
	c = make_xz(raw.p, raw.n, 1);
	blob_cat(&c, zeros, 8);
	expect_ok(&c, MIB, raw.p, raw.n);
	blob_cat(&c, junk, sizeof(junk));
	expect_fail(&c, MIB, -EBADMSG, "t: corrupt xz data");
	blob_free(&c);

	/* ...and zstd rejects anything that is not another frame. */
	c = make_zstd(raw.p, raw.n, 3);
	blob_cat(&c, junk, sizeof(junk));
	expect_fail(&c, MIB, -EBADMSG, "t: corrupt zstd data");
	blob_free(&c);
	blob_free(&raw);
}

static void test_truncated(void **state)
{
	struct blob raw = sample(200000);

	for (size_t f = 0; f < NFORMATS; f++) {
		struct blob c = formats[f].make(raw.p, raw.n,
						formats[f].level);
		size_t full = c.n;
		char want[64];

		snprintf(want, sizeof(want), "t: truncated %s data",
			 formats[f].name);
		/* Cut in the middle, and just before the end. */
		c.n = full / 2;
		expect_fail(&c, MIB, -EBADMSG, want);
		c.n = full - 1;
		expect_fail(&c, MIB, -EBADMSG, want);
		/* Only the magic. */
		c.n = f == 1 ? 6 : f == 0 ? 2 : 4;
		expect_fail(&c, MIB, -EBADMSG, want);
		blob_free(&c);
	}
	blob_free(&raw);
}

static void test_corrupt(void **state)
{
	struct blob raw = sample(200000);
	struct kj_err err = { 0 };
	uint8_t *out;
	size_t out_len;

	for (size_t f = 0; f < NFORMATS; f++) {
		struct blob c = formats[f].make(raw.p, raw.n,
						formats[f].level);
		char want[64];

		snprintf(want, sizeof(want), "t: corrupt %s data (",
			 formats[f].name);
		/* The last bytes are a checksum in all three formats. */
		c.p[c.n - 1] ^= 0x55;
		expect_fail(&c, MIB, -EBADMSG, want);
		c.p[c.n - 1] ^= 0x55;
		/* Damage in the middle: some error, never a crash or a
		 * silent success. */
		for (size_t i = 0; i < 32; i++) {
			size_t at = 10 + (c.n - 20) * i / 32;
			int rc;

			c.p[at] ^= 0xa5;
			rc = kj_decompress(c.p, c.n, "t", MIB, &out, &out_len,
					   &err);
			assert_int_equal(rc, -EBADMSG);
			c.p[at] ^= 0xa5;
		}
		blob_free(&c);
	}
	blob_free(&raw);
}

static void test_bomb(void **state)
{
	uint8_t *zeros = calloc(1, 64 * MIB);

	assert_non_null(zeros);
	for (size_t f = 0; f < NFORMATS; f++) {
		struct blob c = formats[f].make(zeros, 64 * MIB, 1);
		struct kj_err err = { 0 };
		uint8_t *out = NULL;
		size_t out_len = 0;
		int rc = kj_decompress(c.p, c.n, "bomb", MIB, &out, &out_len,
				       &err);

		assert_int_equal(rc, -EFBIG);
		assert_null(out);
		assert_string_equal(err.msg,
				    "bomb: decompressed size exceeds 1 MiB "
				    "(decompression bomb?)");
		/* A limit that is not whole MiB is said in bytes. */
		rc = kj_decompress(c.p, c.n, "bomb", 1000, &out, &out_len,
				   &err);
		assert_int_equal(rc, -EFBIG);
		assert_string_equal(err.msg,
				    "bomb: decompressed size exceeds 1000 "
				    "bytes (decompression bomb?)");
		blob_free(&c);
	}
	free(zeros);
}

/* A zstd frame that declares a 256 MiB window (streamed, so the
 * compressor cannot shrink the window to the input size). */
static struct blob make_zstd_big_window(const uint8_t *in, size_t n)
{
	ZSTD_CCtx *cc = ZSTD_createCCtx();
	ZSTD_inBuffer ib = { in, n, 0 };
	ZSTD_outBuffer ob;
	struct blob b;

	assert_non_null(cc);
	ZSTD_CCtx_setParameter(cc, ZSTD_c_windowLog, 28);
	b.n = ZSTD_compressBound(n) + 64;
	b.p = malloc(b.n);
	assert_non_null(b.p);
	ob = (ZSTD_outBuffer){ b.p, b.n, 0 };
	assert_false(ZSTD_isError(
		ZSTD_compressStream2(cc, &ob, &ib, ZSTD_e_continue)));
	assert_int_equal(ZSTD_compressStream2(cc, &ob, &ib, ZSTD_e_end), 0);
	b.n = ob.pos;
	ZSTD_freeCCtx(cc);
	return b;
}

static void test_zstd_window(void **state)
{
	struct blob raw = sample(10000);
	struct blob c = make_zstd_big_window(raw.p, raw.n);

	/* A 1 MiB output bound allows zstd's default 128 MiB window... */
	expect_fail(&c, MIB, -EBADMSG,
		    "t: zstd frame needs a window larger than 128 MiB");
	/* ...a 512 MiB one allows a window that large. */
	expect_ok(&c, 512 * MIB, raw.p, raw.n);
	blob_free(&c);
	blob_free(&raw);
}

static void test_not_compressed(void **state)
{
	static const uint8_t elf[] = "\x7f" "ELF and some more bytes";
	struct blob b = { (uint8_t *)elf, sizeof(elf) };
	struct blob empty = { (uint8_t *)elf, 0 };
	struct kj_err err = { 0 };
	size_t out_len;

	expect_fail(&b, MIB, -EINVAL, "t: not gzip, xz or zstd");
	expect_fail(&empty, MIB, -EINVAL, "t: not gzip, xz or zstd");
	assert_int_equal(kj_decompress(elf, sizeof(elf), NULL, MIB, NULL,
				       &out_len, &err),
			 -EINVAL);
	assert_string_equal(err.msg, "input: no output buffer");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_empty_payload),
		cmocka_unit_test(test_concatenated),
		cmocka_unit_test(test_trailing_bytes),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_bomb),
		cmocka_unit_test(test_zstd_window),
		cmocka_unit_test(test_not_compressed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
