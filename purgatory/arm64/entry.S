/* arm64 purgatory: entry, exception vectors, MMU on, and the way out.
 *
 * Linux's arm64_relocate_new_kernel (6.1) enters here after copying the
 * segments: MMU and caches off (SCTLR M, C, I clear), DAIF masked, at the
 * EL the old kernel ran at: EL1, EL2 through the hyp stub's soft restart
 * (nVHE), or EL2 with HCR_EL2.E2H set (VHE). x0 is kimage->arch.dtb_mem,
 * which kexec_load leaves 0; nothing else in a register is ours. Every
 * address here is PC-relative (adr): the blob runs wherever it is put. */
#include "arch/arm64/purgatory_abi.h"

#define SCTLR_M   (1 << 0)
#define SCTLR_C   (1 << 2)
#define SCTLR_I   (1 << 12)
#define STACK_SIZE 16384

/* x\reg = the smallest D-cache line in bytes (CTR_EL0.DminLine), x\mask
 * = that - 1. */
.macro dline reg, mask
	mrs	\reg, ctr_el0
	ubfx	\reg, \reg, #16, #4
	mov	\mask, #4
	lsl	\reg, \mask, \reg
	sub	\mask, \reg, #1
.endm

/* Clean and invalidate [\lo, \hi) to the PoC by VA; clobbers \lo. */
.macro civac_range lo, hi, line, mask
	bic	\lo, \lo, \mask
1:	cmp	\lo, \hi
	b.hs	2f
	dc	civac, \lo
	add	\lo, \lo, \line
	b	1b
2:
.endm

/* Branch to \el2 when at EL2. */
.macro if_el2 tmp, el2
	mrs	\tmp, CurrentEL
	cmp	\tmp, #(2 << 2)
	b.eq	\el2
.endm

	.section .text.entry, "ax"
	.globl	kj_purg_entry
	.type	kj_purg_entry, %function
kj_purg_entry:
	msr	daifset, #0xf
	/* .bss (variables and stack) is not in the file: zero it. With the
	 * MMU off these stores go straight to memory. */
	adr	x9, __bss_start
	adr	x10, __bss_end
1:	cmp	x9, x10
	b.hs	2f
	str	xzr, [x9], #8
	b	1b
2:	/* What goes back as it was before the jump: VBAR and SCTLR. */
	adr	x9, kj_purg_saved
	if_el2	x10, 3f
	mrs	x11, vbar_el1
	mrs	x12, sctlr_el1
	b	4f
3:	mrs	x11, vbar_el2
	mrs	x12, sctlr_el2
4:	stp	x11, x12, [x9]
	msr	spsel, #1
	adr	x9, kj_purg_stack_top
	mov	sp, x9
	mov	x29, xzr
	mov	x30, xzr
	adr	x9, kj_purg_vectors
	if_el2	x10, 5f
	msr	vbar_el1, x9
	b	6f
5:	msr	vbar_el2, x9
6:	isb
	bl	kj_purg_main
	b	kj_purg_halt

	.text
	.globl	kj_purg_halt
	.type	kj_purg_halt, %function
kj_purg_halt:
	msr	daifset, #0xf
1:	wfe
	b	1b

/* kj_purg_mmu_enable(ttbr0, tcr, mair, clean_lo, clean_hi) */
	.globl	kj_purg_mmu_enable
	.type	kj_purg_mmu_enable, %function
kj_purg_mmu_enable:
	/* The page tables and the stack were written with the MMU off,
	 * straight to memory: no cache line may shadow them once the
	 * walks and loads become cacheable. */
	dline	x9, x10
	civac_range x3, x4, x9, x10
	dsb	sy
	ic	iallu
	dsb	sy
	isb
	mov	x9, #(SCTLR_M | SCTLR_C | SCTLR_I)
	movz	x10, #0x2		/* A (alignment checks) */
	movk	x10, #0x8, lsl #16	/* WXN (bit 19) */
	if_el2	x11, 1f
	tlbi	vmalle1
	dsb	ish
	isb
	msr	mair_el1, x2
	msr	tcr_el1, x1
	msr	ttbr0_el1, x0
	isb
	mrs	x11, sctlr_el1
	orr	x11, x11, x9
	bic	x11, x11, x10
	msr	sctlr_el1, x11
	isb
	ret
1:	tlbi	alle2
	dsb	ish
	isb
	msr	mair_el2, x2
	msr	tcr_el2, x1
	msr	ttbr0_el2, x0
	isb
	mrs	x11, sctlr_el2
	orr	x11, x11, x9
	bic	x11, x11, x10
	msr	sctlr_el2, x11
	isb
	ret

