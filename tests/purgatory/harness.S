/* Purgatory test harness: a Multiboot (v1) kernel for QEMU -kernel.
 *
 * QEMU loads it with the filled purgatory blob as module 0 (-initrd).
 * The harness copies the blob to H_PURG_ADDR, identity-maps the first
 * 4 GiB with 2 MiB pages, enters long mode, scribbles over every
 * register (a purgatory must not trust what it inherits: GDT selectors
 * differ, RSP is bogus) and jumps to the blob's entry. The two targets
 * report the CPU state they were entered with on COM1 and leave QEMU
 * through isa-debug-exit (port 0xf4; QEMU exit status 33). */
#include "harness.h"

#define COM1  0x3f8
#define MB_MAGIC 0x1badb002
#define MB_FLAGS 0x0

/* Serial helpers, assembled once per CPU mode (\m is 32 or 64). They
 * use 32-bit registers and addresses only; all symbols are below 2 GiB.
 *   putc: %al; puts: %esi = string; hex: %ebx = value, 8 digits. */
.macro SERIAL m
putc\m:
	mov	%eax, %ecx
	mov	$(COM1 + 5), %edx
1:	inb	%dx, %al
	test	$0x20, %al
	jz	1b
	mov	%ecx, %eax
	mov	$COM1, %edx
	outb	%al, %dx
	ret
puts\m:
1:	movb	(%esi), %al
	test	%al, %al
	jz	2f
	call	putc\m
	inc	%esi
	jmp	1b
2:	ret
hex\m:
	mov	$8, %edi
1:	rol	$4, %ebx
	mov	%ebx, %eax
	and	$0xf, %eax
	movb	hexdigits(%eax), %al
	call	putc\m
	dec	%edi
	jnz	1b
	ret
.endm

/* print "<str><hex of 32-bit value>" */
.macro PR m, str, val
	mov	$\str, %esi
	call	puts\m
	mov	\val, %ebx
	call	hex\m
.endm

	.section .multiboot, "a"
	.balign	4
	.long	MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)

	.text
	.code32
	.globl	h_start
h_start:
	cli
	cld
	mov	$stack_top, %esp
	mov	%ebx, mbi
	lgdt	gdt_ptr
	ljmp	$0x08, $1f
1:	mov	$0x10, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%eax, %fs
	mov	%eax, %gs

	/* COM1: 115200 8N1. */
	mov	$(COM1 + 1), %dx
	xor	%al, %al
	outb	%al, %dx
	mov	$(COM1 + 3), %dx
	mov	$0x80, %al
	outb	%al, %dx
	mov	$COM1, %dx
	mov	$1, %al
	outb	%al, %dx
	mov	$(COM1 + 1), %dx
	xor	%al, %al
	outb	%al, %dx
	mov	$(COM1 + 3), %dx
	mov	$3, %al
	outb	%al, %dx

	mov	$s_start, %esi
	call	puts32

	/* Module 0 is the blob. */
	mov	mbi, %ebx
	testl	$(1 << 3), (%ebx)
	jz	no_module
	cmpl	$0, 20(%ebx)
	je	no_module
	mov	24(%ebx), %eax
	mov	(%eax), %esi		/* mod_start */
	mov	4(%eax), %ecx		/* mod_end */
	sub	%esi, %ecx
	mov	%ecx, blob_len
	mov	$H_PURG_ADDR, %edi
	rep movsb
	PR	32, s_copied, blob_len
	PR	32, s_at, $H_PURG_ADDR
	mov	$s_nl, %esi
	call	puts32

	/* Page tables: PML4[0] -> PDPT, PDPT[0..3] -> 4 PDs of 2 MiB pages. */
	mov	$pml4, %edi
	mov	$(6 * 4096 / 4), %ecx
	xor	%eax, %eax
	rep stosl
	movl	$(pdpt + 3), pml4
	xor	%ecx, %ecx
1:	mov	%ecx, %eax
	shl	$12, %eax
	add	$(pd + 3), %eax
	mov	%eax, pdpt(, %ecx, 8)
	inc	%ecx
	cmp	$4, %ecx
	jne	1b
	xor	%ecx, %ecx		/* 2048 entries, 2 MiB each */
1:	mov	%ecx, %eax
	shl	$21, %eax
	or	$0x83, %eax		/* present, writable, 2 MiB */
	mov	%eax, pd(, %ecx, 8)	/* high dword stays 0: < 4 GiB */
	inc	%ecx
	cmp	$2048, %ecx
	jne	1b

	mov	%cr4, %eax
	or	$(1 << 5), %eax		/* PAE */
	mov	%eax, %cr4
	mov	$pml4, %eax
	mov	%eax, %cr3
	mov	$0xc0000080, %ecx
	rdmsr
	or	$(1 << 8), %eax		/* LME */
	wrmsr
	mov	%cr0, %eax
	or	$0x80000001, %eax
	mov	%eax, %cr0
	ljmp	$0x28, $long64

no_module:
	mov	$s_nomod, %esi
	call	puts32
	mov	$0xf4, %dx
	mov	$0x7f, %al
	outb	%al, %dx
1:	hlt
	jmp	1b

	.code64
