/* arm64 purgatory test harness: a bare-metal ELF for QEMU's -kernel.
 *
 * QEMU starts it at the highest EL it has (EL1, or EL2 with
 * virtualization=on), MMU and caches off. With H_CFG_VHE in the config
 * word at EL2 it first sets HCR_EL2.E2H and TGE, the state a VHE kernel
 * leaves. Then it enters the purgatory the way Linux's relocate_kernel
 * does for a kexec_load image: MMU and caches off, DAIF masked, x0 = 0,
 * and here every other register (SP too) holding garbage. The target the
 * purgatory jumps to reports what it got on the PL011 and powers off
 * through PSCI (smc when QEMU has EL2, else hvc). */
#include "harness.h"

/* Print the string at \str. */
.macro PUTS str
	adr	x0, \str
	bl	puts
.endm

/* Print " \name=" and the 64-bit value in \reg. */
.macro FIELD name, reg
	mov	x21, \reg
	adr	x0, \name
	bl	puts
	mov	x0, x21
	bl	hex64
.endm

	.section .text.start, "ax"
	.globl	_start
_start:
	msr	daifset, #0xf
	ldr	x0, =h_stack_top
	mov	sp, x0
	mrs	x19, CurrentEL
	ubfx	x19, x19, #2, #2
	ldr	x0, =h_boot_el
	str	x19, [x0]
	ldr	x0, =H_CONFIG
	ldr	w20, [x0]
	mov	x22, xzr
	cmp	x19, #2
	b.ne	1f
	tbz	w20, #0, 1f
	mrs	x0, hcr_el2
	orr	x0, x0, #(1 << 34)	/* E2H */
	orr	x0, x0, #(1 << 27)	/* TGE */
	msr	hcr_el2, x0
	isb
	mov	x22, #1
1:	PUTS	s_harness
	FIELD	s_el, x19
	FIELD	s_vhe, x22
	PUTS	s_eol

	/* Garbage everywhere but x0 (kexec_load leaves dtb_mem = 0). */
	ldr	x17, =H_PURG_ADDR
	movz	x1, #0x5a5a
	movk	x1, #0xdead, lsl #16
	movk	x1, #0xbeef, lsl #32
	mov	x2, x1
	mov	x3, x1
	mov	x4, x1
	mov	x5, x1
	mov	x6, x1
	mov	x7, x1
	mov	x8, x1
	mov	x9, x1
	mov	x10, x1
	mov	x11, x1
	mov	x12, x1
	mov	x13, x1
	mov	x14, x1
	mov	x15, x1
	mov	x16, x1
	mov	x18, x1
	mov	x19, x1
	mov	x20, x1
	mov	x21, x1
	mov	x22, x1
	mov	x23, x1
	mov	x24, x1
	mov	x25, x1
	mov	x26, x1
	mov	x27, x1
	mov	x28, x1
	mov	x29, x1
	mov	x30, x1
	mov	sp, x1
	mov	x0, xzr
	br	x17

/* The purgatory's "next kernel". */
	.section .text.target, "ax"
	.globl	h_target
