/* os-release text (os-release(5)), as a UKI carries it in its .osrel
 * section: KEY=VALUE lines, the value perhaps in matching single or
 * double quotes. Both the boot entry a UKI becomes (its title, its
 * version) and kjump inspect read values from it. */
#ifndef KJ_IMAGE_OS_RELEASE_H
#define KJ_IMAGE_OS_RELEASE_H

#include <stddef.h>

/* The value of the first KEY= line in osrel (which may be NULL),
 * unquoted: *len bytes at the result, not NUL-terminated; NULL when no
 * line sets key. */
const char *kj_os_release_value(const char *osrel, const char *key,
				size_t *len);

#endif
