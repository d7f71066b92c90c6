/* The Multiboot 2 loader in the table (issue 12, phase 2): detection
 * order against Multiboot 1, --type and the boot-entry hint, and the plan
 * over the QEMU memory map fixture with a system description: the MBI's
 * strings (PATH ARGS), RSDP copies, SMBIOS, EFI, framebuffer only when
 * asked, e820 numbering, what is not passed (--verbose note), a required
 * request the system cannot satisfy, modules from 1 MiB when a
 * relocatable image went to the top of RAM. Images are built here. */
#include "testlib.h"

#include <errno.h>
#include <fcntl.h>

#include "arch/arch.h"
#include "boot/entry_request.h"
#include "fixtures.h"
#include "load/load.h"
#include "loaders/loader.h"
#include "loaders/multiboot1.h"
#include "loaders/multiboot2.h"
#include "loaders/multiboot2_mbi.h"
#include "mb2_image.h"

#define IMG_LEN 0x3000
#define LOAD 0x200000

/* An image asking (optionally) for reqs, with an optional framebuffer
 * header tag and an optional relocatable tag. */
static uint8_t *image(const uint32_t *reqs, size_t n, uint16_t req_flags,
		      bool fb, bool reloc_high)
{
	uint8_t *img = kj_test_mb2_elf32(IMG_LEN, LOAD, 0, 0);
	struct kj_test_mb2_hdr h = kj_test_mb2_begin(img, 0x100);
	const uint32_t fbw[] = { 0, 0, 0 };
	const uint32_t rel[] = { LOAD, 0xffffffff, 0x200000, KJ_MB2_PREF_HIGH };

	if (n)
		kj_test_mb2_tag(&h, KJ_MB2_HT_INFO_REQUEST, req_flags, reqs, n);
	if (fb)
		kj_test_mb2_tag(&h, KJ_MB2_HT_FRAMEBUFFER, KJ_MB2_TAG_OPTIONAL, fbw, 3);
	if (reloc_high)
		kj_test_mb2_tag(&h, KJ_MB2_HT_RELOCATABLE, KJ_MB2_TAG_OPTIONAL, rel, 4);
	kj_test_mb2_end(&h);
	return img;
}

static struct kj_memmap mm;
static const uint8_t mod_a[100] = { 1, 2, 3 };

struct run {
	uint8_t *img;
	struct kj_load_request req;
	struct kj_load_input in;
	struct kj_module_in mods[2];
	struct kj_sysdesc sys;
	struct kj_range usable[KJ_MEMMAP_RANGES_MAX];
	struct kj_plan plan;
};

static void prepare(struct run *r, uint8_t *img)
{
	struct kj_err err;

	kj_fx_sysroot("memmap-qemu");
	assert_int_equal(kj_arch_memmap_read(&mm, &err), 0);
	memset(r, 0, sizeof(*r));
	r->img = img;
	r->req.kernel = "/boot/k.elf";
	r->in.name = "/boot/k.elf";
	r->in.req = &r->req;
	r->in.kernel = img;
	r->in.kernel_len = IMG_LEN;
	r->in.cmdline = "a=1 b";
	r->mods[0] = (struct kj_module_in){ "/boot/m0", mod_a, sizeof(mod_a),
					    "x=1" };
	r->mods[1] = (struct kj_module_in){ "/boot/m1", mod_a, 10, "" };
	r->in.modules = r->mods;
	r->in.n_modules = 2;
	r->in.mm = &mm;
	r->in.sys = &r->sys;
	r->in.n_usable =
		kj_memmap_usable(&mm, false, r->usable, KJ_MEMMAP_RANGES_MAX);
	r->in.usable = r->usable;
}

static int plan(struct run *r, struct kj_err *err)
{
	return kj_load_plan_segments(&kj_loader_multiboot2, &r->in, &r->plan,
				     err);
}

static void finish(struct run *r)
{
	kj_plan_free(&r->plan);
	free(r->img);
}

/* The MBI's tag of a type (the nth one), or NULL. */
static const uint8_t *mbi_tag(const struct kj_plan *p, uint32_t type, int nth)
{
	int i = kj_plan_find(p, "multiboot2 info");
	const uint8_t *m, *t;

	assert_true(i >= 0);
	m = p->seg[i].buf;
	for (t = m + 8; t < m + kj_le32(m); t += (kj_le32(t + 4) + 7) & ~7u) {
		if (kj_le32(t) == type && nth-- == 0)
			return t;
		if (kj_le32(t) == KJ_MB2_END)
			break;
	}
	return NULL;
}

