/* EFI zboot: a compressed kernel inside a small EFI decompressor (Linux
 * CONFIG_EFI_ZBOOT, arm64/riscv64/loongarch). The first 64 bytes are
 * its header (drivers/firmware/efi/libstub/zboot-header.S):
 *
 *   0x00  "MZ\0\0"          DOS signature
 *   0x04  "zimg"            image type
 *   0x08  u32 payload offset, from the start of the file
 *   0x0c  u32 payload size  (a size word the build appends to non-gzip
 *                            payloads is not counted)
 *   0x10  u32 reserved[2]
 *   0x18  char[]            compression: "gzip", "xzkern", "zstd22",
 *                            "lzma", "lz4", "lzo" (NUL-terminated)
 *   0x38  u32 LINUX_PE_MAGIC; 0x3c u32 PE header offset
 *
 * The payload is the kernel image (an arm64 Image padded to its
 * image_size), unpacked here with src/image/decompress.c: gzip, xz and
 * zstd; the others are refused by name. */
#ifndef KJ_IMAGE_ZBOOT_H
#define KJ_IMAGE_ZBOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define KJ_ZBOOT_HEADER 0x40
#define KJ_ZBOOT_COMP_MAX 32 /* 0x18 .. 0x38 */

struct kj_zboot {
	uint32_t payload_offset;
	uint32_t payload_size;
	char comp[KJ_ZBOOT_COMP_MAX]; /* as written in the header */
	const char *format;	      /* "gzip", "xz", "zstd"; NULL: not ours */
	uint16_t machine;	      /* PE machine, 0 when no PE header */
};

/* "MZ" + "zimg" at offset 4. */
bool kj_zboot_probe(const uint8_t *data, size_t size);

/* Read and check the header: payload inside the file and after the
 * header, not empty, a terminated compression name. An unknown or
 * unsupported compression is NOT an error here (format is NULL), so
 * that inspect can show it; kj_zboot_unpack refuses it. */
int kj_zboot_parse(const uint8_t *data, size_t size, const char *name,
		   struct kj_zboot *z, struct kj_err *err);

/* Decompress the payload into a malloc'd *out of *out_len bytes (at most
 * max, 0 = KJ_UNPACK_MAX). Refuses by name the compressions kjump cannot
 * unpack, and a payload whose bytes do not match the declared one. */
int kj_zboot_unpack(const uint8_t *data, size_t size, const char *name,
		    const struct kj_zboot *z, size_t max, uint8_t **out,
		    size_t *out_len, struct kj_err *err);

#endif
