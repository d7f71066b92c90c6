/* The probe's Multiboot 2 report: every tag of the boot information a
 * loader handed over (EAX = 0x36d76289, EBX = the information), one
 * generic "tag" record each (type and size, so tags the probe does not
 * decode still show) followed by the decoded record.
 *
 * The structure is untrusted like everything else the probe reads: the
 * walk stays inside total_size (capped), inside each tag's size, stops at
 * a tag smaller than its header or running past the end, and every
 * string stops at its tag's end. Record names and keys shared with the
 * Multiboot 1 report (cmdline, boot_loader_name, module, mem, mmap,
 * framebuffer) mean the same. */

#include "probe.h"

#define MBI2_CAP (1u << 20) /* bytes of boot information walked */
#define TAGS_CAP 512
#define MMAP_ENTRY_MIN 24

enum {
	T_END = 0,
	T_CMDLINE,
	T_LOADER_NAME,
	T_MODULE,
	T_MEMINFO,
	T_BOOTDEV,
	T_MMAP,
	T_VBE,
	T_FRAMEBUFFER,
	T_ELF_SECTIONS,
	T_APM,
	T_EFI32,
	T_EFI64,
	T_SMBIOS,
	T_ACPI_OLD,
	T_ACPI_NEW,
	T_NETWORK,
	T_EFI_MMAP,
	T_EFI_BS,
	T_EFI32_IH,
	T_EFI64_IH,
	T_LOAD_BASE,
};

/* The smallest size of each decoded tag type; 8 for the others. */
static uint32_t min_size(uint32_t type)
{
	static const uint16_t min[] = {
		[T_END] = 8,	       [T_CMDLINE] = 8,	  [T_LOADER_NAME] = 8,
		[T_MODULE] = 16,       [T_MEMINFO] = 16,  [T_BOOTDEV] = 20,
		[T_MMAP] = 16,	       [T_VBE] = 16,	  [T_FRAMEBUFFER] = 30,
		[T_ELF_SECTIONS] = 20, [T_APM] = 28,	  [T_EFI32] = 12,
		[T_EFI64] = 16,	       [T_SMBIOS] = 16,	  [T_ACPI_OLD] = 8,
		[T_ACPI_NEW] = 8,      [T_NETWORK] = 8,	  [T_EFI_MMAP] = 16,
		[T_EFI_BS] = 8,	       [T_EFI32_IH] = 12, [T_EFI64_IH] = 16,
		[T_LOAD_BASE] = 12,
	};

	return type < sizeof(min) / sizeof(min[0]) ? min[type] : 8;
}

static uint8_t sum8(uint32_t addr, uint32_t len)
{
	uint8_t s = 0;

	while (len--)
		s = (uint8_t)(s + rd8(addr++));
	return s;
}

/* An RSDP copied into an ACPI tag: signature, checksums, fields. */
static void report_rsdp(const char *name, uint32_t p, uint32_t len)
{
	rec(name);
	kv_dec("size", len);
	if (len < 20) {
		eol();
		error("rsdp_too_small");
		return;
	}
	/* "RSD PTR " */
	kv_dec("signature_ok",
	       rd32(p) == 0x20445352u && rd32(p + 4) == 0x20525450u);
	kv_dec("checksum_ok", sum8(p, 20) == 0);
	kv_field("oem", p + 9, 6);
	kv_dec("revision", rd8(p + 15));
	kv_hex32("rsdt", rd32(p + 16));
	if (len >= 36) {
		uint32_t l = rd32(p + 20);

		kv_dec("length", l);
		kv_hex64("xsdt", rd64(p + 24));
		kv_dec("ext_checksum_ok",
		       l >= 36 && l <= len && sum8(p, l) == 0);
	}
	eol();
}

static void report_mmap2(uint32_t t, uint32_t size)
{
	uint32_t esize = rd32(t + 8), n;

	rec("mmap_table");
	kv_dec("entry_size", esize);
	kv_dec("entry_version", rd32(t + 12));
	if (esize < MMAP_ENTRY_MIN) {
		eol();
		error("mmap_entry_too_small");
		return;
	}
	n = (size - 16) / esize;
	kv_dec("count", n);
	eol();
	if ((size - 16) % esize)
		error("mmap_trailing_bytes");
	for (uint32_t i = 0; i < n; i++) {
		uint32_t e = t + 16 + i * esize;

		if (i == MMAP_CAP) {
			error("mmap_entries_capped");
			return;
		}
		rec("mmap");
		kv_dec("index", i);
		kv_hex64("base", rd64(e));
		kv_hex64("len", rd64(e + 8));
		kv_dec("type", rd32(e + 16));
		kv_dec("reserved", rd32(e + 20));
		eol();
	}
}

static void report_framebuffer(uint32_t t, uint32_t size)
{
	uint8_t type = rd8(t + 29);

	rec("framebuffer");
	kv_hex64("addr", rd64(t + 8));
	kv_dec("pitch", rd32(t + 16));
	kv_dec("width", rd32(t + 20));
	kv_dec("height", rd32(t + 24));
	kv_dec("bpp", rd8(t + 28));
	kv_dec("type", type);
	if (type == 1 && size >= 38) {
		kv_dec("red_pos", rd8(t + 32));
		kv_dec("red_size", rd8(t + 33));
		kv_dec("green_pos", rd8(t + 34));
		kv_dec("green_size", rd8(t + 35));
		kv_dec("blue_pos", rd8(t + 36));
		kv_dec("blue_size", rd8(t + 37));
	} else if (type == 0 && size >= 34) {
		kv_dec("colors", rd16(t + 32));
	}
	eol();
}

