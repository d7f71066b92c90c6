#include "testlib.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <elf.h>

#include "abi/x86_bootparam.h"
#include "arch/arch.h"
#include "arch/x86_64/purgatory.h"
#include "core/elfcore.h"
#include "fake_bzimage.h"
#include "fixtures.h"
#include "load/load.h"
#include "loaders/loader.h"

#define X86_64 (62ul << 16) /* KEXEC_ARCH_X86_64 */

static struct kj_memmap mm;
static uint8_t initrd[0x5001];

static void setup_map(void)
{
	struct kj_err err;

	kj_fx_sysroot("memmap-qemu"); /* 3 GiB + 1 GiB high, crash 128M */
	assert_int_equal(kj_arch_memmap_read(&mm, &err), 0);
}

struct run {
	uint8_t *img;
	size_t len;
	struct kj_bzimage bz;
	struct kj_load_request req;
	struct kj_load_input in;
	struct kj_sysdesc sys;
	struct kj_range usable[KJ_MEMMAP_RANGES_MAX];
	uint8_t *elfcore;
	struct kj_plan plan;
};

static void prepare(struct run *r, const struct fake_opts *o)
{
	memset(r, 0, sizeof(*r));
	r->img = fake_bzimage(o, &r->len, &r->bz);
	r->req.kernel = "vmlinuz";
	r->req.cmdline = "console=ttyS0";
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
}

/* What the load step does with the running system's map: the usable
 * ranges (the crash region for --panic, with its ELF core header), then
 * the loader's plan with the arch's purgatory. */
static int plan(struct run *r, struct kj_err *err)
{
	const struct kj_crash_notes none = { 0 };

	r->in.n_usable = kj_memmap_usable(&mm, r->req.panic, r->usable,
					  KJ_MEMMAP_RANGES_MAX);
	r->in.usable = r->usable;
	if (!r->in.n_usable)
		return kj_memmap_no_room(&mm, r->req.panic, "vmlinuz", err);
	if (r->req.panic) {
		assert_int_equal(kj_elfcore_build(&mm, &none, EM_X86_64,
						  &r->elfcore,
						  &r->in.elfcore_len, NULL,
						  err),
				 0);
		r->in.elfcore = r->elfcore;
	}
	return kj_load_plan_segments(&kj_loader_bzimage, &r->in, &r->plan,
				     err);
}

static void finish(struct run *r)
{
	kj_plan_free(&r->plan);
	free(r->elfcore);
	free(r->img);
}

static const struct kj_segment *seg(const struct kj_plan *p, const char *w)
{
	int i = kj_plan_find(p, w);

	assert_true(i >= 0);
	return &p->seg[i];
}

static void test_relocatable_at_pref_address(void **state)
{
	struct fake_opts o = fake_linux();
	struct kj_err err;
	struct run r;
	const struct kj_segment *k, *i, *p, *b;
	const struct kj_boot_params *bp;
	const uint8_t *purg;
	size_t purg_len;

	setup_map();
	prepare(&r, &o);
	assert_int_equal(plan(&r, &err), 0);
	assert_int_equal(r.plan.nseg, 4);
	assert_int_equal(r.plan.flags, X86_64);
	assert_string_equal(r.plan.cmdline, "console=ttyS0");

	k = seg(&r.plan, "kernel");
	assert_int_equal(k->mem, 0x1000000);           /* pref_address */
	assert_int_equal(k->memsz, 0x2000000);         /* init_size */
	assert_int_equal(k->bufsz, 0x10000);
	assert_ptr_equal(k->buf, r.img + 5 * 512);
	assert_false(k->owned);

	i = seg(&r.plan, "initrd");
	assert_int_equal(i->mem, 0x100000); /* lowest fit, above 1 MiB */
	assert_int_equal(i->memsz, 0x6000);
	assert_int_equal(i->bufsz, sizeof(initrd));
	assert_ptr_equal(i->buf, initrd);

	p = seg(&r.plan, "purgatory");
	purg = kj_purgatory_x86_64_image(&purg_len);
	assert_true(p->owned);
	assert_int_equal(p->memsz, (purg_len + 0xfff) & ~0xfffull);
	assert_true(p->mem + p->memsz <= 0x80000000);
	assert_memory_equal(p->buf, purg, purg_len);
	assert_ptr_not_equal(p->buf, purg);
	assert_int_equal(r.plan.entry, p->mem + KJ_PURGATORY_ENTRY_OFFSET);

	b = seg(&r.plan, "boot_params");
	assert_true(b->owned);
	assert_true(b->mem + b->memsz <= 0x100000000);
	bp = b->buf;
	assert_int_equal(bp->hdr.code32_start, 0x1000000);
	assert_int_equal(bp->hdr.ramdisk_image, i->mem);
	assert_int_equal(bp->hdr.ramdisk_size, sizeof(initrd));
	assert_int_equal(bp->hdr.cmd_line_ptr, b->mem + 0x1000);
	assert_string_equal((const char *)b->buf + 0x1000, "console=ttyS0");

	assert_int_equal(r.plan.next.mode, KJ_MODE_X86_LINUX64);
	assert_int_equal(r.plan.next.pc, 0x1000200);
	assert_int_equal(r.plan.next.reg[0], b->mem);
	finish(&r);
}

