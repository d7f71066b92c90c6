/* The bzImage loader's three entries (issue 12): which one a header or
 * an option chooses, the 32-bit boot protocol's plan (everything below
 * 4 GiB, ESI = boot_params) and the real-mode one (setup, heap and
 * command line below 640 KiB, the header filled as boot.rst's sample
 * boot configuration says, the registers the purgatory is given), and
 * the purgatory's real-mode block and placement below 1 MiB. Images are
 * fake_bzimage.h's synthetic headers over the QEMU memory map fixture. */
#include "testlib.h"

#include <errno.h>
#include <string.h>

#include "abi/x86_bootparam.h"
#include "arch/arch.h"
#include "arch/x86_64/purgatory_abi.h"
#include "fake_bzimage.h"
#include "fixtures.h"
#include "load/load.h"
#include "loaders/bzimage.h"
#include "loaders/loader.h"

static struct kj_memmap mm;
static uint8_t initrd[0x3001];

struct run {
	uint8_t *img;
	size_t len;
	struct kj_bzimage bz;
	struct kj_load_request req;
	struct kj_load_input in;
	struct kj_sysdesc sys;
	struct kj_range usable[KJ_MEMMAP_RANGES_MAX];
	struct kj_plan plan;
};

static void prepare(struct run *r, const struct fake_opts *o)
{
	struct kj_err err;

	kj_fx_sysroot("memmap-qemu");
	assert_int_equal(kj_arch_memmap_read(&mm, &err), 0);
	memset(r, 0, sizeof(*r));
	r->img = fake_bzimage(o, &r->len, &r->bz);
	r->req.kernel = "vmlinuz";
	r->req.cmdline = "console=ttyS0 kj=1";
	r->in.name = "vmlinuz";
	r->in.req = &r->req;
	r->in.kernel = r->img;
	r->in.kernel_len = r->len;
	r->in.cmdline = r->req.cmdline;
	r->in.initrd = initrd;
	r->in.initrd_len = sizeof(initrd);
	r->in.initrd_name = "initrd.img";
	r->in.mm = &mm;
	r->in.sys = &r->sys;
	r->in.n_usable =
		kj_memmap_usable(&mm, false, r->usable, KJ_MEMMAP_RANGES_MAX);
	r->in.usable = r->usable;
}

static int plan(struct run *r, struct kj_err *err)
{
	return kj_load_plan_segments(&kj_loader_bzimage, &r->in, &r->plan, err);
}

static void finish(struct run *r)
{
	kj_plan_free(&r->plan);
	free(r->img);
}

static const struct kj_segment *seg(const struct kj_plan *p, const char *w)
{
	int i = kj_plan_find(p, w);

	assert_true(i >= 0);
	return &p->seg[i];
}

static uint32_t rd32(const uint8_t *p, size_t off)
{
	uint32_t v;

	memcpy(&v, p + off, 4);
	return v;
}

static uint16_t rd16(const uint8_t *p, size_t off)
{
	uint16_t v;

	memcpy(&v, p + off, 2);
	return v;
}

static enum kj_bz_entry entry_of(const struct fake_opts *o, bool real, bool e32)
{
	struct kj_bzimage bz;
	enum kj_bz_entry e = 99;
	struct kj_err err;
	size_t len;
	uint8_t *img = fake_bzimage(o, &len, &bz);

	assert_int_equal(kj_bzimage_parse(img, len, "k", &bz, &err), 0);
	assert_int_equal(kj_bzimage_entry(&bz, real, e32, "k", &e, &err), 0);
	free(img);
	return e;
}

