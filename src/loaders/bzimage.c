/* x86 Linux bzImage (Documentation/arch/x86/boot.rst), from probe to
 * plan: the setup header, which of the protocol's entries a load uses
 * (64-bit, the 32-bit boot protocol, or real mode through the image's
 * own setup: bzimage_real16.c), and the kexec_load layout of the
 * protected-mode kernel, the initrd, the crash kernel's ELF core header
 * and the zero page (built by the arch from the header bytes kept
 * here).
 *
 * All offsets are those of the Linux x86 boot protocol; every read is
 * bounds-checked against the real file size before it happens, and sizes
 * the header claims are checked against the file, never trusted. */
#include "loaders/bzimage.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/le.h"
#include "core/placement.h"
#include "loaders/loader.h"

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

bool kj_bzimage_probe(const uint8_t *data, size_t size)
{
	return size >= OFF_HEADER + 4 &&
	       kj_le16(data + OFF_BOOT_FLAG) == KJ_BOOT_FLAG_MAGIC &&
	       kj_le32(data + OFF_HEADER) == KJ_HDRS_MAGIC;
}

/* Fields exist only from some protocol version on; older headers hold
 * unrelated bytes there, so they read as zero. */
static void read_versioned_fields(const uint8_t *d, size_t hdr_end,
				  struct kj_bzimage *bz)
{
#define FIELD(off, width, min_version)                                    \
	((bz->version >= (min_version) && (off) + (width) / 8 <= hdr_end) \
		 ? kj_le##width(d + (off))                                \
		 : 0)
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
	bz.boot_flag = kj_le16(data + OFF_BOOT_FLAG);
	if (bz.boot_flag != KJ_BOOT_FLAG_MAGIC)
		return kj_fail(err, ENOEXEC,
			       "%s: no boot sector signature 0xAA55 (found 0x%04x)",
			       name, bz.boot_flag);
	if (size < OFF_HEADER + 4 ||
	    kj_le32(data + OFF_HEADER) != KJ_HDRS_MAGIC)
		return kj_fail(err, ENOEXEC,
			       "%s: no \"HdrS\" setup header: not a Linux bzImage "
			       "(or a pre-2.00 zImage)",
			       name);
	bz.header = KJ_HDRS_MAGIC;
	if (size < OFF_VERSION + 2)
		return kj_fail(err, ENOEXEC,
			       "%s: %zu bytes is too small for a bzImage "
			       "(the header stops before its version)",
			       name, size);
	bz.version = kj_le16(data + OFF_VERSION);
	if (bz.version < 0x0200)
		return kj_fail(err, ENOEXEC,
			       "%s: boot protocol %u.%02u is older than 2.00",
			       name, bz.version >> 8, bz.version & 0xff);

	bz.setup_sects = data[OFF_SETUP_SECTS];
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
	bz.header_end = hdr_end;

	bz.root_flags = kj_le16(data + OFF_ROOT_FLAGS);
	bz.syssize = kj_le32(data + OFF_SYSSIZE);
	bz.vid_mode = kj_le16(data + OFF_VID_MODE);
	bz.kernel_version_offset = kj_le16(data + OFF_KERNEL_VERSION);
	bz.type_of_loader = data[OFF_TYPE_OF_LOADER];
	bz.loadflags = data[OFF_LOADFLAGS];
	bz.code32_start = kj_le32(data + OFF_CODE32_START);
	read_versioned_fields(data, hdr_end, &bz);

