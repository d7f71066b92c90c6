/* kexec-tools' load options acting in the load step, seen in its dry-run
 * plans over fixture trees (issue 11): kexec jump, crash hotplug, ELF32
 * core headers, memmap= on the command line, the 32-bit entry, the
 * retained initrd, hard boot, and which system call each one needs. */
#include "testlib.h"

#include <errno.h>
#include <zlib.h>

#include "fake_bzimage.h"
#include "fixtures.h"
#include "load/load.h"

static char root[64], kpath[160];

/* A scratch sysroot: the QEMU crash fixture plus what a test adds. */
static int setup(void **state)
{
	struct fake_opts o = fake_linux();
	struct kj_bzimage bz;
	char cmd[256];
	size_t len;
	uint8_t *img = fake_bzimage(&o, &len, &bz);
	FILE *f;

	snprintf(root, sizeof(root), "/tmp/kjump-lopt.XXXXXX");
	assert_non_null(mkdtemp(root));
	snprintf(cmd, sizeof(cmd), "cp -a %s/crash-qemu/. %s/", KJ_FIXTURES,
		 root);
	assert_int_equal(system(cmd), 0);
	setenv("KJUMP_SYSROOT", root, 1);
	snprintf(kpath, sizeof(kpath), "%s/vmlinuz", root);
	f = fopen(kpath, "w");
	assert_non_null(f);
	fwrite(img, 1, len, f);
	fclose(f);
	free(img);
	return 0;
}

static int teardown(void **state)
{
	unsetenv("KJUMP_SYSROOT");
	kj_test_rmtree(root);
	return 0;
}

static char *dry_run(struct kj_load_request *req, int *rc, struct kj_err *err)
{
	size_t outlen = 0;
	char *text = NULL;
	FILE *f = open_memstream(&text, &outlen);

	req->kernel = kpath;
	if (!req->cmdline)
		req->cmdline = "console=ttyS0";
	req->dry_run = true;
	memset(err, 0, sizeof(*err));
	*rc = kj_load(req, f, err);
	fclose(f);
	return text;
}

static void kexec_jump(void **state)
{
	struct kj_load_request req = { .syscall = KJ_SYSCALL_AUTO,
				       .preserve_context = true };
	struct kj_err err;
	int rc;
	char *t;

	/* As kexec-tools: no --mem-max, no kexec jump. */
	t = dry_run(&req, &rc, &err);
	assert_int_equal(rc, -EINVAL);
	assert_non_null(strstr(err.msg, "--mem-max"));
	free(t);

	req.mem_max = 0x1fffffff;
	t = dry_run(&req, &rc, &err);
	assert_int_equal(rc, 0);
	/* kexec_load only (auto picks it), KEXEC_PRESERVE_CONTEXT, the
	 * memory up to --mem-max as backup segments, and the placeholder the
	 * purgatory fills with the way back. */
	assert_non_null(strstr(t, "syscall  kexec_load\n"));
	assert_non_null(strstr(t, "flags    0x3e0002\n"));
	assert_non_null(strstr(t, "0 bytes  backup\n"));
	assert_non_null(strstr(t,
			       "cmdline  console=ttyS0 "
			       "kexec_jump_back_entry=0x0000000000000000\n"));
	assert_non_null(strstr(t, "0x1fffffff"));
	assert_null(strstr(t, "0x20000000  "));
	free(t);

	/* --entry: entered there, no placeholder. */
	req.entry = 0x1234000;
	t = dry_run(&req, &rc, &err);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(t, "entry    0x1234000"));
	assert_null(strstr(t, "kexec_jump_back_entry"));
	free(t);

	req.syscall = KJ_SYSCALL_FILE;
	t = dry_run(&req, &rc, &err);
	assert_int_equal(rc, -ENOTSUP);
	assert_non_null(strstr(err.msg, "kexec_file_load is not supported"));
	free(t);
}

static void crash_hotplug(void **state)
{
	struct kj_load_request req = { .syscall = KJ_SYSCALL_LOAD,
				       .panic = true,
				       .hotplug = true };
	struct kj_err err;
	char path[256];
	int rc;
	char *t;

	t = dry_run(&req, &rc, &err);
	assert_int_equal(rc, -ENOTSUP);
	assert_non_null(strstr(err.msg, "CONFIG_CRASH_HOTPLUG"));
	free(t);
	/* Linux 6.5+: the header gets the room the kernel asks for, and the
	 * flag that lets it rewrite the header (x86's spelling). */
	snprintf(path, sizeof(path), "sys/kernel/crash_elfcorehdr_size");
	kj_fx_puts(root, path, "1048576\n");
	t = dry_run(&req, &rc, &err);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(t, "1 MiB  elfcorehdr\n"));
	assert_non_null(strstr(t, "flags    0x3e0005 (on crash)\n"));
	free(t);
	/* A crash kernel's option, refused for a normal load. */
	req.panic = false;
	t = dry_run(&req, &rc, &err);
	assert_int_equal(rc, -EINVAL);
	assert_non_null(strstr(err.msg, "--hotplug applies to a crash kernel"));
	free(t);
}