static void test_entry_choice(void **state)
{
	struct fake_opts o = fake_linux();
	struct kj_bzimage bz;
	enum kj_bz_entry e;
	struct kj_err err;
	uint8_t *img;
	size_t len;

	(void)state;
	assert_int_equal(entry_of(&o, false, false), KJ_BZ_ENTRY_64);
	assert_int_equal(entry_of(&o, false, true), KJ_BZ_ENTRY_32);
	assert_int_equal(entry_of(&o, true, false), KJ_BZ_ENTRY_REAL16);
	/* An i386 kernel: XLF_KERNEL_64 clear. */
	o.xloadflags = 0;
	assert_int_equal(entry_of(&o, false, false), KJ_BZ_ENTRY_32);
	/* Before 2.12 there is no 64-bit entry at all. */
	o = fake_linux();
	o.version = 0x020b;
	assert_int_equal(entry_of(&o, false, false), KJ_BZ_ENTRY_32);
	/* Before 2.02: real mode. */
	o.version = 0x0201;
	assert_int_equal(entry_of(&o, false, false), KJ_BZ_ENTRY_REAL16);

	/* iPXE: code32_start 0, real mode only; --entry-32bit says why. */
	o = fake_linux();
	o.version = 0x0207;
	img = fake_bzimage(&o, &len, &bz);
	fake_put(img, 0x214, 0, 4);
	assert_int_equal(kj_bzimage_parse(img, len, "ipxe.lkrn", &bz, &err), 0);
	assert_int_equal(
		kj_bzimage_entry(&bz, false, false, "ipxe.lkrn", &e, &err), 0);
	assert_int_equal(e, KJ_BZ_ENTRY_REAL16);
	assert_int_equal(
		kj_bzimage_entry(&bz, false, true, "ipxe.lkrn", &e, &err),
		-ENOEXEC);
	assert_string_equal(err.msg, "ipxe.lkrn: no 32-bit entry (code32_start "
				     "is 0)");
	assert_int_equal(
		kj_bzimage_entry(&bz, true, true, "ipxe.lkrn", &e, &err),
		-EINVAL);
	assert_string_equal(err.msg, "ipxe.lkrn: --real-mode and --entry-32bit "
				     "exclude each other");
	free(img);
}

/* memdisk: syssize 0, the rest of the file is its protected-mode part. */
static void test_syssize_zero_sized_by_file(void **state)
{
	struct fake_opts o = fake_linux();
	struct kj_bzimage bz;
	enum kj_bz_entry e;
	struct kj_err err;
	uint8_t *img;
	size_t len;

	(void)state;
	o.version = 0x0203;
	o.xloadflags = 0;
	img = fake_bzimage(&o, &len, &bz);
	fake_put(img, 0x1f4, 0, 4);
	assert_int_equal(kj_bzimage_parse(img, len, "memdisk", &bz, &err), 0);
	assert_true(bz.sized_by_file);
	assert_int_equal(bz.kernel_size, len - bz.setup_size);
	assert_int_equal(
		kj_bzimage_entry(&bz, false, false, "memdisk", &e, &err), 0);
	assert_int_equal(e, KJ_BZ_ENTRY_REAL16);
	/* Nothing after setup is still nothing to load. */
	assert_int_equal(
		kj_bzimage_parse(img, bz.setup_size, "memdisk", &bz, &err),
		-ENOEXEC);
	assert_non_null(strstr(err.msg, "nothing after the 2560 bytes of "
					"setup"));
	free(img);
}

