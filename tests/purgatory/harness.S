/* Purgatory test harness: a Multiboot (v1) kernel for QEMU -kernel.
 *
 * QEMU loads it with the filled purgatory blob as module 0 (-initrd).
 * The harness copies the blob to H_PURG_ADDR, identity-maps the first
 * 4 GiB with 2 MiB pages, enters long mode, scribbles over every
 * register (a purgatory must not trust what it inherits: GDT selectors
 * differ, RSP is bogus) and jumps to the blob's entry. The two targets
 * report the CPU state they were entered with on COM1 and leave QEMU
 * through isa-debug-exit (port 0xf4; QEMU exit status 33). A real-mode
 * blob (KJ_ENTRY_REAL16) is copied to H_PURG_LOW instead, below 1 MiB,
 * and its target is the 16-bit one at H_TARGET16. */
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

	/* The real-mode target to its place below 1 MiB (harness.ld). */
	mov	$__t16_lma, %esi
	mov	$H_TARGET16, %edi
	mov	$__t16_size, %ecx
	rep movsb

	/* Module 0 is the blob; a real-mode one (entry_mode 2 at params
	 * offset 8) must run below 1 MiB. */
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
	movl	$H_PURG_ADDR, blob_at
	cmpl	$2, 0x108(%esi)
	jne	1f
	movl	$H_PURG_LOW, blob_at
1:	mov	blob_at, %edi
	rep movsb
	PR	32, s_copied, blob_len
	PR	32, s_at, blob_at
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
	mov	blob_at, %r15d
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
s_esi:		.asciz	" esi="
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
blob_at:	.long	0

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
v_j:		.long	0

	.section .seg0, "a"
	.incbin	H_SEG0_FILE
	.section .seg1, "a"
	.incbin	H_SEG1_FILE

/* KJ_ENTRY_PM32 target: expects 32-bit protected mode, paging off.
 * "others" is ECX|EDX|EDI|EBP (all zero for both Multiboot and the
 * 32-bit Linux protocol); ESI is printed on its own. */
	.section .target32, "ax"
	.code32
target32:
	pushfl				/* before anything changes them */
	popl	v_d
	mov	%eax, v_a
	mov	%ebx, v_b
	mov	%esi, v_i
	mov	%ecx, %eax
	or	%edx, %eax
	or	%edi, %eax
	or	%ebp, %eax
	mov	%eax, v_c
	xor	%eax, %eax
	mov	%ds, %ax
	mov	%eax, v_j
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
	PR	32, s_esi, v_i
	PR	32, s_cs, v_e
	PR	32, s_ds, v_j
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

/* KJ_ENTRY_REAL16 target, at H_T16_SEG+0x20:0000 (linear H_TARGET16 +
 * 0x200): real mode. Records every register, CR0, IDTR and where it
 * runs (IP through call/pop), then tries the BIOS it was handed: INT 12h
 * (conventional memory KiB), INT 15h E820 (first map entry) and, with
 * interrupts on for a bounded while, whether the BIOS tick count at
 * 0040:006C moves (IRQ0 reaching the BIOS handler). Prints one
 * "TARGET16 ... end" line. Everything here is CS-relative: no segment
 * but CS is trusted. */
#define T16(x) ((x) - t16)
.macro SER16
putc16:
	push	%dx
	push	%ax
	mov	$(COM1 + 5), %dx
1:	inb	%dx, %al
	test	$0x20, %al
	jz	1b
	pop	%ax
	mov	$COM1, %dx
	outb	%al, %dx
	pop	%dx
	ret
puts16:				/* %cs:%si */
1:	movb	%cs:(%si), %al
	test	%al, %al
	jz	2f
	call	putc16
	inc	%si
	jmp	1b
2:	ret
hex16:				/* %ebx, 8 digits */
	mov	$8, %cx
1:	rol	$4, %ebx
	mov	%bx, %di
	and	$0xf, %di
	movb	%cs:T16(hexd16)(%di), %al
	call	putc16
	loop	1b
	ret
.endm

.macro PR16 str, var
	mov	$T16(\str), %si
	call	puts16
	mov	%cs:T16(\var), %ebx
	call	hex16
.endm

	.section .target16, "awx"
	.code16
t16:				/* at H_TARGET16 + 0x200 (harness.ld) */
	pushfl				/* first: before anything sets flags */
	popl	%cs:T16(r_eflags)
	mov	%eax, %cs:T16(r_eax)
	mov	%ebx, %cs:T16(r_ebx)
	mov	%ecx, %cs:T16(r_ecx)
	mov	%edx, %cs:T16(r_edx)
	mov	%esi, %cs:T16(r_esi)
	mov	%edi, %cs:T16(r_edi)
	mov	%ebp, %cs:T16(r_ebp)
	mov	%esp, %cs:T16(r_esp)	/* pushfl/popl left it as it was */
	xor	%eax, %eax
	mov	%cs, %ax
	mov	%eax, %cs:T16(r_cs)
	mov	%ds, %ax
	mov	%eax, %cs:T16(r_ds)
	mov	%es, %ax
	mov	%eax, %cs:T16(r_es)
	mov	%fs, %ax
	mov	%eax, %cs:T16(r_fs)
	mov	%gs, %ax
	mov	%eax, %cs:T16(r_gs)
	mov	%ss, %ax
	mov	%eax, %cs:T16(r_ss)
	mov	%cr0, %eax
	mov	%eax, %cs:T16(r_cr0)
	sidtl	%cs:T16(r_idt)
	call	1f
