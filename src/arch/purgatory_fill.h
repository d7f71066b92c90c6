/* What every arch's purgatory fill shares (arch/<arch>/purgatory.c): the
 * parameter blocks differ per arch, but the test hook that spoils one
 * digest and the filled copy of the blob are the same steps. */
#ifndef KJ_ARCH_PURGATORY_FILL_H
#define KJ_ARCH_PURGATORY_FILL_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* KJUMP_TEST_CORRUPT_SEGMENT=N (test only): *idx = N, the segment whose
 * recorded digest the fill makes wrong so a VM test can watch the
 * purgatory refuse to boot; -1 when unset or empty. Anything but one of
 * the nsegs indexes is an error. */
int kj_purgatory_corrupt_index(size_t nsegs, long *idx, struct kj_err *err);

/* A malloc'd copy of the len-byte image with the params_len-byte
 * parameter block at params_off (inside the image) replaced by params.
 * name ("purgatory", "arm64 purgatory") starts the message. */
int kj_purgatory_filled_copy(const uint8_t *image, size_t len,
			     size_t params_off, const void *params,
			     size_t params_len, const char *name,
			     uint8_t **blob, size_t *blob_len,
			     struct kj_err *err);

#endif
