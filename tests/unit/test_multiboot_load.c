/* The Multiboot and ELF load path from the command line down: option
 * spellings, module files (one gzip'd), the dry-run plan over a fixture
 * memory map, and the refusals `kjump load` makes before any syscall. */
#include "testlib.h"

#include <errno.h>
#include <zlib.h>

#include "abi/x86_bootparam.h"
#include "arch/arch.h"
#include "cli/cli.h"
#include "fixtures.h"
#include "load/load.h"
#include "loaders/elf.h"
#include "loaders/loader.h"
#include "loaders/multiboot1.h"

#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])))

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static char dir[64];
static char kpath[128], apath[128], bpath[128];
static uint8_t modb[3000];

/* An a.out-kludge kernel at 1 MiB, a plain module and a gzip'd one. */
static int setup(void **state)
{
	uint8_t img[0x2000] = { 0 };
	uint32_t flags = KJ_MB1_AOUT_KLUDGE | 3;
	gzFile gz;
	FILE *f;

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/kjump-mbload.XXXXXX");
	assert_non_null(mkdtemp(dir));
	put32(img, KJ_MB1_HEADER_MAGIC);
	put32(img + 4, flags);
	put32(img + 8, -(KJ_MB1_HEADER_MAGIC + flags));
	put32(img + 12, 0x100000);
	put32(img + 16, 0x100000);
	put32(img + 20, 0x102000);
	put32(img + 24, 0x103000);
	put32(img + 28, 0x100040);
	snprintf(kpath, sizeof(kpath), "%s/kernel", dir);
	snprintf(apath, sizeof(apath), "%s/modA", dir);
	snprintf(bpath, sizeof(bpath), "%s/modB.gz", dir);
	f = fopen(kpath, "w");
	assert_non_null(f);
	fwrite(img, 1, sizeof(img), f);
	fclose(f);
	f = fopen(apath, "w");
	assert_non_null(f);
	fputs("module A", f);
	fclose(f);
	for (size_t i = 0; i < sizeof(modb); i++)
		modb[i] = (uint8_t)(i * 7);
	gz = gzopen(bpath, "wb");
	assert_non_null(gz);
	gzwrite(gz, modb, sizeof(modb));
	gzclose(gz);
	kj_fx_sysroot("memmap-qemu");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	kj_test_rmtree(dir);
	return 0;
}

static void parse_kjump_spelling(void **state)
{
	char *argv[] = {
		"kjump",       "load",	   "xen.gz",   "--module",
		"vmlinuz a=b", "--module", "initrd",   "--no-decompress",
		"--args-none", "--type",   "multiboot"
	};
	struct kj_cli cli;
	struct kj_err err = { 0 };

	(void)state;
	assert_int_equal(kj_cli_parse_kjump(ARGC(argv), argv, &cli, &err), 0);
	assert_int_equal(cli.req.n_modules, 2);
	assert_string_equal(cli.req.modules[0].path, "vmlinuz");
	assert_string_equal(cli.req.modules[0].args, "a=b");
	assert_string_equal(cli.req.modules[1].path, "initrd");
	assert_string_equal(cli.req.modules[1].args, "");
	assert_true(cli.req.no_decompress);
	assert_int_equal(cli.req.elf_args, KJ_ELF_ARGS_NONE);
	assert_string_equal(cli.req.type, "multiboot");
}

static void parse_kexec_spelling(void **state)
{
	char *argv[] = { "kexec",
			 "-l",
			 "--type=multiboot-x86",
			 "--module=vmlinuz a=b",
			 "--args-linux",
			 "-c",
			 "xen.gz" };
	struct kj_cli cli;
	struct kj_err err = { 0 };

	(void)state;
	assert_int_equal(kj_cli_parse_kexec(ARGC(argv), argv, &cli, &err), 0);
	assert_int_equal(cli.req.n_modules, 1);
	assert_string_equal(cli.req.modules[0].path, "vmlinuz");
	assert_string_equal(cli.req.modules[0].args, "a=b");
	assert_int_equal(cli.req.elf_args, KJ_ELF_ARGS_LINUX);
	assert_int_equal(cli.req.syscall, KJ_SYSCALL_LOAD);
	assert_string_equal(cli.req.type, "multiboot-x86");
}

