/* The kexec_load plan for a Multiboot 1 kernel on x86_64.
 *
 * Segments: the image where its header or program headers say (below
 * 1 MiB and unaligned allowed: page-aligned around), the modules in
 * order after the image (page aligned, each its own segment), the
 * Multiboot information block after them, and our purgatory, which
 * enters the kernel in 32-bit protected mode, paging off, with
 * EAX = 0x2BADB002 and EBX = the MBI. Everything below 4 GiB; modules,
 * MBI and purgatory are placed around the image, never over it. */
#ifndef KJ_ARCH_X86_64_MULTIBOOT_PLAN_H
#define KJ_ARCH_X86_64_MULTIBOOT_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "arch/x86_64/memmap.h"
#include "core/err.h"
#include "core/plan.h"
#include "core/request.h"
#include "loaders/multiboot1.h"

struct kj_x86_mb1_module {
	const uint8_t *data; /* must outlive the plan */
	size_t len;
	const char *cmdline; /* "FILE ARGS" */
};

struct kj_x86_mb1_in {
	const struct kj_load_request *req; /* panic, mem_min/max, kernel */
	const uint8_t *image; /* the (decompressed) image; outlives plan */
	size_t image_len;
	const struct kj_mb1 *mb;
	const char *cmdline; /* for the MBI: "PATH ARGS" */
	const struct kj_x86_mb1_module *mods;
	size_t nmods;
	const uint8_t *purgatory; /* the flat blob; copied into the plan */
	size_t purgatory_len;
	const struct kj_memmap *mm;
	const char *loader_name; /* NULL: "kjump " KJ_VERSION */
};

int kj_x86_mb1_plan(const struct kj_x86_mb1_in *in, struct kj_plan *plan,
		    struct kj_err *err);

#endif
