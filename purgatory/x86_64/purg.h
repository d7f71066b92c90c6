/* Internal interfaces of the x86_64 purgatory (freestanding). */
#ifndef KJ_PURG_H
#define KJ_PURG_H

#include <stdint.h>

#include "arch/x86_64/purgatory_abi.h"

#define KJ_PURG_COM1 0x3f8

/* Every symbol is inside the blob: hidden visibility makes the compiler
 * reach them RIP-relative instead of through a GOT that would need
 * run-time relocation. */
#pragma GCC visibility push(hidden)

extern struct kj_purgatory_params kj_params;

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* serial.c */
void kj_serial_init(uint16_t port, uint32_t baud);
int kj_serial_ready(void);
void kj_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* vga.c */
void kj_vga_init(void);
int kj_vga_ready(void);
void kj_vga_putc(char c);
void kj_vga_reset(void);

/* tsc.c: TSC ticks per millisecond measured against PIT channel 2, or 0
 * when the PIT did not answer. */
uint64_t kj_tsc_per_ms(void);

/* xstate.c: AVX state on for the verification, then back as it was. */
struct kj_purg_xstate {
	uint64_t cr4, xcr0;
	int changed;
};
void kj_purg_avx_on(struct kj_purg_xstate *saved);
void kj_purg_avx_restore(const struct kj_purg_xstate *saved);

/* entry.S */
__attribute__((noreturn)) void kj_purg_halt(void);
__attribute__((noreturn)) void kj_purg_enter_linux64(uint64_t entry,
						     uint64_t rsi);
__attribute__((noreturn)) void kj_purg_enter_pm32(uint32_t entry, uint32_t eax,
						  uint32_t ebx, uint32_t esi);

/* realmode.S: the blob (below 1 MiB, 16-aligned) drops to real mode and
 * jumps to r->cs:ip with r's registers. */
__attribute__((noreturn)) void
kj_purg_enter_real16(const struct kj_purgatory_real16 *r);

/* real16.c: check the blob can run in real mode (else report, halt),
 * print the entry line, apply real16.flags. top: the blob's end. */
void kj_purg_prepare_real16(const struct kj_purgatory_params *p,
			    uint64_t top);
extern char kj_purg_image_end[];
extern uint64_t kj_purg_entry_rsp; /* the stack pointer we were entered with */

/* What the exception stubs in entry.S push, then what the CPU pushed. */
struct kj_purg_frame {
	uint64_t vector, error, rip, cs, rflags, rsp, ss;
};

/* purgatory.c: report a CPU exception and halt. */
__attribute__((noreturn)) void kj_purg_exception(struct kj_purg_frame *f);

#pragma GCC visibility pop

#endif
