/* Multiboot 2: header search (checksum, 32 KiB, alignment, architecture),
 * every header tag, required tags kjump cannot honour refused by name,
 * address and ELF layouts, relocatable ranges that do not fit, and the
 * boot information built over fixture memory maps, parsed back tag by
 * tag. Images are built here. */
#include "testlib.h"

#include <errno.h>

#include "core/placement.h"
#include "fixtures.h"
#include "loaders/multiboot2.h"
#include "loaders/multiboot2_mbi.h"
#include "mb2_image.h"

#define IMG_LEN 0x3000
#define LOAD 0x200000 /* ELF paddr of the single segment */

/* The usual image: ELF with a header at 0x100 holding an information
 * request for the memory map and meminfo, and module alignment. */
static uint8_t *plain_image(void)
{
	uint8_t *img = kj_test_mb2_elf32(IMG_LEN, LOAD, 0xc0000000u, 0x1000);
	struct kj_test_mb2_hdr h = kj_test_mb2_begin(img, 0x100);
	const uint32_t req[] = { KJ_MB2_MMAP, KJ_MB2_BASIC_MEMINFO };

	kj_test_mb2_tag(&h, KJ_MB2_HT_INFO_REQUEST, 0, req, 2);
	kj_test_mb2_tag(&h, KJ_MB2_HT_MODULE_ALIGN, 0, NULL, 0);
	kj_test_mb2_end(&h);
	return img;
}

static void expect_fail(const uint8_t *img, size_t len, int code,
			const char *text)
{
	struct kj_mb2 mb;
	struct kj_err err = { 0 };

	assert_int_equal(kj_mb2_parse(img, len, "k.elf", &mb, &err), -code);
	if (!strstr(err.msg, text) || strncmp(err.msg, "k.elf: ", 7))
		fail_msg("'%s' does not say '%s'", err.msg, text);
}

static struct kj_mb2 parse_ok(const uint8_t *img, size_t len)
{
	struct kj_mb2 mb;
	struct kj_err err = { 0 };

	if (kj_mb2_parse(img, len, "k.elf", &mb, &err))
		fail_msg("%s", err.msg);
	return mb;
}

static void test_plain_elf(void **state)
{
	uint8_t *img = plain_image();
	struct kj_mb2 mb = parse_ok(img, IMG_LEN);

	(void)state;
	assert_int_equal(kj_mb2_find(img, IMG_LEN), 0x100);
	assert_int_equal(mb.header_offset, 0x100);
	assert_int_equal(mb.requested,
			 KJ_MB2_BIT(KJ_MB2_MMAP) |
				 KJ_MB2_BIT(KJ_MB2_BASIC_MEMINFO));
	assert_true(mb.module_align);
	assert_int_equal(mb.image.elf_bits, 32);
	/* The ELF entry, virtual -> physical through its segment. */
	assert_int_equal(mb.image.entry, LOAD + 0x40);
	assert_int_equal(mb.image.nchunk, 1);
	assert_int_equal(mb.image.lowest, LOAD);
	assert_int_equal(mb.image.end, LOAD + IMG_LEN + 0x1000);
	free(img);
}

static void test_header_search(void **state)
{
	uint8_t *img = calloc(1, 0x10000);
	struct kj_test_mb2_hdr h;

	(void)state;
	expect_fail(img, 0x10000, ENOEXEC,
		    "no Multiboot 2 header in the first 32 KiB");
	/* Past 32 KiB: found only to explain the miss. */
	h = kj_test_mb2_begin(img, 0x8000);
	kj_test_mb2_end(&h);
	assert_int_equal(kj_mb2_find(img, 0x10000), -ENOENT);
	expect_fail(img, 0x10000, ENOEXEC,
		    "header at offset 0x8000 is past the first 32 KiB");
	/* 4-aligned but not 8-aligned. */
	memset(img, 0, 0x10000);
	h = kj_test_mb2_begin(img, 0x104);
	kj_test_mb2_end(&h);
	assert_int_equal(kj_mb2_find(img, 0x10000), -ENOENT);
	expect_fail(img, 0x10000, ENOEXEC,
		    "header at offset 0x104 is not 8-byte aligned");
	/* Bad checksum. */
	memset(img, 0, 0x10000);
	h = kj_test_mb2_begin(img, 0x200);
	kj_test_mb2_end(&h);
	kj_put_le32(img + 0x20c, kj_le32(img + 0x20c) + 1);
	expect_fail(img, 0x10000, ENOEXEC,
		    "header at offset 0x200 has a bad checksum");
	/* MIPS. */
	memset(img, 0, 0x10000);
	h = kj_test_mb2_begin(img, 0x200);
	kj_put_le32(img + 0x204, KJ_MB2_ARCH_MIPS32);
	kj_test_mb2_end(&h);
	kj_put_le32(img + 0x20c,
	      -(KJ_MB2_HEADER_MAGIC + KJ_MB2_ARCH_MIPS32 + kj_le32(img + 0x208)));
	expect_fail(img, 0x10000, ENOEXEC,
		    "is for architecture 4 (MIPS32), not i386 (0)");
	/* A truncated file never reads past its end. */
	memset(img, 0, 0x10000);
	h = kj_test_mb2_begin(img, 8);
	kj_test_mb2_end(&h);
	assert_int_equal(kj_mb2_find(img, 23), -ENOENT);
	assert_int_equal(kj_mb2_find(img, 24), 8);
	free(img);
}

