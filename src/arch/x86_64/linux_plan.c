#include "arch/x86_64/purgatory_plan.h"
#include "arch/x86_64/linux_plan.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86_64/elfcore.h"
#include "arch/x86_64/purgatory_abi.h"
#include "core/placement.h"

#define MIB (1ull << 20)
#define BELOW_4G 0xffffffffull
#define PURGATORY_MAX 0x7fffffffull /* as the kernel's own loader does */
#define OLD_INITRD_MAX 0x37ffffffull /* protocols before 2.03 */
#define DEFAULT_KERNEL_ALIGN (2 * MIB)
#define RANGES_MAX (KJ_MEMMAP_MAX + KJ_MEMMAP_MAX_CRASH)

struct ctx {
	const struct kj_x86_linux_in *in;
	const char *name;
	struct kj_range ram[RANGES_MAX];
	size_t nram;
	struct kj_plan *plan;
};

static uint64_t round_page(uint64_t v)
{
	return (v + KJ_PAGE_SIZE - 1) & ~(KJ_PAGE_SIZE - 1);
}

static int place(struct ctx *c, const char *what, uint64_t size,
		 uint64_t align, uint64_t min, uint64_t max, bool top_down,
		 const char *why, uint64_t *addr, struct kj_err *err)
{
	const struct kj_load_request *req = c->in->req;
	struct kj_place_req pr = { .what = what, .size = size, .align = align,
				   .min = min, .max = max,
				   .top_down = top_down, .why = why };

	if (!kj_place_clamp(&pr.min, &pr.max, req->mem_min, req->mem_max))
		return kj_fail(err, ENOSPC,
			       "%s: --mem-min/--mem-max 0x%" PRIx64 "-0x%" PRIx64
			       " leave no room in 0x%" PRIx64 "-0x%" PRIx64,
			       what, req->mem_min, req->mem_max, min,
			       max ? max : UINT64_MAX);
	return kj_place(c->ram, c->nram, c->plan, &pr, addr, err);
}

