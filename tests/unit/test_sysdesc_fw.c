/* The system description's firmware bytes (issue 12): ACPI RSDP copies
 * from /dev/mem at the address boot_params or the EFI system table
 * names, or by the BIOS scan (EBDA, 0xE0000-0xFFFFF), classified by
 * revision as GRUB does; SMBIOS entry point and table from
 * /sys/firmware/dmi/tables; the console's linear framebuffer from the
 * running boot_params; what is missing said in the note. A scratch
 * sysroot holds a sparse dev/mem. */
#include "testlib.h"

#include <errno.h>
#include <fcntl.h>

#include "abi/x86_bootparam.h"
#include "arch/arch.h"
#include "arch/x86_64/fw_tables.h"
#include "fixtures.h"

static void pwrite_at(const char *root, const char *rel, uint64_t off,
		      const void *data, size_t len)
{
	char path[1024];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, data, len, (off_t)off), (ssize_t)len);
	close(fd);
}

static uint8_t sum8(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n--)
		s = (uint8_t)(s + *p++);
	return s;
}

/* An RSDP of revision rev (0: 20 bytes; 2: 36) with right checksums. */
static size_t rsdp(uint8_t *b, uint8_t rev, uint32_t rsdt)
{
	memset(b, 0, 36);
	memcpy(b, "RSD PTR ", 8);
	memcpy(b + 9, "BOCHS ", 6);
	b[15] = rev;
	memcpy(b + 16, &rsdt, 4);
	b[8] = (uint8_t)-sum8(b, 20);
	if (rev < 2)
		return 20;
	b[20] = 36;
	b[32] = (uint8_t)-sum8(b, 36);
	return 36;
}

static char *bios_root(uint64_t boot_rsdp)
{
	char *root = kj_fx_mkroot();
	struct kj_boot_params bp;

	memset(&bp, 0, sizeof(bp));
	bp.acpi_rsdp_addr = boot_rsdp;
	bp.screen_info.orig_video_isVGA = KJ_VIDEO_TYPE_EFI;
	bp.screen_info.lfb_base = 0x80000000u;
	bp.screen_info.ext_lfb_base = 0x1;
	bp.screen_info.capabilities = KJ_VIDEO_CAPABILITY_64BIT_BASE;
	bp.screen_info.lfb_width = 1280;
	bp.screen_info.lfb_height = 800;
	bp.screen_info.lfb_depth = 32;
	bp.screen_info.lfb_linelength = 5120;
	bp.screen_info.red_pos = 16;
	bp.screen_info.red_size = 8;
	bp.screen_info.blue_size = 8;
	kj_fx_write(root, "sys/kernel/boot_params/data", &bp, sizeof(bp));
	kj_fx_write(root, "dev/mem", "", 0);
	return root;
}

static void test_rsdp_valid(void **state)
{
	uint8_t b[40];

	(void)state;
	rsdp(b, 0, 1);
	assert_true(kj_x86_rsdp_valid(b, 20));
	assert_false(kj_x86_rsdp_valid(b, 19));
	b[9] ^= 1;
	assert_false(kj_x86_rsdp_valid(b, 20));
	rsdp(b, 2, 1);
	assert_true(kj_x86_rsdp_valid(b, 36));
	assert_false(kj_x86_rsdp_valid(b, 35)); /* its length says 36 */
	b[20] = 20;				/* a length below 36 */
	assert_false(kj_x86_rsdp_valid(b, 36));
	memcpy(b, "RSD PTX ", 8);
	assert_false(kj_x86_rsdp_valid(b, 36));
}

/* BIOS: boot_params names SeaBIOS's revision 0 RSDP in the BIOS area. */
static void test_bios_rsdp_smbios_fb(void **state)
{
	char *root = bios_root(0xf59d0);
	uint8_t b[36], entry[0x1f] = "_SM_", table[7] = { 0, 5, 0, 0 };
	struct kj_sysdesc sys;
	struct kj_err err;

	(void)state;
	entry[5] = sizeof(entry); /* the entry point's length */
	pwrite_at(root, "dev/mem", 0xf59d0, b, rsdp(b, 0, 0x3ffe1a7d));
	kj_fx_write(root, "sys/firmware/dmi/tables/smbios_entry_point", entry,
		    sizeof(entry));
	kj_fx_write(root, "sys/firmware/dmi/tables/DMI", table, sizeof(table));
	assert_int_equal(kj_arch_sysdesc_read(&sys, &err), 0);
	assert_false(sys.efi_boot);
	assert_int_equal(sys.acpi_rsdp, 0xf59d0);
	assert_int_equal(sys.rsdp_v1.len, 20);
	assert_memory_equal(sys.rsdp_v1.data, b, 20);
	assert_int_equal(sys.rsdp_v2.len, 0);
	assert_int_equal(sys.smbios_entry.len, sizeof(entry));
	assert_int_equal(sys.smbios_table.len, sizeof(table));
	assert_true(sys.fb.valid);
	assert_int_equal(sys.fb.addr, 0x180000000ull);
	assert_int_equal(sys.fb.pitch, 5120);
	assert_int_equal(sys.fb.width, 1280);
	assert_int_equal(sys.fb.bpp, 32);
	assert_int_equal(sys.fb.red_pos, 16);
	assert_string_equal(sys.note, "");
	kj_arch_sysdesc_free(&sys);

	/* An entry point that is not one: not passed, said why. */
	entry[5] = 4;
	kj_fx_write(root, "sys/firmware/dmi/tables/smbios_entry_point", entry,
		    sizeof(entry));
	assert_int_equal(kj_arch_sysdesc_read(&sys, &err), 0);
	assert_int_equal(sys.smbios_table.len, 0);
	assert_non_null(strstr(sys.note, "SMBIOS: the entry point"));
	kj_arch_sysdesc_free(&sys);
	kj_fx_rmroot(root);
}