long64:
	mov	$0x30, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	$H_PURG_ADDR, %r15
	movabs	$0xdeadbeefdeadbeef, %rax
	mov	%rax, %rbx
	mov	%rax, %rcx
	mov	%rax, %rdx
	mov	%rax, %rsi
	mov	%rax, %rdi
	mov	%rax, %rbp
	mov	%rax, %r8
	mov	%rax, %r9
	mov	%rax, %r10
	mov	%rax, %r11
	mov	%rax, %r12
	mov	%rax, %r13
	mov	%rax, %r14
	mov	$0x7, %rsp		/* a purgatory using it dies */
	std				/* one trusting DF copies wrong */
	jmp	*%r15

/* Everything the targets use lives in .target32/.target64/.targetlib,
 * one contiguous block from H_TARGET32, so that the same bytes can also
 * be loaded as a kexec segment by kexec_smoke.c. */
	.section .targetlib, "awx"
	.code32
	SERIAL	32
	.code64
	SERIAL	64

hexdigits:	.ascii	"0123456789abcdef"
s_start:	.asciz	"HARNESS start\n"
s_nomod:	.asciz	"HARNESS no module\n"
s_copied:	.asciz	"HARNESS blob 0x"
s_at:		.asciz	" bytes at 0x"
s_nl:		.asciz	"\n"
s_t32:		.asciz	"TARGET32 eax="
s_t64:		.asciz	"TARGET64 rsi="
s_ebx:		.asciz	" ebx="
s_cs:		.asciz	" cs="
s_ds:		.asciz	" ds="
s_cr0:		.asciz	" cr0="
s_cr4:		.asciz	" cr4="
s_efer:		.asciz	" efer="
s_flags:	.asciz	" eflags="
s_others:	.asciz	" others="
s_end:		.asciz	" end\n"

	.data
	.balign	8
gdt:
	.quad	0
	.quad	0x00cf9a000000ffff	/* 0x08 code32 */
	.quad	0x00cf92000000ffff	/* 0x10 data */
	.quad	0
	.quad	0
	.quad	0x00af9a000000ffff	/* 0x28 code64 */
	.quad	0x00cf92000000ffff	/* 0x30 data */
gdt_end:
gdt_ptr:
	.word	gdt_end - gdt - 1
	.long	gdt
mbi:		.long	0
blob_len:	.long	0

	.section .targetlib, "awx"
	.balign	8
v_a:		.long	0
v_b:		.long	0
v_c:		.long	0
v_d:		.long	0
v_e:		.long	0
v_f:		.long	0
v_g:		.long	0
v_h:		.long	0
v_i:		.long	0

	.section .seg0, "a"
	.incbin	H_SEG0_FILE
	.section .seg1, "a"
	.incbin	H_SEG1_FILE

/* KJ_ENTRY_PM32 target: expects 32-bit protected mode, paging off. */
	.section .target32, "ax"
	.code32
target32:
	pushfl				/* before anything changes them */
	popl	v_d
	mov	%eax, v_a
	mov	%ebx, v_b
	mov	%ecx, %eax
	or	%edx, %eax
	or	%esi, %eax
	or	%edi, %eax
	or	%ebp, %eax
	mov	%eax, v_c
	xor	%eax, %eax
	mov	%cs, %ax
	mov	%eax, v_e
	mov	%cr0, %eax
	mov	%eax, v_f
	mov	%cr4, %eax
	mov	%eax, v_g
	mov	$0xc0000080, %ecx
	rdmsr
	mov	%eax, v_h
	PR	32, s_t32, v_a
	PR	32, s_ebx, v_b
	PR	32, s_cs, v_e
	PR	32, s_cr0, v_f
	PR	32, s_cr4, v_g
	PR	32, s_efer, v_h
	PR	32, s_flags, v_d
	PR	32, s_others, v_c
	mov	$s_end, %esi
	call	puts32
	mov	$0xf4, %dx
	mov	$0x10, %al
	outb	%al, %dx
1:	hlt
	jmp	1b

/* KJ_ENTRY_LINUX64 target: expects 64-bit mode, RSI = boot_params. */
	.section .target64, "ax"
	.code64
target64:
	pushfq
	popq	v_f
	mov	%rsi, v_a		/* v_a:v_b = rsi */
	mov	%rax, %rsi
	or	%rbx, %rsi
	or	%rcx, %rsi
	or	%rdx, %rsi
	or	%rdi, %rsi
	or	%rbp, %rsi
	or	%r8, %rsi
	or	%r9, %rsi
	or	%r10, %rsi
	or	%r11, %rsi
	or	%r12, %rsi
	or	%r13, %rsi
	or	%r14, %rsi
	or	%r15, %rsi
	mov	%rsi, v_c		/* v_c:v_d = others */
	xor	%eax, %eax
	mov	%cs, %ax
	mov	%eax, v_e
	xor	%eax, %eax
	mov	%ds, %ax
	mov	%eax, v_h
	mov	%cr0, %rax
	mov	%eax, v_g
	mov	%cr4, %rax
	mov	%eax, v_i
	PR	64, s_t64, v_b
	mov	v_a, %ebx
	call	hex64
	PR	64, s_cs, v_e
	PR	64, s_ds, v_h
	PR	64, s_cr0, v_g
	PR	64, s_cr4, v_i
	PR	64, s_flags, v_f
	PR	64, s_others, v_d
	mov	v_c, %ebx
	call	hex64
	mov	$s_end, %esi
	call	puts64
	mov	$0xf4, %dx
	mov	$0x10, %al
	outb	%al, %dx
1:	hlt
	jmp	1b

	.bss
	.balign	4096
pml4:	.skip	4096
pdpt:	.skip	4096
pd:	.skip	4 * 4096
stack:	.skip	8192
stack_top:
