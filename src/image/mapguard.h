/* Files mapped for reading can change under us: another process, or a
 * USB stick pulled, can shrink one, and touching a page past the new end
 * raises SIGBUS. Every mapping kj_map_fd() makes is registered here; a
 * SIGBUS inside one puts a page of zeros in place and marks the file
 * changed, so the read goes on and kj_mapguard_check() turns it into
 * the usual one-line error before anything reaches the kernel. Mapping
 * stays zero-copy: nothing is slurped into memory. */
#ifndef KJ_IMAGE_MAPGUARD_H
#define KJ_IMAGE_MAPGUARD_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define KJ_MAPGUARD_MAX 64

/* Watch [data, data+size) mapped from fd (whose size is size now). */
void kj_mapguard_add(const uint8_t *data, size_t size, int fd,
		     const char *name);
void kj_mapguard_remove(const uint8_t *data);

/* An error naming the first watched file that changed size (a read hit
 * the end, or its size differs now), else 0. */
int kj_mapguard_check(struct kj_err *err);

#endif