static void test_header_length_and_tags(void **state)
{
	uint8_t *img = plain_image();
	uint32_t len = kj_le32(img + 0x108);

	(void)state;
	/* header_length past the file, and too short for the end tag. */
	kj_put_le32(img + 0x108, 0x9000);
	kj_put_le32(img + 0x10c, -(KJ_MB2_HEADER_MAGIC + 0x9000));
	expect_fail(img, IMG_LEN, EINVAL,
		    "header_length 36864 at offset 0x100 does not fit");
	kj_put_le32(img + 0x108, 20);
	kj_put_le32(img + 0x10c, -(KJ_MB2_HEADER_MAGIC + 20));
	expect_fail(img, IMG_LEN, EINVAL, "header_length 20");
	/* A tag that claims more than header_length. */
	kj_put_le32(img + 0x108, len);
	kj_put_le32(img + 0x10c, -(KJ_MB2_HEADER_MAGIC + len));
	kj_put_le32(img + 0x114, 0x400);
	expect_fail(img, IMG_LEN, EINVAL,
		    "tag type 1 at offset 0x110 runs past header_length");
	/* A tag smaller than its type needs (relocatable: 24). */
	kj_put_le16(img + 0x110, KJ_MB2_HT_RELOCATABLE);
	kj_put_le32(img + 0x114, 16);
	expect_fail(img, IMG_LEN, EINVAL,
		    "tag type 10 at offset 0x110 is 16 bytes (at least 24)");
	free(img);

	/* No end tag inside header_length. */
	img = kj_test_mb2_elf32(IMG_LEN, LOAD, 0xc0000000u, 0x1000);
	{
		struct kj_test_mb2_hdr h = kj_test_mb2_begin(img, 0x100);

		kj_test_mb2_tag(&h, KJ_MB2_HT_MODULE_ALIGN, 0, NULL, 0);
		kj_put_le32(img + 0x108, 24);
		kj_put_le32(img + 0x10c, -(KJ_MB2_HEADER_MAGIC + 24));
	}
	expect_fail(img, IMG_LEN, EINVAL, "header has no end tag");
	free(img);
}

static uint8_t *image_with(uint16_t type, uint16_t flags, const uint32_t *words,
			   size_t n)
{
	uint8_t *img = kj_test_mb2_elf32(IMG_LEN, LOAD, 0xc0000000u, 0x1000);
	struct kj_test_mb2_hdr h = kj_test_mb2_begin(img, 0x100);

	kj_test_mb2_tag(&h, type, flags, words, n);
	kj_test_mb2_end(&h);
	return img;
}

static void test_efi_tags(void **state)
{
	const uint32_t entry[] = { LOAD + 0x80 };
	uint8_t *img;
	struct kj_mb2 mb;

	(void)state;
	img = image_with(KJ_MB2_HT_EFI_BS, 0, NULL, 0);
	expect_fail(img, IMG_LEN, ENOTSUP,
		    "requires EFI boot services (a required header tag), but "
		    "EFI boot services are gone after kexec");
	free(img);
	img = image_with(KJ_MB2_HT_ENTRY_EFI64, 0, entry, 1);
	expect_fail(img, IMG_LEN, ENOTSUP,
		    "requires its EFI amd64 entry point");
	free(img);
	img = image_with(KJ_MB2_HT_ENTRY_EFI32, 0, entry, 1);
	expect_fail(img, IMG_LEN, ENOTSUP, "requires its EFI i386 entry point");
	free(img);
	/* Optional (as Xen marks them): ignored, the normal entry is used. */
	img = image_with(KJ_MB2_HT_ENTRY_EFI64, KJ_MB2_TAG_OPTIONAL, entry, 1);
	mb = parse_ok(img, IMG_LEN);
	assert_int_equal(mb.ignored, 1u << KJ_MB2_HT_ENTRY_EFI64);
	assert_int_equal(mb.image.entry, LOAD + 0x40);
	free(img);
	img = image_with(KJ_MB2_HT_EFI_BS, KJ_MB2_TAG_OPTIONAL, NULL, 0);
	assert_int_equal(parse_ok(img, IMG_LEN).ignored,
			 1u << KJ_MB2_HT_EFI_BS);
	free(img);
}