h_target:
	ldr	x17, =h_regs
	stp	x0, x1, [x17]
	stp	x2, x3, [x17, #16]
	/* OR of every register that must be zero (x17 may hold the entry). */
	orr	x4, x4, x5
	orr	x4, x4, x6
	orr	x4, x4, x7
	orr	x4, x4, x8
	orr	x4, x4, x9
	orr	x4, x4, x10
	orr	x4, x4, x11
	orr	x4, x4, x12
	orr	x4, x4, x13
	orr	x4, x4, x14
	orr	x4, x4, x15
	orr	x4, x4, x16
	orr	x4, x4, x18
	orr	x4, x4, x19
	orr	x4, x4, x20
	orr	x4, x4, x21
	orr	x4, x4, x22
	orr	x4, x4, x23
	orr	x4, x4, x24
	orr	x4, x4, x25
	orr	x4, x4, x26
	orr	x4, x4, x27
	orr	x4, x4, x28
	orr	x4, x4, x29
	orr	x4, x4, x30
	str	x4, [x17, #32]
	mrs	x5, daif
	str	x5, [x17, #40]
	ldr	x0, =h_stack_top
	mov	sp, x0

	mrs	x19, CurrentEL
	ubfx	x19, x19, #2, #2
	mov	x23, xzr
	cmp	x19, #2
	b.ne	1f
	mrs	x20, sctlr_el2
	mrs	x23, hcr_el2
	ubfx	x23, x23, #34, #1
	b	2f
1:	mrs	x20, sctlr_el1
2:	ldr	x24, =h_regs
	PUTS	s_target
	ldr	x25, [x24]
	FIELD	s_x0, x25
	ldr	x25, [x24, #8]
	FIELD	s_x1, x25
	ldr	x25, [x24, #16]
	FIELD	s_x2, x25
	ldr	x25, [x24, #24]
	FIELD	s_x3, x25
	ldr	x25, [x24, #32]
	FIELD	s_others, x25
	FIELD	s_el, x19
	FIELD	s_sctlr, x20
	ubfx	x25, x20, #0, #1
	FIELD	s_m, x25
	ubfx	x25, x20, #2, #1
	FIELD	s_c, x25
	ubfx	x25, x20, #12, #1
	FIELD	s_i, x25
	ldr	x25, [x24, #40]
	FIELD	s_daif, x25
	FIELD	s_e2h, x23
	PUTS	s_end

	/* PSCI SYSTEM_OFF: QEMU takes it as smc when it has EL2. */
	movz	x0, #0x0008
	movk	x0, #0x8400, lsl #16
	ldr	x1, =h_boot_el
	ldr	x1, [x1]
	cmp	x1, #2
	b.eq	3f
	hvc	#0
	b	4f
3:	smc	#0
4:	wfe
	b	4b

	.text
/* puts: x0 = NUL-terminated string; clobbers x0, x9, x10, x11. */
puts:
	ldr	x9, =H_UART
1:	ldrb	w10, [x0], #1
	cbz	w10, 3f
2:	ldr	w11, [x9, #0x18]	/* UARTFR */
	tbnz	w11, #5, 2b		/* TXFF */
	str	w10, [x9]
	b	1b
3:	ret

/* hex64: "0x" and 16 hex digits of x0; clobbers x0, x9..x13. */
hex64:
	mov	x12, x0
	ldr	x9, =H_UART
	mov	w10, #'0'
	str	w10, [x9]
	mov	w10, #'x'
	str	w10, [x9]
	mov	x13, #60
1:	lsr	x10, x12, x13
	and	x10, x10, #0xf
	cmp	x10, #10
	b.lo	2f
	add	x10, x10, #('a' - 10 - '0')
2:	add	x10, x10, #'0'
3:	ldr	w11, [x9, #0x18]
	tbnz	w11, #5, 3b
	str	w10, [x9]
	subs	x13, x13, #4
	b.pl	1b
	ret

	.ltorg

	.section .rodata
s_harness:	.asciz	"HARNESS"
s_target:	.asciz	"TARGET"
s_el:		.asciz	" el="
s_vhe:		.asciz	" vhe="
s_x0:		.asciz	" x0="
s_x1:		.asciz	" x1="
s_x2:		.asciz	" x2="
s_x3:		.asciz	" x3="
s_others:	.asciz	" others="
s_sctlr:	.asciz	" sctlr="
s_m:		.asciz	" m="
s_c:		.asciz	" c="
s_i:		.asciz	" i="
s_daif:		.asciz	" daif="
s_e2h:		.asciz	" e2h="
s_end:		.asciz	" end\r\n"
s_eol:		.asciz	"\r\n"

	.bss
	.balign	16
h_boot_el:	.skip	8
	.balign	16
h_regs:		.skip	48
	.balign	16
		.skip	8192
h_stack_top:

	.section .note.GNU-stack, "", %progbits