static void test_table_order_and_hints(void **state)
{
	uint8_t *img = image(NULL, 0, 0, false, false);
	uint8_t mb1[12];
	struct kj_err err;

	(void)state;
	/* Only a Multiboot 2 header: found by content. */
	assert_ptr_equal(kj_loader_detect(img, IMG_LEN), &kj_loader_multiboot2);
	/* Both headers (Xen): Multiboot 1 first, unless asked. */
	kj_put_le32(mb1, KJ_MB1_HEADER_MAGIC);
	kj_put_le32(mb1 + 4, 0);
	kj_put_le32(mb1 + 8, -KJ_MB1_HEADER_MAGIC);
	memcpy(img + 0x400, mb1, sizeof(mb1));
	assert_ptr_equal(kj_loader_detect(img, IMG_LEN), &kj_loader_multiboot1);
	assert_ptr_equal(kj_loader_by_type("multiboot2", &err),
			 &kj_loader_multiboot2);
	assert_ptr_equal(kj_loader_by_type("multiboot2-x86", &err),
			 &kj_loader_multiboot2);
	free(img);
}

static void test_mbi_from_system(void **state)
{
	const uint32_t reqs[] = { KJ_MB2_ACPI_OLD,    KJ_MB2_ACPI_NEW,
				  KJ_MB2_SMBIOS,      KJ_MB2_EFI64,
				  KJ_MB2_FRAMEBUFFER, KJ_MB2_APM };
	uint8_t v1[20] = "RSD PTR ", v2[36] = "RSD PTR ";
	uint8_t entry[0x1f] = "_SM_", table[40] = { 0 };
	struct kj_efi_memdesc_generic emap[2] = {
		{ 11, 0xfeb00000, 0xffffffff00000000ull, 16, 1ull << 63 },
		{ 5, 0x7f000000, 0xffffffff00010000ull, 4, 1ull << 63 },
	};
	const uint8_t *t;
	struct kj_err err;
	struct run r;

	(void)state;
	v1[15] = 0;
	v2[15] = 2;
	entry[6] = 2;
	entry[7] = 8;
	table[0] = 1;
	prepare(&r, image(reqs, 6, KJ_MB2_TAG_OPTIONAL, false, false));
	r.sys.rsdp_v1 = (struct kj_fw_blob){ v1, sizeof(v1) };
	r.sys.rsdp_v2 = (struct kj_fw_blob){ v2, sizeof(v2) };
	r.sys.smbios_entry = (struct kj_fw_blob){ entry, sizeof(entry) };
	r.sys.smbios_table = (struct kj_fw_blob){ table, sizeof(table) };
	r.sys.efi.valid = true;
	r.sys.efi.systab = 0x7fbee018;
	r.sys.efi.map = emap;
	r.sys.efi.map_n = 2;
	r.sys.fb = (struct kj_framebuffer){ .valid = true,
					    .addr = 0x80000000,
					    .pitch = 4096,
					    .width = 1024,
					    .height = 768,
					    .bpp = 32,
					    .red_pos = 16,
					    .red_size = 8 };
	assert_int_equal(plan(&r, &err), 0);
	/* PATH ARGS, for the kernel and each module. */
	assert_string_equal(r.plan.cmdline, "/boot/k.elf a=1 b");
	t = mbi_tag(&r.plan, KJ_MB2_CMDLINE, 0);
	assert_string_equal((const char *)t + 8, "/boot/k.elf a=1 b");
	assert_string_equal((const char *)mbi_tag(&r.plan, KJ_MB2_MODULE, 0) +
				    16,
			    "/boot/m0 x=1");
	assert_string_equal((const char *)mbi_tag(&r.plan, KJ_MB2_MODULE, 1) +
				    16,
			    "/boot/m1");
	/* The firmware's bytes, copied. */
	t = mbi_tag(&r.plan, KJ_MB2_ACPI_OLD, 0);
	assert_int_equal(kj_le32(t + 4), 8 + 20);
	assert_memory_equal(t + 8, v1, 20);
	t = mbi_tag(&r.plan, KJ_MB2_ACPI_NEW, 0);
	assert_int_equal(kj_le32(t + 4), 8 + 36);
	t = mbi_tag(&r.plan, KJ_MB2_SMBIOS, 0);
	assert_int_equal(t[8], 2);
	assert_int_equal(t[9], 8);
	assert_int_equal(kj_le32(t + 4), 16 + sizeof(table));
	assert_int_equal(t[16], 1);
	t = mbi_tag(&r.plan, KJ_MB2_EFI64, 0);
	assert_int_equal(kj_le64(t + 8), 0x7fbee018);
	t = mbi_tag(&r.plan, KJ_MB2_EFI_MMAP, 0);
	assert_int_equal(kj_le32(t + 8), 48);
	assert_int_equal(kj_le32(t + 4), 16 + 2 * 48);
	assert_int_equal(kj_le32(t + 16), 11);
	assert_int_equal(kj_le64(t + 16 + 8), 0xfeb00000);
	/* Asked for and known: the framebuffer, as RGB. */
	t = mbi_tag(&r.plan, KJ_MB2_FRAMEBUFFER, 0);
	assert_non_null(t);
	assert_int_equal(kj_le64(t + 8), 0x80000000);
	assert_int_equal(t[8 + 20], 32);
	assert_int_equal(t[8 + 21], KJ_MB2_FB_RGB);
	/* APM was asked for too: said in the note. */
	assert_string_equal(r.plan.note, "asked for but not passed: APM table");
	assert_int_equal(r.plan.next.mode, KJ_MODE_X86_PM32);
	assert_int_equal(r.plan.next.reg[0], KJ_MB2_BOOT_MAGIC);
	assert_int_equal(
		r.plan.next.reg[1],
		r.plan.seg[kj_plan_find(&r.plan, "multiboot2 info")].mem);
	finish(&r);
}

