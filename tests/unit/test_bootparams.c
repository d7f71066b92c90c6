#include "testlib.h"

#include <errno.h>
#include <string.h>

#include "abi/x86_bootparam.h"
#include "arch/arch.h"
#include "fake_bzimage.h"
#include "fixtures.h"

static struct kj_memmap mm;

static void qemu_map(void)
{
	memset(&mm, 0, sizeof(mm));
	kj_memmap_add(&mm, 0, 0x9fc00, KJ_MEM_RAM, NULL);
	kj_memmap_add(&mm, 0x9fc00, 0xa0000, KJ_MEM_RESERVED, NULL);
	kj_memmap_add(&mm, 0xf0000, 0x100000, KJ_MEM_RESERVED, NULL);
	kj_memmap_add(&mm, 0x100000, 0x7ffe0000, KJ_MEM_RAM, NULL);
	kj_memmap_add(&mm, 0x7ffe0000, 0x80000000, KJ_MEM_ACPI, NULL);
	kj_memmap_add(&mm, 0xfffc0000, 0x100000000, KJ_MEM_RESERVED, NULL);
	kj_memmap_add(&mm, 0x100000000, 0x180000000, KJ_MEM_RAM, NULL);
}

struct built {
	uint8_t *img;
	size_t img_len;
	struct kj_bzimage bz;
	uint8_t *buf;
	size_t len;
	struct kj_boot_params *bp;
};

/* What the bzImage loader asks for: its setup header's bytes. */
static struct kj_linux_boot boot_of(const uint8_t *img,
				    const struct kj_bzimage *bz)
{
	struct kj_linux_boot in = {
		.name = "vmlinuz",
		.header = img + 0x1f1,
		.header_len = bz->header_end - 0x1f1,
		.protocol = bz->version,
		.cmdline = "",
		.mm = &mm,
	};
	return in;
}

static int build(struct built *b, const struct kj_sysdesc *sys,
		 const char *cmdline, uint64_t addr, bool efi,
		 struct kj_err *err)
{
	struct fake_opts o = fake_linux();
	struct kj_linux_boot in;
	size_t want;
	int r;

	memset(b, 0, sizeof(*b));
	b->img = fake_bzimage(&o, &b->img_len, &b->bz);
	in = boot_of(b->img, &b->bz);
	in.cmdline = cmdline;
	in.kernel_addr = 0x1000000;
	in.initrd_addr = 0x123456000;
	in.initrd_size = 0x100000123;
	in.efi = efi;
	r = kj_arch_linux_boot_size(&in, sys, &want, err);
	if (r < 0)
		return r;
	r = kj_arch_linux_boot_build(&in, sys, addr, &b->buf, &b->len, err);
	if (r < 0)
		return r;
	assert_int_equal(b->len, want);
	b->bp = (struct kj_boot_params *)b->buf;
	return 0;
}

static void done(struct built *b)
{
	free(b->img);
	free(b->buf);
}

