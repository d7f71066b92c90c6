/* Synthetic PE/COFF images for the unwrap tests: a DOS header, "PE\0\0",
 * a COFF header, a PE32+ optional header and a section table, laid out
 * the way linkers and objcopy do (headers in the first 0x400 bytes, file
 * offsets 0x200-aligned, RVAs 0x1000-aligned). Tests then break single
 * fields with fake_pe_put() to reach each error. */
#ifndef KJ_TEST_FAKE_PE_H
#define KJ_TEST_FAKE_PE_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FAKE_PE_OFF 0x80 /* e_lfanew */
#define FAKE_PE_OPT 0xf0 /* SizeOfOptionalHeader of PE32+ */
#define FAKE_PE_HEADERS 0x400
#define FAKE_PE_MAX 32

struct fake_sec {
	const char *name;
	const void *data;
	size_t len;
	uint32_t vsize; /* 0: len */
};

struct fake_pe {
	uint8_t *buf;
	size_t len;
	size_t table; /* file offset of the section table */
	size_t raw_off[FAKE_PE_MAX];
};

static inline void fake_pe_put(uint8_t *p, size_t off, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[off + i] = (uint8_t)(v >> (8 * i));
}

static inline size_t fake_align(size_t v, size_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* The image; its head is `head` (may be NULL) copied over offset 0 after
 * the headers are written, for zboot-style "MZ"+"zimg" starts. */
static inline struct fake_pe fake_pe_build(uint16_t machine,
					   const struct fake_sec *s, size_t n)
{
	struct fake_pe pe = { 0 };
	size_t raw = FAKE_PE_HEADERS, va = 0x1000, end;
	uint8_t *p;

	end = FAKE_PE_HEADERS;
	for (size_t i = 0; i < n; i++)
		end = fake_align(end, 0x200) + fake_align(s[i].len, 0x200);
	pe.len = end;
	p = pe.buf = calloc(1, end ? end : 1);
	p[0] = 'M';
	p[1] = 'Z';
	fake_pe_put(p, 0x3c, FAKE_PE_OFF, 4);
	memcpy(p + FAKE_PE_OFF, "PE\0\0", 4);
	fake_pe_put(p, FAKE_PE_OFF + 4, machine, 2);
	fake_pe_put(p, FAKE_PE_OFF + 6, n, 2);
	fake_pe_put(p, FAKE_PE_OFF + 20, FAKE_PE_OPT, 2);
	fake_pe_put(p, FAKE_PE_OFF + 22, 0x206, 2); /* exec, debug stripped */
	fake_pe_put(p, FAKE_PE_OFF + 24, 0x20b, 2); /* PE32+ */
	fake_pe_put(p, FAKE_PE_OFF + 24 + 16, 0x1000, 4); /* entry */
	fake_pe_put(p, FAKE_PE_OFF + 24 + 32, 0x1000, 4); /* section align */
	fake_pe_put(p, FAKE_PE_OFF + 24 + 36, 0x200, 4);  /* file align */
	fake_pe_put(p, FAKE_PE_OFF + 24 + 44, 1, 2);	  /* image version */
	fake_pe_put(p, FAKE_PE_OFF + 24 + 60, FAKE_PE_HEADERS, 4);
	fake_pe_put(p, FAKE_PE_OFF + 24 + 68, 10, 2); /* EFI application */
	pe.table = FAKE_PE_OFF + 24 + FAKE_PE_OPT;
	for (size_t i = 0; i < n; i++) {
		uint8_t *h = p + pe.table + 40 * i;
		uint32_t vsize = s[i].vsize ? s[i].vsize : (uint32_t)s[i].len;

		raw = fake_align(raw, 0x200);
		strncpy((char *)h, s[i].name, 8);
		fake_pe_put(h, 8, vsize, 4);
		fake_pe_put(h, 12, va, 4);
		fake_pe_put(h, 16, fake_align(s[i].len, 0x200), 4);
		fake_pe_put(h, 20, s[i].len ? raw : 0, 4);
		if (s[i].len)
			memcpy(p + raw, s[i].data, s[i].len);
		pe.raw_off[i] = raw;
		raw += fake_align(s[i].len, 0x200);
		va = fake_align(va + vsize, 0x1000);
	}
	fake_pe_put(p, FAKE_PE_OFF + 24 + 56, va, 4); /* SizeOfImage */
	return pe;
}

/* Offset of section header i's field at off (8 vsize, 12 vaddr, 16 raw
 * size, 20 raw offset). */
static inline size_t fake_pe_field(const struct fake_pe *pe, size_t i,
				   size_t off)
{
	return pe->table + 40 * i + off;
}

#endif
