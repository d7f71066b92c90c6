/* Multiboot 1: header search and checks, a.out and ELF layouts, the
 * information block, the kexec_load plan over a fixture memory map, and
 * decompression bounds on the load path. Images are built here. */
#include "testlib.h"

#include <errno.h>
#include <zlib.h>

#include "arch/x86_64/purgatory_abi.h"
#include "core/chunk_plan.h"
#include "fixtures.h"
#include "image/unpack.h"
#include "loaders/elf.h"
#include "load/load.h"
#include "loaders/loader.h"
#include "loaders/multiboot1.h"

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static void mb_header(uint8_t *h, uint32_t flags)
{
	put32(h, KJ_MB1_HEADER_MAGIC);
	put32(h + 4, flags);
	put32(h + 8, -(KJ_MB1_HEADER_MAGIC + flags));
}

/* An a.out-kludge image like probe-aout.bin: 16 bytes of signature,
 * then the header; loaded at load, file size len, 4 KiB of bss. */
static uint8_t *aout_image(uint32_t load, size_t len)
{
	uint8_t *img = calloc(1, len);

	assert_non_null(img);
	memcpy(img, "KJTEST-IMAGE....", 16);
	mb_header(img + 16, KJ_MB1_AOUT_KLUDGE | 3);
	put32(img + 28, load + 16);			/* header_addr */
	put32(img + 32, load);				/* load_addr */
	put32(img + 36, load + (uint32_t)len);		/* load_end_addr */
	put32(img + 40, load + (uint32_t)len + 0x1000); /* bss_end_addr */
	put32(img + 44, load + 0x30);			/* entry_addr */
	return img;
}

struct phdr {
	uint32_t offset, paddr, filesz, memsz;
};

/* ELF32 i386 with n PT_LOAD headers (vaddr = paddr + vdelta), an
 * optional Multiboot header at 0x100, file size len. */
static uint8_t *elf32_image(const struct phdr *ph, int n, uint32_t entry,
			    uint32_t vdelta, bool mb, size_t len)
{
	uint8_t *img = calloc(1, len);

	assert_non_null(img);
	memcpy(img, "\177ELF\1\1\1", 7);
	put16(img + 16, 2);
	put16(img + 18, KJ_ELF_MACHINE_386);
	put32(img + 20, 1);
	put32(img + 24, entry + vdelta);
	put32(img + 28, 52);
	put16(img + 40, 52);
	put16(img + 42, 32);
	put16(img + 44, (uint16_t)n);
	for (int i = 0; i < n; i++) {
		uint8_t *p = img + 52 + 32 * i;

		put32(p, 1);
		put32(p + 4, ph[i].offset);
		put32(p + 8, ph[i].paddr + vdelta);
		put32(p + 12, ph[i].paddr);
		put32(p + 16, ph[i].filesz);
		put32(p + 20, ph[i].memsz);
	}
	if (mb)
		mb_header(img + 0x100, 3);
	return img;
}

static void expect_fail(const uint8_t *img, size_t len, int code,
			const char *text)
{
	struct kj_mb1 mb;
	struct kj_err err = { 0 };

	assert_int_equal(kj_mb1_parse(img, len, "k.bin", &mb, &err), -code);
	if (!strstr(err.msg, text))
		fail_msg("'%s' does not say '%s'", err.msg, text);
	assert_non_null(strstr(err.msg, "k.bin"));
}

