/* Copies of the firmware's ACPI RSDPs and SMBIOS tables for the system
 * description (sysdesc.c), for protocols that hand over the bytes
 * (Multiboot 2 tags 13, 14, 15). Internal to the x86_64 arch. */
#ifndef KJ_ARCH_X86_64_FW_TABLES_H
#define KJ_ARCH_X86_64_FW_TABLES_H

#include <stdint.h>

#include "core/sysdesc.h"

/* RSDP candidates in order: the EFI configuration table's ACPI 2.0 and
 * 1.0 entries (efi20, efi10; 0 = none), the address the running kernel
 * recorded (boot_rsdp), and on a BIOS system the EBDA and BIOS area
 * scan. Read through /dev/mem; what cannot be read is said in
 * sys->note. Never fails: the tags are optional. */
void kj_x86_read_rsdp(struct kj_sysdesc *sys, uint64_t efi20, uint64_t efi10,
		      uint64_t boot_rsdp);

/* The SMBIOS entry point and structure table the kernel exports
 * (/sys/firmware/dmi/tables). */
void kj_x86_read_smbios(struct kj_sysdesc *sys);

/* Is b[0..len) an RSDP: "RSD PTR ", checksum over 20 bytes and, from
 * revision 2 on, a length in 36..len and the extended checksum? */
int kj_x86_rsdp_valid(const uint8_t *b, size_t len);

#endif
