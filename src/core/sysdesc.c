/* The system description's helpers: one note line for --verbose made of
 * every part that is missing, and the blobs' memory. */
#include "core/sysdesc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void kj_sysdesc_note(struct kj_sysdesc *sys, const char *fmt, ...)
{
	size_t used = strlen(sys->note);
	va_list ap;

	if (used && used + 2 < sizeof(sys->note)) {
		memcpy(sys->note + used, "; ", 3);
		used += 2;
	}
	if (used + 1 >= sizeof(sys->note))
		return;
	va_start(ap, fmt);
	vsnprintf(sys->note + used, sizeof(sys->note) - used, fmt, ap);
	va_end(ap);
}

void kj_fw_blob_free(struct kj_fw_blob *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
}
