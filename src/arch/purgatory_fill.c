/* The purgatory fill steps every arch shares; see purgatory_fill.h. */
#include "arch/purgatory_fill.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int kj_purgatory_corrupt_index(size_t nsegs, long *idx, struct kj_err *err)
{
	const char *s = getenv("KJUMP_TEST_CORRUPT_SEGMENT");
	char *end;

	*idx = -1;
	if (!s || !*s)
		return 0;
	errno = 0;
	*idx = strtol(s, &end, 10);
	if (errno || *end || *idx < 0 || (size_t)*idx >= nsegs)
		return kj_fail(err, EINVAL,
			       "KJUMP_TEST_CORRUPT_SEGMENT=%s: not one of the "
			       "%zu segment indexes",
			       s, nsegs);
	return 0;
}

int kj_purgatory_filled_copy(const uint8_t *image, size_t len,
			     size_t params_off, const void *params,
			     size_t params_len, const char *name,
			     uint8_t **blob, size_t *blob_len,
			     struct kj_err *err)
{
	uint8_t *out = malloc(len);

	if (!out)
		return kj_fail(err, ENOMEM, "%s: out of memory (%zu bytes)",
			       name, len);
	memcpy(out, image, len);
	memcpy(out + params_off, params, params_len);
	*blob = out;
	*blob_len = len;
	return 0;
}
