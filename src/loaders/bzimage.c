/* x86 Linux bzImage: parse and validate the setup header.
 *
 * All offsets are those of the Linux x86 boot protocol; every read is
 * bounds-checked against the real file size before it happens, and sizes
 * the header claims are checked against the file, never trusted. */
#include "loaders/bzimage.h"

#include <errno.h>
#include <string.h>

/* Byte offsets of setup header fields within the image. */
enum {
	OFF_SETUP_SECTS = 0x1f1,
	OFF_ROOT_FLAGS = 0x1f2,
	OFF_SYSSIZE = 0x1f4,
	OFF_VID_MODE = 0x1fa,
	OFF_BOOT_FLAG = 0x1fe,
	OFF_HEADER = 0x202,
	OFF_VERSION = 0x206,
	OFF_KERNEL_VERSION = 0x20e,
	OFF_TYPE_OF_LOADER = 0x210,
	OFF_LOADFLAGS = 0x211,
	OFF_CODE32_START = 0x214,
	OFF_INITRD_ADDR_MAX = 0x22c,
	OFF_KERNEL_ALIGNMENT = 0x230,
	OFF_RELOCATABLE = 0x234,
	OFF_MIN_ALIGNMENT = 0x235,
	OFF_XLOADFLAGS = 0x236,
	OFF_CMDLINE_SIZE = 0x238,
	OFF_HARDWARE_SUBARCH = 0x23c,
	OFF_PAYLOAD_OFFSET = 0x248,
	OFF_PAYLOAD_LENGTH = 0x24c,
	OFF_PREF_ADDRESS = 0x258,
	OFF_INIT_SIZE = 0x260,
	OFF_HANDOVER_OFFSET = 0x264,
	OFF_KERNEL_INFO_OFFSET = 0x268,
	HEADER_END_2_00 = 0x228, /* first byte past the 2.00 header */
};

static uint8_t rd8(const uint8_t *d, size_t off)
{
	return d[off];
}

static uint16_t rd16(const uint8_t *d, size_t off)
{
	return (uint16_t)(d[off] | d[off + 1] << 8);
}

static uint32_t rd32(const uint8_t *d, size_t off)
{
	return (uint32_t)d[off] | (uint32_t)d[off + 1] << 8 |
	       (uint32_t)d[off + 2] << 16 | (uint32_t)d[off + 3] << 24;
}

static uint64_t rd64(const uint8_t *d, size_t off)
{
	return (uint64_t)rd32(d, off) | (uint64_t)rd32(d, off + 4) << 32;
}

bool kj_bzimage_probe(const uint8_t *data, size_t size)
{
	return size >= OFF_HEADER + 4 &&
	       rd16(data, OFF_BOOT_FLAG) == KJ_BOOT_FLAG_MAGIC &&
	       rd32(data, OFF_HEADER) == KJ_HDRS_MAGIC;
}

/* Fields exist only from some protocol version on; older headers hold
 * unrelated bytes there, so they read as zero. */
static void read_versioned_fields(const uint8_t *d, size_t hdr_end,
				  struct kj_bzimage *bz)
{
#define FIELD(off, width, min_version)                                      \
	((bz->version >= (min_version) && (off) + (width) / 8 <= hdr_end) ? \
		 rd##width(d, off) :                                        \
		 0)
	bz->initrd_addr_max = FIELD(OFF_INITRD_ADDR_MAX, 32, 0x0203);
	bz->kernel_alignment = FIELD(OFF_KERNEL_ALIGNMENT, 32, 0x0205);
	bz->relocatable_kernel = FIELD(OFF_RELOCATABLE, 8, 0x0205);
	bz->min_alignment = FIELD(OFF_MIN_ALIGNMENT, 8, 0x020a);
	bz->xloadflags = FIELD(OFF_XLOADFLAGS, 16, 0x020c);
	bz->cmdline_size = FIELD(OFF_CMDLINE_SIZE, 32, 0x0206);
	bz->hardware_subarch = FIELD(OFF_HARDWARE_SUBARCH, 32, 0x0207);
	bz->payload_offset = FIELD(OFF_PAYLOAD_OFFSET, 32, 0x0208);
	bz->payload_length = FIELD(OFF_PAYLOAD_LENGTH, 32, 0x0208);
	bz->pref_address = FIELD(OFF_PREF_ADDRESS, 64, 0x020a);
	bz->init_size = FIELD(OFF_INIT_SIZE, 32, 0x020a);
	bz->handover_offset = FIELD(OFF_HANDOVER_OFFSET, 32, 0x020b);
	bz->kernel_info_offset = FIELD(OFF_KERNEL_INFO_OFFSET, 32, 0x020f);
#undef FIELD
	/* Protocols before 2.03 did not state a limit; the documented
	 * default is 0x37ffffff. Before 2.06 the command line was 255. */
	if (bz->version < 0x0203)
		bz->initrd_addr_max = 0x37ffffff;
	if (bz->version < 0x0206)
		bz->cmdline_size = 255;
}

static void read_kernel_version(const uint8_t *d, size_t setup_size,
				struct kj_bzimage *bz)
{
	size_t off, i;

	bz->kernel_version[0] = '\0';
	if (!bz->kernel_version_offset)
		return;
	/* The pointer is relative to 0x200 and must land inside setup. */
	off = (size_t)bz->kernel_version_offset + 0x200;
	if (off >= setup_size)
		return;
	for (i = 0; i + 1 < sizeof(bz->kernel_version) && off + i < setup_size;
	     i++) {
		uint8_t c = d[off + i];

		if (c == '\0')
			break;
		bz->kernel_version[i] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	bz->kernel_version[i] = '\0';
}

int kj_bzimage_parse(const uint8_t *data, size_t size, const char *name,
		     struct kj_bzimage *out, struct kj_err *err)
{
	struct kj_bzimage bz;
	size_t hdr_end, sects;