static void test_unknown_tags(void **state)
{
	const uint32_t w[] = { 1, 2 };
	const uint32_t req[] = { KJ_MB2_CMDLINE, 99 };
	uint8_t *img;

	(void)state;
	img = image_with(42, 0, w, 2);
	expect_fail(
		img, IMG_LEN, ENOTSUP,
		"header has required tag type 42, which kjump does not know");
	free(img);
	img = image_with(42, KJ_MB2_TAG_OPTIONAL, w, 2);
	parse_ok(img, IMG_LEN);
	free(img);
	img = image_with(KJ_MB2_HT_INFO_REQUEST, 0, req, 2);
	expect_fail(img, IMG_LEN, ENOTSUP,
		    "requires information tag 99, which the specification "
		    "does not define");
	free(img);
	img = image_with(KJ_MB2_HT_INFO_REQUEST, KJ_MB2_TAG_OPTIONAL, req, 2);
	assert_int_equal(parse_ok(img, IMG_LEN).requested_opt,
			 KJ_MB2_BIT(KJ_MB2_CMDLINE));
	free(img);
}

static void expect_refused(const struct kj_mb2 *mb, uint64_t avail,
			   const char *text)
{
	struct kj_err err = { 0 };

	assert_int_equal(kj_mb2_check_requests(mb, avail, "k.elf", &err),
			 -ENOTSUP);
	if (!strstr(err.msg, text))
		fail_msg("'%s' does not say '%s'", err.msg, text);
}

static void test_required_requests(void **state)
{
	const uint32_t req[] = { KJ_MB2_MMAP, KJ_MB2_EFI64, KJ_MB2_BOOTDEV };
	const uint32_t console[] = { KJ_MB2_CONSOLE_REQUIRED |
				     KJ_MB2_CONSOLE_EGA_TEXT };
	const uint32_t fb[] = { 1024, 768, 32 };
	struct kj_mb2_mbi_in bios = { .nmap = 1 }, efi = { .nmap = 1 };
	struct kj_mb2_framebuffer lfb = { .type = KJ_MB2_FB_RGB };
	struct kj_err err = { 0 };
	struct kj_mb2 mb;
	uint8_t *img;

	(void)state;
	efi.efi64_systab = 0x7f000000;
	img = image_with(KJ_MB2_HT_INFO_REQUEST, 0, req, 3);
	mb = parse_ok(img, IMG_LEN);
	/* The lowest missing tag is named first. */
	expect_refused(&mb, kj_mb2_mbi_available(&bios),
		       "k.elf: Multiboot 2 image requires the BIOS boot device "
		       "(tag 5), which kjump cannot provide: the BIOS boot "
		       "drive is unknown after kexec");
	mb.requested &= ~KJ_MB2_BIT(KJ_MB2_BOOTDEV);
	expect_refused(&mb, kj_mb2_mbi_available(&bios),
		       "requires the EFI 64-bit system table (tag 12), which "
		       "kjump cannot provide on this system");
	assert_int_equal(kj_mb2_check_requests(&mb, kj_mb2_mbi_available(&efi),
					       "k.elf", &err),
			 0);
	free(img);

	img = image_with(KJ_MB2_HT_CONSOLE, 0, console, 1);
	mb = parse_ok(img, IMG_LEN);
	expect_refused(&mb, kj_mb2_mbi_available(&bios),
		       "requires a console (console flags tag)");
	bios.fb = &lfb;
	assert_int_equal(kj_mb2_check_requests(&mb, kj_mb2_mbi_available(&bios),
					       "k.elf", &err),
			 0);
	bios.fb = NULL;
	free(img);

	img = image_with(KJ_MB2_HT_FRAMEBUFFER, 0, fb, 3);
	mb = parse_ok(img, IMG_LEN);
	assert_true(mb.has_fb && mb.fb_required);
	expect_refused(&mb, kj_mb2_mbi_available(&bios),
		       "requires a framebuffer (1024x768x32)");
	free(img);
	img = image_with(KJ_MB2_HT_FRAMEBUFFER, KJ_MB2_TAG_OPTIONAL, fb, 3);
	mb = parse_ok(img, IMG_LEN);
	assert_int_equal(kj_mb2_check_requests(&mb, kj_mb2_mbi_available(&bios),
					       "k.elf", &err),
			 0);
	free(img);
}

/* A flat image (not ELF) loaded by the address tag: 16 bytes of
 * signature, the header at 0x10, loaded at 0x20100. */
static uint8_t *aout_image(uint32_t load_addr, bool with_entry)
{
	uint8_t *img = calloc(1, IMG_LEN);
	struct kj_test_mb2_hdr h;
	const uint32_t addr[] = { 0x20110, load_addr, 0x20100 + IMG_LEN,
				  0x20100 + IMG_LEN + 0x2000 };
	const uint32_t entry[] = { 0x20200 };

	memcpy(img, "KJTEST-MB2-IMAGE", 16);
	h = kj_test_mb2_begin(img, 0x10);
	kj_test_mb2_tag(&h, KJ_MB2_HT_ADDRESS, 0, addr, 4);
	if (with_entry)
		kj_test_mb2_tag(&h, KJ_MB2_HT_ENTRY, 0, entry, 1);
	kj_test_mb2_end(&h);
	return img;
}

