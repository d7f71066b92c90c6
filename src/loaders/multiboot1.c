/* Multiboot 1 (the Multiboot Specification 0.6.96), from probe to plan:
 * the header, the image layout (a.out kludge or ELF program headers),
 * the information block and the kexec_load plan. */
#include "loaders/multiboot1.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/le.h"
#include "core/placement.h"
#include "loaders/addr_fields.h"
#include "loaders/loader.h"
#include "loaders/multiboot_layout.h"

#define FAR_SEARCH (64 * 1024) /* look this far only to explain a miss */
#define FOUR_G (1ull << 32)
#define MIB (1ull << 20)
#define BELOW_4G 0xffffffffull
#define LOW_MAX 0xa0000ull

static bool valid_at(const uint8_t *data, size_t off)
{
	return kj_le32(data + off) == KJ_MB1_HEADER_MAGIC &&
	       (uint32_t)(kj_le32(data + off) + kj_le32(data + off + 4) +
			  kj_le32(data + off + 8)) == 0;
}

/* First valid header in [0, limit), or -1; *bad gets the first magic
 * with a wrong checksum (or -1). */
static long search(const uint8_t *data, size_t size, size_t limit, long *bad)
{
	if (limit > size)
		limit = size;
	*bad = -1;
	for (size_t off = 0; off + 12 <= limit; off += 4) {
		if (kj_le32(data + off) != KJ_MB1_HEADER_MAGIC)
			continue;
		if (valid_at(data, off))
			return (long)off;
		if (*bad < 0)
			*bad = (long)off;
	}
	return -1;
}

bool kj_mb1_probe(const uint8_t *data, size_t size)
{
	long bad;

	return search(data, size, KJ_MB1_SEARCH, &bad) >= 0 || bad >= 0;
}

static int no_header(const uint8_t *data, size_t size, const char *name,
		     long bad, struct kj_err *err)
{
	long far_bad, far = search(data, size, FAR_SEARCH, &far_bad);

	if (bad >= 0)
		return kj_fail(err, ENOEXEC,
			       "%s: Multiboot header at offset 0x%lx has a bad "
			       "checksum",
			       name, bad);
	if (far >= 0)
		return kj_fail(err, ENOEXEC,
			       "%s: Multiboot header at offset 0x%lx is past "
			       "the first 8 KiB",
			       name, far);
	return kj_fail(err, ENOEXEC,
		       "%s: no Multiboot header in the first 8 KiB", name);
}

static int check_flags(struct kj_mb1 *mb, const char *name, struct kj_err *err)
{
	uint32_t unknown = mb->flags & 0xffffu & ~KJ_MB1_SUPPORTED;

	if (unknown)
		return kj_fail(err, ENOTSUP,
			       "%s: Multiboot header requires flag bit %d "
			       "(flags 0x%08x), which kjump does not support",
			       name, __builtin_ctz(unknown), mb->flags);
	mb->video_ignored = mb->flags & KJ_MB1_VIDEO_MODE;
	return 0;
}

/* The a.out kludge: the header says which part of the file goes where.
 * header_addr is where the header itself lands, which fixes the file
 * offset of load_addr. */
static int layout_aout(const uint8_t *data, size_t size, const char *name,
		       struct kj_mb1 *mb, struct kj_err *err)
{
	const uint8_t *h = data + mb->header_offset;
	struct kj_addr_fields f;
	int r;

	if (size - mb->header_offset < 32)
		return kj_fail(err, EINVAL,
			       "%s: Multiboot a.out fields cut off by the end "
			       "of the file",
			       name);
	mb->aout = true;
	mb->header_addr = f.header_addr = kj_le32(h + 12);
	mb->load_addr = f.load_addr = kj_le32(h + 16);
	mb->load_end_addr = f.load_end_addr = kj_le32(h + 20);
	mb->bss_end_addr = f.bss_end_addr = kj_le32(h + 24);
	mb->entry_addr = f.entry_addr = kj_le32(h + 28);
	r = kj_addr_fields_layout(size, mb->header_offset, &f, "Multiboot",
				  name, &mb->image.chunk[0], err);
	if (r < 0)
		return r;
	mb->image.entry = mb->entry_addr;
	mb->image.nchunk = 1;
	return 0;
}

