/* Fuzz kj_decompress with arbitrary bytes; the seed corpus holds small
 * gzip, xz and zstd files so the fuzzer starts past the magic checks. */
#include <stdint.h>
#include <stdlib.h>

#include "image/decompress.h"

#define MAX_OUT (1u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile uint8_t sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kj_err err = { 0 };
	uint8_t *out = NULL;
	size_t out_len = 0;
	const char *fmt = kj_compression_name(data, size);
	int rc = kj_decompress(data, size, "fuzz", MAX_OUT, &out, &out_len,
			       &err);

	if (rc == 0) {
		/* The promises of the API, checked on every success. */
		if (!fmt || !out || out_len > MAX_OUT)
			abort();
		/* Touch every byte so ASan sees the whole buffer. */
		for (size_t i = 0; i < out_len; i++)
			sink ^= out[i];
		free(out);
	} else if (out || out_len || !err.msg[0] || err.code != -rc) {
		abort();
	}
	return 0;
}