	bz.file_size = size;
	bz.kernel_offset = bz.setup_size;
	bz.kernel_size = (size_t)bz.syssize * 16;
	/* memdisk says 0 and is the whole file: size by the file. */
	if (bz.kernel_size == 0) {
		bz.kernel_size = size - bz.setup_size;
		bz.sized_by_file = true;
	}
	if (bz.kernel_size == 0)
		return kj_fail(err, ENOEXEC,
			       "%s: nothing after the %zu bytes of setup: no "
			       "kernel code",
			       name, bz.setup_size);
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

const char *kj_bzimage_entry_name(enum kj_bz_entry e)
{
	switch (e) {
	case KJ_BZ_ENTRY_64:
		return "64-bit entry";
	case KJ_BZ_ENTRY_32:
		return "32-bit entry";
	default:
		return "real-mode entry";
	}
}

/* Why the image has no 32-bit entry, or NULL when it has one. */
static const char *no_32bit(const struct kj_bzimage *bz)
{
	if (bz->version < 0x0202)
		return "protocol older than 2.02";
	if (!(bz->loadflags & KJ_LOADED_HIGH))
		return "not loaded high (a zImage)";
	if (!bz->code32_start)
		return "code32_start is 0";
	if (bz->sized_by_file)
		return "syssize is 0";
	return NULL;
}

int kj_bzimage_entry(const struct kj_bzimage *bz, bool real_mode,
		     bool entry_32bit, const char *name, enum kj_bz_entry *e,
		     struct kj_err *err)
{
	const char *why = no_32bit(bz);