static int layout_elf(const uint8_t *data, size_t size, const char *name,
		      struct kj_mb1 *mb, struct kj_err *err)
{
	if (!kj_elf_probe(data, size))
		return kj_fail(err, ENOEXEC,
			       "%s: Multiboot image is neither ELF nor uses "
			       "the a.out kludge (flag 16)",
			       name);
	return kj_mb_elf_layout(data, size, "Multiboot", name, false,
				&mb->image, err);
}

int kj_mb1_parse(const uint8_t *data, size_t size, const char *name,
		 struct kj_mb1 *mb, struct kj_err *err)
{
	long bad, off;
	int r;

	memset(mb, 0, sizeof(*mb));
	off = search(data, size, KJ_MB1_SEARCH, &bad);
	if (off < 0)
		return no_header(data, size, name, bad, err);
	mb->header_offset = (size_t)off;
	mb->flags = kj_le32(data + off + 4);
	r = check_flags(mb, name, err);
	if (r < 0)
		return r;
	if (mb->flags & KJ_MB1_AOUT_KLUDGE)
		r = layout_aout(data, size, name, mb, err);
	else
		r = layout_elf(data, size, name, mb, err);
	if (r < 0)
		return r;
	kj_mb_image_extent(&mb->image);
	return 0;
}

/* ---- the information block ---- */

static int check_in(const struct kj_mb1_mbi_in *in, struct kj_err *err)
{
	if (in->nmods > KJ_MB1_MAX_MODULES)
		return kj_fail(err, E2BIG,
			       "Multiboot: %zu modules (at most %d)", in->nmods,
			       KJ_MB1_MAX_MODULES);
	if (in->nmap > KJ_MB1_MAX_MMAP)
		return kj_fail(err, E2BIG,
			       "Multiboot: %zu memory map entries (at most %d)",
			       in->nmap, KJ_MB1_MAX_MMAP);
	for (size_t i = 0; i < in->nmods; i++)
		if (in->mods[i].start + in->mods[i].size > FOUR_G)
			return kj_fail(err, EINVAL,
				       "Multiboot: module %zu ends above 4 GiB",
				       i);
	return 0;
}

static size_t strings_size(const struct kj_mb1_mbi_in *in)
{
	size_t n = strlen(in->cmdline ? in->cmdline : "") + 1;

	for (size_t i = 0; i < in->nmods; i++)
		n += strlen(in->mods[i].cmdline ? in->mods[i].cmdline : "") + 1;
	return n + strlen(in->loader_name ? in->loader_name : "") + 1;
}

int kj_mb1_mbi_size(const struct kj_mb1_mbi_in *in, size_t *size,
		    struct kj_err *err)
{
	int r = check_in(in, err);

	if (r < 0)
		return r;
	*size = KJ_MBI_STRUCT_SIZE + 4 + in->nmods * KJ_MBI_MOD_SIZE +
		in->nmap * KJ_MBI_MMAP_ENTRY_SIZE + strings_size(in);
	return 0;
}

/* Copy s to buf+*pos; return its physical address. */
static uint32_t put_str(uint8_t *buf, size_t *pos, uint64_t addr, const char *s)
{
	size_t len = strlen(s ? s : "") + 1;
	uint32_t at = (uint32_t)(addr + *pos);

	memcpy(buf + *pos, s ? s : "", len);
	*pos += len;
	return at;
}