static void test_32bit_plan(void **state)
{
	struct fake_opts o = fake_linux();
	const struct kj_segment *k, *i, *b, *p;
	const struct kj_boot_params *bp;
	struct kj_err err;
	struct run r;

	(void)state;
	o.xloadflags = KJ_XLF_CAN_BE_LOADED_ABOVE_4G | KJ_XLF_EFI_KEXEC;
	prepare(&r, &o);
	r.sys.efi.valid = true; /* not for a 32-bit kernel */
	/* Only RAM above 4 GiB would do for an above-4G initrd: 32-bit
	 * kernels never get one. */
	assert_int_equal(plan(&r, &err), 0);
	k = seg(&r.plan, "kernel");
	i = seg(&r.plan, "initrd");
	b = seg(&r.plan, "boot_params");
	p = seg(&r.plan, "purgatory");
	assert_int_equal(k->mem, 0x1000000);
	assert_true(i->mem + i->memsz <= 0x80000000ull);
	assert_true(b->mem + b->memsz <= 0x100000000ull);
	assert_true(p->mem + p->memsz <= 0x80000000ull);
	assert_int_equal(r.plan.next.mode, KJ_MODE_X86_PM32);
	assert_int_equal(r.plan.next.pc, 0x1000000);
	assert_int_equal(r.plan.next.reg[0], 0);
	assert_int_equal(r.plan.next.reg[1], 0);
	assert_int_equal(r.plan.next.reg[2], b->mem);
	bp = b->buf;
	assert_int_equal(bp->hdr.code32_start, 0x1000000);
	assert_int_equal(bp->hdr.ramdisk_image, i->mem);
	assert_int_equal(bp->efi_info.efi_loader_signature, 0);
	assert_string_equal((const char *)b->buf + 4096, "console=ttyS0 kj=1");
	assert_non_null(strstr(r.plan.note, "no 64-bit entry"));
	assert_non_null(strstr(r.plan.note, "32-bit entry"));
	finish(&r);

	/* Asked for: no note; the 64-bit kernel's own limits hold too. */
	o = fake_linux();
	prepare(&r, &o);
	r.req.entry_32bit = true;
	r.req.mem_min = 0x100000000ull; /* only RAM above 4 GiB */
	assert_int_equal(plan(&r, &err), -ENOSPC);
	finish(&r);
	prepare(&r, &o);
	r.req.entry_32bit = true;
	assert_int_equal(plan(&r, &err), 0);
	assert_int_equal(r.plan.next.mode, KJ_MODE_X86_PM32);
	assert_string_equal(r.plan.note, "");
	finish(&r);
}

static void test_real_mode_plan(void **state)
{
	struct fake_opts o = fake_linux();
	const struct kj_segment *k, *i, *s, *p;
	struct kj_err err;
	struct run r;
	uint64_t x;

	(void)state;
	prepare(&r, &o);
	r.req.real_mode = true;
	assert_int_equal(plan(&r, &err), 0);
	k = seg(&r.plan, "kernel");
	i = seg(&r.plan, "initrd");
	s = seg(&r.plan, "real-mode setup");
	p = seg(&r.plan, "purgatory");
	assert_int_equal(kj_plan_find(&r.plan, "boot_params"), -1);
	/* The relocatable kernel at its pref_address, code32_start says so. */
	assert_int_equal(k->mem, 0x1000000);
	/* Setup as high as it fits below the EBDA at 0x9fc00. */
	x = s->mem;
	assert_int_equal(x, 0x90000);
	assert_int_equal(s->bufsz, 0xe000 + strlen("console=ttyS0 kj=1") + 1);
	assert_memory_equal(s->buf, r.img, 0x1f1);
	assert_int_equal(((const uint8_t *)s->buf)[0x210], 0xff);
	assert_true(((const uint8_t *)s->buf)[0x211] & KJ_CAN_USE_HEAP);
	assert_int_equal(rd16(s->buf, 0x224), 0xde00);
	assert_int_equal(rd32(s->buf, 0x228), x + 0xe000);
	assert_string_equal((const char *)s->buf + 0xe000,
			    "console=ttyS0 kj=1");
	assert_int_equal(rd32(s->buf, 0x214), 0x1000000);
	assert_int_equal(rd32(s->buf, 0x218), i->mem);
	assert_int_equal(rd32(s->buf, 0x21c), sizeof(initrd));
	/* The purgatory runs in real mode: below 1 MiB, clear of setup. */
	assert_true(p->mem >= 0x1000 && p->mem + p->memsz <= 0x100000);
	assert_int_equal(r.plan.entry, p->mem);
	assert_int_equal(r.plan.next.mode, KJ_MODE_X86_REAL16);
	assert_int_equal(r.plan.next.pc, x + 0x200);
	assert_int_equal(r.plan.next.reg[0], 0x9020u << 16);
	assert_int_equal(r.plan.next.reg[1], 0x9000u << 16 | 0xe000);
	assert_int_equal(r.plan.next.reg[2], 0x9000);
	assert_int_equal(r.plan.next.reg[3],
			 (KJ_REAL16_LEGACY_PIC | KJ_REAL16_LEGACY_TIMER) << 32);
	assert_string_equal(kj_entry_mode_name(KJ_MODE_X86_REAL16), "real16");
	assert_string_equal(kj_entry_reg_name(KJ_MODE_X86_REAL16, 0), "cs_ip");
	assert_null(kj_entry_reg_name(KJ_MODE_X86_REAL16, 4));
	finish(&r);
}

