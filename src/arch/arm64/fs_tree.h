/* The running device tree rebuilt from its unflattened form
 * (/sys/firmware/devicetree/base, the /proc/device-tree of old), for when
 * the blob itself is out of reach: /sys/firmware/fdt is readable by root
 * only, the unflattened tree by everyone, so an unprivileged --dry-run
 * can still build and show the next kernel's tree.
 *
 * Every directory is a node, every regular file a property (its bytes as
 * they are). Lost on the way: the /memreserve/ block, the "name"
 * properties the kernel synthesises for every node (the node names carry
 * them), and "security-*" properties, which only root may read. Entries
 * are sorted by name, so the same tree gives the same blob. */
#ifndef KJ_ARCH_ARM64_FS_TREE_H
#define KJ_ARCH_ARM64_FS_TREE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define KJ_ARM64_FS_TREE_DEPTH 32 /* nodes nested deeper: an error */

/* Build a blob (malloc'd into *fdt, *len bytes, at most max) from the
 * directory at syspath (through the sysroot). */
int kj_arm64_fs_tree(const char *syspath, size_t max, uint8_t **fdt,
		     size_t *len, struct kj_err *err);

#endif