static void test_address_tag(void **state)
{
	uint8_t *img = aout_image(0x20100, true);
	struct kj_mb2 mb = parse_ok(img, IMG_LEN);

	(void)state;
	assert_true(mb.has_address);
	assert_int_equal(mb.image.elf_bits, 0);
	assert_int_equal(mb.image.entry, 0x20200);
	assert_int_equal(mb.image.chunk[0].offset, 0);
	assert_int_equal(mb.image.chunk[0].paddr, 0x20100);
	assert_int_equal(mb.image.chunk[0].filesz, IMG_LEN);
	assert_int_equal(mb.image.chunk[0].memsz, IMG_LEN + 0x2000);
	free(img);
	/* load_addr -1: from the start of the file. */
	img = aout_image(0xffffffffu, true);
	mb = parse_ok(img, IMG_LEN);
	assert_int_equal(mb.image.chunk[0].paddr, 0x20100);
	free(img);
	img = aout_image(0x20100, false);
	expect_fail(img, IMG_LEN, EINVAL,
		    "address tag without an entry address tag");
	free(img);
	/* The shared address arithmetic: load_addr before the file. */
	img = aout_image(0x20000, true);
	expect_fail(img, IMG_LEN, EINVAL,
		    "Multiboot 2 load_addr 0x00020000 would start 0x100 bytes "
		    "before the file");
	free(img);
	/* Not ELF and no address tag. */
	img = calloc(1, IMG_LEN);
	{
		struct kj_test_mb2_hdr h = kj_test_mb2_begin(img, 0x10);

		kj_test_mb2_end(&h);
	}
	expect_fail(img, IMG_LEN, ENOEXEC, "is not ELF and has no address tag");
	free(img);
}

static void test_entry_tag_and_elf64(void **state)
{
	const uint32_t entry[] = { LOAD + 0x99 };
	uint8_t *img = image_with(KJ_MB2_HT_ENTRY, 0, entry, 1);
	uint8_t *e64 = calloc(1, IMG_LEN);
	struct kj_mb2 mb = parse_ok(img, IMG_LEN);
	struct kj_test_mb2_hdr h;

	(void)state;
	assert_int_equal(mb.image.entry, LOAD + 0x99);
	free(img);
	/* ELF64 x86-64, one segment, entry translated to physical. */
	memcpy(e64, "\177ELF\2\1\1", 7);
	kj_put_le16(e64 + 16, 2);
	kj_put_le16(e64 + 18, 62);
	kj_put_le32(e64 + 20, 1);
	kj_put_le32(e64 + 24, 0x80000040u); /* vaddr entry (low half of u64) */
	kj_put_le32(e64 + 32, 64);	      /* e_phoff */
	kj_put_le16(e64 + 54, 56);
	kj_put_le16(e64 + 56, 1);
	kj_put_le32(e64 + 64, 1);
	kj_put_le32(e64 + 64 + 16, 0x80000000u); /* p_vaddr */
	kj_put_le32(e64 + 64 + 24, LOAD);	   /* p_paddr */
	kj_put_le32(e64 + 64 + 32, IMG_LEN);
	kj_put_le32(e64 + 64 + 40, IMG_LEN);
	h = kj_test_mb2_begin(e64, 0x200);
	kj_test_mb2_end(&h);
	mb = parse_ok(e64, IMG_LEN);
	assert_int_equal(mb.image.elf_bits, 64);
	assert_int_equal(mb.image.entry, LOAD + 0x40);
	free(e64);
}

static void test_relocatable(void **state)
{
	/* Image of 0x4000 bytes (file 0x3000 + bss 0x1000) at LOAD. */
	const uint32_t fits[] = { 0x100000, 0x10000000, 0x200000,
				  KJ_MB2_PREF_HIGH };
	const uint32_t tight[] = { 0x300000, 0x303fff, 0x1000,
				   KJ_MB2_PREF_LOW };
	const uint32_t npot[] = { 0x100000, 0x10000000, 0x3000, 0 };
	const struct kj_range ram[] = { { 0x100000, 0x8000000 } };
	struct kj_plan plan;
	struct kj_err err = { 0 };
	struct kj_mb2 mb;
	uint64_t base;
	uint8_t *img;

	(void)state;
	kj_plan_init(&plan);
	img = image_with(KJ_MB2_HT_RELOCATABLE, 0, fits, 4);
	mb = parse_ok(img, IMG_LEN);
	assert_true(mb.relocatable);
	/* Highest 2 MiB-aligned place in RAM (ends at 128 MiB). */
	assert_int_equal(
		kj_mb2_place(&mb, ram, 1, &plan, 0, 0, "k.elf", &base, &err),
		0);
	assert_int_equal(base, 0x7e00000);
	kj_mb2_relocate(&mb, base);
	assert_int_equal(mb.image.chunk[0].paddr, 0x7e00000);
	assert_int_equal(mb.image.entry, 0x7e00040);
	assert_int_equal(mb.image.lowest, 0x7e00000);
	/* --mem-max pulls it down; a window outside RAM fails. */
	mb = parse_ok(img, IMG_LEN);
	assert_int_equal(kj_mb2_place(&mb, ram, 1, &plan, 0, 0x1ffffff, "k.elf",
				      &base, &err),
			 0);
	assert_int_equal(base, 0x1e00000);
	assert_int_equal(kj_mb2_place(&mb, ram, 1, &plan, 0x9000000, 0, "k.elf",
				      &base, &err),
			 -ENOSPC);
	free(img);

	/* [min, max] one byte too small for the image. */
	img = image_with(KJ_MB2_HT_RELOCATABLE, 0, tight, 4);
	expect_fail(img, IMG_LEN, EINVAL,
		    "relocatable range 0x00300000-0x00303fff cannot hold the "
		    "image (16384 bytes)");
	free(img);
	img = image_with(KJ_MB2_HT_RELOCATABLE, 0, npot, 4);
	expect_fail(img, IMG_LEN, EINVAL,
		    "relocatable alignment 0x3000 is not a power of two");
	free(img);

	/* Fits the header's range, but RAM there is taken. */
	{
		const uint32_t low[] = { 0x100000, 0x400000, 0x1000,
					 KJ_MB2_PREF_LOW };

		img = image_with(KJ_MB2_HT_RELOCATABLE, 0, low, 4);
		mb = parse_ok(img, IMG_LEN);
		assert_int_equal(kj_plan_add(&plan, "x", NULL, 0, 0x100000,
					     0x2fe000, false, &err),
				 0);
		assert_int_equal(kj_mb2_place(&mb, ram, 1, &plan, 0, 0, "k.elf",
					      &base, &err),
				 -ENOSPC);
		assert_non_null(strstr(err.msg, "Multiboot 2 image"));
		kj_plan_free(&plan);
		assert_int_equal(kj_mb2_place(&mb, ram, 1, &plan, 0, 0, "k.elf",
					      &base, &err),
				 0);
		assert_int_equal(base, 0x100000); /* lowest */
		free(img);
	}
}