1:	pop	%ax
	sub	$(1b - t16), %ax	/* where t16 runs: expected 0 */
	mov	%eax, %cs:T16(r_ip)

	/* The BIOS: conventional memory, first E820 entry. */
	int	$0x12
	movzwl	%ax, %eax
	mov	%eax, %cs:T16(r_int12)
	mov	%cs, %ax
	mov	%ax, %es
	mov	$T16(e820buf), %di
	xor	%ebx, %ebx
	mov	$0xe820, %eax
	mov	$0x534d4150, %edx
	mov	$20, %ecx
	int	$0x15
	jc	2f
	cmp	$0x534d4150, %eax
	jne	2f
	mov	%cs:T16(e820buf) + 16, %eax
	mov	%eax, %cs:T16(r_e820t)
	mov	%cs:T16(e820buf) + 8, %eax
	mov	%eax, %cs:T16(r_e820l)
2:	/* The BIOS tick: does IRQ0 reach it? */
	xor	%ax, %ax
	mov	%ax, %es
	mov	%es:0x46c, %ebx
	mov	$0x1000000, %ecx
	sti
3:	mov	%es:0x46c, %eax
	cmp	%eax, %ebx
	jne	4f
	dec	%ecx
	jnz	3b
4:	cli
	sub	%ebx, %eax
	mov	%eax, %cs:T16(r_ticks)

	PR16	s16_cs, r_cs
	PR16	s16_ip, r_ip
	PR16	s16_ds, r_ds
	PR16	s16_es, r_es
	PR16	s16_fs, r_fs
	PR16	s16_gs, r_gs
	PR16	s16_ss, r_ss
	PR16	s16_esp, r_esp
	PR16	s16_cr0, r_cr0
	PR16	s16_flags, r_eflags
	PR16	s16_idtl, r_idt
	PR16	s16_idtb, r_idt + 2
	PR16	s16_eax, r_eax
	PR16	s16_ebx, r_ebx
	PR16	s16_ecx, r_ecx
	PR16	s16_edx, r_edx
	PR16	s16_esi, r_esi
	PR16	s16_edi, r_edi
	PR16	s16_ebp, r_ebp
	PR16	s16_int12, r_int12
	PR16	s16_e820t, r_e820t
	PR16	s16_e820l, r_e820l
	PR16	s16_ticks, r_ticks
	mov	$T16(s16_end), %si
	call	puts16
	mov	$0xf4, %dx
	mov	$0x10, %al
	outb	%al, %dx
5:	hlt
	jmp	5b

	SER16
	.balign	4
r_eax:	.long	0
r_ebx:	.long	0
r_ecx:	.long	0
r_edx:	.long	0
r_esi:	.long	0
r_edi:	.long	0
r_ebp:	.long	0
r_esp:	.long	0
r_cs:	.long	0
r_ds:	.long	0
r_es:	.long	0
r_fs:	.long	0
r_gs:	.long	0
r_ss:	.long	0
r_ip:	.long	0
r_eflags: .long	0
r_cr0:	.long	0
r_int12: .long	0
r_e820t: .long	0
r_e820l: .long	0
r_ticks: .long	0
r_idt:	.word	0		/* limit */
	.long	0		/* base */
	.word	0
e820buf: .skip	24
hexd16:	.ascii	"0123456789abcdef"
s16_cs:	.asciz	"TARGET16 cs="
s16_ip:	.asciz	" ip="
s16_ds:	.asciz	" ds="
s16_es:	.asciz	" es="
s16_fs:	.asciz	" fs="
s16_gs:	.asciz	" gs="
s16_ss:	.asciz	" ss="
s16_esp: .asciz	" esp="
s16_cr0: .asciz	" cr0="
s16_flags: .asciz " eflags="
s16_idtl: .asciz " idt_limit="
s16_idtb: .asciz " idt_base="
s16_eax: .asciz	" eax="
s16_ebx: .asciz	" ebx="
s16_ecx: .asciz	" ecx="
s16_edx: .asciz	" edx="
s16_esi: .asciz	" esi="
s16_edi: .asciz	" edi="
s16_ebp: .asciz	" ebp="
s16_int12: .asciz " int12="
s16_e820t: .asciz " e820_type="
s16_e820l: .asciz " e820_len="
s16_ticks: .asciz " ticks="
s16_end: .asciz	" end\n"
