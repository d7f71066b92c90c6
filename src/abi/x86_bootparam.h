/* The x86 Linux boot protocol's data layouts: the setup header an image
 * carries and the "zero page" (struct boot_params) a boot loader hands
 * the kernel, with their flags and the e820 map format.
 *
 * Written from the boot protocol documents (Documentation/arch/x86/
 * boot.rst and zero-page.rst). Fields we never set are kept as opaque
 * byte arrays; every offset is checked at compile time. All fields are
 * little-endian, like the host this code runs on. */
#ifndef KJ_ABI_X86_BOOTPARAM_H
#define KJ_ABI_X86_BOOTPARAM_H

#include <stddef.h>
#include <stdint.h>

#define KJ_E820_MAX_ENTRIES_ZEROPAGE 128

/* loadflags */
#define KJ_LOADED_HIGH      (1u << 0)
#define KJ_KASLR_FLAG       (1u << 1)
#define KJ_QUIET_FLAG       (1u << 5)
#define KJ_KEEP_SEGMENTS    (1u << 6)
#define KJ_CAN_USE_HEAP     (1u << 7)

/* xloadflags (protocol 2.12+) */
#define KJ_XLF_KERNEL_64                  (1u << 0)
#define KJ_XLF_CAN_BE_LOADED_ABOVE_4G     (1u << 1)
#define KJ_XLF_EFI_HANDOVER_32            (1u << 2)
#define KJ_XLF_EFI_HANDOVER_64            (1u << 3)
#define KJ_XLF_EFI_KEXEC                  (1u << 4)
#define KJ_XLF_5LEVEL                     (1u << 5)
#define KJ_XLF_5LEVEL_ENABLED             (1u << 6)

#define KJ_SETUP_HEADER_OFFSET 0x1f1
#define KJ_BOOT_FLAG_MAGIC     0xAA55
#define KJ_HDRS_MAGIC          0x53726448 /* "HdrS" */

/* e820 entry types */
#define KJ_E820_RAM           1
#define KJ_E820_RESERVED      2
#define KJ_E820_ACPI          3
#define KJ_E820_NVS           4
#define KJ_E820_UNUSABLE      5
#define KJ_E820_PMEM          7
#define KJ_E820_PRAM          12
#define KJ_E820_SOFT_RESERVED 0xefffffffu

/* setup_data types */
#define KJ_SETUP_NONE      0
#define KJ_SETUP_E820_EXT  1
#define KJ_SETUP_DTB       2
#define KJ_SETUP_PCI       3
#define KJ_SETUP_EFI       4
#define KJ_SETUP_RNG_SEED  9

/* type_of_loader: 0xff is "undefined"; we have no assigned ID. */
#define KJ_LOADER_TYPE_UNDEFINED 0xff

struct kj_e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
} __attribute__((packed));

/* One link of the setup_data chain; data[] follows. */
struct kj_setup_data {
	uint64_t next; /* physical address of the next link, 0 ends */
	uint32_t type;
	uint32_t len;  /* bytes of data[] */
	uint8_t data[];
} __attribute__((packed));

/* SETUP_EFI payload: what the next kernel needs to reuse the firmware's
 * runtime mappings. */
struct kj_efi_setup_data {
	uint64_t fw_vendor;
	uint64_t runtime;    /* unused by current kernels */
	uint64_t tables;
	uint64_t smbios;
	uint64_t reserved[8];
} __attribute__((packed));

/* An EFI memory descriptor as passed through efi_info (version 1). */
struct kj_efi_memdesc {
	uint32_t type;
	uint32_t pad;
	uint64_t phys_addr;
	uint64_t virt_addr;
	uint64_t num_pages;
	uint64_t attribute;
} __attribute__((packed));

struct kj_efi_info {
	uint32_t efi_loader_signature; /* "EL64" */
	uint32_t efi_systab;
	uint32_t efi_memdesc_size;
	uint32_t efi_memdesc_version;
	uint32_t efi_memmap;
	uint32_t efi_memmap_size;
	uint32_t efi_systab_hi;
	uint32_t efi_memmap_hi;
} __attribute__((packed));

/* The start of struct screen_info: the fields a loader sets by default. */
struct kj_screen_info {
	uint8_t orig_x;
	uint8_t orig_y;
	uint16_t ext_mem_k;
	uint16_t orig_video_page;
	uint8_t orig_video_mode;
	uint8_t orig_video_cols;
	uint8_t flags;
	uint8_t unused2;
	uint16_t orig_video_ega_bx;
	uint16_t unused3;
	uint8_t orig_video_lines;
	uint8_t orig_video_isVGA;
	uint16_t orig_video_points;
	/* The linear framebuffer (VESA or EFI GOP); copied, never set. */
	uint16_t lfb_width;
	uint16_t lfb_height;
	uint16_t lfb_depth;
	uint32_t lfb_base;
	uint32_t lfb_size;
	uint16_t cl_magic, cl_offset;
	uint16_t lfb_linelength;
	uint8_t red_size, red_pos;
	uint8_t green_size, green_pos;
	uint8_t blue_size, blue_pos;
	uint8_t rsvd_size, rsvd_pos;
	uint16_t vesapm_seg, vesapm_off;
	uint16_t pages;
	uint16_t vesa_attributes;
	uint32_t capabilities;
	uint32_t ext_lfb_base;
	uint8_t reserved[2];
} __attribute__((packed));