static void test_fields_without_running_params(void **state)
{
	struct kj_sysdesc si;
	struct kj_err err;
	struct built b;
	struct kj_boot_params *bp;

	memset(&si, 0, sizeof(si));
	qemu_map();
	assert_int_equal(build(&b, &si, "console=ttyS0 quiet", 0x100000000,
			       true, &err),
			 0);
	bp = b.bp;
	/* The header is the image's, bytes 0x1f1..0x26c. */
	assert_memory_equal(b.buf + 0x1f1, b.img + 0x1f1, 0x210 - 0x1f1);
	assert_memory_equal(b.buf + 0x22c, b.img + 0x22c, 0x250 - 0x22c);
	assert_memory_equal(b.buf + 0x258, b.img + 0x258, 0x26c - 0x258);
	assert_int_equal(b.buf[0x26c], 0); /* nothing past the header */
	assert_int_equal(bp->hdr.boot_flag, 0xaa55);
	assert_int_equal(bp->hdr.header, KJ_HDRS_MAGIC);
	assert_int_equal(bp->hdr.version, 0x020f);
	assert_int_equal(bp->hdr.xloadflags, b.bz.xloadflags);
	assert_int_equal(bp->hdr.init_size, 0x2000000);
	assert_int_equal(bp->hdr.pref_address, 0x1000000);
	assert_int_equal(bp->hdr.kernel_alignment, 0x200000);
	/* What a loader sets. */
	assert_int_equal(bp->hdr.type_of_loader, 0xff);
	assert_int_equal(bp->hdr.loadflags, KJ_LOADED_HIGH | KJ_CAN_USE_HEAP);
	assert_int_equal(bp->hdr.heap_end_ptr, 0xde00);
	assert_int_equal(bp->hdr.code32_start, 0x1000000);
	assert_int_equal(bp->hdr.cmd_line_ptr, 0x1000);
	assert_int_equal(bp->ext_cmd_line_ptr, 1);
	assert_string_equal((char *)b.buf + 0x1000, "console=ttyS0 quiet");
	assert_int_equal(bp->hdr.ramdisk_image, 0x23456000);
	assert_int_equal(bp->ext_ramdisk_image, 1);
	assert_int_equal(bp->hdr.ramdisk_size, 0x123);
	assert_int_equal(bp->ext_ramdisk_size, 1);
	assert_int_equal(bp->hdr.setup_data, 0);
	assert_int_equal(bp->acpi_rsdp_addr, 0);
	assert_int_equal(bp->sentinel, 0);
	assert_int_equal(bp->efi_info.efi_memmap_size, 0); /* no EFI data */
	/* e820, verbatim from the map. */
	assert_int_equal(bp->e820_entries, 7);
	assert_int_equal(bp->e820_table[3].addr, 0x100000);
	assert_int_equal(bp->e820_table[3].size, 0x7fee0000);
	assert_int_equal(bp->e820_table[3].type, KJ_E820_RAM);
	assert_int_equal(bp->e820_table[4].type, KJ_E820_ACPI);
	assert_int_equal(bp->e820_table[6].addr, 0x100000000);
	assert_int_equal(bp->e820_table[7].size, 0);
	assert_int_equal(bp->alt_mem_k, (0x7ffe0000 - 0x100000) >> 10);
	assert_int_equal(bp->screen_info.ext_mem_k, 0xfc00);
	/* Default text screen. */
	assert_int_equal(bp->screen_info.orig_video_cols, 80);
	assert_int_equal(bp->screen_info.orig_video_lines, 25);
	assert_int_equal(bp->screen_info.orig_video_isVGA, 1);
	assert_int_equal(b.len, 0x1000 + 32);
	done(&b);
}

static void test_e820_ext(void **state)
{
	struct kj_sysdesc si;
	struct kj_err err;
	struct built b;
	const struct kj_setup_data *sd;
	const struct kj_e820_entry *ext;
	size_t off;

	memset(&si, 0, sizeof(si));
	memset(&mm, 0, sizeof(mm));
	/* 200 alternating entries, as a fragmented big machine has. */
	for (uint64_t i = 0; i < 200; i++)
		kj_memmap_add(&mm, 0x100000 + i * 0x100000,
			      0x100000 + i * 0x100000 + 0x80000,
			      i % 2 ? KJ_MEM_RESERVED : KJ_MEM_RAM, NULL);
	assert_int_equal(build(&b, &si, "", 0x200000, false, &err), 0);
	assert_int_equal(b.bp->e820_entries, 128);
	assert_int_equal(b.bp->e820_table[127].addr, 0x100000 + 127 * 0x100000);
	off = b.bp->hdr.setup_data - 0x200000;
	assert_int_equal(off, 0x1010); /* after the 1-byte command line */
	sd = (const struct kj_setup_data *)(b.buf + off);
	assert_int_equal(sd->type, KJ_SETUP_E820_EXT);
	assert_int_equal(sd->next, 0);
	assert_int_equal(sd->len, 72 * 20);
	assert_true(off + sizeof(*sd) + sd->len <= b.len);
	ext = (const struct kj_e820_entry *)sd->data;
	assert_int_equal(ext[0].addr, 0x100000 + 128 * 0x100000);
	assert_int_equal(ext[0].type, KJ_E820_RAM);
	assert_int_equal(ext[71].addr, 0x100000 + 199 * 0x100000);
	assert_int_equal(ext[71].size, 0x80000);
	assert_int_equal(ext[71].type, KJ_E820_RESERVED);
	done(&b);
}

