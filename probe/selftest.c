/* Self-test build of the probe (build/probe/probe-selftest.elf): after
 * the real report, print reports over Multiboot information built to be
 * hostile, so the VM tests can check every guard of probe.c with QEMU's
 * ordinary loader. The order of the cases is part of the test. */

#include <stdint.h>

#include "probe.h"

#define MB_BOOT_MAGIC 0x2BADB002u
#define NMODS 256
#define NMMAP 300

/* A 24-byte memory map entry: size (20), base, length, type. */
struct mmap_entry {
	uint32_t size;
	uint32_t base_lo, base_hi, len_lo, len_hi;
	uint32_t type;
} __attribute__((packed));

static uint32_t mbi[32];
static uint32_t mods[NMODS][4];
static struct mmap_entry mmap[NMMAP + 1];
static char long_str[5000];
static const char quoted[] = "a\"b\\c\nd\xff";
static const char empty[] = "";

static uint32_t addr(const void *p)
{
	return (uint32_t)(uintptr_t)p;
}

static void clear(void)
{
	uint8_t *p = (uint8_t *)mbi;

	for (unsigned int i = 0; i < sizeof(mbi); i++)
		p[i] = 0;
}

static void entry(struct mmap_entry *e, uint32_t size, uint32_t base)
{
	e->size = size;
	e->base_lo = base;
	e->base_hi = 0;
	e->len_lo = 0x1000;
	e->len_hi = 0;
	e->type = 1;
}

static void run(const struct probe_boot *real, uint32_t magic)
{
	struct probe_boot b = *real;

	b.eax = magic;
	b.ebx = addr(mbi);
	probe_report(&b);
}

void probe_selftest(void)
{
	const struct probe_boot *real = &probe_boot;

	/* 1: the header's magic instead of the loader's; EBX unread. */
	clear();
	run(real, 0x1BADB002u);

	/* 2: every flag, both symbol tables, too many modules, a string
	 * without its NUL, a bad module, a memory map entry too small and
	 * a string running into the top of the address space. */
	clear();
	for (unsigned int i = 0; i < sizeof(long_str); i++)
		long_str[i] = (char)("x\"\\\n\x80"[i % 5]);
	for (unsigned int i = 0; i < NMODS; i++) {
		mods[i][0] = mods[i][1] = addr(long_str);
		mods[i][2] = addr(empty);
	}
	mods[0][0] = 0x2000;
	mods[0][1] = 0x1fff;
	mods[1][1] = addr(long_str) + 100;
	mods[1][2] = addr(quoted);
	entry(&mmap[0], 20, 0);
	entry(&mmap[1], 4, 0x1000);
	mbi[0] = 0x1fff;
	mbi[1] = 639;
	mbi[2] = 1024;
	mbi[4] = addr(long_str);
	mbi[5] = 1000;
	mbi[6] = addr(mods);
	mbi[11] = 2 * sizeof(struct mmap_entry);
	mbi[12] = addr(mmap);
	mbi[16] = 0xfffffff8u;
	run(real, MB_BOOT_MAGIC);

	/* 3: an entry whose size runs past mmap_length. */
	clear();
	entry(&mmap[0], 100, 0);
	mbi[0] = 1u << 6;
	mbi[11] = sizeof(struct mmap_entry);
	mbi[12] = addr(mmap);
	run(real, MB_BOOT_MAGIC);

	/* 4: bytes left over after the last whole entry. */
	mmap[0].size = 20;
	mbi[11] = sizeof(struct mmap_entry) + 3;
	run(real, MB_BOOT_MAGIC);

	/* 5: more entries than the probe reports. */
	for (unsigned int i = 0; i < NMMAP; i++)
		entry(&mmap[i], 20, i * 0x1000);
	mbi[11] = NMMAP * sizeof(struct mmap_entry);
	run(real, MB_BOOT_MAGIC);

	/* 6: no flags at all: nothing past the flags word is read. */
	clear();
	mbi[1] = 0xdeadbeef;
	run(real, MB_BOOT_MAGIC);
}