	if (real_mode && entry_32bit)
		return kj_fail(err, EINVAL,
			       "%s: --real-mode and --entry-32bit exclude each "
			       "other",
			       name);
	if (real_mode) {
		*e = KJ_BZ_ENTRY_REAL16;
		return 0;
	}
	if (entry_32bit && why)
		return kj_fail(err, ENOEXEC, "%s: no 32-bit entry (%s)", name,
			       why);
	if (entry_32bit)
		*e = KJ_BZ_ENTRY_32;
	else if (bz->version >= 0x020c && (bz->xloadflags & KJ_XLF_KERNEL_64) &&
		 !bz->sized_by_file)
		*e = KJ_BZ_ENTRY_64;
	else
		*e = why ? KJ_BZ_ENTRY_REAL16 : KJ_BZ_ENTRY_32;
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

/* ---- kexec_load plan ---- */

#define MIB (1ull << 20)
#define BELOW_4G 0xffffffffull
#define OLD_INITRD_MAX 0x37ffffffull /* protocols before 2.03 */
#define DEFAULT_KERNEL_ALIGN (2 * MIB)
#define HDR_MIN_END 0x22c  /* the zero page copies at least 2.02's header */
#define HDR_MAX_END 0x290  /* edd_mbr_sig_buffer follows the header */
#define LINUX64_ENTRY_OFFSET 0x200
#define ZIMAGE_BASE 0x10000ull /* where a zImage's protected-mode part goes */

static uint64_t round_page(uint64_t v)
{
	return (v + KJ_PAGE_SIZE - 1) & ~(KJ_PAGE_SIZE - 1);
}

static uint64_t kernel_align(const struct kj_bzimage *bz)
{
	uint64_t a = bz->kernel_alignment;

	if (a >= KJ_PAGE_SIZE && !(a & (a - 1)))
		return a;
	if (bz->version >= 0x20a && bz->min_alignment >= 12 &&
	    bz->min_alignment < 32)
		return 1ull << bz->min_alignment;
	return DEFAULT_KERNEL_ALIGN;
}

static int add_kernel(const struct kj_layout *l, const struct kj_load_input *in,
		      const struct kj_bzimage *bz, enum kj_bz_entry entry,
		      uint64_t *kaddr, struct kj_err *err)
{
	struct kj_place_req pr = {
		.what = "kernel",
		.align = kernel_align(bz),
		.min = MIB,
		.max = entry == KJ_BZ_ENTRY_64 &&
				       (bz->xloadflags &
					KJ_XLF_CAN_BE_LOADED_ABOVE_4G)
			       ? 0
			       : BELOW_4G,
		.why = "kernel_alignment, --mem-min/--mem-max",
	};
	uint64_t bufsz, want;
	int r;

	bufsz = in->kernel_len - bz->kernel_offset;
	/* memsz is all of init_size, not just the file, although the old
	 * kernel then zero-fills and copies pages the decompressor will
	 * overwrite: only destination ranges are safe from the kernel's own
	 * kexec control pages, and those hold the identity page tables the
	 * purgatory and then the decompressor run on until the decompressor
	 * switches to its own, after it has already written this area. */
	pr.size = round_page(bufsz > bz->init_size ? bufsz : bz->init_size);
	want = bz->version >= 0x20a && bz->pref_address ? bz->pref_address
							 : bz->code32_start;
	/* Real mode: the setup finds the rest where a BIOS boot loader
	 * puts it (iPXE's code32_start is 0 and it copies itself on). */
	if (entry == KJ_BZ_ENTRY_REAL16 && !bz->relocatable_kernel)
		want = bz->loadflags & KJ_LOADED_HIGH ? MIB : ZIMAGE_BASE;
	if (!bz->relocatable_kernel) {
		/* memtest86+ and friends run where they were linked. */
		if (!kj_layout_fits(l, want, pr.size))
			return kj_fail(err, EADDRNOTAVAIL,
				       "%s: not relocatable, must load at 0x%" PRIx64
				       "-0x%" PRIx64 ", which is not free %s",
				       l->name, want, want + pr.size - 1,
				       in->req->panic ? "crash kernel memory"
						      : "RAM");
		*kaddr = want;
	} else if (!(want & (pr.align - 1)) && want >= MIB &&
		   kj_layout_fits(l, want, pr.size)) {
		*kaddr = want;
	} else {
		r = kj_layout_place(l, &pr, kaddr, err);
		if (r < 0)
			return r;
	}
	r = kj_plan_add(l->plan, "kernel", in->kernel + bz->kernel_offset,
			bufsz, *kaddr, pr.size, false, err);
	return r < 0 ? r : 0;
}

static int add_initrd(const struct kj_layout *l, const struct kj_load_input *in,
		      const struct kj_bzimage *bz, bool above_4g,
		      uint64_t *iaddr, struct kj_err *err)
{
	struct kj_place_req pr = {
		.what = "initrd",
		.file = in->initrd_name,
		.size = in->initrd_len,
		.min = MIB,
		.max = bz->version >= 0x203 && bz->initrd_addr_max
			       ? bz->initrd_addr_max
			       : OLD_INITRD_MAX,
		.why = "initrd_addr_max, --mem-min/--mem-max",
	};
	struct kj_err first;
	int r;

	if (!in->initrd_len)
		return 0;
	if (in->initrd_in_place) {
		*iaddr = in->initrd_in_place; /* --reuseinitrd: kept there */
		return 0;
	}
	/* Below initrd_addr_max, lowest fit first. kexec_load copies each
	 * page into a freshly allocated one, and every allocation that lands
	 * inside a destination range costs the kernel extra bookkeeping; the
	 * top of RAM is where its free pages are, low memory mostly is in
	 * use. Measured with a 200 MiB initrd: 13 s bottom-up against 23 s
	 * top-down (kexec-tools' choice) for the same load under QEMU.
	 * Not for images whose memory use above their file the header does
	 * not state (no init_size before 2.10: memdisk's bss follows its
	 * file): those get it at the top, as QEMU and GRUB place it. */
	pr.top_down = bz->version < 0x020a;
	r = kj_layout_add(l, &pr, in->initrd, in->initrd_len, false, iaddr,
			  &first);
	if (r < 0 && above_4g &&
	    (bz->xloadflags & KJ_XLF_CAN_BE_LOADED_ABOVE_4G)) {
		pr.max = 0;
		pr.top_down = true;
		pr.why = "--mem-min/--mem-max";
		return kj_layout_add(l, &pr, in->initrd, in->initrd_len, false,
				     iaddr, err);
	}
	if (r < 0)
		return kj_fail(err, first.code, "%s", first.msg);
	return 0;
}

/* Panic loads: the crashed system's memory for /proc/vmcore, found by
 * the crash kernel through elfcorehdr= on its command line. */
static int add_elfcorehdr(const struct kj_layout *l,
			  const struct kj_load_input *in, bool below_4g,
			  uint64_t *eaddr, struct kj_err *err)
{
	const struct kj_place_req pr = { .what = "elfcorehdr",
					 .size = in->elfcore_len,
					 .min = MIB,
					 .max = below_4g ? BELOW_4G : 0,
					 .top_down = true,
					 .why = "crash kernel region" };
	struct kj_plan *plan = l->plan;
	int r;

	if (!in->elfcore_len)
		return kj_fail(err, EINVAL, "%s: no ELF core header for the "
			       "crash kernel", l->name);
	r = kj_layout_add(l, &pr, in->elfcore, in->elfcore_len, false, eaddr,
			  err);
	if (r < 0)
		return r;
	if (asprintf(&plan->cmdline_owned, "%s%selfcorehdr=0x%" PRIx64,
		     in->cmdline, *in->cmdline ? " " : "", *eaddr) < 0) {
		plan->cmdline_owned = NULL;
		return kj_fail(err, ENOMEM, "plan: out of memory");
	}
	plan->cmdline = plan->cmdline_owned;
	return 0;
}

static int add_zero_page(const struct kj_layout *l,
			 const struct kj_load_input *in,
			 const struct kj_bzimage *bz, enum kj_bz_entry entry,
			 uint64_t kaddr, uint64_t iaddr, uint64_t eaddr,
			 uint64_t *baddr, struct kj_err *err)
{
	const struct kj_plan *plan = l->plan;
	int e = eaddr ? kj_plan_find(plan, "elfcorehdr") : -1;
	struct kj_linux_boot b = {
		.name = l->name,
		.header = in->kernel + KJ_SETUP_HEADER_OFFSET,
		.header_len = bz->header_end - KJ_SETUP_HEADER_OFFSET,
		.protocol = bz->version,
		.cmdline = plan->cmdline,
		.kernel_addr = kaddr,
		.initrd_addr = in->initrd_len ? iaddr : 0,
		.initrd_size = in->initrd_len,
		.elfcorehdr_addr = eaddr,
		.elfcorehdr_size = e >= 0 ? plan->seg[e].memsz : 0,
		.panic = in->req->panic,
		/* A 32-bit kernel cannot use a 64-bit firmware's EFI. */
		.efi = entry == KJ_BZ_ENTRY_64 &&
		       (bz->xloadflags & KJ_XLF_EFI_KEXEC) && !in->req->noefi,
		.rng_seed = in->rng_seed,
		.rng_seed_len = in->rng_seed_len,
		.mm = in->mm,
	};
	struct kj_place_req pr = { .what = "boot_params",
				   .min = MIB,
				   .max = BELOW_4G,
				   .top_down = true,
				   .why = "below 4 GiB, --mem-min/--mem-max" };

	if (bz->header_end < HDR_MIN_END || bz->header_end > HDR_MAX_END)
		return kj_fail(err, EINVAL,
			       "%s: setup header ends at 0x%zx, outside 0x%x..0x%x",
			       l->name, bz->header_end, HDR_MIN_END, HDR_MAX_END);
	return kj_loader_add_linux_boot(l, in, &b, &pr, baddr, err);
}

/* What an entry other than the 64-bit one needs, and --verbose's note
 * when the header, not the user, chose it. */
static int check_entry(const struct kj_load_input *in,
		       const struct kj_bzimage *bz, enum kj_bz_entry entry,
		       struct kj_plan *plan, struct kj_err *err)
{
	const struct kj_load_request *req = in->req;

