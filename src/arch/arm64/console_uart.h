/* Which UART the arm64 purgatory prints on (--console-serial, kexec-tools'
 * arm64 --serial=).
 *
 *   --console-serial=0x9000000   that physical address
 *   --console-serial=ttyAMA0     the UART behind that tty, as the running
 *   --serial=ttyAMA0             kernel says (/sys/class/tty/NAME/
 *                                iomem_base, as kexec-tools reads it)
 *   --console-serial             the next kernel's console: its device
 *                                tree's stdout-path, else (UEFI + ACPI,
 *                                where the tree has no stdout-path) the
 *                                ACPI SPCR table
 *
 * The purgatory speaks PL011 only (its data and flag registers, which
 * the SBSA generic UART shares): a tty or table naming another kind is
 * refused rather than written to. */
#ifndef KJ_ARCH_ARM64_CONSOLE_UART_H
#define KJ_ARCH_ARM64_CONSOLE_UART_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* The PL011 an ACPI SPCR table (its bytes: /sys/firmware/acpi/tables/
 * SPCR) names. -ENODEV: another kind of UART, or not memory-mapped;
 * -EINVAL: not an SPCR table, or cut short. */
int kj_arm64_spcr_uart(const uint8_t *t, size_t len, uint64_t *base,
		       struct kj_err *err);

/* The UART for the purgatory. named: the option's value as typed (an
 * address or a tty name), NULL for the console's; dtb: the tree the next
 * kernel gets (may be NULL). *how says where the address came from
 * ("stdout-path", "ACPI SPCR", ...). Every failure names the option. */
int kj_arm64_console_uart(const char *named, const void *dtb, size_t dtb_len,
			  uint64_t *base, const char **how, struct kj_err *err);

#endif