static void memmap_on_the_command_line(void **state)
{
	struct kj_load_request req = { .syscall = KJ_SYSCALL_LOAD,
				       .panic = true,
				       .pass_memmap_cmdline = true };
	struct kj_err err;
	int rc;
	char *t = dry_run(&req, &rc, &err);

	assert_int_equal(rc, 0);
	/* The crash region (0x2b000000-0x32ffffff) as RAM, ACPI and
	 * reserved ranges kept, then elfcorehdr= as always. */
	assert_non_null(strstr(t, "cmdline  console=ttyS0 memmap=exactmap "));
	assert_non_null(strstr(t, " memmap=131072K@704512K "));
	assert_non_null(strstr(t, " elfcorehdr=0x"));
	free(t);
	req.syscall = KJ_SYSCALL_FILE;
	t = dry_run(&req, &rc, &err);
	assert_int_equal(rc, -ENOTSUP);
	free(t);
}

static void elf32_core_headers(void **state)
{
	struct kj_load_request req = { .syscall = KJ_SYSCALL_LOAD,
				       .panic = true,
				       .elf32_core = true };
	struct kj_err err;
	int rc;
	char *t;

	/* The fixture has RAM above 4 GiB: refused, not truncated. */
	t = dry_run(&req, &rc, &err);
	assert_int_equal(rc, -ERANGE);
	assert_non_null(strstr(err.msg, "above 4 GiB"));
	assert_non_null(strstr(err.msg, "--elf64-core-headers"));
	free(t);
	/* Without it (below 4 GiB only) the plan is made. */
	kj_fx_puts(root, "proc/iomem",
		   "00001000-0009fbff : System RAM\n"
		   "00100000-bffdffff : System RAM\n"
		   "  2b000000-32ffffff : Crash kernel\n");
	{
		char cmd[256];

		snprintf(cmd, sizeof(cmd), "rm -rf %s/sys/firmware/memmap",
			 root);
		assert_int_equal(system(cmd), 0);
	}
	t = dry_run(&req, &rc, &err);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(t, "elfcorehdr\n"));
	free(t);
}

static void entry_32bit(void **state)
{
	struct kj_load_request req = { .syscall = KJ_SYSCALL_AUTO,
				       .entry_32bit = true };
	struct kj_err err;
	int rc;
	char *t = dry_run(&req, &rc, &err);

	assert_int_equal(rc, 0);
	assert_non_null(strstr(t, "syscall  kexec_load\n"));
	assert_non_null(strstr(t, " (32-bit), eax=0x0 ebx=0x0 esi=0x"));
	free(t);
}

static void retained_initrd(void **state)
{
	struct kj_load_request req = { .syscall = KJ_SYSCALL_LOAD,
				       .reuse_initrd = true };
	struct kj_err err;
	int rc;
	char *t;

	kj_fx_puts(root, "proc/cmdline", "console=ttyS0 quiet\n");
	t = dry_run(&req, &rc, &err);
	assert_int_equal(rc, -ENOENT);
	assert_non_null(strstr(err.msg, "retain_initrd"));
	free(t);
	/* A kernel that keeps it only in memory (no /sys/firmware/initrd):
	 * kexec_load hands it over in place, where boot_params say, and
	 * nothing is placed over it; the file syscall cannot. */
	kj_fx_puts(root, "proc/cmdline", "console=ttyS0 retain_initrd\n");
	t = dry_run(&req, &rc, &err);
	assert_int_equal(rc, -ENOENT);
	assert_non_null(strstr(err.msg, "booted without an initrd"));
	free(t);
	{
		uint8_t bp[4096] = { 0 };

		fake_put(bp, 0x218, 0x2e000000, 4); /* ramdisk_image */
		fake_put(bp, 0x21c, 0x300000, 4);   /* ramdisk_size */
		kj_fx_write(root, "sys/kernel/boot_params/data", bp,
			    sizeof(bp));
	}
	t = dry_run(&req, &rc, &err);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(t, "initrd   the running kernel's, in place at "
				  "0x2e000000\n"));
	assert_null(strstr(t, "  initrd\n")); /* no segment */
	free(t);
	req.syscall = KJ_SYSCALL_FILE;
	t = dry_run(&req, &rc, &err);
	assert_int_equal(rc, -ENOTSUP);
	assert_non_null(strstr(err.msg, "only kexec_load can hand on"));
	free(t);
	req.syscall = KJ_SYSCALL_LOAD;
	kj_fx_puts(root, "sys/firmware/initrd", "0707010000000012345678");
	t = dry_run(&req, &rc, &err);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(t, "initrd   /sys/firmware/initrd\n"));
	assert_non_null(strstr(t, " 22 bytes  initrd\n"));
	free(t);
}