/* Protocol 2.01 and a zImage: the old command line protocol, setup at
 * 0x90000, the protected-mode part at 0x10000. */
static void test_real_mode_old_protocol(void **state)
{
	struct fake_opts o = fake_linux();
	const struct kj_segment *s, *k;
	struct kj_err err;
	struct run r;

	(void)state;
	o.version = 0x0201;
	o.relocatable = 0;
	o.cmdline_size = 0;
	prepare(&r, &o);
	r.img[0x201] = 0x26; /* a 2.01 header ends at 0x228 */
	r.img[0x211] = 0;    /* not loaded high */
	r.in.initrd_len = 0;
	assert_int_equal(plan(&r, &err), 0);
	s = seg(&r.plan, "real-mode setup");
	k = seg(&r.plan, "kernel");
	assert_int_equal(s->mem, 0x90000);
	assert_int_equal(k->mem, 0x10000);
	assert_int_equal(rd16(s->buf, 0x20), 0xa33f);
	assert_int_equal(rd16(s->buf, 0x22), 0x9800);
	assert_int_equal(rd16(s->buf, 0x212),
			 0x9800 + strlen("console=ttyS0 kj=1") + 1);
	assert_int_equal(rd16(s->buf, 0x224), 0x9600);
	/* No cmd_line_ptr in a 2.01 header: the setup code stays as it was. */
	assert_memory_equal((const uint8_t *)s->buf + 0x228, r.img + 0x228, 4);
	assert_string_equal((const char *)s->buf + 0x9800,
			    "console=ttyS0 kj=1");
	assert_int_equal(r.plan.next.reg[1], 0x9000u << 16 | 0x9800);
	finish(&r);
}

/* iPXE: not relocatable, code32_start 0: the rest goes to 1 MiB and
 * code32_start stays 0 (its setup finds itself there). */
static void test_real_mode_ipxe_like(void **state)
{
	struct fake_opts o = fake_linux();
	const struct kj_segment *s, *k;
	struct kj_err err;
	struct run r;

	(void)state;
	o.version = 0x0207;
	o.relocatable = 0;
	o.xloadflags = 0;
	prepare(&r, &o);
	fake_put(r.img, 0x214, 0, 4);
	assert_int_equal(plan(&r, &err), 0);
	k = seg(&r.plan, "kernel");
	s = seg(&r.plan, "real-mode setup");
	assert_int_equal(k->mem, 0x100000);
	assert_int_equal(rd32(s->buf, 0x214), 0);
	assert_non_null(strstr(r.plan.note, "real-mode entry"));
	/* No init_size before 2.10: the initrd goes to the top (below
	 * initrd_addr_max), clear of what the image uses after its file. */
	k = seg(&r.plan, "initrd");
	assert_int_equal(k->mem + k->memsz, 0x80000000ull);
	finish(&r);
}