/* ---- the boot information ---- */

static enum kj_mem_type type_of(const char *name)
{
	if (!strcmp(name, "System RAM"))
		return KJ_MEM_RAM;
	if (!strcmp(name, "ACPI Tables"))
		return KJ_MEM_ACPI;
	if (!strcmp(name, "ACPI Non-volatile Storage"))
		return KJ_MEM_NVS;
	return KJ_MEM_RESERVED;
}

/* The fixture's /sys/firmware/memmap as generic entries, sorted. */
static size_t fixture_map(const char *fx, struct kj_memmap_entry *e, size_t max)
{
	size_t n = 0;

	for (int i = 0; i < 64 && n < max; i++) {
		char path[512], type[64] = "";
		unsigned long long s, x;
		FILE *f;

		snprintf(path, sizeof(path),
			 KJ_FIXTURES "/%s/sys/firmware/memmap/%d/start", fx, i);
		f = fopen(path, "r");
		if (!f)
			break;
		assert_int_equal(fscanf(f, "%llx", &s), 1);
		fclose(f);
		path[strlen(path) - 5] = '\0';
		strcat(path, "end");
		f = fopen(path, "r");
		assert_int_equal(fscanf(f, "%llx", &x), 1);
		fclose(f);
		path[strlen(path) - 3] = '\0';
		strcat(path, "type");
		f = fopen(path, "r");
		assert_non_null(fgets(type, sizeof(type), f));
		fclose(f);
		type[strcspn(type, "\n")] = '\0';
		e[n++] = (struct kj_memmap_entry){ s, x + 1, type_of(type) };
	}
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && e[j].start < e[j - 1].start; j--) {
			struct kj_memmap_entry t = e[j];

			e[j] = e[j - 1];
			e[j - 1] = t;
		}
	return n;
}

/* Walk the tags: check 8-alignment, total_size and the end tag; return
 * the offset of the n-th tag of type (or 0). */
static size_t find_tag(const uint8_t *m, size_t len, uint32_t type, int nth)
{
	size_t pos = 8;

	assert_int_equal(kj_le32(m), len);
	assert_int_equal(kj_le32(m + 4), 0);
	while (pos + 8 <= len) {
		uint32_t t = kj_le32(m + pos), size = kj_le32(m + pos + 4);

		assert_true(size >= 8 && pos + size <= len);
		if (t == KJ_MB2_END) {
			assert_int_equal(size, 8);
			assert_int_equal(pos + 8, len);
			return type == KJ_MB2_END ? pos : 0;
		}
		if (t == type && nth-- == 0)
			return pos;
		pos += (size + 7) & ~(size_t)7;
	}
	fail_msg("no end tag");
	return 0;
}

static const uint8_t rsdp1[20] = "RSD PTR \x55OEMID\0\x10\xe0\x0f\0";
static uint8_t rsdp2[36] = "RSD PTR \x66OEMID\0\x02";