static bool in_window(const struct kj_load_request *req, uint64_t addr,
		      uint64_t size)
{
	if (req->mem_min && addr < req->mem_min)
		return false;
	return !req->mem_max || addr + size - 1 <= req->mem_max;
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

static int add_kernel(struct ctx *c, uint64_t *kaddr, struct kj_err *err)
{
	const struct kj_x86_linux_in *in = c->in;
	const struct kj_bzimage *bz = in->bz;
	uint64_t bufsz, memsz, want, max;
	int r;

	if (bz->kernel_offset == 0 || bz->kernel_offset >= in->image_len)
		return kj_fail(err, EINVAL, "%s: no protected-mode kernel",
			       c->name);
	bufsz = in->image_len - bz->kernel_offset;
	memsz = round_page(bufsz > bz->init_size ? bufsz : bz->init_size);
	want = bz->version >= 0x20a && bz->pref_address ? bz->pref_address
							 : bz->code32_start;
	if (!bz->relocatable_kernel) {
		/* memtest86+ and friends run where they were linked. */
		if (!kj_place_fits(c->ram, c->nram, c->plan, want, memsz) ||
		    !in_window(in->req, want, memsz))
			return kj_fail(err, EADDRNOTAVAIL,
				       "%s: not relocatable, must load at 0x%" PRIx64
				       "-0x%" PRIx64 ", which is not free %s",
				       c->name, want, want + memsz - 1,
				       in->req->panic ? "crash kernel memory"
						      : "RAM");
		*kaddr = want;
	} else if (!(want & (kernel_align(bz) - 1)) && want >= MIB &&
		   kj_place_fits(c->ram, c->nram, c->plan, want, memsz) &&
		   in_window(in->req, want, memsz)) {
		*kaddr = want;
	} else {
		max = bz->xloadflags & KJ_XLF_CAN_BE_LOADED_ABOVE_4G
			      ? 0
			      : BELOW_4G;
		r = place(c, "kernel", memsz, kernel_align(bz), MIB, max,
			  false, "kernel_alignment, --mem-min/--mem-max",
			  kaddr, err);
		if (r < 0)
			return r;
	}
	/* memsz is all of init_size, not just the file, although the old
	 * kernel then zero-fills and copies pages the decompressor will
	 * overwrite: only destination ranges are safe from the kernel's own
	 * kexec control pages, and those hold the identity page tables the
	 * purgatory and then the decompressor run on until the decompressor
	 * switches to its own, after it has already written this area. */
	r = kj_plan_add(c->plan, "kernel", in->image + bz->kernel_offset,
			bufsz, *kaddr, memsz, false, err);
	return r < 0 ? r : 0;
}

static int add_initrd(struct ctx *c, uint64_t *iaddr, struct kj_err *err)
{
	const struct kj_x86_linux_in *in = c->in;
	const struct kj_bzimage *bz = in->bz;
	uint64_t max = bz->version >= 0x203 ? bz->initrd_addr_max
					    : OLD_INITRD_MAX;
	struct kj_err first;
	int r;

	if (!in->initrd_len)
		return 0;
	if (!max)
		max = OLD_INITRD_MAX;
	/* Below initrd_addr_max, lowest fit first. kexec_load copies each
	 * page into a freshly allocated one, and every allocation that lands
	 * inside a destination range costs the kernel extra bookkeeping; the
	 * top of RAM is where its free pages are, low memory mostly is in
	 * use. Measured with a 200 MiB initrd: 13 s bottom-up against 23 s
	 * top-down (kexec-tools' choice) for the same load under QEMU. */
	r = place(c, "initrd", in->initrd_len, KJ_PAGE_SIZE, MIB, max, false,
		  "initrd_addr_max, --mem-min/--mem-max", iaddr, &first);
	if (r < 0 && (bz->xloadflags & KJ_XLF_CAN_BE_LOADED_ABOVE_4G))
		r = place(c, "initrd", in->initrd_len, KJ_PAGE_SIZE, MIB, 0,
			  true, "--mem-min/--mem-max", iaddr, err);
	else if (r < 0)
		return kj_fail(err, first.code, "%s", first.msg);
	if (r < 0)
		return r;
	r = kj_plan_add(c->plan, "initrd", in->initrd, in->initrd_len, *iaddr,
			in->initrd_len, false, err);
	return r < 0 ? r : 0;
}

static int add_purgatory(struct ctx *c, uint64_t *paddr, struct kj_err *err)
{
	const struct kj_x86_linux_in *in = c->in;
	size_t memsz = in->purgatory_memsz > in->purgatory_len
			       ? in->purgatory_memsz
			       : in->purgatory_len;
	int r;

	r = kj_x86_purgatory_check(in->purgatory, in->purgatory_len, err);
	if (r == 0)
		r = place(c, "purgatory", memsz, KJ_PAGE_SIZE, MIB,
			  PURGATORY_MAX, true,
			  "purgatory stays below 2 GiB, --mem-min/--mem-max",
			  paddr, err);
	if (r == 0)
		r = kj_x86_plan_add_purgatory(c->plan, in->purgatory,
					      in->purgatory_len, *paddr, memsz,
					      err);
	return r;
}

/* Panic loads: the crashed system's memory for /proc/vmcore, found by
 * the crash kernel through elfcorehdr= on its command line. */
static int add_elfcorehdr(struct ctx *c, uint64_t *eaddr, size_t *esize,
			  struct kj_err *err)
{
	const char *base = c->in->req->cmdline ? c->in->req->cmdline : "";
	uint8_t *hdr;
	size_t len;
	int r;

	r = kj_x86_elfcore_build(c->in->mm, &hdr, &len, NULL, err);
	if (r < 0)
		return r;
	r = place(c, "elfcorehdr", len, KJ_PAGE_SIZE, MIB, 0, true,
		  "crash kernel region", eaddr, err);
	if (r < 0) {
		free(hdr);
		return r;
	}
	r = kj_plan_add(c->plan, "elfcorehdr", hdr, len, *eaddr, len, true,
			err);
	if (r < 0)
		return r;
	*esize = c->plan->seg[r].memsz;
	if (asprintf(&c->plan->cmdline_owned, "%s%selfcorehdr=0x%" PRIx64,
		     base, *base ? " " : "", *eaddr) < 0) {
		c->plan->cmdline_owned = NULL;
		return kj_fail(err, ENOMEM, "plan: out of memory");
	}
	c->plan->cmdline = c->plan->cmdline_owned;
	return 0;
}

static int add_boot_params(struct ctx *c, uint64_t kaddr, uint64_t iaddr,
			   uint64_t eaddr, size_t esize, uint64_t *baddr,
			   struct kj_err *err)
{
	const struct kj_x86_linux_in *in = c->in;
	struct kj_x86_bootparams_in bi = {
		.name = c->name,
		.image = in->image,
		.image_len = in->image_len,
		.cmdline = c->plan->cmdline ? c->plan->cmdline : "",
		.kernel_addr = kaddr,
		.initrd_addr = in->initrd_len ? iaddr : 0,
		.initrd_size = in->initrd_len,
		.mm = in->mm,
		.panic = in->req->panic,
		.sys = in->sys,
		.efi = (in->bz->xloadflags & KJ_XLF_EFI_KEXEC) != 0,
		.reserved_addr = eaddr,
		.reserved_size = esize,
		.rng_seed = in->rng_seed,
		.rng_seed_len = in->rng_seed_len,
	};
	uint8_t *buf;
	size_t size, len;
	int r;

	r = kj_x86_bootparams_size(&bi, &size, err);
	if (r < 0)
		return r;
	r = place(c, "boot_params", size, KJ_PAGE_SIZE, MIB, BELOW_4G, true,
		  "below 4 GiB, --mem-min/--mem-max", baddr, err);
	if (r < 0)
		return r;
	r = kj_x86_bootparams_build(&bi, *baddr, &buf, &len, err);
	if (r < 0)
		return r;
	r = kj_plan_add(c->plan, "boot_params", buf, len, *baddr, len, true,
			err);
	return r < 0 ? r : 0;
}

static int check_image(const struct ctx *c, struct kj_err *err)
{
	const struct kj_bzimage *bz = c->in->bz;

	if (bz->version < 0x20c || !(bz->xloadflags & KJ_XLF_KERNEL_64))
		return kj_fail(err, ENOEXEC,
			       "%s: setup header version %u.%02u%s has no 64-bit entry point (needs 2.12 and XLF_KERNEL_64)",
			       c->name, bz->version >> 8, bz->version & 0xff,
			       bz->version >= 0x20c ? " without XLF_KERNEL_64"
						    : "");
	if (!c->in->mm)
		return kj_fail(err, EINVAL, "%s: no memory map", c->name);
	return 0;
}

static int no_memory(const struct ctx *c, struct kj_err *err)
{
	const struct kj_memmap *mm = c->in->mm;

	if (!c->in->req->panic)
		return kj_fail(err, ENOMEM, "%s: no System RAM in %s", c->name,
			       mm->source ? mm->source : "the memory map");
	if (mm->iomem_zeroed)
		return kj_fail(err, EPERM,
			       "/proc/iomem: addresses read as 0, cannot find the crash kernel region (run as root)");
	return kj_fail(err, ENOMEM,
		       "no \"Crash kernel\" region in /proc/iomem: boot the running kernel with crashkernel=SIZE");
}

int kj_x86_linux_plan(const struct kj_x86_linux_in *in, struct kj_plan *plan,
		      struct kj_err *err)
{
	struct ctx *c;
	uint64_t kaddr = 0, iaddr = 0, paddr = 0, baddr = 0, eaddr = 0;
	size_t esize = 0;
	int r;

	kj_plan_init(plan);
	c = calloc(1, sizeof(*c));
	if (!c)
		return kj_fail(err, ENOMEM, "plan: out of memory");
	c->in = in;
	c->plan = plan;
	c->name = in->req && in->req->kernel ? in->req->kernel : "kernel";
	if (!in->req) {
		free(c);
		return kj_fail(err, EINVAL, "plan: no load request");
	}
	r = check_image(c, err);
	if (r < 0)
		goto out;
	c->nram = kj_memmap_usable(in->mm, in->req->panic, c->ram, RANGES_MAX);
	if (!c->nram) {
		r = no_memory(c, err);
		goto out;
	}
	plan->flags = KJ_KEXEC_ARCH_X86_64 |
		      (in->req->panic ? KJ_KEXEC_ON_CRASH : 0);
	plan->cmdline = in->req->cmdline;

	r = add_kernel(c, &kaddr, err);
	if (r == 0)
		r = add_initrd(c, &iaddr, err);
	if (r == 0)
		r = add_purgatory(c, &paddr, err);
	if (r == 0 && in->req->panic)
		r = add_elfcorehdr(c, &eaddr, &esize, err);
	if (r == 0)
		r = add_boot_params(c, kaddr, iaddr, eaddr, esize, &baddr,
				    err);
	if (r < 0)
		goto out;

	plan->entry = paddr + KJ_PURGATORY_ENTRY_OFFSET;
	plan->regs.valid = true;
	plan->regs.mode = KJ_ENTRY_LINUX64;
	plan->regs.entry = kaddr + KJ_X86_LINUX64_ENTRY_OFFSET;
	plan->regs.rsi = baddr;
	r = kj_plan_validate(plan, c->ram, c->nram, in->req->mem_min,
			     in->req->mem_max, err);
out:
	if (r < 0)
		kj_plan_free(plan);
	free(c);
	return r;
}