/* screen_info.orig_video_isVGA values of a linear framebuffer console */
#define KJ_VIDEO_TYPE_VLFB 0x23 /* VESA */
#define KJ_VIDEO_TYPE_EFI  0x70 /* EFI GOP */
#define KJ_VIDEO_CAPABILITY_64BIT_BASE (1u << 1)


/* The setup header at 0x1f1, as in the image file (boot.rst). */
struct kj_setup_header {
	uint8_t setup_sects;
	uint16_t root_flags;
	uint32_t syssize;
	uint16_t ram_size;
	uint16_t vid_mode;
	uint16_t root_dev;
	uint16_t boot_flag;
	uint16_t jump;
	uint32_t header;
	uint16_t version;
	uint32_t realmode_swtch;
	uint16_t start_sys_seg;
	uint16_t kernel_version;
	uint8_t type_of_loader;
	uint8_t loadflags;
	uint16_t setup_move_size;
	uint32_t code32_start;
	uint32_t ramdisk_image;
	uint32_t ramdisk_size;
	uint32_t bootsect_kludge;
	uint16_t heap_end_ptr;
	uint8_t ext_loader_ver;
	uint8_t ext_loader_type;
	uint32_t cmd_line_ptr;
	uint32_t initrd_addr_max;
	uint32_t kernel_alignment;
	uint8_t relocatable_kernel;
	uint8_t min_alignment;
	uint16_t xloadflags;
	uint32_t cmdline_size;
	uint32_t hardware_subarch;
	uint64_t hardware_subarch_data;
	uint32_t payload_offset;
	uint32_t payload_length;
	uint64_t setup_data;
	uint64_t pref_address;
	uint32_t init_size;
	uint32_t handover_offset;
	uint32_t kernel_info_offset;
} __attribute__((packed));

struct kj_boot_params {
	struct kj_screen_info screen_info;     /* 0x000 */
	uint8_t apm_bios_info[0x14];           /* 0x040 */
	uint8_t pad1[4];                       /* 0x054 */
	uint64_t tboot_addr;                   /* 0x058 */
	uint8_t ist_info[0x10];                /* 0x060 */
	uint64_t acpi_rsdp_addr;               /* 0x070 */
	uint8_t pad2[8];                       /* 0x078 */
	uint8_t hd0_info[0x10];                /* 0x080 */
	uint8_t hd1_info[0x10];                /* 0x090 */
	uint8_t sys_desc_table[0x10];          /* 0x0a0 */
	uint8_t olpc_ofw_header[0x10];         /* 0x0b0 */
	uint32_t ext_ramdisk_image;            /* 0x0c0 */
	uint32_t ext_ramdisk_size;             /* 0x0c4 */
	uint32_t ext_cmd_line_ptr;             /* 0x0c8 */
	uint8_t pad3[0x70];                    /* 0x0cc */
	uint32_t cc_blob_address;              /* 0x13c */
	uint8_t edid_info[0x80];               /* 0x140 */
	struct kj_efi_info efi_info;           /* 0x1c0 */
	uint32_t alt_mem_k;                    /* 0x1e0 */
	uint32_t scratch;                      /* 0x1e4 */
	uint8_t e820_entries;                  /* 0x1e8 */
	uint8_t eddbuf_entries;                /* 0x1e9 */
	uint8_t edd_mbr_sig_buf_entries;       /* 0x1ea */
	uint8_t kbd_status;                    /* 0x1eb */
	uint8_t secure_boot;                   /* 0x1ec */
	uint8_t pad5[2];                       /* 0x1ed */
	uint8_t sentinel;                      /* 0x1ef */
	uint8_t pad6[1];                       /* 0x1f0 */
	struct kj_setup_header hdr;            /* 0x1f1 */
	uint8_t pad7[0x290 - 0x1f1 - sizeof(struct kj_setup_header)];
	uint32_t edd_mbr_sig_buffer[16];       /* 0x290 */
	/* 0x2d0 */
	struct kj_e820_entry e820_table[KJ_E820_MAX_ENTRIES_ZEROPAGE];
	uint8_t pad8[0x30];                    /* 0xcd0 */
	uint8_t eddbuf[0x1ec];                 /* 0xd00 */
	uint8_t pad9[0x114];                   /* 0xeec */
} __attribute__((packed));