	memset(&bz, 0, sizeof(bz));
	if (size < 0x200 || !data)
		return kj_fail(err, ENOEXEC,
			       "%s: %zu bytes is too small for a bzImage", name,
			       size);
	bz.boot_flag = rd16(data, OFF_BOOT_FLAG);
	if (bz.boot_flag != KJ_BOOT_FLAG_MAGIC)
		return kj_fail(err, ENOEXEC,
			       "%s: no boot sector signature 0xAA55 (found 0x%04x)",
			       name, bz.boot_flag);
	if (size < OFF_HEADER + 4 || rd32(data, OFF_HEADER) != KJ_HDRS_MAGIC)
		return kj_fail(err, ENOEXEC,
			       "%s: no \"HdrS\" setup header: not a Linux bzImage "
			       "(or a pre-2.00 zImage)",
			       name);
	bz.header = KJ_HDRS_MAGIC;
	bz.version = rd16(data, OFF_VERSION);
	if (bz.version < 0x0200)
		return kj_fail(err, ENOEXEC,
			       "%s: boot protocol %u.%02u is older than 2.00",
			       name, bz.version >> 8, bz.version & 0xff);

	bz.setup_sects = rd8(data, OFF_SETUP_SECTS);
	sects = bz.setup_sects ? bz.setup_sects : 4;
	bz.setup_size = (sects + 1) * 512;
	if (bz.setup_size > size)
		return kj_fail(err, ENOEXEC,
			       "%s: setup_sects %u puts the setup code (%zu bytes) "
			       "past the end of the %zu-byte file",
			       name, bz.setup_sects, bz.setup_size, size);
	/* The header's own length: the byte at 0x201 is the jump offset
	 * that skips it, so 0x202 + that byte is where it ends. */
	hdr_end = 0x202 + (size_t)data[0x201];
	if (hdr_end < HEADER_END_2_00)
		hdr_end = HEADER_END_2_00;
	if (hdr_end > bz.setup_size)
		hdr_end = bz.setup_size;

	bz.root_flags = rd16(data, OFF_ROOT_FLAGS);
	bz.syssize = rd32(data, OFF_SYSSIZE);
	bz.vid_mode = rd16(data, OFF_VID_MODE);
	bz.kernel_version_offset = rd16(data, OFF_KERNEL_VERSION);
	bz.type_of_loader = rd8(data, OFF_TYPE_OF_LOADER);
	bz.loadflags = rd8(data, OFF_LOADFLAGS);
	bz.code32_start = rd32(data, OFF_CODE32_START);
	read_versioned_fields(data, hdr_end, &bz);

	bz.file_size = size;
	bz.kernel_offset = bz.setup_size;
	bz.kernel_size = (size_t)bz.syssize * 16;
	if (bz.kernel_size == 0)
		return kj_fail(err, ENOEXEC, "%s: syssize is 0: no kernel code",
			       name);
	/* Signed images carry a signature after the kernel, so the file may
	 * be longer than setup + syssize. It may also be up to 15 bytes
	 * shorter: syssize counts 16-byte paragraphs rounded up (memtest86+
	 * 6.x ends 8 bytes before syssize * 16). */
	if (bz.kernel_size > size - bz.setup_size &&
	    bz.kernel_size - (size - bz.setup_size) < 16)
		bz.kernel_size = size - bz.setup_size;
	if (bz.kernel_size > size - bz.setup_size)
		return kj_fail(err, ENOEXEC,
			       "%s: truncated: the header promises %zu bytes of "
			       "kernel after %zu bytes of setup, the file has %zu",
			       name, bz.kernel_size, bz.setup_size,
			       size - bz.setup_size);
	if (bz.payload_offset &&
	    ((size_t)bz.payload_offset + bz.payload_length > bz.kernel_size))
		return kj_fail(err, ENOEXEC,
			       "%s: payload (offset %u, length %u) lies outside "
			       "the %zu-byte kernel",
			       name, bz.payload_offset, bz.payload_length,
			       bz.kernel_size);
	read_kernel_version(data, bz.setup_size, &bz);
	*out = bz;
	return 0;
}

int kj_bzimage_check_64bit_entry(const struct kj_bzimage *bz, const char *name,
				 struct kj_err *err)
{
	if (bz->version < 0x020c)
		return kj_fail(err, ENOEXEC,
			       "%s: setup header version %u.%02u is too old for "
			       "64-bit entry (2.12 or newer needed)",
			       name, bz->version >> 8, bz->version & 0xff);
	if (!(bz->xloadflags & KJ_XLF_KERNEL_64))
		return kj_fail(err, ENOEXEC,
			       "%s: not a 64-bit kernel (XLF_KERNEL_64 is not set "
			       "in xloadflags 0x%04x)",
			       name, bz->xloadflags);
	if (!bz->relocatable_kernel)
		return kj_fail(err, ENOEXEC,
			       "%s: kernel is not relocatable; kexec_file_load "
			       "cannot place it (try --syscall load)",
			       name);
	return 0;
}

int kj_bzimage_check_cmdline(const struct kj_bzimage *bz, const char *name,
			     size_t cmdline_len, struct kj_err *err)
{
	/* cmdline_size is the longest string, not counting the NUL. */
	if (cmdline_len > bz->cmdline_size)
		return kj_fail(err, E2BIG,
			       "%s: command line is %zu bytes, this kernel "
			       "takes at most %u",
			       name, cmdline_len, bz->cmdline_size);
	return 0;
}
