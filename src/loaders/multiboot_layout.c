/* Image layout, placement and memory information both Multiboot
 * loaders share; see multiboot_layout.h. */
#include "loaders/multiboot_layout.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/cmdline.h"
#include "loaders/loader.h"

#define FOUR_G (1ull << 32)
#define MIB (1ull << 20)
#define BELOW_4G 0xffffffffull
#define LOW_MAX 0xa0000ull

static uint64_t round_page(uint64_t v)
{
	return (v + KJ_PAGE_SIZE - 1) & ~(KJ_PAGE_SIZE - 1);
}

int kj_mb_elf_layout(const uint8_t *data, size_t size, const char *proto,
		     const char *name, bool entry_given,
		     struct kj_mb_image *img, struct kj_err *err)
{
	struct kj_elf_info elf;
	int r = kj_elf_parse(data, size, name, &elf, err);

	if (r < 0)
		return r;
	for (size_t i = 0; i < elf.nchunk; i++)
		if (elf.chunk[i].paddr + elf.chunk[i].memsz > FOUR_G)
			return kj_fail(err, EINVAL,
				       "%s: segment at 0x%" PRIx64
				       " ends above 4 GiB (%s runs in 32-bit "
				       "mode)",
				       name, elf.chunk[i].paddr, proto);
	if (!entry_given && elf.entry >= FOUR_G)
		return kj_fail(err, EINVAL,
			       "%s: entry point 0x%" PRIx64 " is above 4 GiB",
			       name, elf.entry);
	if (!entry_given)
		img->entry = (uint32_t)elf.entry;
	img->elf_bits = elf.bits;
	memcpy(img->chunk, elf.chunk, elf.nchunk * sizeof(elf.chunk[0]));
	img->nchunk = elf.nchunk;
	return 0;
}

void kj_mb_image_extent(struct kj_mb_image *img)
{
	img->lowest = img->chunk[0].paddr;
	img->end = 0;
	for (size_t i = 0; i < img->nchunk; i++)
		if (img->chunk[i].paddr + img->chunk[i].memsz > img->end)
			img->end = img->chunk[i].paddr + img->chunk[i].memsz;
}

void kj_mb_image_report(struct kj_report *r, const struct kj_mb_image *img)
{
	if (img->elf_bits == 64)
		kj_report_note(r, "entered in 32-bit mode");
	kj_report_hex(r, "entry", img->entry);
	kj_report_hex(r, "load_start", img->lowest);
	kj_report_hex(r, "load_end", img->end);
}

int kj_mb_add_modules(const struct kj_layout *l, const struct kj_load_input *in,
		      const struct kj_mb_module_rules *rules,
		      struct kj_mb_module *mods, char **lines, uint64_t *next,
		      struct kj_err *err)
{
	for (size_t i = 0; i < in->n_modules; i++) {
		const struct kj_module_in *m = &in->modules[i];
		struct kj_place_req pr = { .file = m->name,
					   .size = m->len ? m->len : 1,
					   .min = *next,
					   .max = BELOW_4G,
					   .why = rules->why };
		char what[32];
		uint64_t addr;
		int r;

		snprintf(what, sizeof(what), "module %zu", i);
		pr.what = what;
		lines[i] = kj_cmdline_with_path(m->name, m->args);
		if (!lines[i])
			return kj_fail(err, ENOMEM, "out of memory");
		if (strlen(lines[i]) > rules->cmdline_max)
			return kj_fail(err, E2BIG,
				       "%s: module command line is %zu bytes, "
				       "at most %zu",
				       m->name, strlen(lines[i]),
				       rules->cmdline_max);
		/* Page aligned (placement's least alignment): Multiboot 1's
		 * flag 0 and Multiboot 2's module alignment tag are honoured
		 * whether asked or not, as GRUB does. */
		r = kj_layout_add(l, &pr, m->data, m->len, false, &addr, err);
		if (r == -ENOSPC && i == 0 && pr.min > MIB &&
		    rules->first_retry_from_1mib) {
			pr.min = MIB;
			r = kj_layout_add(l, &pr, m->data, m->len, false, &addr,
					  err);
		}
		if (r < 0)
			return r;
		mods[i].start = addr;
		mods[i].size = m->len;
		mods[i].cmdline = lines[i];
		*next = addr + round_page(pr.size);
	}
	return 0;
}

int kj_mb_kernel_cmdline(const struct kj_load_input *in, struct kj_plan *plan,
			 size_t cmdline_max, struct kj_err *err)
{
	plan->cmdline = plan->cmdline_owned =
		kj_cmdline_with_path(in->name, in->cmdline);
	if (!plan->cmdline)
		return kj_fail(err, ENOMEM, "out of memory");
	if (strlen(plan->cmdline) > cmdline_max)
		return kj_fail(
			err, E2BIG,
			"%s: command line is %zu bytes, Multiboot kernels "
			"take at most %zu here",
			in->name, strlen(plan->cmdline), cmdline_max);
	return 0;
}

int kj_mb_check_module_count(const struct kj_load_input *in, size_t max_modules,
			     struct kj_err *err)
{
	if (in->n_modules + 3 > KJ_PLAN_MAX_SEGMENTS ||
	    in->n_modules > max_modules)
		return kj_fail(
			err, E2BIG,
			"%s: %zu modules leave no segment for the kernel "
			"(at most %d modules)",
			in->name, in->n_modules, KJ_PLAN_MAX_SEGMENTS - 3);
	return 0;
}

/* End of the RAM run that contains addr (adjacent entries merged), or
 * addr itself when addr is not in RAM. */
static uint64_t ram_run_end(const struct kj_memmap_entry *map, size_t n,
			    uint64_t addr)
{
	uint64_t end = addr;
	bool grew = true;

	while (grew) {
		grew = false;
		for (size_t i = 0; i < n; i++)
			if (map[i].type == KJ_MEM_RAM && map[i].start <= end &&
			    map[i].end > end) {
				end = map[i].end;
				grew = true;
			}
	}
	return end;
}

void kj_mb_mem_info(const struct kj_memmap_entry *map, size_t n,
		    uint32_t *lower, uint32_t *upper)
{
	uint64_t low = ram_run_end(map, n, 0);
	uint64_t up = ram_run_end(map, n, MIB) - MIB;

	if (low > LOW_MAX)
		low = LOW_MAX;
	if (up > FOUR_G - MIB)
		up = FOUR_G - MIB;
	*lower = (uint32_t)(low / 1024);
	*upper = (uint32_t)(up / 1024);
}
