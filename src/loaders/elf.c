/* Plain ELF kernels (no Multiboot header), from probe to plan: the
 * program headers at their physical addresses, and for --args-linux the
 * zero page a vmlinux reads (from the arch, with a stand-in setup
 * header). Only kexec_load can load them. */
#include "loaders/elf.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/placement.h"
#include "loaders/loader.h"

#define FOUR_G (1ull << 32)
#define MIB (1ull << 20)
#define BELOW_4G 0xffffffffull
#define INITRD_MAX 0x7fffffffull /* what old setup headers promise */

int kj_elf_kernel_parse(const uint8_t *data, size_t size, const char *name,
			enum kj_elf_args args, struct kj_elf_kernel *k,
			struct kj_err *err)
{
	const struct kj_elf_info *e = &k->elf;
	int r;

	memset(k, 0, sizeof(*k));
	r = kj_elf_parse(data, size, name, &k->elf, err);
	if (r < 0)
		return r;
	if (e->bits == 64 && e->machine != KJ_ELF_MACHINE_X86_64)
		return kj_fail(err, ENOEXEC,
			       "%s: ELF64 for machine %u, not x86_64", name,
			       e->machine);
	if (e->bits == 32 && e->machine != KJ_ELF_MACHINE_386)
		return kj_fail(err, ENOEXEC,
			       "%s: ELF32 for machine %u, not i386", name,
			       e->machine);
	k->long_mode = e->bits == 64;
	if (!k->long_mode) {
		if (args == KJ_ELF_ARGS_LINUX)
			return kj_fail(err, ENOTSUP,
				       "%s: --args-linux is for 64-bit ELF "
				       "kernels; a 32-bit one gets --args-none",
				       name);
		for (size_t i = 0; i < e->nchunk; i++)
			if (e->chunk[i].paddr + e->chunk[i].memsz > FOUR_G)
				return kj_fail(err, EINVAL,
					       "%s: 32-bit kernel segment at "
					       "0x%" PRIx64 " ends above 4 GiB",
					       name, e->chunk[i].paddr);
		if (e->entry >= FOUR_G)
			return kj_fail(err, EINVAL,
				       "%s: 32-bit entry point 0x%" PRIx64
				       " is above 4 GiB",
				       name, e->entry);
	}
	k->linux_args = k->long_mode && args != KJ_ELF_ARGS_NONE;
	return 0;
}

/* ---- kexec_load plan ---- */

static int add_zero_page(const struct kj_layout *l,
			 const struct kj_load_input *in, uint64_t kaddr,
			 uint64_t iaddr, uint64_t *addr, struct kj_err *err)
{
	struct kj_linux_boot b = {
		.name = in->name,
		.cmdline = in->cmdline,
		.kernel_addr = kaddr,
		.initrd_addr = in->initrd_len ? iaddr : 0,
		.initrd_size = in->initrd_len,
		.panic = in->req->panic,
		.mm = in->mm,
	};
	struct kj_place_req pr = { .what = "boot_params",
				   .min = MIB,
				   .max = BELOW_4G,
				   .top_down = true,
				   .why = "--mem-min/--mem-max" };

	return kj_loader_add_linux_boot(l, in, &b, &pr, addr, err);
}

static int elf_plan(const struct kj_load_input *in, struct kj_plan *plan,
		    struct kj_err *err)
{
	const struct kj_layout l = kj_input_layout(in, plan);
	struct kj_place_req pr = { .what = "initrd",
				   .file = in->initrd_name,
				   .size = in->initrd_len,
				   .min = MIB,
				   .max = INITRD_MAX,
				   .top_down = true,
				   .why = "--mem-min/--mem-max" };
	struct kj_elf_kernel *k = malloc(sizeof(*k));
	uint64_t bp = 0, iaddr = 0;
	int r;

	if (!k)
		return kj_fail(err, ENOMEM, "out of memory");
	r = kj_elf_kernel_parse(in->kernel, in->kernel_len, in->name,
				in->req->elf_args, k, err);
	if (r == 0 && in->initrd_len && !k->linux_args)
		r = kj_fail(err, EINVAL,
			    "%s: an initrd needs --args-linux (the zero page "
			    "says where it is)",
			    in->name);
	/* Leave room for the zero page, the initrd and the purgatory. */
	if (r == 0)
		r = kj_plan_add_chunks(plan, in->kernel, in->kernel_len,
				       k->elf.chunk, k->elf.nchunk,
				       KJ_PLAN_MAX_SEGMENTS - 3, in->usable,
				       in->n_usable, in->name, err);
	if (r == 0 && in->initrd_len)
		r = kj_layout_add(&l, &pr, in->initrd, in->initrd_len, false,
				  &iaddr, err);
	if (r == 0 && k->linux_args)
		r = add_zero_page(&l, in, k->elf.chunk[0].paddr, iaddr, &bp,
				  err);
	if (r == 0) {
		plan->cmdline = in->cmdline;
		plan->next.mode = k->long_mode ? KJ_MODE_X86_LINUX64
					       : KJ_MODE_X86_PM32;
		plan->next.pc = k->elf.entry;
		plan->next.reg[0] = bp;
	}
	free(k);
	return r < 0 ? r : 0;
}

static void elf_describe(const uint8_t *data, size_t size, char *buf,
			 size_t bufsz)
{
	struct kj_elf_info e;

	if (kj_elf_parse(data, size, "", &e, NULL) == 0)
		snprintf(buf, bufsz, "ELF%u, machine %u, entry 0x%" PRIx64,
			 e.bits, e.machine, e.entry);
	else
		snprintf(buf, bufsz, "unparsable ELF");
}

static int elf_inspect(const uint8_t *data, size_t size, const char *name,
		       struct kj_report *r, struct kj_err *err)
{
	struct kj_elf_info e;
	int rc = kj_elf_parse(data, size, name, &e, err);

	if (rc < 0)
		return rc;
	kj_report_uint(r, "class", e.bits);
	kj_report_uint(r, "machine", e.machine);
	kj_report_hex(r, "entry", e.entry);
	kj_report_note(r, "physical");
	kj_report_list_begin(r, "segments");
	for (size_t i = 0; i < e.nchunk; i++) {
		kj_report_item_begin(r);
		kj_report_hex(r, "paddr", e.chunk[i].paddr);
		kj_report_hex(r, "memsz", e.chunk[i].memsz);
		kj_report_hex(r, "filesz", e.chunk[i].filesz);
		kj_report_item_end(r);
	}
	kj_report_list_end(r);
	return 0;
}

static bool elf_probe(const uint8_t *data, size_t size)
{
	return kj_elf_probe(data, size) != 0;
}

static const char *const elf_types[] = { "elf", "elf-x86", "elf-x86_64",
					 "elf32", "elf64", "elf32-x86",
					 "elf64-x86_64", NULL };

const struct kj_loader kj_loader_elf = {
	.name = "ELF",
	.types = elf_types,
	.arch = KJ_ARCH_X86_64,
	.summary = "ELF kernel (a vmlinux with --args-linux, or --args-none)",
	.takes = KJ_TAKES_INITRD,
	.probe = elf_probe,
	.plan = elf_plan,
	.describe = elf_describe,
	.inspect = elf_inspect,
};