	if (entry == KJ_BZ_ENTRY_REAL16) {
		if (req->panic)
			return kj_fail(err, ENOTSUP,
				       "%s: a crash kernel cannot be entered in "
				       "real mode (its setup needs the first "
				       "MiB, outside the crash region)",
				       in->name);
		if (in->sys && in->sys->efi_boot)
			return kj_fail(err, ENOTSUP,
				       "%s: real-mode entry runs the image's "
				       "setup, which calls the BIOS, and this "
				       "system booted through EFI: there is "
				       "none",
				       in->name);
	}
	if (entry != KJ_BZ_ENTRY_64 && !req->real_mode && !req->entry_32bit)
		snprintf(plan->note, sizeof(plan->note),
			 "no 64-bit entry (protocol %u.%02u, xloadflags "
			 "0x%x): %s",
			 bz->version >> 8, bz->version & 0xff, bz->xloadflags,
			 kj_bzimage_entry_name(entry));
	return 0;
}

static int bz_plan(const struct kj_load_input *in, struct kj_plan *plan,
		   struct kj_err *err)
{
	const struct kj_load_request *req = in->req;
	const struct kj_layout l = kj_input_layout(in, plan);
	uint64_t kaddr = 0, iaddr = 0, eaddr = 0, baddr = 0;
	enum kj_bz_entry entry;
	struct kj_bzimage bz;
	int r;

