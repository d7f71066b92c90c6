/* Transparent decompression of kernels and images: gzip, xz and zstd,
 * recognised by their magic bytes, never by a file name.
 *
 * Input is untrusted: the output size is bounded by the caller, nothing
 * in a header is believed beyond a first allocation guess, and corrupt or
 * truncated data fails with a one-line reason. */
#ifndef KJ_IMAGE_DECOMPRESS_H
#define KJ_IMAGE_DECOMPRESS_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* "gzip", "xz" or "zstd" when data starts with that format's magic,
 * else NULL (not compressed, or a format we do not handle). */
const char *kj_compression_name(const uint8_t *data, size_t len);

/* Decompress in[0..in_len) into a new buffer of *out_len bytes (*out,
 * release with free(); never NULL on success, even when empty).
 * name is the file name used in error messages. Output larger than
 * max_out bytes fails with -EFBIG.
 *
 * Concatenation is handled as the reference tools do: every gzip member,
 * xz stream and zstd frame is decoded in turn; after the last gzip member
 * trailing zero padding or other bytes are ignored (like gzip -d), while
 * trailing garbage after xz or zstd data is an error (like xz and zstd).
 *
 * Returns 0, or -EINVAL (no known magic), -EBADMSG (corrupt or truncated
 * data, or unsupported options), -EFBIG, -ENOMEM; err says which. */
int kj_decompress(const uint8_t *in, size_t in_len, const char *name,
		  size_t max_out, uint8_t **out, size_t *out_len,
		  struct kj_err *err);

#endif
