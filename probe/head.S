/* Multiboot entry of the probe payload.
 *
 * The loader jumps here in 32-bit protected mode, paging off, with the
 * magic in EAX and the info pointer in EBX (Multiboot 1 or 2: probe.c
 * tells them apart by the magic); ESP is undefined. Record the
 * machine state before anything changes it, check that the loader zeroed
 * our bss (before our own stack lives there), then call C.
 *
 * Built three times: as-is for the ELF probe (the loader reads our ELF
 * program headers), with PROBE_AOUT for the flat binary, whose header
 * carries the address fields (flag 16, the "a.out kludge"), and with
 * PROBE_MB2 for the Multiboot 2 ELF probe (a Multiboot 2 header only). */

#define MB_MAGIC 0x1BADB002
#define MB_PAGE_ALIGN 0x00000001 /* modules on 4 KiB boundaries */
#define MB_MEMORY_INFO 0x00000002 /* mem_lower/upper and memory map */
#define MB_ADDRESS 0x00010000 /* header_addr ... entry_addr are valid */

#define MB2_MAGIC 0xE85250D6
#define MB2_OPTIONAL 1

#ifdef PROBE_AOUT
#define MB_FLAGS (MB_PAGE_ALIGN | MB_MEMORY_INFO | MB_ADDRESS)
#else
#define MB_FLAGS (MB_PAGE_ALIGN | MB_MEMORY_INFO)
#endif

/* Offsets into struct probe_boot (probe.c asserts they match). */
#define PB_EAX 0
#define PB_EBX 4
#define PB_ESP 8
#define PB_EFLAGS 12
#define PB_CR0 16
#define PB_CR4 20
#define PB_CS 24
#define PB_DS 26
#define PB_ES 28
#define PB_FS 30
#define PB_GS 32
#define PB_SS 34
#define PB_BSS_DIRTY 36

	/* A signature ahead of the header so that header_addr != load_addr:
	 * loaders must honour the offset arithmetic of the a.out kludge. */
	.section .head, "a"
	.ascii "KJPROBE-IMAGE\0\0\0"

	.section .multiboot, "a"
#ifdef PROBE_MB2
	/* Multiboot 2 (probe-mb2.elf): an information request for every
	 * tag the probe decodes, EGA text accepted as console, modules page
	 * aligned, and a relocatable tag whose window is exactly the link
	 * address, so the loader's load base shows without the probe being
	 * position independent. All optional except module alignment. */
	.balign 8
	.globl probe_mb_header
probe_mb_header:
	.long MB2_MAGIC
	.long 0 /* i386 */
	.long mb2_end - probe_mb_header
	.long 0x100000000 - (MB2_MAGIC + (mb2_end - probe_mb_header))
1:	.short 1, MB2_OPTIONAL /* information request */
	.long 2f - 1b
	.long 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 21
2:	.balign 8
	.short 4, MB2_OPTIONAL /* console flags */
	.long 12
	.long 2 /* EGA text supported */
	.balign 8
	.short 6, 0 /* module alignment */
	.long 8
	.short 10, MB2_OPTIONAL /* relocatable */
	.long 24
	.long __image_start, __probe_reloc_max, 4096, 1 /* lowest */
	.short 0, 0 /* end */
	.long 8
mb2_end:
#else
	.balign 4
	.globl probe_mb_header
probe_mb_header:
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)
#ifdef PROBE_AOUT
	.long probe_mb_header /* header_addr */
	.long __image_start /* load_addr */
	.long _edata /* load_end_addr */
	.long _end /* bss_end_addr */
	.long _start /* entry_addr */
#endif
#endif

	.text
	.globl _start
	.type _start, @function
_start:
	movl %eax, probe_boot + PB_EAX
	movl %ebx, probe_boot + PB_EBX
	movl %esp, probe_boot + PB_ESP
	/* MOV leaves EFLAGS alone; a few bytes of .data hold PUSHF. */
	movl $scratch_top, %esp
	pushfl
	popl probe_boot + PB_EFLAGS
	movl %cr0, %eax
	movl %eax, probe_boot + PB_CR0
	movl %cr4, %eax
	movl %eax, probe_boot + PB_CR4
	movw %cs, probe_boot + PB_CS
	movw %ds, probe_boot + PB_DS
	movw %es, probe_boot + PB_ES
	movw %fs, probe_boot + PB_FS
	movw %gs, probe_boot + PB_GS
	movw %ss, probe_boot + PB_SS

	/* OR together every dword of bss: non-zero means the loader did
	 * not clear it. */
	cli
	cld
	xorl %edx, %edx
	movl $__bss_start, %edi
1:	cmpl $_end, %edi
	jae 2f
	orl (%edi), %edx
	addl $4, %edi
	jmp 1b
2:	movl %edx, probe_boot + PB_BSS_DIRTY

	movl $stack_top, %esp
	pushl $probe_boot
	call probe_main
3:	cli
	hlt
	jmp 3b
	.size _start, . - _start

	.data
	.balign 4
scratch:
	.skip 16
scratch_top:

	.bss
	.balign 16
stack:
	.skip 16384
stack_top:

	.section .note.GNU-stack, "", @progbits