int kj_mb1_mbi_build(const struct kj_mb1_mbi_in *in, uint64_t addr,
		     uint8_t **out, size_t *len, struct kj_err *err)
{
	size_t size, pos, mods_at, mmap_at;
	uint32_t lower, upper, flags;
	uint8_t *buf;
	int r;

	r = kj_mb1_mbi_size(in, &size, err);
	if (r < 0)
		return r;
	if (addr + size > FOUR_G)
		return kj_fail(
			err, EINVAL,
			"Multiboot: information block must lie below 4 GiB");
	buf = calloc(1, size);
	if (!buf)
		return kj_fail(err, ENOMEM, "Multiboot: out of memory");
	/* 4-aligned tables after the structure, strings last. */
	mods_at = KJ_MBI_STRUCT_SIZE + 4;
	mmap_at = mods_at + in->nmods * KJ_MBI_MOD_SIZE;
	pos = mmap_at + in->nmap * KJ_MBI_MMAP_ENTRY_SIZE;

	flags = KJ_MBI_MEMORY | KJ_MBI_CMDLINE | KJ_MBI_MODS |
		KJ_MBI_LOADER_NAME | (in->nmap ? KJ_MBI_MMAP : 0);
	kj_mb_mem_info(in->map, in->nmap, &lower, &upper);
	kj_put_le32(buf + 0, flags);
	kj_put_le32(buf + 4, lower);
	kj_put_le32(buf + 8, upper);
	kj_put_le32(buf + 16, put_str(buf, &pos, addr, in->cmdline));
	kj_put_le32(buf + 20, (uint32_t)in->nmods);
	kj_put_le32(buf + 24, (uint32_t)(addr + mods_at));
	for (size_t i = 0; i < in->nmods; i++) {
		uint8_t *m = buf + mods_at + i * KJ_MBI_MOD_SIZE;

		kj_put_le32(m, (uint32_t)in->mods[i].start);
		kj_put_le32(m + 4,
			    (uint32_t)(in->mods[i].start + in->mods[i].size));
		kj_put_le32(m + 8,
			    put_str(buf, &pos, addr, in->mods[i].cmdline));
	}
	if (in->nmap) {
		kj_put_le32(buf + 44,
			    (uint32_t)(in->nmap * KJ_MBI_MMAP_ENTRY_SIZE));
		kj_put_le32(buf + 48, (uint32_t)(addr + mmap_at));
	}
	for (size_t i = 0; i < in->nmap; i++) {
		uint8_t *e = buf + mmap_at + i * KJ_MBI_MMAP_ENTRY_SIZE;

		kj_put_le32(e, KJ_MBI_MMAP_ENTRY_SIZE - 4);
		kj_put_le64(e + 4, in->map[i].start);
		kj_put_le64(e + 12, in->map[i].end - in->map[i].start);
		kj_put_le32(e + 20, kj_memmap_firmware_type(in->map[i].type));
	}
	kj_put_le32(buf + 64, put_str(buf, &pos, addr, in->loader_name));
	*out = buf;
	*len = size;
	return 0;
}

/* ---- kexec_load plan ----
 *
 * Segments: the image where its header or program headers say (below
 * 1 MiB and unaligned allowed: page-aligned around), the modules in
 * order after the image (page aligned, each its own segment), then the
 * MBI. The purgatory (added by the arch) enters the kernel in 32-bit
 * protected mode, paging off, with EAX = 0x2BADB002 and EBX = the MBI.
 * Everything below 4 GiB; modules and MBI never over the image. */

static uint64_t round_page(uint64_t v)
{
	return (v + KJ_PAGE_SIZE - 1) & ~(KJ_PAGE_SIZE - 1);
}

static const char *const why_4g =
	"Multiboot keeps everything below 4 GiB, --mem-min/--mem-max";

static const struct kj_mb_module_rules module_rules = {
	.cmdline_max = KJ_MB1_CMDLINE_MAX,
	.why = why_4g,
};

static int add_mbi(const struct kj_layout *l, const struct kj_load_input *in,
		   const struct kj_mb_module *mods, uint64_t min,
		   uint64_t *addr, struct kj_err *err)
{
	struct kj_memmap_entry *map = calloc(KJ_MEMMAP_RANGES_MAX,
					     sizeof(*map));
	struct kj_place_req pr = { .what = "multiboot info",
				   .min = min,
				   .max = BELOW_4G,
				   .why = why_4g };
	char name[64];
	struct kj_mb1_mbi_in mi = { .cmdline = l->plan->cmdline,
				    .mods = mods,
				    .nmods = in->n_modules,
				    .loader_name = name };
	uint8_t *buf = NULL;
	size_t len;
	int r;

	if (!map)
		return kj_fail(err, ENOMEM, "out of memory");
	snprintf(name, sizeof(name), "kjump %s", KJ_VERSION);
	mi.map = map;
	mi.nmap = kj_memmap_view(in->mm, in->req->panic, LOW_MAX, map,
				 KJ_MEMMAP_RANGES_MAX);
	r = kj_mb1_mbi_size(&mi, &pr.size, err);
	if (r == 0)
		r = kj_layout_place(l, &pr, addr, err);
	if (r == 0)
		r = kj_mb1_mbi_build(&mi, *addr, &buf, &len, err);
	if (r == 0)
		r = kj_plan_add(l->plan, "multiboot info", buf, len, *addr, len,
				true, err);
	free(map);
	return r < 0 ? r : 0;
}

