/* AVX for the eight-lane SHA-256 (core/sha256_x8.h) inside the purgatory.
 *
 * relocate_kernel leaves CR4 with little more than PAE, so AVX
 * instructions would fault. When the CPU has AVX2 and XSAVE we turn on
 * CR4.OSXSAVE and the SSE+AVX bits of XCR0 for the verification only, and
 * put both back before the next kernel starts: it sets up its own FPU
 * state and should find the machine as the old kernel left it. */
#include "purg.h"

#include <cpuid.h>

#define CR4_OSXSAVE (1ull << 18)
#define XCR0_X87_SSE_AVX 7ull

static uint64_t read_cr4(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static void write_cr4(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

static uint64_t xgetbv0(void)
{
	uint32_t lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return (uint64_t)hi << 32 | lo;
}

static void xsetbv0(uint64_t v)
{
	__asm__ volatile("xsetbv"
			 :
			 : "a"((uint32_t)v), "d"((uint32_t)(v >> 32)), "c"(0)
			 : "memory");
}

static int cpu_can_avx2(void)
{
	unsigned int a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_XSAVE) ||
	    !(c & bit_AVX))
		return 0;
	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d) || !(b & bit_AVX2))
		return 0;
	/* XCR0 may only name state components the CPU supports. */
	if (!__get_cpuid_count(0xd, 0, &a, &b, &c, &d))
		return 0;
	return (a & XCR0_X87_SSE_AVX) == XCR0_X87_SSE_AVX;
}

void kj_purg_avx_on(struct kj_purg_xstate *saved)
{
	saved->changed = 0;
	if (!cpu_can_avx2())
		return;
	saved->cr4 = read_cr4();
	/* XCR0 is only readable with OSXSAVE on; its reset value is 1. */
	saved->xcr0 = saved->cr4 & CR4_OSXSAVE ? xgetbv0() : 1;
	write_cr4(saved->cr4 | CR4_OSXSAVE);
	xsetbv0(saved->xcr0 | XCR0_X87_SSE_AVX);
	saved->changed = 1;
}

void kj_purg_avx_restore(const struct kj_purg_xstate *saved)
{
	if (!saved->changed)
		return;
	xsetbv0(saved->xcr0);
	write_cr4(saved->cr4);
}