static void test_rng_seed_chain(void **state)
{
	static const uint8_t seed[32] = { 0xde, 0xad, [31] = 0x42 };
	struct kj_sysdesc si;
	struct kj_err err;
	struct fake_opts o = fake_linux();
	struct kj_linux_boot in;
	struct kj_bzimage bz;
	const struct kj_setup_data *sd;
	uint8_t *img, *buf;
	size_t len, blen;
	uint64_t at;

	memset(&si, 0, sizeof(si));
	memset(&mm, 0, sizeof(mm));
	for (uint64_t i = 0; i < 130; i++)
		kj_memmap_add(&mm, i * 0x200000, i * 0x200000 + 0x100000,
			      KJ_MEM_RAM, NULL);
	img = fake_bzimage(&o, &len, &bz);
	in = boot_of(img, &bz);
	in.cmdline = "x";
	in.rng_seed = seed;
	in.rng_seed_len = sizeof(seed);
	assert_int_equal(kj_arch_linux_boot_build(&in, &si, 0x400000, &buf,
						  &blen, &err), 0);
	/* The chain: RNG seed first, then the extended e820, then the end. */
	at = ((struct kj_boot_params *)buf)->hdr.setup_data;
	sd = (const struct kj_setup_data *)(buf + (at - 0x400000));
	assert_int_equal(sd->type, KJ_SETUP_RNG_SEED);
	assert_int_equal(sd->len, 32);
	assert_memory_equal(sd->data, seed, 32);
	assert_true(at - 0x400000 + sizeof(*sd) + 32 <= blen);
	sd = (const struct kj_setup_data *)(buf + (sd->next - 0x400000));
	assert_int_equal(sd->type, KJ_SETUP_E820_EXT);
	assert_int_equal(sd->len, 2 * 20);
	assert_int_equal(sd->next, 0);
	free(buf);

	/* Too big a seed is refused; an old protocol just goes without. */
	in.rng_seed_len = 65;
	assert_int_equal(kj_arch_linux_boot_size(&in, &si, &blen, &err),
			 -E2BIG);
	in.rng_seed_len = 32;
	qemu_map();
	in.protocol = 0x0208;
	assert_int_equal(kj_arch_linux_boot_build(&in, &si, 0x400000, &buf,
						  &blen, &err), 0);
	assert_int_equal(blen, 0x1000 + 16);
	free(buf);
	free(img);
}

static struct kj_boot_params running_params(bool efi)
{
	struct kj_boot_params r;

	memset(&r, 0, sizeof(r));
	r.screen_info.orig_video_cols = 128;
	r.screen_info.orig_video_isVGA = 0x23; /* VESA frame buffer */
	r.tboot_addr = 0x12345;
	r.acpi_rsdp_addr = efi ? 0 : 0xf5a40;
	r.cc_blob_address = 0x777;
	r.edid_info[0] = 0x5a;
	r.eddbuf_entries = 1;
	r.eddbuf[0] = 0x80;
	r.kbd_status = 1;
	r.sentinel = 0xff;
	r.e820_entries = 3;
	r.hdr.hardware_subarch = 0;
	r.hdr.setup_data = 0xdead000; /* the old chain: must not leak */
	r.hdr.type_of_loader = 0x72;
	if (efi) {
		memcpy(&r.efi_info.efi_loader_signature, "EL64", 4);
		r.efi_info.efi_systab = 0x7fb7e018;
		r.efi_info.efi_systab_hi = 0;
		r.efi_info.efi_memdesc_size = 48;
		r.efi_info.efi_memdesc_version = 1;
		r.efi_info.efi_memmap = 0x7e000000;
		r.efi_info.efi_memmap_size = 48 * 100;
		r.secure_boot = 3;
	}
	return r;
}

static void test_running_params_bios(void **state)
{
	struct kj_boot_params run = running_params(false);
	struct kj_sysdesc si;
	struct kj_err err;
	struct built b;
	char *root = kj_fx_mkroot();

	kj_fx_write(root, "sys/kernel/boot_params/data", &run, sizeof(run));
	assert_int_equal(kj_arch_sysdesc_read(&si, &err), 0);
	assert_non_null(si.boot_data);
	assert_false(si.efi.valid);
	assert_int_equal(si.acpi_rsdp, 0xf5a40);
	qemu_map();
	assert_int_equal(build(&b, &si, "x", 0x10000000, true, &err), 0);
	/* Kept from the running kernel. */
	assert_int_equal(b.bp->screen_info.orig_video_cols, 128);
	assert_int_equal(b.bp->screen_info.orig_video_isVGA, 0x23);
	assert_int_equal(b.bp->edid_info[0], 0x5a);
	assert_int_equal(b.bp->eddbuf_entries, 1);
	assert_int_equal(b.bp->eddbuf[0], 0x80);
	assert_int_equal(b.bp->kbd_status, 1);
	assert_int_equal(b.bp->acpi_rsdp_addr, 0xf5a40);
	/* Replaced. */
	assert_int_equal(b.bp->tboot_addr, 0);
	assert_int_equal(b.bp->cc_blob_address, 0);
	assert_int_equal(b.bp->sentinel, 0);
	assert_int_equal(b.bp->hdr.setup_data, 0);
	assert_int_equal(b.bp->hdr.type_of_loader, 0xff);
	assert_int_equal(b.bp->e820_entries, 7);
	assert_int_equal(b.bp->ext_cmd_line_ptr, 0);
	assert_int_equal(b.bp->hdr.cmd_line_ptr, 0x10001000);
	done(&b);
	kj_arch_sysdesc_free(&si);
	kj_fx_rmroot(root);
}