#define KJ_BP_AT(field, off)                                                  \
	_Static_assert(offsetof(struct kj_boot_params, field) == (off),       \
		       "boot_params." #field " is not at " #off)
#define KJ_HDR_AT(field, off)                                                 \
	_Static_assert(0x1f1 + offsetof(struct kj_setup_header, field) ==     \
			       (off),                                         \
		       "setup header " #field " is not at " #off)

KJ_BP_AT(screen_info, 0x000);
KJ_BP_AT(apm_bios_info, 0x040);
KJ_BP_AT(tboot_addr, 0x058);
KJ_BP_AT(ist_info, 0x060);
KJ_BP_AT(acpi_rsdp_addr, 0x070);
KJ_BP_AT(hd0_info, 0x080);
KJ_BP_AT(hd1_info, 0x090);
KJ_BP_AT(sys_desc_table, 0x0a0);
KJ_BP_AT(olpc_ofw_header, 0x0b0);
KJ_BP_AT(ext_ramdisk_image, 0x0c0);
KJ_BP_AT(ext_ramdisk_size, 0x0c4);
KJ_BP_AT(ext_cmd_line_ptr, 0x0c8);
KJ_BP_AT(cc_blob_address, 0x13c);
KJ_BP_AT(edid_info, 0x140);
KJ_BP_AT(efi_info, 0x1c0);
KJ_BP_AT(alt_mem_k, 0x1e0);
KJ_BP_AT(scratch, 0x1e4);
KJ_BP_AT(e820_entries, 0x1e8);
KJ_BP_AT(eddbuf_entries, 0x1e9);
KJ_BP_AT(edd_mbr_sig_buf_entries, 0x1ea);
KJ_BP_AT(kbd_status, 0x1eb);
KJ_BP_AT(secure_boot, 0x1ec);
KJ_BP_AT(sentinel, 0x1ef);
KJ_BP_AT(hdr, 0x1f1);
KJ_BP_AT(edd_mbr_sig_buffer, 0x290);
KJ_BP_AT(e820_table, 0x2d0);
KJ_BP_AT(eddbuf, 0xd00);

KJ_HDR_AT(setup_sects, 0x1f1);
KJ_HDR_AT(root_flags, 0x1f2);
KJ_HDR_AT(syssize, 0x1f4);
KJ_HDR_AT(ram_size, 0x1f8);
KJ_HDR_AT(vid_mode, 0x1fa);
KJ_HDR_AT(root_dev, 0x1fc);
KJ_HDR_AT(boot_flag, 0x1fe);
KJ_HDR_AT(jump, 0x200);
KJ_HDR_AT(header, 0x202);
KJ_HDR_AT(version, 0x206);
KJ_HDR_AT(realmode_swtch, 0x208);
KJ_HDR_AT(start_sys_seg, 0x20c);
KJ_HDR_AT(kernel_version, 0x20e);
KJ_HDR_AT(type_of_loader, 0x210);
KJ_HDR_AT(loadflags, 0x211);
KJ_HDR_AT(setup_move_size, 0x212);
KJ_HDR_AT(code32_start, 0x214);
KJ_HDR_AT(ramdisk_image, 0x218);
KJ_HDR_AT(ramdisk_size, 0x21c);
KJ_HDR_AT(bootsect_kludge, 0x220);
KJ_HDR_AT(heap_end_ptr, 0x224);
KJ_HDR_AT(ext_loader_ver, 0x226);
KJ_HDR_AT(ext_loader_type, 0x227);
KJ_HDR_AT(cmd_line_ptr, 0x228);
KJ_HDR_AT(initrd_addr_max, 0x22c);
KJ_HDR_AT(kernel_alignment, 0x230);
KJ_HDR_AT(relocatable_kernel, 0x234);
KJ_HDR_AT(min_alignment, 0x235);
KJ_HDR_AT(xloadflags, 0x236);
KJ_HDR_AT(cmdline_size, 0x238);
KJ_HDR_AT(hardware_subarch, 0x23c);
KJ_HDR_AT(hardware_subarch_data, 0x240);
KJ_HDR_AT(payload_offset, 0x248);
KJ_HDR_AT(payload_length, 0x24c);
KJ_HDR_AT(setup_data, 0x250);
KJ_HDR_AT(pref_address, 0x258);
KJ_HDR_AT(init_size, 0x260);
KJ_HDR_AT(handover_offset, 0x264);
KJ_HDR_AT(kernel_info_offset, 0x268);

_Static_assert(sizeof(struct kj_e820_entry) == 20, "e820 entry is 20 bytes");
_Static_assert(sizeof(struct kj_efi_info) == 0x20, "efi_info is 32 bytes");
_Static_assert(sizeof(struct kj_screen_info) == 0x40, "screen_info size");
_Static_assert(offsetof(struct kj_screen_info, lfb_width) == 0x12, "lfb_width");
_Static_assert(offsetof(struct kj_screen_info, lfb_linelength) == 0x24,
	       "lfb_linelength");
_Static_assert(offsetof(struct kj_screen_info, capabilities) == 0x36,
	       "capabilities");
_Static_assert(offsetof(struct kj_screen_info, ext_lfb_base) == 0x3a,
	       "ext_lfb_base");
_Static_assert(sizeof(struct kj_setup_data) == 16, "setup_data header");
_Static_assert(sizeof(struct kj_efi_setup_data) == 96, "efi_setup_data");
_Static_assert(sizeof(struct kj_efi_memdesc) == 40, "EFI memory descriptor");
_Static_assert(sizeof(struct kj_boot_params) == 4096, "zero page is 4 KiB");

#endif
