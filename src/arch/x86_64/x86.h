/* x86_64's own modules behind arch/arch.h: arch.c maps the interface to
 * these, so that they build (and are tested) on any host. */
#ifndef KJ_ARCH_X86_64_X86_H
#define KJ_ARCH_X86_64_X86_H

#include "arch/arch.h"

/* sysdesc.c: boot_params, EFI runtime services, ACPI RSDP, SMBIOS. */
int kj_x86_sysdesc_read(struct kj_sysdesc *sys, struct kj_err *err);
void kj_x86_sysdesc_free(struct kj_sysdesc *sys);

/* zeropage.c: the Linux boot data, struct boot_params. */
int kj_x86_zeropage_size(const struct kj_linux_boot *b,
			 const struct kj_sysdesc *sys, size_t *size,
			 struct kj_err *err);
int kj_x86_zeropage_build(const struct kj_linux_boot *b,
			  const struct kj_sysdesc *sys, uint64_t addr,
			  uint8_t **buf, size_t *len, struct kj_err *err);

#endif