static int mb1_plan(const struct kj_load_input *in, struct kj_plan *plan,
		    struct kj_err *err)
{
	const struct kj_layout l = kj_input_layout(in, plan);
	struct kj_mb_module mods[KJ_MB1_MAX_MODULES];
	char *lines[KJ_MB1_MAX_MODULES] = { 0 };
	struct kj_mb1 *mb = malloc(sizeof(*mb));
	uint64_t next, mbi = 0;
	size_t budget;
	int r;

	if (!mb)
		return kj_fail(err, ENOMEM, "out of memory");
	r = kj_mb1_parse(in->kernel, in->kernel_len, in->name, mb, err);
	if (r < 0)
		goto out;
	r = kj_mb_check_module_count(in, KJ_MB1_MAX_MODULES, err);
	if (r < 0)
		goto out;
	budget = KJ_PLAN_MAX_SEGMENTS - 2 - in->n_modules;
	r = kj_mb_kernel_cmdline(in, plan, KJ_MB1_CMDLINE_MAX, err);
	if (r < 0)
		goto out;
	r = kj_plan_add_chunks(plan, in->kernel, in->kernel_len,
			       mb->image.chunk, mb->image.nchunk, budget,
			       in->usable, in->n_usable, in->name, err);
	if (r < 0)
		goto out;
	next = round_page(mb->image.end);
	if (next < MIB)
		next = MIB;
	r = kj_mb_add_modules(&l, in, &module_rules, mods, lines, &next, err);
	if (r == 0)
		r = add_mbi(&l, in, mods, next, &mbi, err);
	if (r < 0)
		goto out;
	if (mb->video_ignored)
		snprintf(plan->note, sizeof(plan->note),
			 "asks for a video mode (flag 2): none is set, no video "
			 "information passed");
	plan->next.mode = KJ_MODE_X86_PM32;
	plan->next.pc = mb->image.entry;
	plan->next.reg[0] = KJ_MB1_BOOT_MAGIC;
	plan->next.reg[1] = mbi;
out:
	for (size_t i = 0; i < KJ_MB1_MAX_MODULES; i++)
		free(lines[i]);
	free(mb);
	return r;
}

static const char *layout_name(const struct kj_mb1 *mb)
{
	return mb->aout			  ? "a.out"
	       : mb->image.elf_bits == 64 ? "elf64"
					  : "elf32";
}

static void mb1_describe(const uint8_t *data, size_t size, char *buf,
			 size_t bufsz)
{
	struct kj_mb1 mb;

	if (kj_mb1_parse(data, size, "", &mb, NULL) == 0)
		snprintf(buf, bufsz, "%s, entry 0x%x", layout_name(&mb),
			 mb.image.entry);
	else
		snprintf(buf, bufsz, "unparsable header");
}

static int mb1_inspect(const uint8_t *data, size_t size, const char *name,
		       struct kj_report *r, struct kj_err *err)
{
	struct kj_mb1 mb;
	int rc = kj_mb1_parse(data, size, name, &mb, err);

	if (rc < 0)
		return rc;
	kj_report_hex(r, "header_offset", mb.header_offset);
	kj_report_hex(r, "header_flags", mb.flags);
	kj_report_str(r, "layout", layout_name(&mb));
	kj_mb_image_report(r, &mb.image);
	return 0;
}

static const char *const mb1_types[] = { "multiboot", "multiboot1",
					 "multiboot-x86", NULL };

const struct kj_loader kj_loader_multiboot1 = {
	.name = "multiboot",
	.types = mb1_types,
	.arch = KJ_ARCH_X86_64,
	.summary = "Multiboot 1 kernel (Xen, GNU Mach, Fiwix, ...), --module",
	.takes = KJ_TAKES_MODULES,
	.probe = kj_mb1_probe,
	.plan = mb1_plan,
	.describe = mb1_describe,
	.inspect = mb1_inspect,
};
