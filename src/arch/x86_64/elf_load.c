#include "arch/x86_64/purgatory_plan.h"
#include "arch/x86_64/elf_load.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "arch/x86_64/purgatory.h"
#include "arch/x86_64/plan_finish.h"
#include "image/image.h"
#include "core/chunk_plan.h"
#include "core/placement.h"

#define MIB (1ull << 20)
#define BELOW_4G 0xffffffffull
#define PURGATORY_MAX 0x7fffffffull
#define RANGES_MAX (KJ_MEMMAP_MAX + KJ_MEMMAP_MAX_CRASH)
#define HDR_END 0x268		 /* setup header of protocol 2.15 */
#define INITRD_MAX 0x7fffffffull /* what old setup headers promise */

/* A vmlinux has no setup header; the zero page wants one. This is the
 * minimum a 64-bit kernel reads: "HdrS", version, cmdline_size. */
static void fake_setup_header(uint8_t *h)
{
	memset(h, 0, HDR_END);
	h[0x1fe] = 0x55;
	h[0x1ff] = 0xaa;
	h[0x200] = 0xeb;
	h[0x201] = HDR_END - 0x202;
	memcpy(h + 0x202, "HdrS", 4);
	h[0x206] = 0x0f; /* 2.15 */
	h[0x207] = 0x02;
	h[0x238] = 0xff;
	h[0x239] = 0x07;
}

static int place(const struct kj_x86_elf_in *in, const struct kj_range *ram,
		 size_t nram, struct kj_plan *plan, const char *what,
		 uint64_t size, uint64_t max, uint64_t *addr,
		 struct kj_err *err)
{
	struct kj_place_req pr = { .what = what,
				   .size = size,
				   .align = KJ_PAGE_SIZE,
				   .min = MIB,
				   .max = max,
				   .top_down = true,
				   .why = "--mem-min/--mem-max" };

	if (!kj_place_clamp(&pr.min, &pr.max, in->req->mem_min,
			    in->req->mem_max))
		return kj_fail(err, ENOSPC,
			       "%s: --mem-min/--mem-max leave no room", what);
	return kj_place(ram, nram, plan, &pr, addr, err);
}

static int add_zero_page(const struct kj_x86_elf_in *in,
			 const struct kj_range *ram, size_t nram,
			 struct kj_plan *plan, uint64_t kaddr, uint64_t iaddr,
			 uint64_t *addr, struct kj_err *err)
{
	uint8_t hdr[HDR_END];
	struct kj_x86_bootparams_in bi = {
		.name = in->req->kernel,
		.image = hdr,
		.image_len = sizeof(hdr),
		.cmdline = in->cmdline ? in->cmdline : "",
		.kernel_addr = kaddr,
		.initrd_addr = in->initrd_len ? iaddr : 0,
		.initrd_size = in->initrd_len,
		.mm = in->mm,
		.panic = in->req->panic,
		.sys = in->sys,
	};
	uint8_t *buf;
	size_t size, len;
	int r;

	fake_setup_header(hdr);
	r = kj_x86_bootparams_size(&bi, &size, err);
	if (r == 0)
		r = place(in, ram, nram, plan, "boot_params", size, BELOW_4G,
			  addr, err);
	if (r == 0)
		r = kj_x86_bootparams_build(&bi, *addr, &buf, &len, err);
	if (r == 0)
		r = kj_plan_add(plan, "boot_params", buf, len, *addr, len, true,
				err);
	return r < 0 ? r : 0;
}