	r = kj_bzimage_parse(in->kernel, in->kernel_len, in->name, &bz, err);
	if (r == 0)
		r = kj_bzimage_check_cmdline(&bz, in->name, strlen(in->cmdline),
					     err);
	if (r < 0)
		return r;
	r = kj_bzimage_entry(&bz, req->real_mode, req->entry_32bit, in->name,
			     &entry, err);
	if (r == 0)
		r = check_entry(in, &bz, entry, plan, err);
	if (r < 0)
		return r;
	plan->cmdline = in->cmdline;
	r = add_kernel(&l, in, &bz, entry, &kaddr, err);
	if (r == 0)
		r = add_initrd(&l, in, &bz, entry == KJ_BZ_ENTRY_64, &iaddr,
			       err);
	if (r == 0 && entry == KJ_BZ_ENTRY_REAL16)
		return kj_bzimage_add_real16(&l, in, &bz, kaddr, iaddr, err);
	if (r == 0 && req->panic)
		r = add_elfcorehdr(&l, in, entry != KJ_BZ_ENTRY_64, &eaddr,
				   err);
	if (r == 0)
		r = add_zero_page(&l, in, &bz, entry, kaddr, iaddr, eaddr,
				  &baddr, err);
	if (r < 0)
		return r;
	if (entry == KJ_BZ_ENTRY_32) {
		/* The 32-bit boot protocol: at the kernel's start, ESI =
		 * boot_params, EAX = EBX = 0 (the purgatory zeroes EBP and
		 * EDI). */
		plan->next.mode = KJ_MODE_X86_PM32;
		plan->next.pc = kaddr;
		plan->next.reg[2] = baddr;
		return 0;
	}
	plan->next.mode = KJ_MODE_X86_LINUX64;
	plan->next.pc = kaddr + LINUX64_ENTRY_OFFSET;
	plan->next.reg[0] = baddr;
	return 0;
}

/* The kernel's bzImage64 loader wants a relocatable 64-bit kernel and
 * takes the command line up to its cmdline_size. */
static int bz_file_check(const struct kj_load_input *in, struct kj_err *err)
{
	const struct kj_load_request *req = in->req;
	enum kj_bz_entry entry;
	struct kj_bzimage bz;
	int r = kj_bzimage_parse(in->kernel, in->kernel_len, in->name, &bz,
				 err);

	if (r == 0)
		r = kj_bzimage_entry(&bz, req->real_mode, req->entry_32bit,
				     in->name, &entry, err);
	if (r == 0 && entry != KJ_BZ_ENTRY_64)
		r = kj_fail(err, ENOEXEC,
			    "%s: the %s needs kexec_load: kexec_file_load "
			    "enters kernels in 64-bit mode only",
			    in->name, kj_bzimage_entry_name(entry));
	if (r == 0)
		r = kj_bzimage_check_64bit_entry(&bz, in->name, err);
	if (r == 0)
		r = kj_bzimage_check_cmdline(&bz, in->name, strlen(in->cmdline),
					     err);
	return r;
}

static void bz_describe(const uint8_t *data, size_t size, char *buf,
			size_t bufsz)
{
	struct kj_bzimage bz;

	if (kj_bzimage_parse(data, size, "", &bz, NULL) < 0) {
		snprintf(buf, bufsz, "unparsable header");
		return;
	}
	snprintf(buf, bufsz, "protocol %u.%02u%s%s", bz.version >> 8,
		 bz.version & 0xff, bz.kernel_version[0] ? ", " : "",
		 bz.kernel_version);
}

static int bz_inspect(const uint8_t *data, size_t size, const char *name,
		      struct kj_report *r, struct kj_err *err)
{
	struct kj_bzimage bz;
	char v[16];
	int rc = kj_bzimage_parse(data, size, name, &bz, err);

