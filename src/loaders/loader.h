/* The loader table: one struct kj_loader per boot protocol, each in its
 * own file in src/loaders/, from probe to plan (Linux's kexec_file_ops
 * in spirit). The table's order is the detection order; --type, inspect,
 * help and the JSON "format" field all come from it.
 *
 * A loader never reads /proc or /sys and never calls a syscall: the load
 * step (src/load/) hands it everything in struct kj_load_input, and it
 * answers with a plan (plain data). The arch adds its purgatory after. */
#ifndef KJ_LOADERS_LOADER_H
#define KJ_LOADERS_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "arch/arch.h"
#include "core/err.h"
#include "core/memmap.h"
#include "core/placement.h"
#include "core/plan.h"
#include "core/report.h"
#include "core/request.h"
#include "core/sysdesc.h"

/* A module (Multiboot): its bytes, unpacked, and its own arguments. */
struct kj_module_in {
	const char *name; /* the path as given */
	const uint8_t *data;
	size_t len;
	const char *args; /* "" when none */
};

struct kj_load_input {
	const char *name;       /* the kernel file, for messages */
	const uint8_t *kernel;  /* unpacked; outlives the plan */
	size_t kernel_len;
	const uint8_t *initrd;  /* every --initrd, concatenated; NULL/0 */
	size_t initrd_len;
	const char *initrd_name; /* its file(s), for messages */
	/* --reuseinitrd on a kernel that keeps its initrd only in memory:
	 * initrd_len bytes already at this address (kept out of the usable
	 * ranges), handed over without a segment; 0 = none. */
	uint64_t initrd_in_place;
	const struct kj_module_in *modules;
	size_t n_modules;
	const uint8_t *dtb;     /* --dtb; NULL = the running system's */
	size_t dtb_len;
	const char *cmdline;    /* the final command line, never NULL */
	const struct kj_load_request *req; /* options: panic, elf_args, ... */
	const struct kj_range *usable; /* where segments may go */
	size_t n_usable;
	const struct kj_memmap *mm;
	const struct kj_sysdesc *sys;
	const uint8_t *elfcore; /* --panic: the ELF core header */
	size_t elfcore_len;
	const uint8_t *rng_seed; /* early entropy for the next kernel */
	size_t rng_seed_len;
};

/* What a protocol takes besides the kernel and its command line; the
 * load step refuses the rest by name rather than ignore it. */
#define KJ_TAKES_INITRD (1u << 0)
#define KJ_TAKES_MODULES (1u << 1)
#define KJ_TAKES_DTB (1u << 2)
#define KJ_TAKES_INITRD_IN_PLACE (1u << 3) /* honours initrd_in_place */

struct kj_loader {
	const char *name;          /* "bzImage": inspect, JSON, messages */
	const char *const *types;  /* every --type spelling, NULL-ended */
	enum kj_arch arch;         /* the build that plans it */
	const char *summary;       /* one line for `kjump help load` */
	unsigned takes;            /* KJ_TAKES_* */
	bool (*probe)(const uint8_t *data, size_t size);
	/* Segments and plan->next; no purgatory (the arch adds it). At most
	 * KJ_PLAN_MAX_SEGMENTS - 1 segments. */
	int (*plan)(const struct kj_load_input *in, struct kj_plan *plan,
		    struct kj_err *err);
	/* Can the kernel's own file loader take this image? 0 if so, else
	 * why not in err. NULL: never (only kexec_load can load it). */
	int (*file_check)(const struct kj_load_input *in,
			  struct kj_err *err);
	/* One line for --dry-run and --verbose ("protocol 2.15, 6.1.0"). */
	void (*describe)(const uint8_t *data, size_t size, char *buf,
			 size_t bufsz);
	/* The header fields `kjump inspect` shows. */
	int (*inspect)(const uint8_t *data, size_t size, const char *name,
		       struct kj_report *out, struct kj_err *err);
};

/* The layout every plan is built in: the input's usable ranges and the
 * request's --mem-min/--mem-max window. */
static inline struct kj_layout kj_input_layout(const struct kj_load_input *in,
					       struct kj_plan *plan)
{
	struct kj_layout l = { .plan = plan,
			       .ram = in->usable,
			       .nram = in->n_usable,
			       .mem_min = in->req->mem_min,
			       .mem_max = in->req->mem_max,
			       .name = in->name };
	return l;
}

/* The Linux loaders' boot data segment (x86 zero page, arm64 device
 * tree): sized and built by the arch for b, placed by pr (its size is
 * filled in here), added as segment pr->what. *addr gets its address. */
int kj_loader_add_linux_boot(const struct kj_layout *l,
			     const struct kj_load_input *in,
			     const struct kj_linux_boot *b,
			     struct kj_place_req *pr, uint64_t *addr,
			     struct kj_err *err);

/* A --type name kexec-tools knows that no loader takes (yet), and why:
 * loaders/unsupported.c. Ends with a NULL name. */
struct kj_unsupported_type {
	const char *name;
	const char *reason;
};

extern const struct kj_unsupported_type kj_unsupported_types[];

/* The loaders in detection order, NULL-terminated. */
extern const struct kj_loader *const kj_loaders[];

/* The first loader whose probe accepts data, or NULL. */
const struct kj_loader *kj_loader_detect(const uint8_t *data, size_t size);

/* The loader a --type name selects (case-insensitive); NULL with err
 * giving the reason for a name kexec-tools knows (kj_unsupported_types),
 * else listing the names. */
const struct kj_loader *kj_loader_by_type(const char *type,
					  struct kj_err *err);

/* "bzImage, multiboot, elf, ...": every loader's first --type name. */
void kj_loader_type_list(char *buf, size_t bufsz);

#endif
