#include "load/option_rules.h"

#include <errno.h>

const char *kj_option_needs_kexec_load(const struct kj_load_request *req)
{
	if (req->mem_min)
		return "--mem-min";
	if (req->mem_max)
		return "--mem-max";
	if (req->dtb)
		return "--dtb (kexec_file_load builds its own tree)";
	if (req->console_serial)
		return "--console-serial (the kernel's own purgatory runs)";
	if (req->console_vga)
		return "--console-vga (the kernel's own purgatory runs)";
	if (req->reset_vga)
		return "--reset-vga (the kernel's own purgatory runs)";
	if (req->entry_32bit)
		return "--entry-32bit (the kernel's loader enters at 64 bits)";
	if (req->noefi)
		return "--noefi (the kernel's loader passes EFI on itself)";
	if (req->elf32_core)
		return "--elf32-core-headers (the kernel builds an ELF64 one)";
	if (req->pass_memmap_cmdline)
		return "--pass-memmap-cmdline";
	if (req->preserve_context)
		return "--load-preserve-context";
	if (req->hardboot)
		return "--load-hardboot";
	if (req->entry)
		return "--entry";
	return NULL;
}

const char *kj_option_needs_file_load(const struct kj_load_request *req,
				      bool *fallback_ok)
{
	/* The running device tree is handed on only by the kernel's file
	 * loader; without it the next kernel would go without. CMA is only
	 * where that loader may place an image: kexec_load's copies never
	 * are. */
	*fallback_ok = !req->force_dtb;
	if (req->force_dtb)
		return "--force-dtb";
	if (req->no_cma)
		return "--no-cma";
	return NULL;
}

static int crash_only(const char *opt, struct kj_err *err)
{
	return kj_fail(err, EINVAL,
		       "%s applies to a crash kernel (kexec -p, kjump load "
		       "--panic)",
		       opt);
}

int kj_load_options_check(const struct kj_load_request *req, struct kj_err *err)
{
	if (!req->panic) {
		if (req->hotplug)
			return crash_only("--hotplug", err);
		if (req->pass_memmap_cmdline)
			return crash_only("--pass-memmap-cmdline", err);
		if (req->elf32_core)
			return crash_only("--elf32-core-headers", err);
	}
	if (req->preserve_context && !req->mem_max)
		return kj_fail(err, EINVAL,
			       "--load-preserve-context: give --mem-max, the "
			       "end of the memory the kernel may use (its "
			       "contents are saved and restored around the "
			       "jump)");
	if (req->preserve_context && req->panic)
		return kj_fail(err, EINVAL,
			       "--load-preserve-context and a crash kernel "
			       "exclude each other");
	return 0;
}
