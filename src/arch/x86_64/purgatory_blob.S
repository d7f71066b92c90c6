/* The x86_64 purgatory image, built by purgatory/purgatory.mk, which
 * passes its path in KJ_PURGATORY_X86_64_BIN. */
#if defined(__x86_64__)
#ifndef KJ_PURGATORY_X86_64_BIN
#error "KJ_PURGATORY_X86_64_BIN not set (see purgatory/purgatory.mk)"
#endif
	.section .rodata.kj_purgatory, "a"
	.balign	64
	.globl	kj_purgatory_x86_64_start
	.type	kj_purgatory_x86_64_start, @object
kj_purgatory_x86_64_start:
	.incbin	KJ_PURGATORY_X86_64_BIN
	.globl	kj_purgatory_x86_64_end
kj_purgatory_x86_64_end:
	.size	kj_purgatory_x86_64_start, . - kj_purgatory_x86_64_start
#endif
	.section .note.GNU-stack, "", @progbits