static void test_header_search(void **state)
{
	uint8_t *img = calloc(1, 16384);
	struct kj_mb1 mb;
	struct kj_err err = { 0 };

	(void)state;
	assert_false(kj_mb1_probe(img, 16384));
	expect_fail(img, 16384, ENOEXEC, "no Multiboot header");
	/* Past 8 KiB: found only to explain the miss. */
	mb_header(img + 8192, 3);
	assert_false(kj_mb1_probe(img, 16384));
	expect_fail(img, 16384, ENOEXEC, "past the first 8 KiB");
	/* The last slot that fits in 8 KiB counts. */
	mb_header(img + 8180, KJ_MB1_AOUT_KLUDGE);
	assert_true(kj_mb1_probe(img, 16384));
	kj_mb1_parse(img, 16384, "k", &mb, &err);
	assert_int_equal(mb.header_offset, 8180);
	/* Bad checksum: still this loader's file, so its error is the
	 * checksum, not "load it as plain ELF". */
	memset(img, 0, 16384);
	mb_header(img + 64, 3);
	put32(img + 72, get32(img + 72) + 1);
	assert_true(kj_mb1_probe(img, 16384));
	expect_fail(img, 16384, ENOEXEC, "offset 0x40 has a bad checksum");
	/* Not 4-aligned: not a header. */
	memset(img, 0, 16384);
	mb_header(img + 66, 3);
	assert_false(kj_mb1_probe(img, 16384));
	/* A truncated file never reads past its end. */
	mb_header(img + 8, 3);
	assert_false(kj_mb1_probe(img, 19));
	assert_true(kj_mb1_probe(img, 20));
	assert_int_equal(kj_mb1_parse(img, 20, "k", &mb, &err), -ENOEXEC);
	free(img);
}

static void test_flags(void **state)
{
	uint8_t *img = aout_image(0x100000, 0x2000);
	struct kj_mb1 mb;
	struct kj_err err = { 0 };

	(void)state;
	mb_header(img + 16, KJ_MB1_AOUT_KLUDGE | 3 | (1u << 5));
	expect_fail(img, 0x2000, ENOTSUP, "requires flag bit 5");
	mb_header(img + 16, KJ_MB1_AOUT_KLUDGE | (1u << 15));
	expect_fail(img, 0x2000, ENOTSUP, "flag bit 15");
	/* Bits 16-31 are optional: unknown ones are ignored. */
	mb_header(img + 16, KJ_MB1_AOUT_KLUDGE | 3 | (1u << 24));
	assert_int_equal(kj_mb1_parse(img, 0x2000, "k", &mb, &err), 0);
	assert_false(mb.video_ignored);
	/* A video request is accepted, and noted. */
	mb_header(img + 16, KJ_MB1_AOUT_KLUDGE | KJ_MB1_VIDEO_MODE);
	assert_int_equal(kj_mb1_parse(img, 0x2000, "k", &mb, &err), 0);
	assert_true(mb.video_ignored);
	free(img);
}

static void test_aout(void **state)
{
	uint8_t *img = aout_image(0x20100, 0x3000);
	struct kj_mb1 mb;
	struct kj_err err = { 0 };

	(void)state;
	assert_int_equal(kj_mb1_parse(img, 0x3000, "k", &mb, &err), 0);
	assert_true(mb.aout);
	assert_int_equal(mb.image.entry, 0x20130);
	assert_int_equal(mb.image.nchunk, 1);
	assert_int_equal(mb.image.chunk[0].offset, 0);
	assert_int_equal(mb.image.chunk[0].paddr, 0x20100);
	assert_int_equal(mb.image.chunk[0].filesz, 0x3000);
	assert_int_equal(mb.image.chunk[0].memsz, 0x4000);
	assert_int_equal(mb.image.lowest, 0x20100);
	assert_int_equal(mb.image.end, 0x24100);

	/* load_end_addr 0: to the end of the file. */
	put32(img + 36, 0);
	put32(img + 40, 0);
	assert_int_equal(kj_mb1_parse(img, 0x3000, "k", &mb, &err), 0);
	assert_int_equal(mb.image.chunk[0].filesz, 0x3000);
	assert_int_equal(mb.image.chunk[0].memsz, 0x3000);
	free(img);

	img = aout_image(0x20100, 0x3000);
	put32(img + 28, 0x20000); /* header_addr below load_addr */
	expect_fail(img, 0x3000, EINVAL, "below load_addr");
	free(img);
	img = aout_image(0x20100, 0x3000);
	put32(img + 32, 0x20000); /* would start before the file */
	expect_fail(img, 0x3000, EINVAL, "before the file");
	free(img);
	img = aout_image(0x20100, 0x3000);
	put32(img + 36, 0x20100 + 0x3001); /* one byte past the file */
	expect_fail(img, 0x3000, EINVAL, "past the end of the file");
	free(img);
	img = aout_image(0x20100, 0x3000);
	put32(img + 36, 0x20100);
	expect_fail(img, 0x3000, EINVAL, "not above load_addr");
	free(img);
	img = aout_image(0x20100, 0x3000);
	put32(img + 40, 0x20200); /* bss ends inside the loaded part */
	expect_fail(img, 0x3000, EINVAL, "bss_end_addr");
	free(img);
	img = aout_image(0x20100, 0x3000);
	put32(img + 44, 0x10000); /* entry outside */
	expect_fail(img, 0x3000, EINVAL, "entry_addr 0x00010000 is outside");
	free(img);
	img = aout_image(0x20100, 0x3000);
	put32(img + 40, 0); /* no bss */
	put32(img + 36, 0); /* to the end of the file: past 4 GiB */
	put32(img + 32, 0xffffe000u);
	put32(img + 28, 0xffffe010u);
	put32(img + 44, 0xffffe030u);
	expect_fail(img, 0x3000, EINVAL, "above 4 GiB");
	free(img);
	/* Header fields cut off by the end of the file. */
	img = aout_image(0x20100, 0x3000);
	expect_fail(img, 40, EINVAL, "cut off");
	free(img);
}

