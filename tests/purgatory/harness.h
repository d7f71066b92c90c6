/* Fixed addresses shared by the purgatory test harness (harness.S,
 * harness.ld via the C preprocessor) and the host tool mkblob.c. */
#ifndef KJ_PURG_HARNESS_H
#define KJ_PURG_HARNESS_H

#define H_SEG0_ADDR  0x00400000 /* seg0.bin, 1 MiB of pseudo-random data */
#define H_SEG1_ADDR  0x00600000 /* seg1.bin, 4097 bytes */
#define H_TARGET32   0x00700000 /* KJ_ENTRY_PM32 target */
#define H_TARGET64   0x00701000 /* KJ_ENTRY_LINUX64 target */
#define H_TARGET_LEN 0x3000     /* both targets and their helpers */
#define H_BSS        0x00800000 /* page tables, stack */
#define H_PURG_ADDR  0x01234000 /* the blob is copied here (not 0: PIE) */
#define H_PURG_LOW   0x00020000 /* ... or here for KJ_ENTRY_REAL16 */
#define H_TARGET16   0x00010000 /* KJ_ENTRY_REAL16 target block (4 KiB) */
#define H_TARGET16_LMA 0x00130000 /* ... as loaded, copied to H_TARGET16 */
#define H_T16_SEG    0x1000     /* entered at H_T16_SEG+0x20:0000, like a
				   Linux real-mode setup at seg:0200 */

#define H_SEG0_LEN   (1024 * 1024)
#define H_SEG1_LEN   4097

#endif
