/* Purgatory entry and exits.
 *
 * relocate_kernel jumps to blob offset 0 in 64-bit mode with paging on
 * and RAM identity-mapped. Nothing else it leaves is trusted: we load
 * our own GDT and stack, our own IDT (CPU exceptions 0-31 are reported
 * on the serial port, then the CPU halts; the dead kernel's IDT would
 * vector into memory the new segments may have overwritten), and enable
 * SSE (CR4.OSFXSR/OSXMMEXCPT, CR0.EM off) because the SHA-NI path uses
 * XMM registers. Everything is RIP-relative: the blob runs wherever the
 * loader put it. Before handing over, the IDT is emptied again: the
 * next kernel must not vector into this blob once it reuses the memory. */

#define CS32 0x08
#define CS64 0x10
#define DS   0x18

	.section .text.entry, "ax"
	.code64
	.globl	kj_purg_entry
kj_purg_entry:
	cli
	cld
	jmp	start64

	.text
start64:
	/* Kexec jump: relocate_kernel called us, and the return address at
	 * its stack pointer is the way back into the original kernel. Only
	 * the pointer is kept; purgatory.c reads it for KJ_PURG_JUMP_BACK
	 * alone, so nothing else trusts the stack we were handed. */
	mov	%rsp, kj_purg_entry_rsp(%rip)
	lea	gdt64(%rip), %rax
	mov	%rax, gdt64_ptr+2(%rip)
	lgdt	gdt64_ptr(%rip)
	lidt	idt_null(%rip)
	lea	stack_top(%rip), %rsp
	call	setup_idt
	lea	1f(%rip), %rax
	pushq	$CS64
	pushq	%rax
	lretq
1:	mov	$DS, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%eax, %fs
	mov	%eax, %gs

	mov	%cr0, %rax
	and	$~((1 << 2) | (1 << 3)), %rax	/* EM, TS off */
	or	$(1 << 1), %rax			/* MP on */
	mov	%rax, %cr0
	mov	%cr4, %rax
	or	$((1 << 9) | (1 << 10)), %rax	/* OSFXSR, OSXMMEXCPT */
	mov	%rax, %cr4

	push	$0			/* EFLAGS: IF, DF, AC off */
	popfq
	call	kj_purg_main
	/* fall through: kj_purg_main never returns */

/* 32 interrupt gates, 64-bit, selector CS64, handler i at
 * exc_stubs + 16 * i. Built at run time: the addresses are not known
 * until the blob is placed. */
setup_idt:
	lea	idt(%rip), %rdi
	lea	exc_stubs(%rip), %rsi
	mov	$32, %ecx
1:	mov	%rsi, %rax
	and	$0xffff, %eax
	or	$(CS64 << 16), %eax
	mov	%eax, (%rdi)
	mov	%rsi, %rax
	and	$0xffff0000, %eax
	or	$0x8e00, %eax		/* present, DPL 0, intr. gate */
	mov	%eax, 4(%rdi)
	mov	%rsi, %rax
	shr	$32, %rax
	mov	%rax, 8(%rdi)		/* offset 63:32, reserved 0 */
	add	$16, %rsi
	add	$16, %rdi
	dec	%ecx
	jnz	1b
	lea	idt(%rip), %rax
	mov	%rax, idt_ptr+2(%rip)
	lidt	idt_ptr(%rip)
	ret

/* Vectors that push an error code; the others get a 0 pushed. */
#define HAS_ERR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || \
		    (v) == 21 || (v) == 29 || (v) == 30)

	.balign	16
exc_stubs:
	.irp	v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,\
		22,23,24,25,26,27,28,29,30,31
	.balign	16
	.if	\v == 2
	iretq			/* NMI: nothing of ours to report */
	.else
	.if	!HAS_ERR(\v)
	pushq	$0
	.endif
	pushq	$\v
	jmp	exc_common
	.endif
	.endr

/* Stack: vector, error, RIP, CS, RFLAGS, RSP, SS. */
exc_common:
	cld
	mov	%rsp, %rdi
	and	$~15, %rsp
	call	kj_purg_exception
	/* fall through: kj_purg_exception never returns */

	.globl	kj_purg_halt
kj_purg_halt:
	cli
	hlt
	jmp	kj_purg_halt