static void test_mbi_full(void **state)
{
	struct kj_memmap_entry map[64];
	const struct kj_mb_module mods[] = {
		{ 0x3000000, 5000, "/boot/modA arg1" },
		{ 0x3002000, 300, "" },
	};
	const struct kj_mb2_framebuffer fb = {
		.addr = 0xfd000000,
		.pitch = 4096,
		.width = 1024,
		.height = 768,
		.bpp = 32,
		.type = KJ_MB2_FB_RGB,
		.red_pos = 16,
		.red_size = 8,
		.green_pos = 8,
		.green_size = 8,
		.blue_pos = 0,
		.blue_size = 8,
	};
	uint8_t efimap[2 * 48], smbios[37];
	struct kj_mb2_mbi_in in = {
		.cmdline = "console=ttyS0 dom0_mem=512M",
		.loader_name = "kjump 0.1.0",
		.mods = mods,
		.nmods = 2,
		.rsdp_v1 = rsdp1,
		.rsdp_v1_len = 20,
		.rsdp_v2 = rsdp2,
		.rsdp_v2_len = 36,
		.efi64_systab = 0xbf6e1018,
		.efi_mmap = efimap,
		.efi_mmap_len = sizeof(efimap),
		.efi_desc_size = 48,
		.efi_desc_version = 1,
		.smbios = smbios,
		.smbios_len = sizeof(smbios),
		.smbios_major = 3,
		.smbios_minor = 2,
		.load_base_valid = true,
		.load_base = 0x7e00000,
		.fb = &fb,
	};
	struct kj_err err = { 0 };
	size_t size, len, t;
	uint8_t *m;

	(void)state;
	for (size_t i = 0; i < sizeof(efimap); i++)
		efimap[i] = (uint8_t)i;
	memset(smbios, 0x5a, sizeof(smbios));
	in.nmap = fixture_map("memmap-qemu", map, 64);
	in.map = map;
	assert_int_equal(in.nmap, 8);
	assert_int_equal(kj_mb2_mbi_size(&in, &size, &err), 0);
	assert_int_equal(kj_mb2_mbi_build(&in, 0x9000, &m, &len, &err), 0);
	assert_int_equal(len, size);
	assert_int_equal(len % 8, 0);

	/* GRUB's order: load base first. */
	assert_int_equal(find_tag(m, len, KJ_MB2_LOAD_BASE, 0), 8);
	assert_int_equal(kj_le32(m + 12), 12);
	assert_int_equal(kj_le32(m + 16), 0x7e00000);
	t = find_tag(m, len, KJ_MB2_CMDLINE, 0);
	assert_string_equal((char *)m + t + 8, in.cmdline);
	assert_int_equal(kj_le32(m + t + 4), 8 + strlen(in.cmdline) + 1);
	t = find_tag(m, len, KJ_MB2_LOADER_NAME, 0);
	assert_string_equal((char *)m + t + 8, "kjump 0.1.0");
	t = find_tag(m, len, KJ_MB2_MODULE, 0);
	assert_int_equal(kj_le32(m + t + 8), 0x3000000);
	assert_int_equal(kj_le32(m + t + 12), 0x3000000 + 5000);
	assert_string_equal((char *)m + t + 16, "/boot/modA arg1");
	t = find_tag(m, len, KJ_MB2_MODULE, 1);
	assert_int_equal(kj_le32(m + t + 12) - kj_le32(m + t + 8), 300);
	assert_string_equal((char *)m + t + 16, "");
	assert_int_equal(find_tag(m, len, KJ_MB2_MODULE, 2), 0);

	t = find_tag(m, len, KJ_MB2_MMAP, 0);
	assert_int_equal(kj_le32(m + t + 4), 16 + 8 * 24);
	assert_int_equal(kj_le32(m + t + 8), 24);
	assert_int_equal(kj_le32(m + t + 12), 0);
	for (size_t i = 0; i < 8; i++) {
		const uint8_t *e = m + t + 16 + 24 * i;

		assert_int_equal(kj_le64(e), map[i].start);
		assert_int_equal(kj_le64(e + 8), map[i].end - map[i].start);
		assert_int_equal(kj_le32(e + 16),
				 map[i].type == KJ_MEM_RAM ? 1 : 2);
		assert_int_equal(kj_le32(e + 20), 0);
	}
	t = find_tag(m, len, KJ_MB2_BASIC_MEMINFO, 0);
	assert_int_equal(kj_le32(m + t + 4), 16);
	assert_int_equal(kj_le32(m + t + 8), 639);
	assert_int_equal(kj_le32(m + t + 12), (0xbffe0000u - 0x100000u) / 1024);

	t = find_tag(m, len, KJ_MB2_FRAMEBUFFER, 0);
	assert_int_equal(kj_le32(m + t + 4), 38);
	assert_int_equal(kj_le64(m + t + 8), 0xfd000000);
	assert_int_equal(kj_le32(m + t + 16), 4096);
	assert_int_equal(kj_le32(m + t + 20), 1024);
	assert_int_equal(kj_le32(m + t + 24), 768);
	assert_int_equal(m[t + 28], 32);
	assert_int_equal(m[t + 29], KJ_MB2_FB_RGB);
	assert_memory_equal(m + t + 32, "\x10\x08\x08\x08\x00\x08", 6);

	t = find_tag(m, len, KJ_MB2_EFI64, 0);
	assert_int_equal(kj_le32(m + t + 4), 16);
	assert_int_equal(kj_le64(m + t + 8), 0xbf6e1018);
	t = find_tag(m, len, KJ_MB2_ACPI_OLD, 0);
	assert_int_equal(kj_le32(m + t + 4), 28);
	assert_memory_equal(m + t + 8, rsdp1, 20);
	t = find_tag(m, len, KJ_MB2_ACPI_NEW, 0);
	assert_int_equal(kj_le32(m + t + 4), 44);
	assert_memory_equal(m + t + 8, rsdp2, 36);
	t = find_tag(m, len, KJ_MB2_SMBIOS, 0);
	assert_int_equal(kj_le32(m + t + 4), 16 + sizeof(smbios));
	assert_int_equal(m[t + 8], 3);
	assert_int_equal(m[t + 9], 2);
	assert_memory_equal(m + t + 16, smbios, sizeof(smbios));
	t = find_tag(m, len, KJ_MB2_EFI_MMAP, 0);
	assert_int_equal(kj_le32(m + t + 4), 16 + sizeof(efimap));
	assert_int_equal(kj_le32(m + t + 8), 48);
	assert_int_equal(kj_le32(m + t + 12), 1);
	assert_memory_equal(m + t + 16, efimap, sizeof(efimap));
	assert_int_not_equal(find_tag(m, len, KJ_MB2_END, 0), 0);
	assert_int_equal(
		kj_mb2_mbi_available(&in),
		KJ_MB2_BIT(KJ_MB2_CMDLINE) | KJ_MB2_BIT(KJ_MB2_LOADER_NAME) |
			KJ_MB2_BIT(KJ_MB2_MODULE) | KJ_MB2_BIT(KJ_MB2_MMAP) |
			KJ_MB2_BIT(KJ_MB2_BASIC_MEMINFO) |
			KJ_MB2_BIT(KJ_MB2_FRAMEBUFFER) |
			KJ_MB2_BIT(KJ_MB2_EFI64) | KJ_MB2_BIT(KJ_MB2_ACPI_OLD) |
			KJ_MB2_BIT(KJ_MB2_ACPI_NEW) |
			KJ_MB2_BIT(KJ_MB2_SMBIOS) |
			KJ_MB2_BIT(KJ_MB2_EFI_MMAP) |
			KJ_MB2_BIT(KJ_MB2_LOAD_BASE));
	free(m);
}