static void report_apm(uint32_t t)
{
	rec("apm");
	kv_hex16("version", rd16(t + 8));
	kv_hex16("cseg", rd16(t + 10));
	kv_hex32("offset", rd32(t + 12));
	kv_hex16("cseg_16", rd16(t + 16));
	kv_hex16("dseg", rd16(t + 18));
	kv_hex16("flags", rd16(t + 20));
	kv_hex16("cseg_len", rd16(t + 22));
	kv_hex16("cseg_16_len", rd16(t + 24));
	kv_hex16("dseg_len", rd16(t + 26));
	eol();
}

static void pointer(const char *name, uint32_t t, int bits)
{
	rec(name);
	if (bits == 64)
		kv_hex64("pointer", rd64(t + 8));
	else
		kv_hex32("pointer", rd32(t + 8));
	eol();
}

static void one_tag(uint32_t t, uint32_t type, uint32_t size, uint32_t *mods)
{
	switch (type) {
	case T_CMDLINE:
	case T_LOADER_NAME:
		rec(type == T_CMDLINE ? "cmdline" : "boot_loader_name");
		kv_hex32("addr", t + 8);
		kv_strn("value", t + 8, size - 8);
		eol();
		break;
	case T_MODULE:
		module_record((*mods)++, rd32(t + 8), rd32(t + 12), t + 16,
			      size - 16);
		break;
	case T_MEMINFO:
		rec("mem");
		kv_dec("lower", rd32(t + 8));
		kv_dec("upper", rd32(t + 12));
		eol();
		break;
	case T_BOOTDEV:
		rec("boot_device");
		kv_hex32("biosdev", rd32(t + 8));
		kv_hex32("slice", rd32(t + 12));
		kv_hex32("part", rd32(t + 16));
		eol();
		break;
	case T_MMAP:
		report_mmap2(t, size);
		break;
	case T_VBE:
		rec("vbe");
		kv_hex16("mode", rd16(t + 8));
		kv_hex16("interface_seg", rd16(t + 10));
		kv_hex16("interface_off", rd16(t + 12));
		kv_hex16("interface_len", rd16(t + 14));
		eol();
		break;
	case T_FRAMEBUFFER:
		report_framebuffer(t, size);
		break;
	case T_ELF_SECTIONS:
		rec("elf_sections");
		kv_dec("num", rd32(t + 8));
		kv_dec("entsize", rd32(t + 12));
		kv_dec("shndx", rd32(t + 16));
		eol();
		break;
	case T_APM:
		report_apm(t);
		break;
	case T_EFI32:
	case T_EFI32_IH:
		pointer(type == T_EFI32 ? "efi32" : "efi32_ih", t, 32);
		break;
	case T_EFI64:
	case T_EFI64_IH:
		pointer(type == T_EFI64 ? "efi64" : "efi64_ih", t, 64);
		break;
	case T_SMBIOS:
		rec("smbios");
		kv_dec("major", rd8(t + 8));
		kv_dec("minor", rd8(t + 9));
		kv_dec("size", size - 16);
		if (size > 16)
			kv_dec("first_type", rd8(t + 16));
		eol();
		break;
	case T_ACPI_OLD:
	case T_ACPI_NEW:
		report_rsdp(type == T_ACPI_OLD ? "acpi_old" : "acpi_new", t + 8,
			    size - 8);
		break;
	case T_NETWORK:
		rec("network");
		kv_dec("size", size - 8);
		eol();
		break;
	case T_EFI_MMAP:
		rec("efi_mmap");
		kv_dec("desc_size", rd32(t + 8));
		kv_dec("desc_version", rd32(t + 12));
		kv_dec("size", size - 16);
		eol();
		break;
	case T_EFI_BS:
		rec("efi_bs");
		eol();
		break;
	case T_LOAD_BASE:
		rec("load_base");
		kv_hex32("addr", rd32(t + 8));
		eol();
		break;
	default:
		break;
	}
}

void report_mbi2(uint32_t mbi)
{
	uint32_t total = rd32(mbi), end, pos, mods = 0, n = 0;

	rec("mbi2");
	kv_hex32("addr", mbi);
	kv_dec("total_size", total);
	kv_dec("reserved", rd32(mbi + 4));
	eol();
	if (mbi % 8)
		error("mbi2_misaligned");
	if (total > MBI2_CAP) {
		error("mbi2_size_capped");
		total = MBI2_CAP;
	}
	if (total < 8 || mbi + total < mbi) {
		error("mbi2_too_small");
		return;
	}
	end = mbi + total;
	for (pos = mbi + 8; pos + 8 <= end; n++) {
		uint32_t type = rd32(pos), size = rd32(pos + 4);

		if (n == TAGS_CAP) {
			error("tags_capped");
			return;
		}
		rec("tag");
		kv_dec("index", n);
		kv_dec("type", type);
		kv_dec("size", size);
		eol();
		if (size < min_size(type)) {
			error("tag_too_small");
			return;
		}
		if (size > end - pos) {
			error("tag_past_end");
			return;
		}
		if (type == T_END) {
			if (pos + 8 != end)
				error("end_tag_before_total_size");
			return;
		}
		one_tag(pos, type, size, &mods);
		pos += (size + 7) & ~7u;
	}
	error("no_end_tag");
}
