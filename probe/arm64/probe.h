/* Shared by the arm64 probe's head.S and probe.c. */
#ifndef KJ_PROBE_ARM64_H
#define KJ_PROBE_ARM64_H

/* struct probe_boot offsets, for head.S (probe.c asserts them). */
#define PB_X 0
#define PB_EL 32
#define PB_SCTLR 40
#define PB_DAIF 48
#define PB_HCR 56
#define PB_START 64
#define PB_END 72
#define PB_BSS 80
#define PB_SIZE 88

#define PROBE_PSCI_NONE 0
#define PROBE_PSCI_SMC 1
#define PROBE_PSCI_HVC 2

#ifndef __ASSEMBLER__
#include <stdint.h>

/* The machine state at entry, filled by head.S before anything else. */
struct probe_boot {
	uint64_t x[4];	/* x0..x3 as the loader left them */
	uint64_t el;	/* CurrentEL */
	uint64_t sctlr; /* SCTLR_EL1 or _EL2 */
	uint64_t daif;
	uint64_t hcr;			 /* HCR_EL2 at EL2, else 0 */
	uint64_t image_start, image_end; /* where the probe sits */
	uint64_t bss_dirty;		 /* the loader did not zero our .bss */
};

/* Print one complete report; returns the PSCI conduit (PROBE_PSCI_*)
 * the device tree names. max: bytes at dtb that may be read. */
int probe_report(const struct probe_boot *b, uint64_t dtb, uint64_t max);
/* Report a CPU exception (head.S's vectors) as an error record. */
void probe_exception(uint64_t vector, uint64_t esr, uint64_t elr, uint64_t far);
#endif

#endif