static void test_real_mode_refused(void **state)
{
	struct fake_opts o = fake_linux();
	struct kj_err err;
	struct run r;

	(void)state;
	prepare(&r, &o);
	r.req.real_mode = true;
	r.sys.efi_boot = true;
	assert_int_equal(plan(&r, &err), -ENOTSUP);
	assert_non_null(strstr(err.msg, "booted through EFI"));
	finish(&r);

	prepare(&r, &o);
	r.req.real_mode = true;
	r.req.panic = true;
	assert_int_equal(plan(&r, &err), -ENOTSUP);
	assert_non_null(strstr(err.msg, "crash kernel cannot be entered in "
					"real mode"));
	finish(&r);

	/* kexec_file_load only enters 64-bit kernels. */
	prepare(&r, &o);
	r.req.entry_32bit = true;
	assert_int_equal(kj_loader_bzimage.file_check(&r.in, &err), -ENOEXEC);
	assert_string_equal(err.msg, "vmlinuz: the 32-bit entry needs "
				     "kexec_load: kexec_file_load enters "
				     "kernels in 64-bit mode only");
	r.req.entry_32bit = false;
	assert_int_equal(kj_loader_bzimage.file_check(&r.in, &err), 0);
	finish(&r);
}

/* The purgatory's parameter block: ESI for 32-bit Linux, the real16
 * block from the plan's registers. */
static void test_purgatory_fill(void **state)
{
	struct fake_opts o = fake_linux();
	const struct kj_purgatory_params *pp;
	const struct kj_purgatory_opts po = { .checks = KJ_DIGEST_XXH64 };
	struct kj_err err;
	struct run r;

	(void)state;
	prepare(&r, &o);
	r.req.real_mode = true;
	assert_int_equal(plan(&r, &err), 0);
	assert_int_equal(kj_arch_purgatory_fill(&r.plan, &po, &err), 0);
	pp = (const void *)((const uint8_t *)seg(&r.plan, "purgatory")->buf +
			    KJ_PURGATORY_PARAMS_OFFSET);
	assert_int_equal(pp->entry_mode, KJ_ENTRY_REAL16);
	assert_int_equal(pp->real16.cs, 0x9020);
	assert_int_equal(pp->real16.ip, 0);
	assert_int_equal(pp->real16.ss, 0x9000);
	assert_int_equal(pp->real16.sp, 0xe000);
	assert_int_equal(pp->real16.ds, 0x9000);
	assert_int_equal(pp->real16.es, 0x9000);
	assert_int_equal(pp->real16.gs, 0x9000);
	assert_int_equal(pp->real16.flags,
			 KJ_RM_LEGACY_PIC | KJ_RM_LEGACY_TIMER);
	assert_int_equal(pp->nsegments, 3);
	/* Unknown flag bits never reach the purgatory. */
	r.plan.next.reg[3] |= 1ull << 40;
	assert_int_equal(kj_arch_purgatory_fill(&r.plan, &po, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "unknown real-mode flags"));
	finish(&r);

	o.xloadflags = 0;
	prepare(&r, &o);
	assert_int_equal(plan(&r, &err), 0);
	assert_int_equal(kj_arch_purgatory_fill(&r.plan, &po, &err), 0);
	pp = (const void *)((const uint8_t *)seg(&r.plan, "purgatory")->buf +
			    KJ_PURGATORY_PARAMS_OFFSET);
	assert_int_equal(pp->entry_mode, KJ_ENTRY_PM32);
	assert_int_equal(pp->esi, seg(&r.plan, "boot_params")->mem);
	assert_int_equal(pp->eax, 0);
	assert_int_equal(pp->ebx, 0);
	finish(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entry_choice),
		cmocka_unit_test(test_syssize_zero_sized_by_file),
		cmocka_unit_test(test_32bit_plan),
		cmocka_unit_test(test_real_mode_plan),
		cmocka_unit_test(test_real_mode_old_protocol),
		cmocka_unit_test(test_real_mode_ipxe_like),
		cmocka_unit_test(test_real_mode_refused),
		cmocka_unit_test(test_purgatory_fill),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