static void write_efi_tree(const char *root, bool with_map)
{
	struct kj_boot_params run = running_params(true);
	static const char *const ents[3][5] = {
		{ "0x5", "0x7f000000", "0xfffffffeff000000", "0x10", "0x800000000000000f" },
		{ "0x6", "0x7f010000", "0xfffffffeff010000", "0x20", "0x800000000000000f" },
		{ "0xb", "0xffc00000", "0xfffffffeffc00000", "0x400", "0x8000000000000001" },
	};
	static const char *const field[5] = { "type", "phys_addr", "virt_addr",
					      "num_pages", "attribute" };
	char rel[128], val[64];

	kj_fx_write(root, "sys/kernel/boot_params/data", &run, sizeof(run));
	kj_fx_puts(root, "sys/firmware/efi/systab",
		     "ACPI20=0x7fb7e014\nACPI=0x7fb7e000\nSMBIOS=0x7f9c7000\n");
	kj_fx_puts(root, "sys/firmware/efi/fw_vendor", "0x7fb6e298\n");
	kj_fx_puts(root, "sys/firmware/efi/runtime", "0x7fb7eb98\n");
	kj_fx_puts(root, "sys/firmware/efi/config_table", "0x7fb7ec18\n");
	if (!with_map)
		return;
	for (int i = 0; i < 3; i++)
		for (int f = 0; f < 5; f++) {
			snprintf(rel, sizeof(rel),
				 "sys/firmware/efi/runtime-map/%d/%s", i,
				 field[f]);
			snprintf(val, sizeof(val), "%s\n", ents[i][f]);
			kj_fx_puts(root, rel, val);
		}
}

static void test_efi(void **state)
{
	struct kj_sysdesc si;
	struct kj_err err;
	struct built b;
	const struct kj_setup_data *sd;
	const struct kj_efi_setup_data *esd;
	const struct kj_efi_memdesc *md;
	char *root = kj_fx_mkroot();
	uint64_t map;

	write_efi_tree(root, true);
	assert_int_equal(kj_arch_sysdesc_read(&si, &err), 0);
	assert_true(si.efi.valid);
	assert_int_equal(si.efi.map_n, 3);
	assert_int_equal(si.acpi_rsdp, 0x7fb7e014); /* ACPI20 wins */
	qemu_map();
	assert_int_equal(build(&b, &si, "root=/dev/vda", 0x3000000, true,
			       &err),
			 0);
	assert_int_equal(b.bp->acpi_rsdp_addr, 0x7fb7e014);
	assert_memory_equal(&b.bp->efi_info.efi_loader_signature, "EL64", 4);
	assert_int_equal(b.bp->efi_info.efi_systab, 0x7fb7e018);
	assert_int_equal(b.bp->efi_info.efi_memdesc_version, 1);
	assert_int_equal(b.bp->efi_info.efi_memdesc_size, 40);
	assert_int_equal(b.bp->efi_info.efi_memmap_size, 3 * 40);
	assert_int_equal(b.bp->secure_boot, 3);
	map = (uint64_t)b.bp->efi_info.efi_memmap_hi << 32 |
	      b.bp->efi_info.efi_memmap;
	assert_true(map > 0x3000000 && map + 120 <= 0x3000000 + b.len);
	md = (const struct kj_efi_memdesc *)(b.buf + (map - 0x3000000));
	assert_int_equal(md[0].type, 5);
	assert_int_equal(md[1].phys_addr, 0x7f010000);
	assert_int_equal(md[2].virt_addr, 0xfffffffeffc00000);
	assert_int_equal(md[2].num_pages, 0x400);
	assert_int_equal(md[0].attribute, 0x800000000000000f);

	sd = (const struct kj_setup_data *)(b.buf + (b.bp->hdr.setup_data -
						     0x3000000));
	assert_int_equal(sd->type, KJ_SETUP_EFI);
	assert_int_equal(sd->len, 96);
	assert_int_equal(sd->next, 0);
	esd = (const struct kj_efi_setup_data *)sd->data;
	assert_int_equal(esd->fw_vendor, 0x7fb6e298);
	assert_int_equal(esd->runtime, 0x7fb7eb98);
	assert_int_equal(esd->tables, 0x7fb7ec18);
	assert_int_equal(esd->smbios, 0x7f9c7000);
	done(&b);

	/* An image without XLF_EFI_KEXEC gets no EFI data. */
	assert_int_equal(build(&b, &si, "", 0x3000000, false, &err), 0);
	assert_int_equal(b.bp->efi_info.efi_memmap_size, 0);
	assert_int_equal(b.bp->efi_info.efi_systab, 0);
	assert_int_equal(b.bp->hdr.setup_data, 0);
	done(&b);
	kj_arch_sysdesc_free(&si);
	kj_fx_rmroot(root);
}

