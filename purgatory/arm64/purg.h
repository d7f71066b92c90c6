/* Internal interfaces of the arm64 purgatory (freestanding). */
#ifndef KJ_PURG_ARM64_H
#define KJ_PURG_ARM64_H

#include <stddef.h>
#include <stdint.h>

#include "arch/arm64/purgatory_abi.h"

/* Every symbol is inside the blob: hidden visibility makes the compiler
 * reach them PC-relative (adrp/add) instead of through a GOT that would
 * need run-time relocation. */
#pragma GCC visibility push(hidden)

extern struct kj_arm64_purg_params kj_params;

/* Linker script symbols: the blob's first byte and the end of all the
 * memory it uses (file, .bss, page tables). */
extern char kj_purg_start[], kj_purg_mem_end[];

#define SYSREG_READ(name)                                      \
	({                                                     \
		uint64_t v_;                                   \
		__asm__ volatile("mrs %0, " #name : "=r"(v_)); \
		v_;                                            \
	})

static inline unsigned int current_el(void)
{
	return (unsigned int)(SYSREG_READ(CurrentEL) >> 2) & 3;
}

/* At EL2 with HCR_EL2.E2H set (a VHE host kernel ran here), the EL2
 * translation regime has the EL1 register layout. */
static inline int el2_vhe(void)
{
	return current_el() == 2 && (SYSREG_READ(hcr_el2) >> 34 & 1);
}

/* SCTLR of the current EL. */
static inline uint64_t sctlr(void)
{
	return current_el() == 2 ? SYSREG_READ(sctlr_el2)
				 : SYSREG_READ(sctlr_el1);
}

static inline uint64_t cntpct(void)
{
	__asm__ volatile("isb" ::: "memory");
	return SYSREG_READ(cntpct_el0);
}

static inline uint64_t cntfrq(void)
{
	return SYSREG_READ(cntfrq_el0) & 0xffffffffu;
}

/* serial.c: PL011 output and a printf subset (%s %c %u %x %lu %lx %%, an
 * optional zero-padded width). Nothing is printed before kj_serial_init
 * or with base 0. */
void kj_serial_init(uint64_t base);
int kj_serial_ready(void);
void kj_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* mmu.c: identity map of [lo, hi) ranges as Normal write-back memory and
 * the UART page as Device-nGnRnE, in the page-table pool; then MMU and
 * caches on at the current EL. Returns NULL on success, else why not
 * (the caller then verifies with the MMU off). */
struct kj_purg_range {
	uint64_t lo, hi;
};
const char *kj_mmu_on(const struct kj_purg_range *ram, size_t n, uint64_t uart);

/* entry.S */
__attribute__((noreturn)) void kj_purg_halt(void);
/* Turn on translation with these registers (the EL's own, or the EL1
 * layout at EL2 with E2H); cleans and invalidates [clean_lo, clean_hi)
 * (the blob's memory, whose page tables and stack were written with the
 * MMU off) before it does. */
void kj_purg_mmu_enable(uint64_t ttbr0, uint64_t tcr, uint64_t mair,
			uint64_t clean_lo, uint64_t clean_hi);
/* MMU and caches off (SCTLR as it was at entry, M/C/I clear), clean and
 * invalidate the blob's memory and every segment of the parameter block
 * to the PoC, invalidate the I-cache and TLBs, restore VBAR, and jump to
 * entry with x0..x3 = regs[0..3], every other register zero. */
__attribute__((noreturn)) void kj_purg_enter(uint64_t entry,
					     const uint64_t regs[4]);

/* purgatory.c */
void kj_purg_main(void);
void kj_purg_exception(uint64_t vector, uint64_t esr, uint64_t elr,
		       uint64_t far);

#pragma GCC visibility pop

#endif
