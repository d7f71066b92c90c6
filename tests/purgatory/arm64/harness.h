/* Fixed addresses shared by the arm64 purgatory harness (harness.S and
 * harness.ld through the C preprocessor), its host tool mkblob.c and
 * tests/vm/test_purgatory_arm64.py. QEMU virt: RAM from 1 GiB, the DTB
 * QEMU writes for a bare-metal ELF at its start, the PL011 at 0x09000000.
 * QEMU's generic loader (-device loader) puts the blob and the segments
 * at their addresses. */
#ifndef KJ_PURG_ARM64_HARNESS_H
#define KJ_PURG_ARM64_HARNESS_H

#define H_UART 0x09000000
#define H_CONFIG 0x40180000    /* 4 bytes: H_CFG_* flags */
#define H_HARNESS 0x40200000   /* harness.elf: code, stack */
#define H_TARGET 0x40210000    /* the target the purgatory enters */
#define H_SEG0_ADDR 0x40400000 /* seg0.bin, 1 MiB of pseudo-random data */
#define H_SEG1_ADDR 0x40600000 /* seg1.bin, 4097 bytes */
#define H_PURG_ADDR 0x41234000 /* the filled blob (not 0: PIE) */
#define H_BIG_ADDR 0x42000000  /* big.bin, for speed measurements */
#define H_DTB_VALUE 0x4ffff000 /* what the targets must see in x0 */

#define H_SEG0_LEN (1024 * 1024)
#define H_SEG1_LEN 4097

#define H_CFG_VHE 0x1 /* at EL2: set HCR_EL2.E2H and TGE first */

#endif