static void module_path(void **state)
{
	static struct kj_cli cli;
	static char longname[KJ_CLI_PATH_MAX + 2];
	struct kj_err err = { 0 };

	(void)state;
	memset(&cli, 0, sizeof(cli));
	assert_int_equal(kj_cli_add_module(&cli, "/b/x.gz a  b", &err), 0);
	assert_string_equal(cli.req.modules[0].path, "/b/x.gz");
	assert_string_equal(cli.req.modules[0].args, "a  b");
	assert_int_equal(kj_cli_add_module(&cli, " x", &err), -EINVAL);
	memset(longname, 'a', sizeof(longname) - 1);
	assert_int_equal(kj_cli_add_module(&cli, longname, &err),
			 -ENAMETOOLONG);
	assert_int_equal(cli.req.n_modules, 1);
}

static char *dry_run(bool no_decompress, struct kj_err *err, int *rc)
{
	struct kj_load_request req = { 0 };
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	req.kernel = kpath;
	req.cmdline = "x=1";
	req.modules[0].path = apath;
	req.modules[0].args = "arg1";
	req.modules[1].path = bpath;
	req.modules[1].args = "";
	req.n_modules = 2;
	req.no_decompress = no_decompress;
	req.dry_run = true;
	req.json = true;
	*rc = kj_load(&req, out, err);
	fclose(out);
	return text;
}

static void dry_run_plan(void **state)
{
	struct kj_err err = { 0 };
	char *json, expect[64], cmd[256];
	int rc;

	(void)state;
	json = dry_run(false, &err, &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(json, "\"what\":\"kernel\""));
	assert_non_null(strstr(json, "\"what\":\"module 0\""));
	assert_non_null(strstr(json, "\"what\":\"multiboot info\""));
	/* The gzip'd module went in decompressed. */
	snprintf(expect, sizeof(expect), "\"bufsz\":%zu", sizeof(modb));
	assert_non_null(strstr(json, expect));
	/* What the kernel gets: "PATH ARGS", as Multiboot loaders hand it. */
	snprintf(cmd, sizeof(cmd), "\"cmdline\":\"%s x=1\"", kpath);
	assert_non_null(strstr(json, cmd));
	/* Multiboot goes straight to kexec_load under auto. */
	assert_non_null(strstr(json, "\"syscall\":\"kexec_load\""));
	free(json);

	/* --no-decompress: the bytes as in the file. */
	json = dry_run(true, &err, &rc);
	assert_int_equal(rc, 0);
	assert_null(strstr(json, expect));
	free(json);
}

static void load_refusals(void **state)
{
	struct kj_cli cli;
	struct kj_err err = { 0 };
	char *filesys[] = { "kjump",	 "load", kpath,
			    "--syscall", "file", "--dry-run" };
	char *initrd[] = { "kjump",    "load", kpath,
			   "--initrd", apath,  "--dry-run" };
	char *badtype[] = { "kjump",  "load",	kpath,
			    "--type", "zImage", "--dry-run" };
	char *nomod[] = { "kjump",    "load",	      kpath,
			  "--module", "/nonexistent", "--dry-run" };

	(void)state;
	assert_int_equal(kj_cli_parse_kjump(ARGC(filesys), filesys, &cli, &err),
			 0);
	assert_int_equal(kj_cmd_load(&cli, &err), 1);
	assert_non_null(strstr(err.msg, "need kexec_load"));
	memset(&err, 0, sizeof(err));
	assert_int_equal(kj_cli_parse_kjump(ARGC(initrd), initrd, &cli, &err),
			 0);
	assert_int_equal(kj_cmd_load(&cli, &err), 1);
	assert_non_null(strstr(err.msg, "multiboot images take no --initrd"));
	memset(&err, 0, sizeof(err));
	assert_int_equal(kj_cli_parse_kjump(ARGC(badtype), badtype, &cli, &err),
			 0);
	assert_int_equal(kj_cmd_load(&cli, &err), 1);
	assert_non_null(strstr(err.msg, "--type zImage"));
	memset(&err, 0, sizeof(err));
	assert_int_equal(kj_cli_parse_kjump(ARGC(nomod), nomod, &cli, &err), 0);
	assert_int_equal(kj_cmd_load(&cli, &err), 1);
	assert_non_null(strstr(err.msg, "/nonexistent"));
}

