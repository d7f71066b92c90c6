/* Shared between the probe's report (probe.c) and its self-test build
 * (selftest.c). */
#ifndef KJ_PROBE_H
#define KJ_PROBE_H

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

#endif
