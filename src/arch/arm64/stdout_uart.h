/* Which PL011 a device tree's console is: the purgatory's serial port.
 *
 * /chosen stdout-path (or the older linux,stdout-path) names the console
 * node, by path or by alias ("serial0:115200n8"); its first reg entry,
 * translated through the parents' ranges, is the UART's physical base.
 * Only an "arm,pl011" counts: the purgatory speaks nothing else. */
#ifndef KJ_ARCH_ARM64_STDOUT_UART_H
#define KJ_ARCH_ARM64_STDOUT_UART_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* *base = the PL011's physical address. -ENOENT: no stdout-path (or it
 * names no node); -ENODEV: the console is not a PL011; -EINVAL: the tree
 * or its reg/ranges are malformed. name is for messages. */
int kj_arm64_stdout_uart(const void *fdt, size_t len, const char *name,
			 uint64_t *base, struct kj_err *err);

#endif
