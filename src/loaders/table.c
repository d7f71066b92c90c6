/* The loader table: detection order is the order below. A Multiboot
 * header wins over the ELF container it sits in, and an image with both
 * Multiboot headers (Xen) boots by Multiboot 1 unless asked; a bzImage
 * and an arm64 Image are told by magic numbers at fixed offsets. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "loaders/arm64_image.h"
#include "loaders/bzimage.h"
#include "loaders/elf.h"
#include "loaders/loader.h"
#include "loaders/multiboot1.h"
#include "loaders/multiboot2.h"

const struct kj_loader *const kj_loaders[] = {
	&kj_loader_bzimage,
	&kj_loader_multiboot1,
	&kj_loader_multiboot2,
	&kj_loader_arm64_image,
	&kj_loader_elf,
	NULL,
};

const struct kj_loader *kj_loader_detect(const uint8_t *data, size_t size)
{
	for (size_t i = 0; kj_loaders[i]; i++)
		if (kj_loaders[i]->probe(data, size))
			return kj_loaders[i];
	return NULL;
}

void kj_loader_type_list(char *buf, size_t bufsz)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; kj_loaders[i] && used < bufsz; i++)
		used += (size_t)snprintf(buf + used, bufsz - used, "%s%s",
					 i ? ", " : "",
					 kj_loaders[i]->types[0]);
}

const struct kj_loader *kj_loader_by_type(const char *type,
					  struct kj_err *err)
{
	char names[256];

	for (size_t i = 0; kj_loaders[i]; i++)
		for (const char *const *t = kj_loaders[i]->types; *t; t++)
			if (!strcasecmp(type, *t))
				return kj_loaders[i];
	for (size_t i = 0; kj_unsupported_types[i].name; i++)
		if (!strcasecmp(type, kj_unsupported_types[i].name)) {
			kj_fail(err, ENOTSUP, "--type %s: %s", type,
				kj_unsupported_types[i].reason);
			return NULL;
		}
	kj_loader_type_list(names, sizeof(names));
	kj_fail(err, ENOTSUP, "--type %s is not supported (%s are)", type,
		names);
	return NULL;
}
