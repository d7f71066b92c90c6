#include "image/decompress.h"

#include <errno.h>
#include <limits.h>
#include <lzma.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#define MIB ((size_t)1 << 20)
#define FIRST_ALLOC (64 * 1024)
/* The largest dictionary xz -9e uses is 64 MiB; leave room for that. */
#define XZ_MEMLIMIT (256 * MIB)
/* Deflate cannot expand more than about 1032:1, and real kernels and
 * images stay far below that in every format: a size hint claiming more
 * is not trusted for the first allocation (growth still copes). */
#define HINT_MAX_RATIO 1100

static const uint8_t gzip_magic[] = { 0x1f, 0x8b };
static const uint8_t xz_magic[] = { 0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00 };
static const uint8_t zstd_magic[] = { 0x28, 0xb5, 0x2f, 0xfd };

/* The growing output buffer; limit is one byte past max_out, so that
 * reaching it proves the output is too large. */
struct outbuf {
	uint8_t *buf;
	size_t len, cap, limit, max_out;
	const char *name;
};

static int has_magic(const uint8_t *data, size_t len, const uint8_t *magic,
		     size_t mlen)
{
	return len >= mlen && memcmp(data, magic, mlen) == 0;
}

const char *kj_compression_name(const uint8_t *data, size_t len)
{
	if (!data)
		return NULL;
	if (has_magic(data, len, gzip_magic, sizeof(gzip_magic)))
		return "gzip";
	if (has_magic(data, len, xz_magic, sizeof(xz_magic)))
		return "xz";
	if (has_magic(data, len, zstd_magic, sizeof(zstd_magic)))
		return "zstd";
	return NULL;
}

static int too_big(struct outbuf *o, struct kj_err *err)
{
	if (o->max_out % MIB == 0)
		return kj_fail(err, EFBIG,
			       "%s: decompressed size exceeds %zu MiB "
			       "(decompression bomb?)",
			       o->name, o->max_out / MIB);
	return kj_fail(err, EFBIG,
		       "%s: decompressed size exceeds %zu bytes "
		       "(decompression bomb?)",
		       o->name, o->max_out);
}

static int out_init(struct outbuf *o, const char *name, size_t max_out,
		    size_t in_len, size_t hint, struct kj_err *err)
{
	size_t cap = FIRST_ALLOC;

	o->name = name;
	o->max_out = max_out;
	o->limit = max_out == SIZE_MAX ? SIZE_MAX : max_out + 1;
	o->len = 0;
	if (in_len <= SIZE_MAX / 4 && in_len * 4 > cap)
		cap = in_len * 4;
	if (hint > cap && hint < SIZE_MAX &&
	    in_len <= SIZE_MAX / HINT_MAX_RATIO &&
	    hint <= in_len * HINT_MAX_RATIO)
		cap = hint + 1; /* +1: no extra round to prove the end */
	if (cap > o->limit)
		cap = o->limit;
	o->cap = cap;
	o->buf = malloc(cap ? cap : 1);
	if (!o->buf)
		return kj_fail(err, ENOMEM, "%s: out of memory for %zu bytes",
			       name, cap);
	return 0;
}

/* Make room for more output: double, up to the limit. */
static int out_grow(struct outbuf *o, struct kj_err *err)
{
	size_t cap;
	uint8_t *p;

	if (o->len < o->cap)
		return 0;
	if (o->cap >= o->limit)
		return too_big(o, err);
	cap = o->cap > o->limit / 2 ? o->limit : o->cap * 2;
	p = realloc(o->buf, cap);
	if (!p)
		return kj_fail(err, ENOMEM, "%s: out of memory for %zu bytes",
			       o->name, cap);
	o->buf = p;
	o->cap = cap;
	return 0;
}

static int out_finish(struct outbuf *o, uint8_t **out, size_t *out_len,
		      struct kj_err *err)
{
	uint8_t *p;

	if (o->len > o->max_out)
		return too_big(o, err);
	/* Give back what doubling over-allocated (glibc's realloc of a big
	 * block is an mremap, no copy); keep the old block if it fails. */
	if (o->cap - o->len > o->len / 8 + 4096) {
		p = realloc(o->buf, o->len ? o->len : 1);
		if (p)
			o->buf = p;
	}
	*out = o->buf;
	*out_len = o->len;
	o->buf = NULL;
	return 0;
}

static uInt clamp_uint(size_t n)
{
	return n > UINT_MAX ? UINT_MAX : (uInt)n;
}

