#include "loaders/multiboot1_mbi.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define MIB (1ull << 20)
#define LOW_MAX 0xa0000ull
#define FOUR_G (1ull << 32)

static void wr32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void wr64(uint8_t *p, uint64_t v)
{
	wr32(p, (uint32_t)v);
	wr32(p + 4, (uint32_t)(v >> 32));
}

/* End of the RAM run that contains addr (adjacent entries merged), or
 * addr itself when addr is not in RAM. */
static uint64_t ram_run_end(const struct kj_e820_entry *map, size_t n,
			    uint64_t addr)
{
	uint64_t end = addr;
	bool grew = true;

	while (grew) {
		grew = false;
		for (size_t i = 0; i < n; i++) {
			const struct kj_e820_entry *e = &map[i];

			if (e->type == KJ_E820_RAM && e->addr <= end &&
			    e->addr + e->size > end) {
				end = e->addr + e->size;
				grew = true;
			}
		}
	}
	return end;
}

void kj_mb1_mem_info(const struct kj_e820_entry *map, size_t n, uint32_t *lower,
		     uint32_t *upper)
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
	kj_mb1_mem_info(in->map, in->nmap, &lower, &upper);
	wr32(buf + 0, flags);
	wr32(buf + 4, lower);
	wr32(buf + 8, upper);
	wr32(buf + 16, put_str(buf, &pos, addr, in->cmdline));
	wr32(buf + 20, (uint32_t)in->nmods);
	wr32(buf + 24, (uint32_t)(addr + mods_at));
	for (size_t i = 0; i < in->nmods; i++) {
		uint8_t *m = buf + mods_at + i * KJ_MBI_MOD_SIZE;

		wr32(m, (uint32_t)in->mods[i].start);
		wr32(m + 4, (uint32_t)(in->mods[i].start + in->mods[i].size));
		wr32(m + 8, put_str(buf, &pos, addr, in->mods[i].cmdline));
	}
	if (in->nmap) {
		wr32(buf + 44, (uint32_t)(in->nmap * KJ_MBI_MMAP_ENTRY_SIZE));
		wr32(buf + 48, (uint32_t)(addr + mmap_at));
	}
	for (size_t i = 0; i < in->nmap; i++) {
		uint8_t *e = buf + mmap_at + i * KJ_MBI_MMAP_ENTRY_SIZE;

		wr32(e, KJ_MBI_MMAP_ENTRY_SIZE - 4);
		wr64(e + 4, in->map[i].addr);
		wr64(e + 12, in->map[i].size);
		wr32(e + 20, in->map[i].type);
	}
	wr32(buf + 64, put_str(buf, &pos, addr, in->loader_name));
	*out = buf;
	*len = size;
	return 0;
}