static int build(const struct kj_x86_elf_in *in, const struct kj_range *ram,
		 size_t nram, struct kj_plan *plan, struct kj_err *err)
{
	const struct kj_elf_kernel *k = in->k;
	const char *name = in->req->kernel ? in->req->kernel : "kernel";
	uint64_t bp = 0, purg = 0, iaddr = 0;
	int r;

	if (in->initrd_len && !k->linux_args)
		return kj_fail(err, EINVAL,
			       "%s: an initrd needs --args-linux (the zero "
			       "page says where it is)",
			       name);
	r = kj_plan_add_chunks(plan, in->image, in->image_len, k->elf.chunk,
			       k->elf.nchunk, KJ_PURGATORY_MAX_SEGMENTS - 3,
			       ram, nram, name, err);
	if (r == 0 && in->initrd_len)
		r = place(in, ram, nram, plan, "initrd", in->initrd_len,
			  INITRD_MAX, &iaddr, err);
	if (r == 0 && in->initrd_len)
		r = kj_plan_add(plan, "initrd", in->initrd, in->initrd_len,
				iaddr, in->initrd_len, false, err);
	if (r > 0)
		r = 0;
	if (r == 0 && k->linux_args)
		r = add_zero_page(in, ram, nram, plan, k->elf.chunk[0].paddr,
				  iaddr, &bp, err);
	if (r < 0)
		return r;
	r = kj_x86_purgatory_check(in->purgatory, in->purgatory_len, err);
	if (r == 0)
		r = place(in, ram, nram, plan, "purgatory", in->purgatory_len,
			  PURGATORY_MAX, &purg, err);
	if (r == 0)
		r = kj_x86_plan_add_purgatory(plan, in->purgatory,
					      in->purgatory_len, purg,
					      in->purgatory_len, err);
	if (r < 0)
		return r;
	plan->entry = purg + KJ_PURGATORY_ENTRY_OFFSET;
	plan->regs.valid = true;
	plan->regs.mode = k->long_mode ? KJ_ENTRY_LINUX64 : KJ_ENTRY_PM32;
	plan->regs.entry = k->elf.entry;
	plan->regs.rsi = bp;
	return kj_plan_validate(plan, ram, nram, in->req->mem_min,
				in->req->mem_max, err);
}

int kj_x86_elf_plan(const struct kj_x86_elf_in *in, struct kj_plan *plan,
		    struct kj_err *err)
{
	struct kj_range *ram;
	size_t nram;
	int r;

	kj_plan_init(plan);
	if (!in->req || !in->mm || !in->k)
		return kj_fail(err, EINVAL, "plan: incomplete ELF request");
	ram = calloc(RANGES_MAX, sizeof(*ram));
	if (!ram)
		return kj_fail(err, ENOMEM, "plan: out of memory");
	nram = kj_memmap_usable(in->mm, in->req->panic, ram, RANGES_MAX);
	plan->flags =
		KJ_KEXEC_ARCH_X86_64 | (in->req->panic ? KJ_KEXEC_ON_CRASH : 0);
	plan->cmdline = in->cmdline;
	r = nram ? build(in, ram, nram, plan, err)
		 : kj_fail(err, ENOMEM, "%s: no usable memory in the map",
			   in->req->kernel);
	if (r < 0)
		kj_plan_free(plan);
	free(ram);
	return r;
}

int kj_x86_kexec_load_elf(const struct kj_load_request *req,
			  const uint8_t *image, size_t image_len, int initrd_fd,
			  const char *cmdline, FILE *out, struct kj_err *err)
{
	struct kj_memmap *mm = calloc(1, sizeof(*mm));
	struct kj_elf_kernel *k = calloc(1, sizeof(*k));
	struct kj_x86_sysinfo si;
	struct kj_x86_elf_in in = { 0 };
	struct kj_plan plan;
	int rc;

	kj_plan_init(&plan);
	memset(&si, 0, sizeof(si));
	if (!mm || !k) {
		rc = kj_fail(err, ENOMEM, "out of memory");
		goto out;
	}
	rc = kj_elf_kernel_parse(image, image_len, req->kernel, req->elf_args,
				 k, err);
	if (rc == 0)
		rc = kj_memmap_read(mm, err);
	if (rc == 0 && k->linux_args)
		rc = kj_x86_sysinfo_read(&si, err);
	if (rc == 0)
		rc = kj_map_fd(initrd_fd, "initrd", &in.initrd,
			       &in.initrd_len, err);
	if (rc < 0)
		goto out;
	if (req->verbose)
		fprintf(stderr,
			"kjump: %s: ELF%u, %s entry at 0x%llx%s, via "
			"kexec_load\n",
			req->kernel, k->elf.bits,
			k->long_mode ? "64-bit" : "32-bit protected mode",
			(unsigned long long)k->elf.entry,
			k->linux_args ? ", RSI = boot_params" : "");
	in.req = req;
	in.image = image;
	in.image_len = image_len;
	in.k = k;
	in.cmdline = cmdline;
	in.purgatory = kj_purgatory_x86_64_image(&in.purgatory_len);
	in.mm = mm;
	in.sys = &si;
	rc = kj_x86_elf_plan(&in, &plan, err);
	if (rc < 0)
		goto out;
	rc = kj_x86_finish_plan(req, &plan, out, err);
out:
	kj_plan_free(&plan);
	kj_x86_sysinfo_free(&si);
	kj_unmap(in.initrd, in.initrd_len);
	free(k);
	free(mm);
	return rc;
}