static void test_mbi_minimal_and_crash_map(void **state)
{
	struct kj_memmap_entry map[64];
	const struct kj_mb2_framebuffer ega = {
		.addr = 0xb8000,
		.pitch = 160,
		.width = 80,
		.height = 25,
		.bpp = 16,
		.type = KJ_MB2_FB_EGA_TEXT,
	};
	struct kj_mb2_mbi_in in = { .cmdline = NULL, .loader_name = "kjump" };
	struct kj_err err = { 0 };
	uint32_t lower, upper;
	size_t len, t;
	uint8_t *m;

	(void)state;
	/* Nothing optional: cmdline (empty), loader name, end. */
	assert_int_equal(kj_mb2_mbi_build(&in, 0x10000, &m, &len, &err), 0);
	assert_int_equal(len, 8 + 16 + 16 + 8);
	t = find_tag(m, len, KJ_MB2_CMDLINE, 0);
	assert_int_equal(kj_le32(m + t + 4), 9);
	assert_int_equal(find_tag(m, len, KJ_MB2_MMAP, 0), 0);
	assert_int_equal(find_tag(m, len, KJ_MB2_LOAD_BASE, 0), 0);
	free(m);

	in.fb = &ega;
	in.nmap = fixture_map("crash-qemu", map, 64);
	in.map = map;
	assert_true(in.nmap > 0);
	assert_int_equal(kj_mb2_mbi_build(&in, 0x10000, &m, &len, &err), 0);
	t = find_tag(m, len, KJ_MB2_FRAMEBUFFER, 0);
	assert_int_equal(kj_le32(m + t + 4), 32); /* no color info */
	assert_int_equal(m[t + 29], KJ_MB2_FB_EGA_TEXT);
	kj_mb_mem_info(map, in.nmap, &lower, &upper);
	t = find_tag(m, len, KJ_MB2_BASIC_MEMINFO, 0);
	assert_int_equal(kj_le32(m + t + 8), lower);
	assert_int_equal(kj_le32(m + t + 12), upper);
	assert_int_equal(lower, 639);
	free(m);
}

static void test_mem_types_and_info(void **state)
{
	/* RAM at 1 MiB split in two adjacent entries, a hole, more RAM. */
	const struct kj_memmap_entry map[] = {
		{ 0, 0x9f000, KJ_MEM_RAM },
		{ 0x9f000, 0xa0000, KJ_MEM_RESERVED },
		{ 0x100000, 0x800000, KJ_MEM_RAM },
		{ 0x800000, 0x1000000, KJ_MEM_RAM },
		{ 0x1000000, 0x1001000, KJ_MEM_ACPI },
		{ 0x1001000, 0x2000000, KJ_MEM_RAM },
	};
	uint32_t lower, upper;

	(void)state;
	kj_mb_mem_info(map, 6, &lower, &upper);
	assert_int_equal(lower, 0x9f000 / 1024);
	assert_int_equal(upper, (0x1000000 - 0x100000) / 1024);
}