static void test_elf_layout(void **state)
{
	struct phdr ph[2] = { { 0x1000, 0x100000, 0x1800, 0x1800 },
			      { 0x2800, 0x101800, 0x200, 0x3000 } };
	uint8_t *img = elf32_image(ph, 2, 0x100020, 0xc0000000u, true, 0x3000);
	struct kj_mb1 mb;
	struct kj_err err = { 0 };

	(void)state;
	assert_int_equal(kj_mb1_parse(img, 0x3000, "k", &mb, &err), 0);
	assert_false(mb.aout);
	assert_int_equal(mb.image.elf_bits, 32);
	/* Higher-half entry, translated to physical. */
	assert_int_equal(mb.image.entry, 0x100020);
	assert_int_equal(mb.image.nchunk, 2);
	assert_int_equal(mb.image.end, 0x104800);
	free(img);

	/* Overlapping segments. */
	ph[1].paddr = 0x101000;
	img = elf32_image(ph, 2, 0x100020, 0, true, 0x3000);
	expect_fail(img, 0x3000, EINVAL, "overlap");
	free(img);
	/* Bytes past the end of the file. */
	ph[1].paddr = 0x101800;
	ph[1].filesz = 0x900;
	ph[1].memsz = 0x900;
	img = elf32_image(ph, 2, 0x100020, 0, true, 0x3000);
	expect_fail(img, 0x3000, EINVAL, "past the end of the file");
	free(img);
	/* filesz > memsz */
	ph[1].filesz = 0x200;
	ph[1].memsz = 0x100;
	img = elf32_image(ph, 2, 0x100020, 0, true, 0x3000);
	expect_fail(img, 0x3000, EINVAL, "larger than memory size");
	free(img);
	/* Program headers outside the file. */
	ph[1].memsz = 0x200;
	img = elf32_image(ph, 2, 0x100020, 0, true, 0x3000);
	put32(img + 28, 0x2ff0);
	expect_fail(img, 0x3000, EINVAL, "program headers lie past");
	free(img);
	/* Neither ELF nor a.out. */
	img = calloc(1, 0x1000);
	mb_header(img + 0x100, 3);
	expect_fail(img, 0x1000, ENOEXEC, "neither ELF nor");
	free(img);
}

static void test_elf_kernel(void **state)
{
	struct phdr ph[1] = { { 0x1000, 0x100000, 0x800, 0x1000 } };
	uint8_t *img = elf32_image(ph, 1, 0x100000, 0, false, 0x2000);
	struct kj_elf_kernel k;
	struct kj_err err = { 0 };

	(void)state;
	assert_int_equal(kj_elf_kernel_parse(img, 0x2000, "k",
					     KJ_ELF_ARGS_DEFAULT, &k, &err),
			 0);
	assert_false(k.long_mode);
	assert_false(k.linux_args);
	assert_int_equal(kj_elf_kernel_parse(img, 0x2000, "k",
					     KJ_ELF_ARGS_LINUX, &k, &err),
			 -ENOTSUP);
	put16(img + 18, 40); /* ARM */
	assert_int_equal(kj_elf_kernel_parse(img, 0x2000, "k", KJ_ELF_ARGS_NONE,
					     &k, &err),
			 -ENOEXEC);
	assert_non_null(strstr(err.msg, "not i386"));
	free(img);
}