static int gunzip(const uint8_t *in, size_t in_len, struct outbuf *o,
		  struct kj_err *err)
{
	z_stream zs;
	size_t pos = 0;
	int ret, rc = 0;

	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 15 + 32) != Z_OK)
		return kj_fail(err, ENOMEM, "%s: cannot start gzip decoder",
			       o->name);
	for (;;) {
		uInt avail_in, avail_out;

		rc = out_grow(o, err);
		if (rc)
			break;
		/* zlib counts in uInt: feed huge buffers in slices. */
		avail_in = clamp_uint(in_len - pos);
		avail_out = clamp_uint(o->cap - o->len);
		zs.next_in = (Bytef *)(uintptr_t)(in + pos);
		zs.avail_in = avail_in;
		zs.next_out = o->buf + o->len;
		zs.avail_out = avail_out;
		ret = inflate(&zs, Z_NO_FLUSH);
		pos += avail_in - zs.avail_in;
		o->len += avail_out - zs.avail_out;
		if (ret == Z_STREAM_END) {
			/* Another member follows: decode it too, as gzip -d
			 * does; anything else after the data is ignored. */
			if (!has_magic(in + pos, in_len - pos, gzip_magic,
				       sizeof(gzip_magic)))
				break;
			if (inflateReset(&zs) != Z_OK) {
				rc = kj_fail(err, EBADMSG,
					     "%s: corrupt gzip data (reset)",
					     o->name);
				break;
			}
			continue;
		}
		if (ret == Z_OK)
			continue;
		if (ret == Z_BUF_ERROR && o->len == o->cap)
			continue; /* only the output was full */
		if (ret == Z_BUF_ERROR) {
			rc = kj_fail(err, EBADMSG,
				     "%s: truncated gzip data (ends after %zu "
				     "bytes)",
				     o->name, in_len);
		} else if (ret == Z_MEM_ERROR) {
			rc = kj_fail(err, ENOMEM, "%s: out of memory in gzip "
				     "decoder", o->name);
		} else if (ret == Z_NEED_DICT) {
			rc = kj_fail(err, EBADMSG, "%s: corrupt gzip data "
				     "(needs a preset dictionary)", o->name);
		} else {
			rc = kj_fail(err, EBADMSG,
				     "%s: corrupt gzip data (%s)", o->name,
				     zs.msg ? zs.msg : "inflate failed");
		}
		break;
	}
	inflateEnd(&zs);
	return rc;
}

static int unxz(const uint8_t *in, size_t in_len, struct outbuf *o,
		struct kj_err *err)
{
	lzma_stream xs = LZMA_STREAM_INIT;
	lzma_ret ret;
	int rc = 0;

	/* CONCATENATED: several .xz streams and stream padding, as xz -d. */
	ret = lzma_stream_decoder(&xs, XZ_MEMLIMIT, LZMA_CONCATENATED);
	if (ret != LZMA_OK)
		return kj_fail(err, ENOMEM, "%s: cannot start xz decoder",
			       o->name);
	xs.next_in = in;
	xs.avail_in = in_len;
	for (;;) {
		rc = out_grow(o, err);
		if (rc)
			break;
		xs.next_out = o->buf + o->len;
		xs.avail_out = o->cap - o->len;
		ret = lzma_code(&xs, LZMA_FINISH);
		o->len = o->cap - xs.avail_out;
		if (ret == LZMA_STREAM_END)
			break;
		if (ret == LZMA_OK)
			continue;
		switch (ret) {
		case LZMA_BUF_ERROR:
			rc = kj_fail(err, EBADMSG,
				     "%s: truncated xz data (ends after %zu "
				     "bytes)",
				     o->name, in_len);
			break;
		case LZMA_MEM_ERROR:
			rc = kj_fail(err, ENOMEM,
				     "%s: out of memory in xz decoder",
				     o->name);
			break;
		case LZMA_MEMLIMIT_ERROR:
			rc = kj_fail(err, EBADMSG,
				     "%s: xz data needs more than %zu MiB of "
				     "decoder memory",
				     o->name, XZ_MEMLIMIT / MIB);
			break;
		case LZMA_OPTIONS_ERROR:
			rc = kj_fail(err, EBADMSG,
				     "%s: unsupported xz options", o->name);
			break;
		case LZMA_FORMAT_ERROR:
			rc = kj_fail(err, EBADMSG,
				     "%s: corrupt xz data (bad stream header)",
				     o->name);
			break;
		case LZMA_DATA_ERROR:
			rc = kj_fail(err, EBADMSG,
				     "%s: corrupt xz data (bad data or check "
				     "near input offset %zu)",
				     o->name, in_len - xs.avail_in);
			break;
		default:
			rc = kj_fail(err, EBADMSG,
				     "%s: corrupt xz data (liblzma error %d)",
				     o->name, (int)ret);
			break;
		}
		break;
	}
	lzma_end(&xs);
	return rc;
}

