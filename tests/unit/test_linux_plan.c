#include "testlib.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "arch/x86_64/linux_plan.h"
#include "arch/x86_64/purgatory_abi.h"
#include "fake_bzimage.h"
#include "fixtures.h"

static struct kj_memmap mm;
static uint8_t purg[0x1000 + 0x400];
static uint8_t initrd[0x5001];

static void setup_map(void)
{
	struct kj_err err;

	kj_fx_sysroot("memmap-qemu"); /* 3 GiB + 1 GiB high, crash 128M */
	assert_int_equal(kj_memmap_read(&mm, &err), 0);
}

struct run {
	uint8_t *img;
	size_t len;
	struct kj_bzimage bz;
	struct kj_load_request req;
	struct kj_x86_linux_in in;
	struct kj_plan plan;
};

static void prepare(struct run *r, const struct fake_opts *o)
{
	memset(r, 0, sizeof(*r));
	r->img = fake_bzimage(o, &r->len, &r->bz);
	r->req.kernel = "vmlinuz";
	r->req.cmdline = "console=ttyS0";
	r->in.req = &r->req;
	r->in.image = r->img;
	r->in.image_len = r->len;
	r->in.bz = &r->bz;
	r->in.initrd = initrd;
	r->in.initrd_len = sizeof(initrd);
	r->in.purgatory = purg;
	r->in.purgatory_len = sizeof(purg);
	r->in.purgatory_memsz = 0x3000;
	r->in.mm = &mm;
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

static void test_relocatable_at_pref_address(void **state)
{
	struct fake_opts o = fake_linux();
	struct kj_err err;
	struct run r;
	const struct kj_segment *k, *i, *p, *b;
	const struct kj_boot_params *bp;

	setup_map();
	prepare(&r, &o);
	assert_int_equal(kj_x86_linux_plan(&r.in, &r.plan, &err), 0);
	assert_int_equal(r.plan.nseg, 4);
	assert_int_equal(r.plan.flags, KJ_KEXEC_ARCH_X86_64);
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
	assert_true(p->owned);
	assert_int_equal(p->memsz, 0x3000);
	assert_true(p->mem + p->memsz <= 0x80000000);
	assert_memory_equal(p->buf, purg, sizeof(purg));
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

	assert_true(r.plan.regs.valid);
	assert_int_equal(r.plan.regs.mode, KJ_ENTRY_LINUX64);
	assert_int_equal(r.plan.regs.entry, 0x1000200);
	assert_int_equal(r.plan.regs.rsi, b->mem);
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
	assert_int_equal(kj_x86_linux_plan(&r.in, &r.plan, &err), 0);
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
	assert_int_equal(kj_x86_linux_plan(&r.in, &r.plan, &err), 0);
	assert_int_equal(seg(&r.plan, "kernel")->mem, 0x100000);
	assert_int_equal(seg(&r.plan, "kernel")->memsz, 0x80000);
	assert_int_equal(kj_plan_find(&r.plan, "initrd"), -1);
	assert_int_equal(r.plan.nseg, 3);
	finish(&r);

	/* Its fixed address must be free; --mem-min can forbid it. */
	prepare(&r, &o);
	r.req.mem_min = 0x200000;
	assert_int_equal(kj_x86_linux_plan(&r.in, &r.plan, &err),
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
	assert_int_equal(kj_x86_linux_plan(&r.in, &r.plan, &err), 0);
	assert_int_equal(seg(&r.plan, "initrd")->mem, 0x3000000);
	finish(&r);

	prepare(&r, &o);
	r.in.initrd_len = 0x20000000; /* 512 MiB: only with XLF above 4G */
	assert_int_equal(kj_x86_linux_plan(&r.in, &r.plan, &err), 0);
	assert_int_equal(seg(&r.plan, "initrd")->mem, 0x120000000);
	finish(&r);

	o.xloadflags &= (uint16_t)~KJ_XLF_CAN_BE_LOADED_ABOVE_4G;
	prepare(&r, &o);
	r.in.initrd_len = 0x20000000;
	assert_int_equal(kj_x86_linux_plan(&r.in, &r.plan, &err), -ENOSPC);
	assert_string_equal(err.msg, "initrd: no room for 512 MiB in free RAM between 0x100000 and 0xfffffff (initrd_addr_max, --mem-min/--mem-max)");
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
	assert_int_equal(kj_x86_linux_plan(&r.in, &r.plan, &err), 0);
	assert_int_equal(r.plan.flags, KJ_KEXEC_ARCH_X86_64 | KJ_KEXEC_ON_CRASH);
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
				assert_int_equal(x->type, KJ_E820_RESERVED);
				assert_int_equal(x->size, e->memsz);
				found = 1;
			}
			if (x->type == KJ_E820_RAM)
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
	assert_int_equal(kj_x86_linux_plan(&r.in, &r.plan, &err), -ENOMEM);
	assert_non_null(strstr(err.msg, "crashkernel=SIZE"));
	finish(&r);
}

static void test_rejects(void **state)
{
	struct fake_opts o = fake_linux();
	struct kj_err err;
	struct run r;

	setup_map();
	o.version = 0x020b;
	prepare(&r, &o);
	assert_int_equal(kj_x86_linux_plan(&r.in, &r.plan, &err), -ENOEXEC);
	assert_string_equal(err.msg, "vmlinuz: setup header version 2.11 has no 64-bit entry point (needs 2.12 and XLF_KERNEL_64)");
	finish(&r);

	o = fake_linux();
	prepare(&r, &o);
	r.in.purgatory_len = 0x100;
	assert_int_equal(kj_x86_linux_plan(&r.in, &r.plan, &err), -EINVAL);
	assert_string_equal(err.msg, "purgatory: blob of 256 bytes has no parameter block");
	finish(&r);

	prepare(&r, &o);
	r.req.mem_min = 0x100000000;
	r.req.mem_max = 0x13fffffff;
	assert_int_equal(kj_x86_linux_plan(&r.in, &r.plan, &err), -ENOSPC);
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