static void test_relocatable_moves_when_pref_taken(void **state)
{
	struct fake_opts o = fake_linux();
	struct kj_err err;
	struct run r;

	setup_map();
	o.pref_address = 0x1100000; /* not 2 MiB aligned: ignored */
	o.kernel_alignment = 0x1000000;
	prepare(&r, &o);
	r.req.mem_min = 0x4000000;
	r.req.mem_max = 0x3fffffff;
	assert_int_equal(plan(&r, &err), 0);
	assert_int_equal(seg(&r.plan, "kernel")->mem, 0x4000000);
	/* Everything honours --mem-min/--mem-max. */
	for (size_t n = 0; n < r.plan.nseg; n++) {
		assert_true(r.plan.seg[n].mem >= 0x4000000);
		assert_true(r.plan.seg[n].mem + r.plan.seg[n].memsz <= 0x40000000);
	}
	/* The initrd takes the lowest fit: right after the kernel. */
	assert_int_equal(seg(&r.plan, "initrd")->mem, 0x6000000);
	finish(&r);
}

static void test_fixed_image(void **state)
{
	struct fake_opts o = fake_linux();
	struct kj_err err;
	struct run r;

	/* memtest86+ 6.x style: protocol 2.12, not relocatable. */
	setup_map();
	o.version = 0x020c;
	o.relocatable = 0;
	o.pref_address = 0x100000;
	o.init_size = 0x80000;
	o.xloadflags = KJ_XLF_KERNEL_64;
	prepare(&r, &o);
	r.in.initrd_len = 0;
	assert_int_equal(plan(&r, &err), 0);
	assert_int_equal(seg(&r.plan, "kernel")->mem, 0x100000);
	assert_int_equal(seg(&r.plan, "kernel")->memsz, 0x80000);
	assert_int_equal(kj_plan_find(&r.plan, "initrd"), -1);
	assert_int_equal(r.plan.nseg, 3);
	finish(&r);

	/* Its fixed address must be free; --mem-min can forbid it. */
	prepare(&r, &o);
	r.req.mem_min = 0x200000;
	assert_int_equal(plan(&r, &err),
			 -EADDRNOTAVAIL);
	assert_string_equal(err.msg, "vmlinuz: not relocatable, must load at 0x100000-0x17ffff, which is not free RAM");
	assert_int_equal(r.plan.nseg, 0);
	finish(&r);
}

static void test_initrd_above_4g_only_when_allowed(void **state)
{
	struct fake_opts o = fake_linux();
	struct kj_err err;
	struct run r;

	/* Plans only point at buffers, so a large length costs nothing. */
	setup_map();
	o.initrd_addr_max = 0x0fffffff;
	prepare(&r, &o);
	r.in.initrd_len = 0x8000000; /* 128 MiB: fits below 256 MiB */
	assert_int_equal(plan(&r, &err), 0);
	assert_int_equal(seg(&r.plan, "initrd")->mem, 0x3000000);
	finish(&r);

	prepare(&r, &o);
	r.in.initrd_len = 0x20000000; /* 512 MiB: only with XLF above 4G */
	assert_int_equal(plan(&r, &err), 0);
	assert_int_equal(seg(&r.plan, "initrd")->mem, 0x120000000);
	finish(&r);

	o.xloadflags &= (uint16_t)~KJ_XLF_CAN_BE_LOADED_ABOVE_4G;
	prepare(&r, &o);
	r.in.initrd_len = 0x20000000;
	assert_int_equal(plan(&r, &err), -ENOSPC);
	/* The error names the file, then the segment. */
	assert_string_equal(err.msg, "initrd.img: initrd: no room for 512 MiB in free RAM between 0x100000 and 0xfffffff (initrd_addr_max, --mem-min/--mem-max)");
	finish(&r);
}