static const struct kj_memmap_entry fixture_map[] = {
	{ 0, 0x9fc00, KJ_MEM_RAM },
	{ 0x9fc00, 0xa0000, KJ_MEM_RESERVED },
	{ 0xf0000, 0x100000, KJ_MEM_RESERVED },
	{ 0x100000, 0x40000000, KJ_MEM_RAM },
	{ 0x40000000, 0x80000000, KJ_MEM_RAM }, /* adjacent: merged for upper */
	{ 0xfffc0000, 0x100000000ull, KJ_MEM_RESERVED },
	{ 0x100000000ull, 0x240000000ull, KJ_MEM_RAM }, /* above 4 GiB */
};

static void test_elf_entry_must_be_loaded(void **state)
{
	struct phdr ph[2] = { { 0x1000, 0x100000, 0x800, 0x1000 },
			      { 0x1800, 0x200000, 0x100, 0x100 } };
	uint8_t *img = elf32_image(ph, 2, 0xdead0000u, 0, false, 0x2000);
	struct kj_elf_info e;
	struct kj_err err = { 0 };

	(void)state;
	/* Issue 13's reproducer: an entry no segment holds is refused,
	 * naming the entry and the loaded ranges. */
	assert_int_equal(kj_elf_parse(img, 0x2000, "k", &e, &err), -ENOEXEC);
	assert_string_equal(err.msg, "k: entry point 0xdead0000 is outside "
				     "every loaded segment (0x100000-0x100fff, "
				     "0x200000-0x2000ff)");
	/* A physical entry inside a segment is fine (vaddr != paddr). */
	free(img);
	img = elf32_image(ph, 2, 0x100010, 0xc0000000u, false, 0x2000);
	put32(img + 24, 0x100010);
	assert_int_equal(kj_elf_parse(img, 0x2000, "k", &e, &err), 0);
	assert_int_equal(e.entry, 0x100010);
	free(img);
}

static void test_mbi(void **state)
{
	const struct kj_mb_module mods[2] = {
		{ 0x200000, 5000, "modA arg1" },
		{ 0x202000, 0, "modB" },
	};
	struct kj_mb1_mbi_in in = {
		.cmdline = "k.bin foo=bar",
		.mods = mods,
		.nmods = 2,
		.map = fixture_map,
		.nmap = 7,
		.loader_name = "kjump test",
	};
	const uint64_t addr = 0x300000;
	struct kj_err err = { 0 };
	uint8_t *b;
	size_t len, size;
	uint32_t lower, upper;

	(void)state;
	kj_mb_mem_info(fixture_map, 7, &lower, &upper);
	assert_int_equal(lower, 639);
	assert_int_equal(upper, (0x80000000u - 0x100000u) / 1024);
	assert_int_equal(kj_mb1_mbi_size(&in, &size, &err), 0);
	assert_int_equal(kj_mb1_mbi_build(&in, addr, &b, &len, &err), 0);
	assert_int_equal(len, size);
	assert_int_equal(get32(b), KJ_MBI_MEMORY | KJ_MBI_CMDLINE |
					   KJ_MBI_MODS | KJ_MBI_MMAP |
					   KJ_MBI_LOADER_NAME);
	assert_int_equal(get32(b + 4), 639);
	assert_string_equal((char *)b + get32(b + 16) - addr, "k.bin foo=bar");
	assert_int_equal(get32(b + 20), 2);
	{
		const uint8_t *m = b + get32(b + 24) - addr;

		assert_int_equal(get32(m), 0x200000);
		assert_int_equal(get32(m + 4), 0x200000 + 5000);
		assert_string_equal((char *)b + get32(m + 8) - addr,
				    "modA arg1");
		assert_int_equal(get32(m + 16), 0x202000);
		assert_int_equal(get32(m + 20), 0x202000);
		assert_string_equal((char *)b + get32(m + 24) - addr, "modB");
	}
	assert_int_equal(get32(b + 44), 7 * 24);
	{
		const uint8_t *e = b + get32(b + 48) - addr + 6 * 24;
		uint64_t base, elen;

		assert_int_equal(get32(b + 48) % 4, 0);
		assert_int_equal(get32(e), 20);
		memcpy(&base, e + 4, 8);
		memcpy(&elen, e + 12, 8);
		assert_true(base == 0x100000000ull);
		assert_true(elen == 0x140000000ull);
		assert_int_equal(get32(e + 20), 1);
	}
	assert_string_equal((char *)b + get32(b + 64) - addr, "kjump test");
	/* No video flags (11, 12) and nothing in their fields. */
	for (size_t i = 72; i < KJ_MBI_STRUCT_SIZE; i++)
		assert_int_equal(b[i], 0);
	free(b);

	/* Too high: refused. */
	assert_int_equal(kj_mb1_mbi_build(&in, 0xffffff00ull, &b, &len, &err),
			 -EINVAL);
}