static void test_mbi_without_firmware(void **state)
{
	const uint32_t req[] = { KJ_MB2_ACPI_NEW };
	const uint8_t *t;
	struct kj_err err;
	struct run r;

	(void)state;
	/* Not asked: no framebuffer, even when one is known. */
	prepare(&r, image(NULL, 0, 0, false, false));
	r.sys.fb.valid = true;
	r.sys.fb.addr = 0x80000000;
	r.sys.fb.pitch = 4096;
	assert_int_equal(plan(&r, &err), 0);
	assert_null(mbi_tag(&r.plan, KJ_MB2_FRAMEBUFFER, 0));
	assert_null(mbi_tag(&r.plan, KJ_MB2_ACPI_OLD, 0));
	assert_null(mbi_tag(&r.plan, KJ_MB2_EFI64, 0));
	/* e820 numbering, soft-reserved included (the fixture has none:
	 * every entry is RAM 1 or reserved 2). */
	t = mbi_tag(&r.plan, KJ_MB2_MMAP, 0);
	assert_int_equal(kj_le32(t + 8), 24);
	for (const uint8_t *e = t + 16; e < t + kj_le32(t + 4); e += 24)
		assert_true(kj_le32(e + 16) == 1 || kj_le32(e + 16) == 2);
	finish(&r);

	/* Required and not there: refused by name. */
	prepare(&r, image(req, 1, 0, false, false));
	assert_int_equal(plan(&r, &err), -ENOTSUP);
	assert_string_equal(err.msg, "/boot/k.elf: Multiboot 2 image requires "
				     "the ACPI 2.0 RSDP (tag 15), which kjump "
				     "cannot provide on this system");
	assert_int_equal(r.plan.nseg, 0);
	finish(&r);
}

/* Xen's relocatable tag: highest in [2 MiB, 4 GiB]; the modules then
 * start from 1 MiB, in order. */