/* ISIZE, the last member's size mod 2^32: a first allocation guess. */
static size_t gzip_hint(const uint8_t *in, size_t in_len)
{
	const uint8_t *t;

	if (in_len < 18) /* header 10, trailer 8 */
		return 0;
	t = in + in_len - 4;
	return (size_t)t[0] | (size_t)t[1] << 8 | (size_t)t[2] << 16 |
	       (size_t)t[3] << 24;
}

/* The frame's content size, only as a first allocation guess. */
static size_t zstd_hint(const uint8_t *in, size_t in_len)
{
	unsigned long long n = ZSTD_getFrameContentSize(in, in_len);

	if (n == ZSTD_CONTENTSIZE_UNKNOWN || n == ZSTD_CONTENTSIZE_ERROR ||
	    n > SIZE_MAX - 1)
		return 0;
	return (size_t)n;
}

/* The largest window a frame may ask for: zstd's default limit (128
 * MiB), raised up to the output bound, since a window never needs to be
 * larger than the output and the caller accepted that much memory. */
static int zstd_window_log(size_t max_out)
{
	ZSTD_bounds b = ZSTD_dParam_getBounds(ZSTD_d_windowLogMax);
	int log = 27;

	while (log < b.upperBound && ((size_t)1 << log) < max_out)
		log++;
	return log;
}

static int unzstd(const uint8_t *in, size_t in_len, struct outbuf *o,
		  struct kj_err *err)
{
	ZSTD_DCtx *dc = ZSTD_createDCtx();
	ZSTD_inBuffer ib = { in, in_len, 0 };
	int wlog = zstd_window_log(o->max_out);
	size_t ret = 1;
	int rc = 0;

	if (!dc)
		return kj_fail(err, ENOMEM, "%s: cannot start zstd decoder",
			       o->name);
	ret = ZSTD_DCtx_setParameter(dc, ZSTD_d_windowLogMax, wlog);
	if (ZSTD_isError(ret)) {
		ZSTD_freeDCtx(dc);
		return kj_fail(err, ENOMEM, "%s: cannot set zstd window: %s",
			       o->name, ZSTD_getErrorName(ret));
	}
	for (;;) {
		ZSTD_outBuffer ob;

		rc = out_grow(o, err);
		if (rc)
			break;
		ob.dst = o->buf;
		ob.size = o->cap;
		ob.pos = o->len;
		ret = ZSTD_decompressStream(dc, &ob, &ib);
		o->len = ob.pos;
		if (ZSTD_getErrorCode(ret) ==
		    ZSTD_error_frameParameter_windowTooLarge) {
			rc = kj_fail(err, EBADMSG,
				     "%s: zstd frame needs a window larger "
				     "than %zu MiB",
				     o->name, ((size_t)1 << wlog) / MIB);
			break;
		}
		if (ZSTD_isError(ret)) {
			rc = kj_fail(err, EBADMSG,
				     "%s: corrupt zstd data (%s)", o->name,
				     ZSTD_getErrorName(ret));
			break;
		}
		/* 0: a frame ended and its output is flushed. */
		if (ret == 0 && ib.pos == ib.size)
			break;
		/* Input gone, output not full: the decoder wants more. */
		if (ib.pos == ib.size && o->len < o->cap) {
			rc = kj_fail(err, EBADMSG,
				     "%s: truncated zstd data (ends after %zu "
				     "bytes)",
				     o->name, in_len);
			break;
		}
	}
	ZSTD_freeDCtx(dc);
	return rc;
}

int kj_decompress(const uint8_t *in, size_t in_len, const char *name,
		  size_t max_out, uint8_t **out, size_t *out_len,
		  struct kj_err *err)
{
	const char *fmt = kj_compression_name(in, in_len);
	struct outbuf o;
	size_t hint = 0;
	int rc;

	if (!name)
		name = "input";
	if (!out || !out_len)
		return kj_fail(err, EINVAL, "%s: no output buffer", name);
	*out = NULL;
	*out_len = 0;
	if (!fmt)
		return kj_fail(err, EINVAL,
			       "%s: not gzip, xz or zstd compressed data",
			       name);
	if (fmt[0] == 'g')
		hint = gzip_hint(in, in_len);
	else if (fmt[0] == 'z')
		hint = zstd_hint(in, in_len);
	rc = out_init(&o, name, max_out, in_len, hint, err);
	if (rc)
		return rc;
	if (fmt[0] == 'g')
		rc = gunzip(in, in_len, &o, err);
	else if (fmt[0] == 'x')
		rc = unxz(in, in_len, &o, err);
	else
		rc = unzstd(in, in_len, &o, err);
	if (!rc)
		rc = out_finish(&o, out, out_len, err);
	free(o.buf);
	return rc;
}