static void expect_mbi_fail(const struct kj_mb2_mbi_in *in, uint64_t addr,
			    const char *text)
{
	struct kj_err err = { 0 };
	size_t len;
	uint8_t *m;

	assert_true(kj_mb2_mbi_build(in, addr, &m, &len, &err) < 0);
	assert_null(m);
	if (!strstr(err.msg, text))
		fail_msg("'%s' does not say '%s'", err.msg, text);
}

static void test_mbi_bad_inputs(void **state)
{
	struct kj_mb_module mods[KJ_MB2_MAX_MODULES + 1] = { { 0 } };
	struct kj_mb2_framebuffer idx = { .type = KJ_MB2_FB_INDEXED };
	struct kj_mb2_mbi_in in = { .cmdline = "x", .loader_name = "y" };
	uint8_t blob[64] = { 0 };

	(void)state;
	expect_mbi_fail(&in, 0x9004, "at 0x9004 is not 8-byte aligned");
	expect_mbi_fail(&in, 0xfffffff8, "must lie below 4 GiB");
	in.mods = mods;
	in.nmods = KJ_MB2_MAX_MODULES + 1;
	expect_mbi_fail(&in, 0x9000, "65 modules (at most 64)");
	in.nmods = 1;
	mods[0] = (struct kj_mb_module){ 0xfffff000, 0x2000, "m" };
	expect_mbi_fail(&in, 0x9000, "module 0 ends above 4 GiB");
	in.nmods = 0;
	in.rsdp_v1 = blob;
	in.rsdp_v1_len = 19;
	expect_mbi_fail(&in, 0x9000, "ACPI 1.0 RSDP is 19 bytes, not 20");
	in.rsdp_v1_len = 0;
	in.efi_mmap = blob;
	in.efi_mmap_len = 50;
	in.efi_desc_size = 48;
	expect_mbi_fail(&in, 0x9000, "does not hold whole 48-byte descriptors");
	in.efi_mmap_len = 0;
	in.fb = &idx;
	expect_mbi_fail(&in, 0x9000, "framebuffer type 0");
}

static char *mb2_report(const struct kj_mb2 *mb, bool json)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	kj_mb2_report(mb, f, json);
	fclose(f);
	return text;
}

static void test_report(void **state)
{
	const uint32_t reloc[] = { 0x100000, 0x10000000, 0x200000,
				   KJ_MB2_PREF_HIGH };
	uint8_t *img = kj_test_mb2_elf32(IMG_LEN, LOAD, 0xc0000000u, 0x1000);
	struct kj_test_mb2_hdr h = kj_test_mb2_begin(img, 0x100);
	const uint32_t req[] = { KJ_MB2_MMAP, KJ_MB2_ACPI_NEW };
	struct kj_mb2 mb;
	char *t, *j;

	(void)state;
	kj_test_mb2_tag(&h, KJ_MB2_HT_INFO_REQUEST, 0, req, 2);
	kj_test_mb2_tag(&h, KJ_MB2_HT_RELOCATABLE, KJ_MB2_TAG_OPTIONAL, reloc, 4);
	kj_test_mb2_tag(&h, KJ_MB2_HT_EFI_BS, KJ_MB2_TAG_OPTIONAL, NULL, 0);
	kj_test_mb2_end(&h);
	mb = parse_ok(img, IMG_LEN);
	t = mb2_report(&mb, false);
	j = mb2_report(&mb, true);
	assert_non_null(strstr(t, "format              Multiboot 2\n"));
	assert_non_null(strstr(t, "layout              ELF32\n"));
	assert_non_null(strstr(t, "requests            memory map, ACPI 2.0 "
				  "RSDP\n"));
	assert_non_null(strstr(t, "relocatable         0x100000-0x10000000, "
				  "align 0x200000, highest\n"));
	assert_non_null(strstr(t, "ignored tags        0x80"));
	assert_non_null(strstr(j, "\"format\":\"multiboot2\",\"header_offset\""
				  ":256,"));
	assert_non_null(strstr(j, "\"requests\":[6,15]"));
	assert_non_null(strstr(j, "\"relocatable\":{\"min\":1048576,"));
	free(t);
	free(j);
	free(img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_elf),
		cmocka_unit_test(test_header_search),
		cmocka_unit_test(test_header_length_and_tags),
		cmocka_unit_test(test_efi_tags),
		cmocka_unit_test(test_unknown_tags),
		cmocka_unit_test(test_required_requests),
		cmocka_unit_test(test_address_tag),
		cmocka_unit_test(test_entry_tag_and_elf64),
		cmocka_unit_test(test_relocatable),
		cmocka_unit_test(test_mbi_full),
		cmocka_unit_test(test_mbi_minimal_and_crash_map),
		cmocka_unit_test(test_mem_types_and_info),
		cmocka_unit_test(test_mbi_bad_inputs),
		cmocka_unit_test(test_report),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