struct mbrun {
	struct kj_memmap mm;
	struct kj_range usable[KJ_MEMMAP_RANGES_MAX];
	struct kj_sysdesc sys;
	struct kj_load_request req;
	struct kj_load_input in;
	struct kj_plan plan;
	struct kj_err err;
};

static void mb_prepare(struct mbrun *r, const uint8_t *img, size_t len,
		       const struct kj_module_in *mods, size_t n)
{
	memset(r, 0, sizeof(*r));
	kj_fx_sysroot("memmap-qemu");
	assert_int_equal(kj_arch_memmap_read(&r->mm, &r->err), 0);
	r->req.kernel = "k";
	r->in.name = "k";
	r->in.req = &r->req;
	r->in.kernel = img;
	r->in.kernel_len = len;
	r->in.cmdline = "a=b";
	r->in.modules = mods;
	r->in.n_modules = n;
	r->in.mm = &r->mm;
	r->in.sys = &r->sys;
	r->in.usable = r->usable;
	r->in.n_usable = kj_memmap_usable(&r->mm, false, r->usable,
					  KJ_MEMMAP_RANGES_MAX);
}

static int mb_plan(struct mbrun *r)
{
	return kj_load_plan_segments(&kj_loader_multiboot1, &r->in, &r->plan,
				     &r->err);
}

static void test_plan_low_aout(void **state)
{
	static uint8_t a[5000], b[100];
	const struct kj_module_in mods[2] = { { "a", a, sizeof(a), "x" },
					      { "b", b, sizeof(b), "" } };
	uint8_t *img = aout_image(0x20100, 0x3000);
	struct mbrun *r = calloc(1, sizeof(*r));
	const struct kj_segment *s;

	(void)state;
	mb_prepare(r, img, 0x3000, mods, 2);
	assert_int_equal(mb_plan(r), 0);
	assert_int_equal(r->plan.nseg, 5);
	s = r->plan.seg;
	/* The image: whole pages around 0x20100..0x24100, a copy that
	 * starts with 0x100 zero bytes. */
	assert_string_equal(s[0].what, "kernel");
	assert_int_equal(s[0].mem, 0x20000);
	assert_int_equal(s[0].memsz, 0x5000);
	assert_int_equal(s[0].bufsz, 0x3100);
	assert_true(s[0].owned);
	assert_memory_equal((const uint8_t *)s[0].buf + 0x100, img, 0x3000);
	/* Modules in order from 1 MiB, page aligned, then the MBI. */
	assert_string_equal(s[1].what, "module 0");
	assert_int_equal(s[1].mem, 0x100000);
	assert_int_equal(s[2].mem, 0x102000);
	assert_string_equal(s[3].what, "multiboot info");
	assert_int_equal(s[3].mem, 0x103000);
	assert_string_equal(s[4].what, "purgatory");
	assert_true(s[4].mem + s[4].memsz <= 0x80000000ull);
	assert_int_equal(r->plan.entry, s[4].mem);
	assert_int_equal(r->plan.next.mode, KJ_MODE_X86_PM32);
	assert_int_equal(r->plan.next.pc, 0x20130);
	assert_int_equal(r->plan.next.reg[0], KJ_MB1_BOOT_MAGIC);
	assert_int_equal(r->plan.next.reg[1], 0x103000);
	{
		/* The MBI from the fixture's /sys/firmware/memmap: all 8
		 * entries, the one above 4 GiB included; mem_upper is the
		 * RAM from 1 MiB to the hole below 3 GiB. */
		const uint8_t *m = s[3].buf;
		const uint8_t *e = m + get32(m + 48) - 0x103000 + 7 * 24;
		uint64_t base, len;

		assert_int_equal(get32(m + 44), 8 * 24);
		assert_int_equal(get32(m + 4), 639);
		assert_int_equal(get32(m + 8),
				 (0xbffe0000u - 0x100000u) / 1024);
		memcpy(&base, e + 4, 8);
		memcpy(&len, e + 12, 8);
		assert_true(base == 0x100000000ull && len == 0x40000000ull);
		assert_int_equal(get32(e + 20), 1);
		assert_string_equal((const char *)m + get32(m + 16) - 0x103000,
				    "k a=b");
	}
	kj_plan_free(&r->plan);
	free(r);
	free(img);
}