/* No address from the kernel: the scan finds both revisions. */
static void test_bios_scan(void **state)
{
	char *root = bios_root(0);
	uint8_t b[36], seg[2] = { 0xc0, 0x9f }; /* EBDA at 0x9fc00 */
	struct kj_sysdesc sys;
	struct kj_err err;

	(void)state;
	pwrite_at(root, "dev/mem", 0x40e, seg, 2);
	pwrite_at(root, "dev/mem", 0x9fc40, b, rsdp(b, 2, 0x1234));
	pwrite_at(root, "dev/mem", 0xe1230, b, rsdp(b, 0, 0x5678));
	pwrite_at(root, "dev/mem", 0xfffff, "", 1); /* the area's end */
	assert_int_equal(kj_arch_sysdesc_read(&sys, &err), 0);
	assert_int_equal(sys.rsdp_v2.len, 36);
	assert_int_equal(sys.rsdp_v2.data[15], 2);
	assert_int_equal(sys.rsdp_v1.len, 20);
	assert_int_equal(sys.rsdp_v1.data[16], 0x78);
	kj_arch_sysdesc_free(&sys);
	kj_fx_rmroot(root);
}

/* EFI: both entries of the configuration table; with /dev/mem gone
 * (or refusing) the copies are missing and the note says why. */
static void test_efi_rsdp(void **state)
{
	char *root = bios_root(0);
	uint8_t b[36];
	struct kj_sysdesc sys;
	struct kj_err err;

	(void)state;
	kj_fx_puts(root, "sys/firmware/efi/systab",
		   "ACPI20=0x7fb7e014\nACPI=0x7fb7e000\nSMBIOS=0x7f9d0000\n");
	pwrite_at(root, "dev/mem", 0x7fb7e014, b, rsdp(b, 2, 0x7fb7d000));
	pwrite_at(root, "dev/mem", 0x7fb7e000, b, rsdp(b, 0, 0x7fb7d000));
	assert_int_equal(kj_arch_sysdesc_read(&sys, &err), 0);
	assert_true(sys.efi_boot);
	assert_false(sys.efi.valid); /* no EFI memory map in boot_params */
	assert_int_equal(sys.acpi_rsdp, 0x7fb7e014);
	assert_int_equal(sys.smbios, 0x7f9d0000);
	assert_int_equal(sys.rsdp_v2.len, 36);
	assert_int_equal(sys.rsdp_v1.len, 20);
	assert_non_null(strstr(sys.note, "running boot_params carry no usable "
					 "EFI memory map"));
	kj_arch_sysdesc_free(&sys);

	{
		char path[1024];

		snprintf(path, sizeof(path), "%s/dev/mem", root);
		assert_int_equal(unlink(path), 0);
	}
	assert_int_equal(kj_arch_sysdesc_read(&sys, &err), 0);
	assert_int_equal(sys.rsdp_v1.len + sys.rsdp_v2.len, 0);
	assert_non_null(strstr(sys.note, "ACPI RSDP copies: /dev/mem: No such "
					 "file or directory"));
	kj_arch_sysdesc_free(&sys);

	/* A broken structure at the address is not copied either. */
	kj_fx_write(root, "dev/mem", "", 0);
	pwrite_at(root, "dev/mem", 0x7fb7e014, "RSD PTR junk........", 20);
	kj_fx_puts(root, "sys/firmware/efi/systab", "ACPI20=0x7fb7e014\n");
	assert_int_equal(kj_arch_sysdesc_read(&sys, &err), 0);
	assert_int_equal(sys.rsdp_v2.len, 0);
	assert_non_null(strstr(sys.note, "ACPI RSDP at 0x7fb7e014: no valid "
					 "RSDP there"));
	kj_arch_sysdesc_free(&sys);
	kj_fx_rmroot(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rsdp_valid),
		cmocka_unit_test(test_bios_rsdp_smbios_fb),
		cmocka_unit_test(test_bios_scan),
		cmocka_unit_test(test_efi_rsdp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