/* kj_purg_enter(entry, regs[4]): never returns. From the moment the MMU
 * is off nothing touches the stack: dirty lines from the MMU-on part are
 * still in the cache, and only the clean below writes them back. */
	.globl	kj_purg_enter
	.type	kj_purg_enter, %function
kj_purg_enter:
	msr	daifset, #0xf
	mov	x19, x0			/* entry */
	ldp	x20, x21, [x1]		/* x0, x1 for the next kernel */
	ldp	x22, x23, [x1, #16]	/* x2, x3 */
	adr	x9, kj_purg_saved
	ldp	x24, x25, [x9]		/* VBAR, SCTLR at entry */
	mov	x9, #(SCTLR_M | SCTLR_C | SCTLR_I)
	bic	x25, x25, x9
	dsb	sy
	if_el2	x9, 1f
	msr	sctlr_el1, x25
	b	2f
1:	msr	sctlr_el2, x25
2:	isb
	/* MMU and caches off. Write back and drop every line of what was
	 * touched with them on: our own memory (dirty: stack, variables)
	 * and the segments (clean, read for their digests), so that the
	 * next kernel finds memory and nothing stale in the caches when it
	 * turns them on. The parameter block was never written with the
	 * caches on, so reading it now from memory is exact. */
	dline	x9, x10
	adr	x11, kj_purg_start
	adr	x12, kj_purg_mem_end
	civac_range x11, x12, x9, x10
	adr	x13, kj_params
	ldr	w14, [x13, #KJ_ARM64_PURG_P_NSEGMENTS]
	cmp	w14, #KJ_ARM64_PURG_MAX_SEGMENTS
	b.ls	3f
	mov	w14, #KJ_ARM64_PURG_MAX_SEGMENTS
3:	add	x13, x13, #KJ_ARM64_PURG_P_SEGMENTS
4:	cbz	w14, 6f
	ldp	x11, x12, [x13]		/* mem, len */
	add	x12, x11, x12
	civac_range x11, x12, x9, x10
	add	x13, x13, #KJ_ARM64_PURG_SEG_SIZE
	sub	w14, w14, #1
	b	4b
6:	dsb	sy
	ic	iallu
	dsb	sy
	isb
	/* Our identity map's TLB entries are global: none may survive. */
	if_el2	x9, 7f
	tlbi	vmalle1
	msr	vbar_el1, x24
	b	8f
7:	tlbi	alle2
	msr	vbar_el2, x24
8:	dsb	sy
	isb
	mov	x17, x19
	mov	x0, x20
	mov	x1, x21
	mov	x2, x22
	mov	x3, x23
	mov	x4, xzr
	mov	x5, xzr
	mov	x6, xzr
	mov	x7, xzr
	mov	x8, xzr
	mov	x9, xzr
	mov	x10, xzr
	mov	x11, xzr
	mov	x12, xzr
	mov	x13, xzr
	mov	x14, xzr
	mov	x15, xzr
	mov	x16, xzr
	mov	x18, xzr
	mov	x19, xzr
	mov	x20, xzr
	mov	x21, xzr
	mov	x22, xzr
	mov	x23, xzr
	mov	x24, xzr
	mov	x25, xzr
	mov	x26, xzr
	mov	x27, xzr
	mov	x28, xzr
	mov	x29, xzr
	mov	x30, xzr
	br	x17

/* Exception vectors: 16 entries of 128 bytes, 2 KiB aligned. Any
 * exception is reported (ESR, ELR, FAR of this EL) and halts. */
.macro vec n
	.balign	128
	mov	x0, #\n
	b	vector_common
.endm
	.balign	2048
	.globl	kj_purg_vectors
kj_purg_vectors:
	vec 0
	vec 1
	vec 2
	vec 3
	vec 4
	vec 5
	vec 6
	vec 7
	vec 8
	vec 9
	vec 10
	vec 11
	vec 12
	vec 13
	vec 14
	vec 15

vector_common:
	adr	x9, kj_purg_stack_top
	mov	sp, x9
	if_el2	x9, 1f
	mrs	x1, esr_el1
	mrs	x2, elr_el1
	mrs	x3, far_el1
	b	2f
1:	mrs	x1, esr_el2
	mrs	x2, elr_el2
	mrs	x3, far_el2
2:	bl	kj_purg_exception
	b	kj_purg_halt

	.bss
	.balign	16
kj_purg_saved:
	.skip	16
	.balign	16
	.skip	STACK_SIZE
	.globl	kj_purg_stack_top
kj_purg_stack_top:

	.section .note.GNU-stack, "", %progbits
