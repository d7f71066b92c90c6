#include "image/zboot.h"

#include <errno.h>
#include <string.h>

#include "core/le.h"
#include "image/decompress.h"
#include "image/unpack.h"

bool kj_zboot_probe(const uint8_t *data, size_t size)
{
	return data && size >= 8 && data[0] == 'M' && data[1] == 'Z' &&
	       !memcmp(data + 4, "zimg", 4);
}

/* The header's name for a compression -> decompress.c's. */
static const char *format_of(const char *comp)
{
	static const struct {
		const char *comp, *format;
	} map[] = {
		{ "gzip", "gzip" },   { "xzkern", "xz" }, { "xz", "xz" },
		{ "zstd22", "zstd" }, { "zstd", "zstd" },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(comp, map[i].comp))
			return map[i].format;
	return NULL;
}

int kj_zboot_parse(const uint8_t *data, size_t size, const char *name,
		   struct kj_zboot *z, struct kj_err *err)
{
	const uint8_t *c;
	size_t n;

	memset(z, 0, sizeof(*z));
	if (!kj_zboot_probe(data, size))
		return kj_fail(err, ENOEXEC, "%s: not an EFI zboot image",
			       name);
	if (size < KJ_ZBOOT_HEADER)
		return kj_fail(err, EINVAL,
			       "%s: EFI zboot header cut short (%zu of %d "
			       "bytes)",
			       name, size, KJ_ZBOOT_HEADER);
	z->payload_offset = kj_le32(data + 8);
	z->payload_size = kj_le32(data + 12);
	c = data + 0x18;
	n = strnlen((const char *)c, KJ_ZBOOT_COMP_MAX);
	if (n == KJ_ZBOOT_COMP_MAX || n == 0)
		return kj_fail(err, EINVAL,
			       "%s: EFI zboot compression type is %s", name,
			       n ? "not terminated" : "empty");
	memcpy(z->comp, c, n);
	z->comp[n] = '\0';
	z->format = format_of(z->comp);
	if (z->payload_offset < KJ_ZBOOT_HEADER)
		return kj_fail(err, EINVAL,
			       "%s: EFI zboot payload offset 0x%x lies inside "
			       "the header",
			       name, z->payload_offset);
	if (z->payload_size == 0)
		return kj_fail(err, EINVAL, "%s: EFI zboot payload is empty",
			       name);
	if (z->payload_offset > size ||
	    z->payload_size > size - z->payload_offset)
		return kj_fail(err, EINVAL,
			       "%s: EFI zboot payload 0x%x+0x%x lies past the "
			       "end of the file (%zu bytes)",
			       name, z->payload_offset, z->payload_size, size);
	/* The PE header offset at 0x3c: only for the machine type. */
	if (kj_le32(data + 0x3c) <= size - 6 &&
	    !memcmp(data + kj_le32(data + 0x3c), "PE\0\0", 4))
		z->machine = kj_le16(data + kj_le32(data + 0x3c) + 4);
	return 0;
}

int kj_zboot_unpack(const uint8_t *data, size_t size, const char *name,
		    const struct kj_zboot *z, size_t max, uint8_t **out,
		    size_t *out_len, struct kj_err *err)
{
	const uint8_t *p;
	const char *found;

	*out = NULL;
	*out_len = 0;
	if (!z->format)
		return kj_fail(err, ENOTSUP,
			       "%s: EFI zboot payload is %s-compressed, which "
			       "kjump cannot unpack (gzip, xz and zstd only)",
			       name, z->comp);
	if (z->payload_offset > size ||
	    z->payload_size > size - z->payload_offset)
		return kj_fail(err, EINVAL,
			       "%s: EFI zboot payload lies past the end of the "
			       "file",
			       name);
	p = data + z->payload_offset;
	found = kj_compression_name(p, z->payload_size);
	if (!found || strcmp(found, z->format))
		return kj_fail(err, EBADMSG,
			       "%s: EFI zboot header says %s, but the payload "
			       "at 0x%x is %s",
			       name, z->comp, z->payload_offset,
			       found ? found : "not compressed data we know");
	return kj_decompress(p, z->payload_size, name,
			     max ? max : KJ_UNPACK_MAX, out, out_len, err);
}
