#include "arch/x86_64/purgatory_plan.h"
#include "arch/x86_64/multiboot_plan.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86_64/purgatory_abi.h"
#include "core/chunk_plan.h"
#include "core/placement.h"
#include "loaders/multiboot1_mbi.h"

#define MIB (1ull << 20)
#define BELOW_4G 0xffffffffull
#define PURGATORY_MAX 0x7fffffffull
#define RANGES_MAX (KJ_MEMMAP_MAX + KJ_MEMMAP_MAX_CRASH)
#define MODS_MAX KJ_MAX_REQ_MODULES

struct ctx {
	const struct kj_x86_mb1_in *in;
	const char *name;
	struct kj_range ram[RANGES_MAX];
	size_t nram;
	struct kj_plan *plan;
	struct kj_mb1_module mods[MODS_MAX];
	struct kj_e820_entry map[KJ_MEMMAP_MAX];
	size_t nmap;
};

static uint64_t round_page(uint64_t v)
{
	return (v + KJ_PAGE_SIZE - 1) & ~(KJ_PAGE_SIZE - 1);
}

static int place(struct ctx *c, const char *what, uint64_t size, uint64_t min,
		 uint64_t max, bool top_down, uint64_t *addr,
		 struct kj_err *err)
{
	const struct kj_load_request *req = c->in->req;
	struct kj_place_req pr = { .what = what,
				   .size = size,
				   .align = KJ_PAGE_SIZE,
				   .min = min,
				   .max = max,
				   .top_down = top_down,
				   .why = "Multiboot keeps everything below 4 "
					  "GiB, --mem-min/--mem-max" };

	if (!kj_place_clamp(&pr.min, &pr.max, req->mem_min, req->mem_max))
		return kj_fail(
			err, ENOSPC,
			"%s: --mem-min/--mem-max leave no room in 0x%" PRIx64
			"-0x%" PRIx64,
			what, min, max);
	return kj_place(c->ram, c->nram, c->plan, &pr, addr, err);
}

static int add_modules(struct ctx *c, uint64_t *next, struct kj_err *err)
{
	const struct kj_x86_mb1_in *in = c->in;

	for (size_t i = 0; i < in->nmods; i++) {
		char what[32];
		uint64_t addr;
		int r;

		snprintf(what, sizeof(what), "module %zu", i);
		/* In order, each after the one before: what QEMU and GRUB
		 * do, and what kernels that take "the first module" expect. */
		r = place(c, what, in->mods[i].len ? in->mods[i].len : 1, *next,
			  BELOW_4G, false, &addr, err);
		if (r < 0)
			return r;
		r = kj_plan_add(
			c->plan, what, in->mods[i].data, in->mods[i].len, addr,
			in->mods[i].len ? in->mods[i].len : 1, false, err);
		if (r < 0)
			return r;
		c->mods[i].start = addr;
		c->mods[i].size = in->mods[i].len;
		c->mods[i].cmdline = in->mods[i].cmdline;
		*next = addr +
			round_page(in->mods[i].len ? in->mods[i].len : 1);
	}
	return 0;
}

static int add_mbi(struct ctx *c, uint64_t min, uint64_t *addr,
		   struct kj_err *err)
{
	char name[64];
	struct kj_mb1_mbi_in mi = {
		.cmdline = c->in->cmdline ? c->in->cmdline : "",
		.mods = c->mods,
		.nmods = c->in->nmods,
		.map = c->map,
		.nmap = c->nmap,
		.loader_name = c->in->loader_name,
	};
	uint8_t *buf;
	size_t size, len;
	int r;

	if (!mi.loader_name) {
		snprintf(name, sizeof(name), "kjump %s", KJ_VERSION);
		mi.loader_name = name;
	}
	r = kj_mb1_mbi_size(&mi, &size, err);
	if (r == 0)
		r = place(c, "multiboot info", size, min, BELOW_4G, false, addr,
			  err);
	if (r == 0)
		r = kj_mb1_mbi_build(&mi, *addr, &buf, &len, err);
	if (r < 0)
		return r;
	r = kj_plan_add(c->plan, "multiboot info", buf, len, *addr, len, true,
			err);
	return r < 0 ? r : 0;
}