/* A vmlinux-like ELF64: one PT_LOAD at 16 MiB, entry at its start. */
static uint8_t *elf64_image(size_t len)
{
	uint8_t *img = calloc(1, len);
	uint64_t v;

	assert_non_null(img);
	memcpy(img, "\177ELF\2\1\1", 7);
	img[16] = 2;
	img[18] = 62;
	v = 0x1000000;
	memcpy(img + 24, &v, 8); /* e_entry */
	v = 64;
	memcpy(img + 32, &v, 8); /* e_phoff */
	img[54] = 56;
	img[56] = 1;
	put32(img + 64, 1); /* PT_LOAD */
	v = 0x1000;
	memcpy(img + 64 + 8, &v, 8); /* p_offset */
	v = 0xffffffff81000000ull;
	memcpy(img + 64 + 16, &v, 8); /* p_vaddr */
	v = 0x1000000;
	memcpy(img + 64 + 24, &v, 8); /* p_paddr */
	v = 0x1000;
	memcpy(img + 64 + 32, &v, 8); /* p_filesz */
	v = 0x3000;
	memcpy(img + 64 + 40, &v, 8); /* p_memsz */
	return img;
}

static void elf64_zero_page(void **state)
{
	static uint8_t initrd[5000];
	static struct kj_range usable[KJ_MEMMAP_RANGES_MAX];
	static struct kj_sysdesc sys;
	uint8_t *img = elf64_image(0x2000);
	struct kj_load_request req = { .kernel = "vmlinux" };
	struct kj_elf_kernel k;
	struct kj_memmap *mm = calloc(1, sizeof(*mm));
	struct kj_load_input in = { 0 };
	struct kj_plan plan;
	struct kj_err err = { 0 };
	const struct kj_boot_params *bp;

	(void)state;
	assert_int_equal(kj_arch_memmap_read(mm, &err), 0);
	assert_int_equal(kj_elf_kernel_parse(img, 0x2000, "vmlinux",
					     KJ_ELF_ARGS_DEFAULT, &k, &err),
			 0);
	assert_true(k.long_mode && k.linux_args);
	in.name = "vmlinux";
	in.req = &req;
	in.kernel = img;
	in.kernel_len = 0x2000;
	in.cmdline = "console=ttyS0";
	in.initrd = initrd;
	in.initrd_len = sizeof(initrd);
	in.mm = mm;
	in.sys = &sys;
	in.usable = usable;
	in.n_usable = kj_memmap_usable(mm, false, usable, KJ_MEMMAP_RANGES_MAX);
	assert_int_equal(kj_load_plan_segments(&kj_loader_elf, &in, &plan,
					       &err),
			 0);
	assert_int_equal(plan.nseg, 4);
	assert_string_equal(plan.seg[0].what, "kernel");
	assert_int_equal(plan.seg[0].mem, 0x1000000);
	assert_int_equal(plan.seg[0].memsz, 0x3000);
	assert_true(plan.seg[0].buf == img + 0x1000);
	assert_string_equal(plan.seg[1].what, "initrd");
	assert_string_equal(plan.seg[2].what, "boot_params");
	assert_int_equal(plan.next.mode, KJ_MODE_X86_LINUX64);
	assert_int_equal(plan.next.pc, 0x1000000);
	assert_int_equal(plan.next.reg[0], plan.seg[2].mem);
	bp = plan.seg[2].buf;
	assert_int_equal(bp->hdr.ramdisk_image, plan.seg[1].mem);
	assert_int_equal(bp->hdr.ramdisk_size, sizeof(initrd));
	assert_string_equal((const char *)plan.seg[2].buf +
				    (bp->hdr.cmd_line_ptr - plan.seg[2].mem),
			    "console=ttyS0");
	kj_plan_free(&plan);

	/* --args-none: no zero page, and then no initrd either. */
	req.elf_args = KJ_ELF_ARGS_NONE;
	assert_int_equal(kj_load_plan_segments(&kj_loader_elf, &in, &plan,
					       &err),
			 -EINVAL);
	assert_non_null(strstr(err.msg, "--args-linux"));
	in.initrd_len = 0;
	assert_int_equal(kj_load_plan_segments(&kj_loader_elf, &in, &plan,
					       &err),
			 0);
	assert_int_equal(plan.nseg, 2);
	assert_int_equal(plan.next.reg[0], 0);
	kj_plan_free(&plan);
	free(mm);
	free(img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_kjump_spelling),
		cmocka_unit_test(parse_kexec_spelling),
		cmocka_unit_test(module_path),
		cmocka_unit_test(dry_run_plan),
		cmocka_unit_test(load_refusals),
		cmocka_unit_test(elf64_zero_page),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