static void test_panic(void **state)
{
	struct fake_opts o = fake_linux();
	struct kj_err err;
	struct run r;

	setup_map();
	prepare(&r, &o);
	r.req.panic = true;
	assert_int_equal(plan(&r, &err), 0);
	assert_int_equal(r.plan.flags, X86_64 | KJ_KEXEC_ON_CRASH);
	for (size_t n = 0; n < r.plan.nseg; n++) {
		assert_true(r.plan.seg[n].mem >= 0x2b000000);
		assert_true(r.plan.seg[n].mem + r.plan.seg[n].memsz <= 0x33000000);
	}
	assert_int_equal(seg(&r.plan, "kernel")->mem, 0x2b000000);
	/* The ELF core header: named on the command line, reserved in e820. */
	{
		const struct kj_segment *e = seg(&r.plan, "elfcorehdr");
		const struct kj_boot_params *bp =
			seg(&r.plan, "boot_params")->buf;
		char want[64];
		int found = 0;

		snprintf(want, sizeof(want),
			 "console=ttyS0 elfcorehdr=0x%" PRIx64, e->mem);
		assert_string_equal(r.plan.cmdline, want);
		assert_string_equal((const char *)bp + 0x1000, want);
		for (int n = 0; n < bp->e820_entries; n++) {
			const struct kj_e820_entry *x = &bp->e820_table[n];

			if (x->addr == e->mem) {
				assert_int_equal(x->type, KJ_MEM_RESERVED);
				assert_int_equal(x->size, e->memsz);
				found = 1;
			}
			if (x->type == KJ_MEM_RAM)
				assert_false(x->addr < e->mem + e->memsz &&
					     e->mem < x->addr + x->size);
		}
		assert_true(found);
	}
	assert_int_equal(r.plan.nseg, 5);
	finish(&r);

	/* Without a crashkernel= reservation there is nowhere to go. */
	mm.ncrash = 0;
	prepare(&r, &o);
	r.req.panic = true;
	assert_int_equal(plan(&r, &err), -ENOMEM);
	assert_non_null(strstr(err.msg, "crashkernel=SIZE"));
	finish(&r);
}

static void test_rejects(void **state)
{
	struct fake_opts o = fake_linux();
	struct kj_err err;
	struct run r;

	setup_map();
	/* No 64-bit entry before 2.12: the 32-bit one (test_bzimage_entry
	 * has the rest). */
	o.version = 0x020b;
	prepare(&r, &o);
	assert_int_equal(plan(&r, &err), 0);
	assert_int_equal(r.plan.next.mode, KJ_MODE_X86_PM32);
	assert_int_equal(r.plan.next.reg[2], seg(&r.plan, "boot_params")->mem);
	finish(&r);

	/* The setup header must fit the zero page's header area. */
	o = fake_linux();
	prepare(&r, &o);
	r.img[0x201] = 0xff;
	assert_int_equal(plan(&r, &err), -EINVAL);
	assert_string_equal(err.msg, "vmlinuz: setup header ends at 0x301, outside 0x22c..0x290");
	assert_int_equal(r.plan.nseg, 0);
	finish(&r);

	/* A command line longer than the image's cmdline_size. */
	prepare(&r, &o);
	r.in.cmdline = "console=ttyS0 0123456789";
	r.img[0x238] = 16;
	r.img[0x239] = 0;
	assert_int_equal(plan(&r, &err), -E2BIG);
	assert_string_equal(err.msg, "vmlinuz: command line is 24 bytes, this kernel takes at most 16");
	finish(&r);

	prepare(&r, &o);
	r.req.mem_min = 0x100000000;
	r.req.mem_max = 0x13fffffff;
	assert_int_equal(plan(&r, &err), -ENOSPC);
	assert_int_equal(r.plan.nseg, 0);
	finish(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_relocatable_at_pref_address),
		cmocka_unit_test(test_relocatable_moves_when_pref_taken),
		cmocka_unit_test(test_fixed_image),
		cmocka_unit_test(test_initrd_above_4g_only_when_allowed),
		cmocka_unit_test(test_panic),
		cmocka_unit_test(test_rejects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
