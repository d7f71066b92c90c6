/* Noticing that block devices came or went (a USB stick plugged in while
 * the menu is up): a fingerprint of the names in /sys/class/block, read
 * through the sysroot layer. Polling it is cheaper than a uevent socket
 * and works without udev. */
#ifndef KJ_BOOT_BLOCKWATCH_H
#define KJ_BOOT_BLOCKWATCH_H

#include <stdint.h>

/* The same value for the same set of names, whatever the order; 0 when
 * the directory cannot be read. */
uint64_t kj_blockwatch_fingerprint(void);

#endif