static void test_efi_without_runtime_map(void **state)
{
	struct kj_sysdesc si;
	struct kj_err err;
	char *root = kj_fx_mkroot();

	write_efi_tree(root, false);
	assert_int_equal(kj_arch_sysdesc_read(&si, &err), 0);
	assert_false(si.efi.valid);
	assert_non_null(strstr(si.note, "runtime-map"));
	assert_int_equal(si.acpi_rsdp, 0x7fb7e014);
	kj_arch_sysdesc_free(&si);
	kj_fx_rmroot(root);
}

static void test_efi_garbage(void **state)
{
	struct kj_sysdesc si;
	struct kj_err err;
	char *root = kj_fx_mkroot();

	write_efi_tree(root, true);
	kj_fx_puts(root, "sys/firmware/efi/runtime-map/1/num_pages", "lots\n");
	assert_int_equal(kj_arch_sysdesc_read(&si, &err), -EINVAL);
	assert_string_equal(err.msg,
			    "/sys/firmware/efi/runtime-map/1/num_pages: not a hex number");
	assert_null(si.efi.map);
	kj_fx_rmroot(root);
}

static void test_errors(void **state)
{
	struct kj_sysdesc si;
	struct kj_err err;
	struct built b;
	char big[3000];
	struct fake_opts o = fake_linux();
	struct kj_bzimage bz;
	size_t len, sz;
	uint8_t *img;
	struct kj_linux_boot in;

	memset(&si, 0, sizeof(si));
	qemu_map();
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(build(&b, &si, "", 0x100800, false, &err), -EINVAL);
	done(&b);

	img = fake_bzimage(&o, &len, &bz);
	in = boot_of(img, &bz);
	in.header_len = 0x301 - 0x1f1; /* would run past 0x290 */
	assert_int_equal(kj_arch_linux_boot_size(&in, &si, &sz, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "longer than the zero page"));
	in = boot_of(img, &bz);

	/* Protocol 2.08: no setup_data, so no room for 200 entries. */
	in.protocol = 0x0208;
	memset(&mm, 0, sizeof(mm));
	for (uint64_t i = 0; i < 200; i++)
		kj_memmap_add(&mm, i * 0x2000, i * 0x2000 + 0x1000,
			      KJ_MEM_RAM, NULL);
	assert_int_equal(kj_arch_linux_boot_size(&in, &si, &sz, &err), -ENOTSUP);
	assert_non_null(strstr(err.msg, "protocol 2.08 has no setup_data"));

	/* A vmlinux gets a stand-in header, whose limit is checked here (a
	 * bzImage's own cmdline_size is its loader's to check). */
	qemu_map();
	in = boot_of(img, &bz);
	in.header = NULL;
	in.cmdline = big;
	assert_int_equal(kj_arch_linux_boot_size(&in, &si, &sz, &err), -E2BIG);
	assert_string_equal(err.msg, "vmlinuz: command line is 2999 bytes, the kernel takes at most 2047");
	in.cmdline = big + sizeof(big) - 2048;
	assert_int_equal(kj_arch_linux_boot_size(&in, &si, &sz, &err), 0);
	free(img);
}