	if (rc < 0)
		return rc;
	kj_report_str(r, "kernel_version", bz.kernel_version);
	snprintf(v, sizeof(v), "%u.%02u", bz.version >> 8, bz.version & 0xff);
	kj_report_str(r, "version", v);
	kj_report_uint(r, "setup_sects", bz.setup_sects);
	kj_report_note(r, "%zu bytes of setup", bz.setup_size);
	kj_report_uint(r, "root_flags", bz.root_flags);
	kj_report_hex(r, "syssize", bz.syssize);
	kj_report_note(r, "%zu bytes of kernel", bz.kernel_size);
	kj_report_uint(r, "vid_mode", bz.vid_mode);
	kj_report_hex(r, "boot_flag", bz.boot_flag);
	kj_report_hex(r, "header", bz.header);
	kj_report_uint(r, "type_of_loader", bz.type_of_loader);
	kj_report_hex(r, "loadflags", bz.loadflags);
	kj_report_note(r, "LOADED_HIGH %s",
		       bz.loadflags & KJ_LOADED_HIGH ? "yes" : "no");
	kj_report_hex(r, "code32_start", bz.code32_start);
	kj_report_hex(r, "initrd_addr_max", bz.initrd_addr_max);
	kj_report_hex(r, "kernel_alignment", bz.kernel_alignment);
	kj_report_uint(r, "relocatable_kernel", bz.relocatable_kernel);
	kj_report_uint(r, "min_alignment", bz.min_alignment);
	kj_report_hex(r, "xloadflags", bz.xloadflags);
	kj_report_note(r, "KERNEL_64 %s, ABOVE_4G %s, EFI_KEXEC %s",
		       bz.xloadflags & KJ_XLF_KERNEL_64 ? "yes" : "no",
		       bz.xloadflags & KJ_XLF_CAN_BE_LOADED_ABOVE_4G ? "yes"
								     : "no",
		       bz.xloadflags & KJ_XLF_EFI_KEXEC ? "yes" : "no");
	kj_report_uint(r, "cmdline_size", bz.cmdline_size);
	kj_report_hex(r, "hardware_subarch", bz.hardware_subarch);
	kj_report_hex(r, "payload_offset", bz.payload_offset);
	kj_report_uint(r, "payload_length", bz.payload_length);
	kj_report_hex(r, "pref_address", bz.pref_address);
	kj_report_hex(r, "init_size", bz.init_size);
	kj_report_note(r, "%u KiB", bz.init_size / 1024);
	kj_report_hex(r, "handover_offset", bz.handover_offset);
	kj_report_hex(r, "kernel_info_offset", bz.kernel_info_offset);
	kj_report_uint(r, "file_size", bz.file_size);
	return 0;
}

static const char *const bz_types[] = { "bzImage", "bzImage64", "bzImage-x86",
					NULL };

const struct kj_loader kj_loader_bzimage = {
	.name = "bzImage",
	.types = bz_types,
	.arch = KJ_ARCH_X86_64,
	.summary = "x86 Linux kernel (64-bit, 32-bit or real-mode entry)",
	.takes = KJ_TAKES_INITRD | KJ_TAKES_INITRD_IN_PLACE,
	.probe = kj_bzimage_probe,
	.plan = bz_plan,
	.file_check = bz_file_check,
	.describe = bz_describe,
	.inspect = bz_inspect,
};