/* void kj_purg_enter_linux64(uint64_t entry, uint64_t rsi)
 * Linux 64-bit boot protocol: __BOOT_CS 0x10, __BOOT_DS 0x18 (our GDT),
 * RSI = boot_params, interrupts off; we also zero the other GPRs and
 * EFLAGS. */
	.globl	kj_purg_enter_linux64
kj_purg_enter_linux64:
	cli
	lidt	idt_null(%rip)
	push	%rdi
	xor	%eax, %eax
	xor	%ebx, %ebx
	xor	%ecx, %ecx
	xor	%edx, %edx
	xor	%edi, %edi
	xor	%ebp, %ebp
	xor	%r8d, %r8d
	xor	%r9d, %r9d
	xor	%r10d, %r10d
	xor	%r11d, %r11d
	xor	%r12d, %r12d
	xor	%r13d, %r13d
	xor	%r14d, %r14d
	xor	%r15d, %r15d
	push	$0			/* EFLAGS 0, after the xors */
	popfq
	ret

/* void kj_purg_enter_pm32(uint32_t entry, uint32_t eax, uint32_t ebx,
 *                         uint32_t esi)
 * Leave long mode (SDM 9.8.5.4): go to a 32-bit compatibility-mode
 * segment, turn paging off (this code is identity-mapped and below
 * 4 GiB, which the caller checked), clear EFER and CR4, then load a
 * GDT whose 0x10 is a flat 32-bit code segment (what the Linux 32-bit
 * protocol wants; Multiboot takes any flat one). EAX/EBX/ESI as asked,
 * other GPRs zero except ESP, EFLAGS zero. */
	.globl	kj_purg_enter_pm32
kj_purg_enter_pm32:
	cli
	mov	%ecx, %ebp		/* esi value, kept across the switch */
	lidt	idt_null(%rip)
	lea	gdt32(%rip), %rax
	mov	%rax, gdt32_ptr+2(%rip)
	lea	gdt32_ptr(%rip), %rbx
	lea	stack_top(%rip), %rsp
	sub	$8, %rsp
	movl	%edi, (%rsp)		/* popped by the last ret */
	mov	%edx, %edi		/* ebx value */
					/* esi: eax value */
	lea	2f(%rip), %rax
	pushq	$CS32
	pushq	%rax
	lretq

	.code32
2:	mov	%cr0, %eax
	and	$0x7fffffff, %eax	/* PG off: long mode deactivates */
	mov	%eax, %cr0
	mov	$0xc0000080, %ecx	/* EFER: LME off, and NXE/SCE */
	xor	%eax, %eax		/* back to their reset value too */
	xor	%edx, %edx
	wrmsr
	xor	%eax, %eax
	mov	%eax, %cr4
	lgdt	(%ebx)
	mov	$DS, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%eax, %fs
	mov	%eax, %gs
	call	3f
3:	pop	%eax
	add	$(4f - 3b), %eax
	push	$0x10
	push	%eax
	lret
4:	mov	%esi, %eax
	mov	%edi, %ebx
	xor	%ecx, %ecx
	xor	%edx, %edx
	mov	%ebp, %esi
	xor	%edi, %edi
	xor	%ebp, %ebp
	push	$0			/* EFLAGS 0, after the xors */
	popfl
	ret

	.data
	.balign	16
gdt64:
	.quad	0
	.quad	0x00cf9a000000ffff	/* 0x08 32-bit code, flat */
	.quad	0x00af9a000000ffff	/* 0x10 64-bit code */
	.quad	0x00cf92000000ffff	/* 0x18 data, flat */
gdt64_end:
gdt32:
	.quad	0
	.quad	0x00cf9a000000ffff	/* 0x08 32-bit code, flat */
	.quad	0x00cf9a000000ffff	/* 0x10 32-bit code, flat */
	.quad	0x00cf92000000ffff	/* 0x18 data, flat */
gdt32_end:
	.balign	8
gdt64_ptr:
	.word	gdt64_end - gdt64 - 1
	.quad	0			/* base, filled at run time */
	.balign	8
gdt32_ptr:
	.word	gdt32_end - gdt32 - 1
	.quad	0
	.balign	8
idt_null:
	.word	0
	.quad	0
	.balign	8
idt_ptr:
	.word	32 * 16 - 1
	.quad	0

	.globl	kj_purg_entry_rsp
	.balign	8
kj_purg_entry_rsp:
	.quad	0

	.bss
	.balign	16
idt:
	.skip	32 * 16
stack:
	.skip	8192
stack_top:

	.section .note.GNU-stack, "", @progbits
