/* Real-mode entry (KJ_ENTRY_REAL16): from long mode down to real mode,
 * then a far jump to cs:ip with the registers of the parameter block.
 *
 *   64-bit      patch a GDT with 16-bit code/data segments based at the
 *               blob, and the far pointers below, with run-time values
 *               (the blob is position independent; no relocations)
 *   32-bit      compatibility mode -> paging off, EFER = 0, CR4 = 0:
 *               plain protected mode (as kj_purg_enter_pm32)
 *   16-bit PM   16-bit segments with 64 KiB limits, so the hidden
 *               descriptor caches are what real mode expects
 *   real mode   CR0.PE off (CR0 = ET, CD/NW kept), far jump to
 *               blob_base>>4 : offset, load the real-mode IVT (base 0,
 *               limit 0x3ff), set SS:SP (ESP's top half 0), DS, ES, FS,
 *               GS and the GPRs, EFLAGS 0x2, lret to cs:ip
 *
 * The code runs from the blob itself, so the loader must place the blob
 * below 1 MiB on a paragraph boundary (purgatory.c checks). The final
 * far return puts 6 bytes (cs, ip, ds) below the target's SS:SP: the
 * stack a real-mode program is handed is free memory below SP. An NMI
 * in the few instructions between the switches would triple-fault (no
 * IDT there); interrupts are off. */

#define CS32 0x08
#define CS64 0x10
#define DS32 0x18
#define CS16 0x20
#define DS16 0x28

/* struct kj_purgatory_real16 (purgatory_abi.h), packed */
#define R_CS 0
#define R_IP 2
#define R_SS 4
#define R_SP 6
#define R_DS 8
#define R_ES 10
#define R_FS 12
#define R_GS 14
#define R_EAX 16
#define R_EBX 20
#define R_ECX 24
#define R_EDX 28
#define R_ESI 32
#define R_EDI 36
#define R_EBP 40

/* rm_ptrs fields */
#define P_PM16 0   /* m16:32 far pointer to rm16 (CS16) */
#define P_REAL 8   /* m16:16 far pointer to rm_real (blob >> 4) */
#define P_IVT 12   /* real-mode IDT pseudo-descriptor */
#define P_REGS 18  /* blob offset of the register block */

	.text
	.code64
	.globl	kj_purg_enter_real16
kj_purg_enter_real16:
	cli
	lidt	rm_idt_null(%rip)
	lea	kj_purg_entry(%rip), %rbx	/* blob base */

	/* 16-bit descriptors: base[23:0] = blob base (below 1 MiB). */
	mov	%ebx, %eax
	shl	$16, %eax
	or	%eax, rm_gdt + CS16(%rip)
	or	%eax, rm_gdt + DS16(%rip)
	mov	%ebx, %eax
	shr	$16, %eax
	and	$0xff, %eax
	or	%eax, rm_gdt + CS16 + 4(%rip)
	or	%eax, rm_gdt + DS16 + 4(%rip)
	lea	rm_gdt(%rip), %rax
	mov	%rax, rm_gdt_ptr + 2(%rip)

	/* Far pointers and the register block, as blob offsets. */
	lea	rm16(%rip), %rax
	sub	%rbx, %rax
	mov	%eax, rm_ptrs + P_PM16(%rip)
	lea	rm_real(%rip), %rax
	sub	%rbx, %rax
	mov	%ax, rm_ptrs + P_REAL(%rip)
	mov	%ebx, %eax
	shr	$4, %eax
	mov	%ax, rm_ptrs + P_REAL + 2(%rip)
	mov	%rdi, %rax
	sub	%rbx, %rax
	mov	%ax, rm_ptrs + P_REGS(%rip)
	lea	rm_ptrs(%rip), %rsi		/* kept: its address, then offset */

	lgdt	rm_gdt_ptr(%rip)
	lea	1f(%rip), %rax
	pushq	$CS32
	pushq	%rax
	lretq

	.code32
1:	mov	%cr0, %eax
	and	$0x7fffffff, %eax		/* PG off: long mode ends */
	mov	%eax, %cr0
	mov	$0xc0000080, %ecx		/* EFER: LME, NXE, SCE off */
	xor	%eax, %eax
	xor	%edx, %edx
	wrmsr
	xor	%eax, %eax
	mov	%eax, %cr4
	ljmpl	*P_PM16(%esi)			/* DS is still flat */

	.code16
rm16:	mov	$DS16, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %fs
	mov	%ax, %gs
	mov	%ax, %ss
	sub	%ebx, %esi			/* rm_ptrs as a blob offset */
	mov	%cr0, %eax
	and	$0x60000000, %eax		/* keep CD/NW; PE, WP, MP... off */
	or	$0x10, %eax			/* ET */
	mov	%eax, %cr0
	ljmpw	*P_REAL(%si)			/* real mode from here */

rm_real:
	mov	%cs, %ax
	mov	%ax, %ds
	lidt	P_IVT(%si)
	mov	P_REGS(%si), %bx
	mov	R_SS(%bx), %ss
	movzwl	R_SP(%bx), %esp		/* ESP's top half clean too */
	pushw	$0x0002
	popfw
	pushw	R_CS(%bx)
	pushw	R_IP(%bx)
	pushw	R_DS(%bx)
	mov	R_ES(%bx), %es
	mov	R_FS(%bx), %fs
	mov	R_GS(%bx), %gs
	mov	R_EAX(%bx), %eax
	mov	R_ECX(%bx), %ecx
	mov	R_EDX(%bx), %edx
	mov	R_ESI(%bx), %esi
	mov	R_EDI(%bx), %edi
	mov	R_EBP(%bx), %ebp
	mov	R_EBX(%bx), %ebx		/* last: bx was the pointer */
	pop	%ds
	lretw

	.data
	.balign	16
rm_gdt:
	.quad	0
	.quad	0x00cf9a000000ffff	/* 0x08 32-bit code, flat */
	.quad	0x00af9a000000ffff	/* 0x10 64-bit code */
	.quad	0x00cf92000000ffff	/* 0x18 data, flat */
	.quad	0x00009a000000ffff	/* 0x20 16-bit code, base patched */
	.quad	0x000092000000ffff	/* 0x28 16-bit data, base patched */
rm_gdt_end:
	.balign	8
rm_gdt_ptr:
	.word	rm_gdt_end - rm_gdt - 1
	.quad	0
	.balign	8
rm_idt_null:
	.word	0
	.quad	0
	.balign	8
rm_ptrs:
	.long	0		/* P_PM16: offset */
	.word	CS16		/*         selector */
	.word	0
	.word	0		/* P_REAL: offset */
	.word	0		/*         segment */
	.word	0x3ff		/* P_IVT: limit */
	.long	0		/*        base */
	.word	0		/* P_REGS */

	.section .note.GNU-stack, "", @progbits