static void test_relocated_high_modules_low(void **state)
{
	const struct kj_segment *k, *m0, *m1;
	struct kj_err err;
	struct run r;

	(void)state;
	prepare(&r, image(NULL, 0, 0, false, true));
	/* Memory up to the top of the RAM below 4 GiB (0xbffe0000). */
	kj_put_le32(r.img + 72, 0x1e0000);
	assert_int_equal(plan(&r, &err), 0);
	k = &r.plan.seg[kj_plan_find(&r.plan, "kernel")];
	m0 = &r.plan.seg[kj_plan_find(&r.plan, "module 0")];
	m1 = &r.plan.seg[kj_plan_find(&r.plan, "module 1")];
	/* The highest 2 MiB boundary that leaves room below 0xbffe0000. */
	assert_int_equal(k->mem, 0xbfe00000);
	assert_int_equal(m0->mem, 0x100000);
	assert_true(m1->mem > m0->mem);
	assert_int_equal(kj_le32(mbi_tag(&r.plan, KJ_MB2_LOAD_BASE, 0) + 8),
			 0xbfe00000);
	assert_int_equal(r.plan.next.pc, 0xbfe00000 + 0x40);
	finish(&r);
}

static void test_cmdline_capped(void **state)
{
	static char long_line[5000];
	struct kj_err err;
	struct run r;

	(void)state;
	memset(long_line, 'x', sizeof(long_line) - 1);
	prepare(&r, image(NULL, 0, 0, false, false));
	r.in.cmdline = long_line;
	assert_int_equal(plan(&r, &err), -E2BIG);
	assert_non_null(strstr(err.msg, "command line is 5011 bytes"));
	finish(&r);
	prepare(&r, image(NULL, 0, 0, false, false));
	r.mods[1].args = long_line;
	assert_int_equal(plan(&r, &err), -E2BIG);
	assert_non_null(strstr(err.msg, "/boot/m1: module command line"));
	finish(&r);
}

/* A GRUB multiboot2 entry hints the loader: Xen's dual header then
 * boots by Multiboot 2, from the entry as from --type. */
static void test_entry_hint(void **state)
{
	struct kj_entry e = { .title = (char *)"Xen",
			      .kernel = (char *)"/k",
			      .cmdline = (char *)"",
			      .config = (char *)"c",
			      .type = KJ_ENTRY_MULTIBOOT2 };
	struct kj_load_request base = { .dry_run = true,
					.syscall = KJ_SYSCALL_LOAD },
			       req;
	char dir[] = "/tmp/kjump-mb2hint.XXXXXX", *text = NULL;
	uint8_t *img = image(NULL, 0, 0, false, false), mb1[12];
	struct kj_err err;
	size_t len = 0;
	FILE *out;
	int dfd;

	(void)state;
	kj_put_le32(mb1, KJ_MB1_HEADER_MAGIC);
	kj_put_le32(mb1 + 4, 0);
	kj_put_le32(mb1 + 8, -KJ_MB1_HEADER_MAGIC);
	memcpy(img + 0x400, mb1, sizeof(mb1));
	assert_non_null(mkdtemp(dir));
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	assert_true(dfd >= 0);
	{
		char path[64];
		FILE *f;

		snprintf(path, sizeof(path), "%s/k", dir);
		f = fopen(path, "w");
		fwrite(img, 1, IMG_LEN, f);
		fclose(f);
	}
	assert_int_equal(kj_entry_request(&e, dfd, "x=1", &base, &req, &err),
			 0);
	assert_string_equal(req.type_hint, "multiboot2");
	kj_fx_sysroot("memmap-qemu");
	out = open_memstream(&text, &len);
	assert_int_equal(kj_load(&req, out, &err), 0);
	fclose(out);
	assert_non_null(strstr(text, "(multiboot2, elf32"));
	assert_non_null(strstr(text, "eax=0x36d76289"));
	free(text);
	e.type = KJ_ENTRY_MULTIBOOT;
	assert_int_equal(kj_entry_request(&e, dfd, "x=1", &base, &req, &err),
			 0);
	out = open_memstream(&text, &len);
	assert_int_equal(kj_load(&req, out, &err), 0);
	fclose(out);
	assert_non_null(strstr(text, "(multiboot, elf32"));
	assert_non_null(strstr(text, "eax=0x2badb002"));
	free(text);
	close(dfd);
	kj_test_rmtree(dir);
	free(img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_order_and_hints),
		cmocka_unit_test(test_mbi_from_system),
		cmocka_unit_test(test_mbi_without_firmware),
		cmocka_unit_test(test_relocated_high_modules_low),
		cmocka_unit_test(test_cmdline_capped),
		cmocka_unit_test(test_entry_hint),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
