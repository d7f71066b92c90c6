/* The arm64 purgatory image, built by purgatory/arm64.mk, which passes
 * its path in KJ_PURGATORY_ARM64_BIN. Only an arm64 libkjump carries it;
 * elsewhere this assembles to nothing. */
#if defined(__aarch64__)
#ifndef KJ_PURGATORY_ARM64_BIN
#error "KJ_PURGATORY_ARM64_BIN not set (see purgatory/arm64.mk)"
#endif
	.section .rodata.kj_purgatory_arm64, "a"
	.balign	64
	.globl	kj_purgatory_arm64_start
	.type	kj_purgatory_arm64_start, %object
kj_purgatory_arm64_start:
	.incbin	KJ_PURGATORY_ARM64_BIN
	.globl	kj_purgatory_arm64_end
kj_purgatory_arm64_end:
	.size	kj_purgatory_arm64_start, . - kj_purgatory_arm64_start
#endif
#if defined(__x86_64__)
	.section .note.GNU-stack, "", @progbits
#else
	.section .note.GNU-stack, "", %progbits
#endif