static void test_plan_around_image(void **state)
{
	/* Two ELF segments sharing a page (one kexec segment), a gap, and a
	 * third far above: modules and MBI go after the image's end. */
	struct phdr ph[3] = { { 0x1000, 0x100000, 0x800, 0x800 },
			      { 0x1800, 0x100800, 0x100, 0x900 },
			      { 0x2000, 0x400000, 0x100, 0x2000 } };
	uint8_t *img = elf32_image(ph, 3, 0x100000, 0, true, 0x3000);
	static uint8_t a[10];
	const struct kj_module_in mods[1] = { { "a", a, sizeof(a), "" } };
	struct mbrun *r = calloc(1, sizeof(*r));

	(void)state;
	mb_prepare(r, img, 0x3000, mods, 1);
	assert_int_equal(mb_plan(r), 0);
	assert_int_equal(r->plan.seg[0].mem, 0x100000);
	assert_int_equal(r->plan.seg[0].memsz, 0x2000);
	assert_int_equal(r->plan.seg[0].bufsz, 0x900);
	assert_string_equal(r->plan.seg[1].what, "kernel.1");
	assert_int_equal(r->plan.seg[1].mem, 0x400000);
	assert_true(r->plan.seg[1].buf == img + 0x2000); /* borrowed */
	assert_string_equal(r->plan.seg[2].what, "module 0");
	assert_int_equal(r->plan.seg[2].mem, 0x402000);
	kj_plan_free(&r->plan);

	/* An image in a hole of the map is refused, naming the range. */
	ph[2].paddr = 0xbfff0000u;
	free(img);
	img = elf32_image(ph, 3, 0x100000, 0, true, 0x3000);
	mb_prepare(r, img, 0x3000, mods, 1);
	assert_int_equal(mb_plan(r),
			 -EADDRNOTAVAIL);
	assert_non_null(strstr(r->err.msg, "0xbfff0000-0xbfff1fff"));
	assert_int_equal(r->plan.nseg, 0);
	free(r);
	free(img);
}

