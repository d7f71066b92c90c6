/* arm64 probe: the Image header and the entry.
 *
 * An arm64 Linux Image as booting.rst defines it (text_offset 0,
 * image_size covering .bss, flags: little-endian, 4 KiB pages, anywhere
 * in memory), position independent (adr only), so that any loader may
 * put it at any 2 MiB-aligned base. The entry saves what it was handed
 * before touching anything, reports, then powers off through PSCI. */
#include "probe.h"

#define PSCI_SYSTEM_OFF 0x84000008
#define DTB_READ_MAX (4 << 20)

	.section .head, "ax"
	.globl	_start
_start:
	b	probe_entry		/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset */
	.quad	_probe_image_size	/* image_size */
	.quad	0xa			/* flags: LE, 4K pages, anywhere */
	.quad	0, 0, 0			/* res2..res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5: no PE header */

probe_entry:
	mov	x19, x0
	mov	x20, x1
	mov	x21, x2
	mov	x22, x3
	mrs	x23, daif
	msr	daifset, #0xf
	/* Was .bss zero as we got it? Then zero it. */
	adr	x9, __bss_start
	adr	x10, __bss_end
	mov	x24, xzr
1:	cmp	x9, x10
	b.hs	2f
	ldr	x11, [x9]
	orr	x24, x24, x11
	str	xzr, [x9], #8
	b	1b
2:	adr	x9, probe_boot
	stp	x19, x20, [x9, #PB_X]
	stp	x21, x22, [x9, #(PB_X + 16)]
	mrs	x10, CurrentEL
	ubfx	x10, x10, #2, #2
	str	x10, [x9, #PB_EL]
	mov	x12, xzr
	cmp	x10, #2
	b.ne	3f
	mrs	x11, sctlr_el2
	mrs	x12, hcr_el2
	b	4f
3:	mrs	x11, sctlr_el1
4:	str	x11, [x9, #PB_SCTLR]
	str	x23, [x9, #PB_DAIF]
	str	x12, [x9, #PB_HCR]
	adr	x11, _start
	str	x11, [x9, #PB_START]
	adr	x11, _end
	str	x11, [x9, #PB_END]
	cmp	x24, #0
	cset	x11, ne
	str	x11, [x9, #PB_BSS]

	msr	spsel, #1
	adr	x11, probe_stack_top
	mov	sp, x11
	adr	x11, probe_vectors
	cmp	x10, #2
	b.ne	5f
	msr	vbar_el2, x11
	b	6f
5:	msr	vbar_el1, x11
6:	isb
	mov	x0, x9
	mov	x1, x19
	mov	x2, #DTB_READ_MAX
	bl	probe_report
	/* w0: the device tree's PSCI conduit; none: smc at EL2, else hvc. */
poweroff:
	mov	w9, w0
	movz	x0, #(PSCI_SYSTEM_OFF & 0xffff)
	movk	x0, #(PSCI_SYSTEM_OFF >> 16), lsl #16
	cmp	w9, #PROBE_PSCI_SMC
	b.eq	8f
	cmp	w9, #PROBE_PSCI_HVC
	b.eq	7f
	mrs	x10, CurrentEL
	cmp	x10, #(2 << 2)
	b.eq	8f
7:	hvc	#0
	b	9f
8:	smc	#0
9:	wfe
	b	9b

/* Any exception: an error record, then power off. */
.macro vec n
	.balign	128
	mov	x0, #\n
	b	vector_common
.endm
	.text
	.balign	2048
probe_vectors:
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
	adr	x9, probe_stack_top
	mov	sp, x9
	mrs	x9, CurrentEL
	cmp	x9, #(2 << 2)
	b.eq	1f
	mrs	x1, esr_el1
	mrs	x2, elr_el1
	mrs	x3, far_el1
	b	2f
1:	mrs	x1, esr_el2
	mrs	x2, elr_el2
	mrs	x3, far_el2
2:	bl	probe_exception
	mov	w0, #PROBE_PSCI_NONE
	b	poweroff

	.data
	.balign	16
	.globl	probe_boot
probe_boot:
	.skip	PB_SIZE

	.bss
	.balign	16
	.skip	16384
probe_stack_top:

	.section .note.GNU-stack, "", %progbits
