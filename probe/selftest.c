/* Self-test build of the probe (build/probe/probe-selftest.elf): after
 * the real report, print reports over Multiboot 1 and Multiboot 2
 * information built to be hostile, so the VM tests can check every guard
 * of probe.c and mb2.c with QEMU's ordinary loader. The order of the
 * cases is part of the test. */

#include <stdint.h>

#include "probe.h"

#define MB_BOOT_MAGIC 0x2BADB002u
#define MB2_BOOT_MAGIC 0x36d76289u
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
static uint32_t mbi2[2 * 1024 + 8] __attribute__((aligned(8)));
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

static void run2(const struct probe_boot *real, uint32_t at)
{
	struct probe_boot b = *real;

	b.eax = MB2_BOOT_MAGIC;
	b.ebx = at;
	probe_report(&b);
}

/* Multiboot 2 words: a tag {type, size} at word w, returns the next tag's
 * word (8-aligned). */
static unsigned int tag2(unsigned int w, uint32_t type, uint32_t size)
{
	mbi2[w] = type;
	mbi2[w + 1] = size;
	return w + ((size + 7) & ~7u) / 4;
}

static void clear2(void)
{
	for (unsigned int i = 0; i < sizeof(mbi2) / 4; i++)
		mbi2[i] = 0;
}

/* The Multiboot 2 cases, after the Multiboot 1 ones. */
static void selftest_mb2(const struct probe_boot *real)
{
	unsigned int w;

	/* 7: misaligned, otherwise fine (an end tag only). */
	clear2();
	mbi2[1] = 16;
	tag2(3, 0, 8);
	run2(real, addr(&mbi2[1]));

	/* 8: a tag smaller than its own header. */
	clear2();
	mbi2[0] = 32;
	tag2(2, 1, 4);
	run2(real, addr(mbi2));

	/* 9: a tag running past total_size. */
	clear2();
	mbi2[0] = 32;
	tag2(2, 1, 100);
	run2(real, addr(mbi2));

	/* 10: total_size ends before any end tag. */
	clear2();
	mbi2[0] = 24;
	tag2(2, 18, 8);
	tag2(4, 18, 8);
	run2(real, addr(mbi2));

	/* 11: an unterminated command line, a module ending before it
	 * starts, a memory map with 16-byte entries. */
	clear2();
	w = tag2(2, 1, 8 + 5);
	for (int i = 0; i < 5; i++)
		((char *)&mbi2[4])[i] = "abcde"[i];
	mbi2[w + 2] = 0x3000;
	mbi2[w + 3] = 0x2000;
	w = tag2(w, 3, 17);
	mbi2[w + 2] = 16;
	w = tag2(w, 6, 16 + 32);
	w = tag2(w, 0, 8);
	mbi2[0] = w * 4;
	run2(real, addr(mbi2));

	/* 12: more tags than the probe walks. */
	clear2();
	for (w = 2; w < 2 + 2 * 513; w = tag2(w, 18, 8))
		;
	w = tag2(w, 0, 8);
	mbi2[0] = w * 4;
	run2(real, addr(mbi2));

	/* 13: an end tag before total_size says it ends. */
	clear2();
	mbi2[0] = 64;
	tag2(2, 0, 8);
	run2(real, addr(mbi2));
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

	selftest_mb2(real);
}