static void write_gz(const char *rel, const char *text)
{
	char path[256];
	gzFile f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = gzopen(path, "wb");
	assert_non_null(f);
	gzputs(f, text);
	gzclose(f);
}

static void hard_boot(void **state)
{
	struct kj_load_request req = { .syscall = KJ_SYSCALL_AUTO,
				       .hardboot = true };
	struct kj_err err;
	int rc;
	char *t;

	t = dry_run(&req, &rc, &err);
	assert_int_equal(rc, -ENOTSUP);
	assert_non_null(strstr(err.msg, "kexec-hardboot patch"));
	free(t);
	write_gz("proc/config.gz", "CONFIG_KEXEC=y\n# CONFIG_KEXEC_JUMP is "
				   "not set\n");
	t = dry_run(&req, &rc, &err);
	assert_int_equal(rc, -ENOTSUP);
	assert_non_null(strstr(err.msg, "has no CONFIG_KEXEC_HARDBOOT=y"));
	free(t);
	write_gz("proc/config.gz", "CONFIG_KEXEC=y\nCONFIG_KEXEC_HARDBOOT=y\n");
	t = dry_run(&req, &rc, &err);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(t, "syscall  kexec_load\n"));
	assert_non_null(strstr(t, "flags    0x3e0004\n"));
	free(t);
}

static void file_only_flags(void **state)
{
	struct kj_load_request req = { .syscall = KJ_SYSCALL_LOAD,
				       .no_cma = true };
	struct kj_err err;
	int rc;
	char *t;

	t = dry_run(&req, &rc, &err);
	assert_int_equal(rc, -ENOTSUP);
	assert_non_null(strstr(err.msg, "--no-cma is a kexec_file_load flag"));
	free(t);
	/* auto: the file syscall with the flag, kexec_load still behind it
	 * (kexec_load never uses CMA) */
	req.syscall = KJ_SYSCALL_AUTO;
	t = dry_run(&req, &rc, &err);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(t, "then kexec_load if the kernel refuses"));
	free(t);
	/* --force-dtb: the file syscall only, nothing to fall back to */
	req.no_cma = false;
	req.force_dtb = true;
	t = dry_run(&req, &rc, &err);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(t, "syscall  kexec_file_load\n"));
	free(t);
	/* both kinds at once cannot be honoured */
	req.console_vga = true;
	t = dry_run(&req, &rc, &err);
	assert_int_equal(rc, -ENOTSUP);
	assert_non_null(strstr(err.msg, "give one of them"));
	free(t);
}

static void unsupported_types_are_named(void **state)
{
	static const char *const names[] = { "nbi-x86", "beoboot-x86",
					     "vmlinux", "uImage" };
	struct kj_err err;
	int rc;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct kj_load_request req = { .syscall = KJ_SYSCALL_LOAD,
					       .type = names[i] };
		char *t = dry_run(&req, &rc, &err);

		assert_int_equal(rc, -ENOTSUP);
		assert_non_null(strstr(err.msg, names[i]));
		assert_non_null(strstr(err.msg, "supported"));
		assert_null(strstr(err.msg, "are)")); /* not "unknown" */
		free(t);
	}
	/* A wrapper type on a file that is not that wrapper. */
	{
		struct kj_load_request req = { .syscall = KJ_SYSCALL_LOAD,
					       .type = "uki" };
		char *t = dry_run(&req, &rc, &err);

		assert_int_equal(rc, -ENOEXEC);
		assert_non_null(strstr(err.msg, "not a Unified Kernel Image"));
		free(t);
	}
	/* A type another arch's loader takes: refused by that reason. */
	{
		struct kj_load_request req = { .syscall = KJ_SYSCALL_LOAD,
					       .type = "Image" };
		char *t = dry_run(&req, &rc, &err);

		assert_int_equal(rc, -ENOEXEC);
		assert_non_null(strstr(err.msg, "are for arm64"));
		free(t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(kexec_jump, setup, teardown),
		cmocka_unit_test_setup_teardown(crash_hotplug, setup, teardown),
		cmocka_unit_test_setup_teardown(memmap_on_the_command_line,
						setup, teardown),
		cmocka_unit_test_setup_teardown(elf32_core_headers, setup,
						teardown),
		cmocka_unit_test_setup_teardown(entry_32bit, setup, teardown),
		cmocka_unit_test_setup_teardown(retained_initrd, setup,
						teardown),
		cmocka_unit_test_setup_teardown(hard_boot, setup, teardown),
		cmocka_unit_test_setup_teardown(file_only_flags, setup,
						teardown),
		cmocka_unit_test_setup_teardown(unsupported_types_are_named,
						setup, teardown),
	};
	return cmocka_run_group_tests_name("load_options", tests, NULL, NULL);
}
