/* The purgatory's own identity map, so that hashing runs with the MMU and
 * the D-cache on: with the MMU off every data access is Device-nGnRnE,
 * uncached, which is what makes kexec-tools' arm64 verification take
 * minutes on real machines.
 *
 * 4 KiB granule, 48-bit VA (T0SZ 16, four levels), VA = PA. Only what the
 * purgatory touches is mapped: the segments and its own memory as Normal
 * write-back (1 GiB and 2 MiB blocks where a range covers them, 4 KiB
 * pages at the edges, so no neighbouring MMIO or no-map firmware memory
 * becomes cacheable), the UART page as Device-nGnRnE, execute-never.
 * Tables come from a fixed pool inside the blob's memory and are written
 * with the MMU off; entry.S cleans them to the PoC before turning it on. */
#include "purg.h"

#define POOL_TABLES 48
#define ENTRIES 512
#define PAGE 4096ull

#define D_VALID (1ull << 0)
#define D_TABLE (3ull << 0) /* also: a level 3 page */
#define D_BLOCK (1ull << 0)
#define D_ATTR(i) ((uint64_t)(i) << 2) /* MAIR index */
#define D_SH_INNER (3ull << 8)
#define D_AF (1ull << 10)
#define D_PXN (1ull << 53)    /* EL1&0 and EL2&0 regimes */
#define D_UXN_XN (1ull << 54) /* UXN there, XN in the EL2 regime */
#define D_ADDR 0x0000fffffffff000ull

#define MAIR_DEVICE 0 /* attr0: Device-nGnRnE (0x00) */
#define MAIR_NORMAL 1 /* attr1: Normal, inner/outer WB RA WA (0xff) */
#define MAIR_VALUE 0xff00ull

/* TCR fields shared by both layouts: T0SZ 16, walks inner/outer WB
 * WA, inner shareable, TG0 4 KiB. */
#define TCR_COMMON (16ull | 1ull << 8 | 1ull << 10 | 3ull << 12)
#define TCR_EL1_EPD1 (1ull << 23)
#define TCR_EL1_TG1_4K (2ull << 30)
#define TCR_EL1_IPS_SHIFT 32
#define TCR_EL2_RES1 (1ull << 31 | 1ull << 23)
#define TCR_EL2_PS_SHIFT 16

static uint64_t pool[POOL_TABLES][ENTRIES]
	__attribute__((aligned(4096), section(".pgtables")));
static unsigned int used;

static uint64_t *alloc_table(void)
{
	uint64_t *t;

	if (used == POOL_TABLES)
		return 0;
	t = pool[used++];
	for (int i = 0; i < ENTRIES; i++)
		t[i] = 0;
	return t;
}

/* Map [va, end) (page aligned) identity with attrs: the largest block
 * each step allows. */
static const char *map(uint64_t *l0, uint64_t va, uint64_t end, uint64_t attrs)
{
	while (va < end) {
		uint64_t *t = l0;

		for (int level = 0; level < 4; level++) {
			unsigned int shift = 39 - 9 * level;
			uint64_t size = 1ull << shift;
			uint64_t *e = &t[(va >> shift) & (ENTRIES - 1)];

			if (level >= 1 && !(va & (size - 1)) &&
			    end - va >= size) {
				if (*e & D_VALID)
					return "overlapping mappings";
				*e = va | attrs |
				     (level == 3 ? D_TABLE : D_BLOCK);
				va += size;
				break;
			}
			if (!(*e & D_VALID)) {
				uint64_t *n = alloc_table();

				if (!n)
					return "out of page tables";
				*e = (uint64_t)(uintptr_t)n | D_TABLE;
			} else if ((*e & 3) != D_TABLE || level == 3) {
				return "overlapping mappings";
			}
			t = (uint64_t *)(uintptr_t)(*e & D_ADDR);
		}
	}
	return 0;
}

/* ID_AA64MMFR0_EL1.PARange as a TCR IPS/PS value, at most 48 bits. */
static unsigned int pa_range(uint64_t *limit)
{
	static const unsigned char bits[] = { 32, 36, 40, 42, 44, 48 };
	unsigned int r = SYSREG_READ(id_aa64mmfr0_el1) & 0xf;

	if (r > 5)
		r = 5;
	*limit = 1ull << bits[r];
	return r;
}

const char *kj_mmu_on(const struct kj_purg_range *ram, size_t n, uint64_t uart)
{
	struct kj_purg_range r[KJ_ARM64_PURG_MAX_SEGMENTS + 1];
	uint64_t limit, tcr, normal, device, *l0;
	unsigned int ips, el = current_el();
	int vhe = el2_vhe();
	size_t m = 0;
	const char *why;

	if ((SYSREG_READ(id_aa64mmfr0_el1) >> 28 & 0xf) == 0xf)
		return "the CPU has no 4 KiB translation granule";
	if (n > KJ_ARM64_PURG_MAX_SEGMENTS + 1)
		return "too many ranges";
	ips = pa_range(&limit);

	/* Page-rounded, sorted (insertion), merged where they touch. */
	for (size_t i = 0; i < n; i++) {
		uint64_t lo = ram[i].lo & ~(PAGE - 1);
		uint64_t hi = (ram[i].hi + PAGE - 1) & ~(PAGE - 1);
		size_t j;

		if (hi <= lo)
			continue;
		if (hi > limit)
			return "a range lies beyond the physical address size";
		for (j = m; j > 0 && r[j - 1].lo > lo; j--)
			r[j] = r[j - 1];
		r[j].lo = lo;
		r[j].hi = hi;
		m++;
	}
	for (size_t i = 1; i < m;) {
		if (r[i].lo <= r[i - 1].hi) {
			if (r[i].hi > r[i - 1].hi)
				r[i - 1].hi = r[i].hi;
			for (size_t j = i + 1; j < m; j++)
				r[j - 1] = r[j];
			m--;
		} else {
			i++;
		}
	}

	used = 0;
	l0 = alloc_table();
	normal = D_ATTR(MAIR_NORMAL) | D_SH_INNER | D_AF;
	device = D_ATTR(MAIR_DEVICE) | D_AF | D_UXN_XN |
		 (el == 1 || vhe ? D_PXN : 0);
	for (size_t i = 0; i < m; i++) {
		why = map(l0, r[i].lo, r[i].hi, normal);
		if (why)
			return why;
	}
	if (uart) {
		if (uart >= limit)
			return "the UART lies beyond the physical address size";
		why = map(l0, uart & ~(PAGE - 1), (uart & ~(PAGE - 1)) + PAGE,
			  device);
		if (why)
			return "the UART page is inside a RAM range";
	}

	if (el == 1 || vhe)
		tcr = TCR_COMMON | TCR_EL1_EPD1 | TCR_EL1_TG1_4K |
		      (uint64_t)ips << TCR_EL1_IPS_SHIFT;
	else
		tcr = TCR_COMMON | TCR_EL2_RES1 |
		      (uint64_t)ips << TCR_EL2_PS_SHIFT;
	kj_purg_mmu_enable((uint64_t)(uintptr_t)l0, tcr, MAIR_VALUE,
			   (uint64_t)(uintptr_t)kj_purg_start,
			   (uint64_t)(uintptr_t)kj_purg_mem_end);
	return 0;
}