static void test_panic_e820(void **state)
{
	struct kj_sysdesc si;
	struct kj_err err;
	struct built b;
	struct fake_opts o = fake_linux();
	struct kj_linux_boot in;
	struct kj_bzimage bz;
	uint8_t *img;
	size_t len;

	memset(&si, 0, sizeof(si));
	qemu_map();
	mm.crash[0].start = 0x20000000;
	mm.crash[0].end = 0x30000000;
	mm.ncrash = 1;
	img = fake_bzimage(&o, &len, &bz);
	in = boot_of(img, &bz);
	in.panic = true;
	assert_int_equal(kj_arch_linux_boot_build(&in, &si, 0x20000000, &b.buf,
						  &b.len, &err),
			 0);
	b.bp = (struct kj_boot_params *)b.buf;
	assert_int_equal(b.bp->e820_entries, 6);
	assert_int_equal(b.bp->e820_table[0].size, 0x9fc00);
	assert_int_equal(b.bp->e820_table[3].addr, 0x20000000);
	assert_int_equal(b.bp->e820_table[3].size, 0x10000000);
	assert_int_equal(b.bp->e820_table[3].type, KJ_E820_RAM);
	assert_int_equal(b.bp->e820_table[4].type, KJ_E820_ACPI);
	free(b.buf);
	free(img);
}

static void test_reserved_carve(void **state)
{
	struct kj_sysdesc si;
	struct kj_err err;
	struct fake_opts o = fake_linux();
	struct kj_linux_boot in;
	struct kj_bzimage bz;
	struct kj_boot_params *bp;
	uint8_t *img, *buf;
	size_t len, blen;

	memset(&si, 0, sizeof(si));
	qemu_map();
	img = fake_bzimage(&o, &len, &bz);
	in = boot_of(img, &bz);

	/* In the middle: RAM, reserved, RAM. */
	in.elfcorehdr_addr = 0x200000;
	in.elfcorehdr_size = 0x1000;
	assert_int_equal(kj_arch_linux_boot_build(&in, &si, 0x10000, &buf,
						  &blen, &err), 0);
	bp = (struct kj_boot_params *)buf;
	assert_int_equal(bp->e820_entries, 9);
	assert_int_equal(bp->e820_table[3].addr, 0x100000);
	assert_int_equal(bp->e820_table[3].size, 0x100000);
	assert_int_equal(bp->e820_table[4].addr, 0x200000);
	assert_int_equal(bp->e820_table[4].type, KJ_E820_RESERVED);
	assert_int_equal(bp->e820_table[5].addr, 0x201000);
	assert_int_equal(bp->e820_table[5].size, 0x7ffe0000 - 0x201000);
	assert_int_equal(bp->e820_table[5].type, KJ_E820_RAM);
	assert_int_equal(bp->e820_table[6].type, KJ_E820_ACPI);
	free(buf);

	/* At the start of an entry: no empty RAM piece is left. */
	in.elfcorehdr_addr = 0x100000;
	assert_int_equal(kj_arch_linux_boot_build(&in, &si, 0x10000, &buf,
						  &blen, &err), 0);
	bp = (struct kj_boot_params *)buf;
	assert_int_equal(bp->e820_entries, 8);
	assert_int_equal(bp->e820_table[3].type, KJ_E820_RESERVED);
	assert_int_equal(bp->e820_table[4].addr, 0x101000);
	free(buf);

	/* A whole entry becomes reserved. */
	in.elfcorehdr_addr = 0;
	in.elfcorehdr_size = 0x9fc00;
	assert_int_equal(kj_arch_linux_boot_build(&in, &si, 0x10000, &buf,
						  &blen, &err), 0);
	bp = (struct kj_boot_params *)buf;
	assert_int_equal(bp->e820_entries, 7);
	assert_int_equal(bp->e820_table[0].type, KJ_E820_RESERVED);
	free(buf);

	/* Not inside one RAM entry. */
	in.elfcorehdr_addr = 0x7ffdf000;
	in.elfcorehdr_size = 0x2000;
	assert_int_equal(kj_arch_linux_boot_size(&in, &si, &blen, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "is not inside one RAM entry"));
	free(img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields_without_running_params),
		cmocka_unit_test(test_e820_ext),
		cmocka_unit_test(test_running_params_bios),
		cmocka_unit_test(test_efi),
		cmocka_unit_test(test_efi_without_runtime_map),
		cmocka_unit_test(test_efi_garbage),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_panic_e820),
		cmocka_unit_test(test_reserved_carve),
		cmocka_unit_test(test_rng_seed_chain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
