/* Shared between the probe's report (probe.c) and its self-test build
 * (selftest.c). */
#ifndef KJ_PROBE_H
#define KJ_PROBE_H

#include <stddef.h>
#include <stdint.h>

/* The machine state at entry, filled by head.S before anything else
 * runs (offsets mirrored there; probe.c asserts them). */
struct probe_boot {
	uint32_t eax, ebx, esp, eflags, cr0, cr4;
	uint16_t cs, ds, es, fs, gs, ss;
	uint32_t bss_dirty;
};

extern struct probe_boot probe_boot;

/* Print one complete report (begin .. end) for the state in b, reading
 * the Multiboot information at b->ebx only if b->eax holds the magic. */
void probe_report(const struct probe_boot *b);

/* Defined only in the self-test build: more reports, over hostile
 * Multiboot information, after the real one. */
void probe_selftest(void) __attribute__((weak));

/* ---- shared by probe.c (Multiboot 1) and mb2.c (Multiboot 2) ---- */

#define STR_CAP 4096	     /* bytes printed of any string */
#define MODS_CAP 256	     /* modules reported */
#define MMAP_CAP 256	     /* memory map entries reported */
#define CRC_CAP (256u << 20) /* largest module we checksum (TCG is slow) */

/* Physical memory reads; volatile so the compiler keeps them as asked. */
static inline uint8_t rd8(uint32_t addr)
{
	return *(const volatile uint8_t *)(uintptr_t)addr;
}

static inline uint16_t rd16(uint32_t addr)
{
	return *(const volatile uint16_t *)(uintptr_t)addr;
}

static inline uint32_t rd32(uint32_t addr)
{
	return *(const volatile uint32_t *)(uintptr_t)addr;
}

static inline uint64_t rd64(uint32_t addr)
{
	return rd32(addr) | (uint64_t)rd32(addr + 4) << 32;
}

/* Report output: "KJPROBE <record>" then " key=value" pairs, eol(). */
void rec(const char *name);
void eol(void);
void key(const char *k);
void kv_hex16(const char *k, uint16_t v);
void kv_hex32(const char *k, uint32_t v);
void kv_hex64(const char *k, uint64_t v);
void kv_dec(const char *k, uint32_t v);
void kv_word(const char *k, const char *v);
void kv_str(const char *k, uint32_t addr);
void kv_strn(const char *k, uint32_t addr, uint32_t max);
void kv_field(const char *k, uint32_t addr, uint32_t len);
void error(const char *what); /* an "error what=..." record */
uint32_t crc32_phys(uint32_t addr, uint32_t len);
void module_record(uint32_t i, uint32_t start, uint32_t end, uint32_t str,
		   uint32_t strmax);

/* mb2.c: the records of a Multiboot 2 information structure at mbi. */
void report_mbi2(uint32_t mbi);

#endif