static void test_chunk_budget(void **state)
{
	struct kj_load_chunk c[4] = { { 0, 0x10, 0x100000, 0x10 },
				      { 0x10, 0x10, 0x200000, 0x10 },
				      { 0x20, 0x10, 0x201000, 0x10 },
				      { 0x30, 0x10, 0x900000, 0x10 } };
	struct kj_range ram = { 0x100000, 0x40000000 };
	uint8_t img[0x40];
	struct kj_plan plan;
	struct kj_err err = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(img); i++)
		img[i] = (uint8_t)i;
	kj_plan_init(&plan);
	/* Budget 2: the two closest neighbours merge first, then the
	 * result with the next closest. */
	assert_int_equal(kj_plan_add_chunks(&plan, img, sizeof(img), c, 4, 2,
					    &ram, 1, "k", &err),
			 0);
	assert_int_equal(plan.nseg, 2);
	assert_int_equal(plan.seg[0].mem, 0x100000);
	assert_int_equal(plan.seg[0].memsz, 0x102000);
	assert_int_equal(((const uint8_t *)plan.seg[0].buf)[0x101000], 0x20);
	assert_int_equal(((const uint8_t *)plan.seg[0].buf)[0x100800], 0);
	assert_int_equal(plan.seg[1].mem, 0x900000);
	kj_plan_free(&plan);
	/* Unsorted chunks are a caller bug, refused. */
	c[1].paddr = 0x50;
	assert_int_equal(kj_plan_add_chunks(&plan, img, sizeof(img), c, 4, 8,
					    &ram, 1, "k", &err),
			 -EINVAL);
}

static void test_unpack_bomb(void **state)
{
	size_t n = 4u << 20;
	uint8_t *zeros = calloc(1, n);
	uLongf clen = compressBound(n) + 64;
	uint8_t *gz = malloc(clen);
	struct kj_unpacked u;
	struct kj_err err = { 0 };
	z_stream zs = { 0 };

	(void)state;
	assert_int_equal(
		deflateInit2(&zs, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY),
		Z_OK);
	zs.next_in = zeros;
	zs.avail_in = (uInt)n;
	zs.next_out = gz;
	zs.avail_out = (uInt)clen;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	clen = zs.total_out;
	deflateEnd(&zs);

	assert_int_equal(
		kj_unpack(gz, clen, "xen.gz", true, 1u << 20, &u, &err),
		-EFBIG);
	assert_non_null(strstr(err.msg, "xen.gz"));
	assert_non_null(strstr(err.msg, "decompression bomb"));
	assert_int_equal(kj_unpack(gz, clen, "xen.gz", true, 0, &u, &err), 0);
	assert_int_equal(u.size, n);
	assert_string_equal(u.compression, "gzip");
	{
		int fd = kj_unpacked_memfd(&u, "xen.gz", &err);
		uint8_t buf[16];

		assert_true(fd >= 0);
		assert_int_equal(read(fd, buf, sizeof(buf)), sizeof(buf));
		assert_int_equal(lseek(fd, 0, SEEK_END), (off_t)n);
		close(fd);
	}
	kj_unpacked_free(&u);
	/* --no-decompress: the bytes as they are. */
	assert_int_equal(kj_unpack(gz, clen, "m.gz", false, 0, &u, &err), 0);
	assert_true(u.data == gz && u.size == clen && !u.buf);
	free(gz);
	free(zeros);
}

static void test_cmdline_cap(void **state)
{
	static char longline[KJ_MB1_CMDLINE_MAX + 2];
	static uint8_t a[10];
	struct kj_module_in mods[1] = { { "a", a, sizeof(a), "" } };
	uint8_t *img = aout_image(0x100000, 0x3000);
	struct mbrun *r = calloc(1, sizeof(*r));

	(void)state;
	memset(longline, 'x', sizeof(longline) - 1);
	mb_prepare(r, img, 0x3000, mods, 1);
	r->in.cmdline = longline;
	assert_int_equal(mb_plan(r), -E2BIG);
	assert_non_null(strstr(r->err.msg, "k: command line is 4099 bytes"));
	/* The same cap for a module's own line, naming the module. */
	mb_prepare(r, img, 0x3000, mods, 1);
	mods[0].args = longline;
	assert_int_equal(mb_plan(r), -E2BIG);
	assert_non_null(strstr(r->err.msg, "a: module command line is"));
	free(r);
	free(img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_search),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_aout),
		cmocka_unit_test(test_elf_layout),
		cmocka_unit_test(test_elf_kernel),
		cmocka_unit_test(test_elf_entry_must_be_loaded),
		cmocka_unit_test(test_mbi),
		cmocka_unit_test(test_cmdline_cap),
		cmocka_unit_test(test_plan_low_aout),
		cmocka_unit_test(test_plan_around_image),
		cmocka_unit_test(test_chunk_budget),
		cmocka_unit_test(test_unpack_bomb),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