static int add_purgatory(struct ctx *c, uint64_t *addr, struct kj_err *err)
{
	const struct kj_x86_mb1_in *in = c->in;
	int r;

	r = kj_x86_purgatory_check(in->purgatory, in->purgatory_len, err);
	if (r == 0)
		r = place(c, "purgatory", in->purgatory_len, MIB, PURGATORY_MAX,
			  true, addr, err);
	if (r == 0)
		r = kj_x86_plan_add_purgatory(c->plan, in->purgatory,
					      in->purgatory_len, *addr,
					      in->purgatory_len, err);
	return r;
}

static int no_memory(const struct ctx *c, struct kj_err *err)
{
	if (!c->in->req->panic)
		return kj_fail(err, ENOMEM,
			       "%s: no System RAM in the memory map", c->name);
	return kj_fail(err, ENOMEM,
		       "no \"Crash kernel\" region in /proc/iomem: boot the "
		       "running kernel with crashkernel=SIZE");
}

static int build(struct ctx *c, struct kj_err *err)
{
	const struct kj_x86_mb1_in *in = c->in;
	const struct kj_mb1 *mb = in->mb;
	uint64_t next, mbi = 0, purg = 0;
	size_t budget;
	int r;

	if (in->nmods > MODS_MAX)
		return kj_fail(err, E2BIG, "%s: %zu modules (at most %d)",
			       c->name, in->nmods, MODS_MAX);
	/* Every segment but the purgatory's own is digested: 15 left. */
	if (in->nmods + 2 >= KJ_PURGATORY_MAX_SEGMENTS)
		return kj_fail(err, E2BIG,
			       "%s: %zu modules leave no segment for the "
			       "kernel (at most %d modules)",
			       c->name, in->nmods,
			       KJ_PURGATORY_MAX_SEGMENTS - 3);
	budget = KJ_PURGATORY_MAX_SEGMENTS - 2 - in->nmods;
	r = kj_plan_add_chunks(c->plan, in->image, in->image_len, mb->chunk,
			       mb->nchunk, budget, c->ram, c->nram, c->name,
			       err);
	if (r < 0)
		return r;
	next = round_page(mb->end);
	if (next < MIB)
		next = MIB;
	r = add_modules(c, &next, err);
	if (r == 0)
		r = add_mbi(c, next, &mbi, err);
	if (r == 0)
		r = add_purgatory(c, &purg, err);
	if (r < 0)
		return r;
	c->plan->entry = purg + KJ_PURGATORY_ENTRY_OFFSET;
	c->plan->regs.valid = true;
	c->plan->regs.mode = KJ_ENTRY_PM32;
	c->plan->regs.entry = mb->entry;
	c->plan->regs.eax = KJ_MB1_BOOT_MAGIC;
	c->plan->regs.ebx = (uint32_t)mbi;
	return kj_plan_validate(c->plan, c->ram, c->nram, in->req->mem_min,
				in->req->mem_max, err);
}

int kj_x86_mb1_plan(const struct kj_x86_mb1_in *in, struct kj_plan *plan,
		    struct kj_err *err)
{
	struct ctx *c;
	int r;

	kj_plan_init(plan);
	if (!in->req || !in->mm || !in->mb)
		return kj_fail(err, EINVAL,
			       "plan: incomplete Multiboot request");
	c = calloc(1, sizeof(*c));
	if (!c)
		return kj_fail(err, ENOMEM, "plan: out of memory");
	c->in = in;
	c->plan = plan;
	c->name = in->req->kernel ? in->req->kernel : "kernel";
	c->nram = kj_memmap_usable(in->mm, in->req->panic, c->ram, RANGES_MAX);
	c->nmap = kj_memmap_e820(in->mm, in->req->panic, c->map, KJ_MEMMAP_MAX);
	plan->flags =
		KJ_KEXEC_ARCH_X86_64 | (in->req->panic ? KJ_KEXEC_ON_CRASH : 0);
	plan->cmdline = in->cmdline;
	r = c->nram ? build(c, err) : no_memory(c, err);
	if (r < 0)
		kj_plan_free(plan);
	free(c);
	return r;
}
