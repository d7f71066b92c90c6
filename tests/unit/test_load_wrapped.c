/* UKI and EFI zboot through the load step (issue 12, phase 2): the files
 * of a load unwrapped (the loader sees .linux), the UKI's .ucode +
 * .initrd as the initrd unless --initrd, its .cmdline unless a command
 * line is given (systemd-stub's rule; refused under Secure Boot), the
 * memfds kexec_file_load reads, --uki-profile, and the whole step's
 * dry-run plan. UKIs are fake_pe.h images around a fake_bzimage.h
 * kernel, written to a scratch directory. */
#include "testlib.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "fake_bzimage.h"
#include "fake_pe.h"
#include "fixtures.h"
#include "load/files.h"
#include "load/load.h"
#include "load/wrapped.h"

#define SB_VAR                                                         \
	"sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d0-aa0d-" \
	"00e098032b8c"

static char dir[64], uki_path[128], plain_path[128], initrd_path[128];
static uint8_t *kernel;
static size_t kernel_len;
static const char ucode[] = "UCODE"; /* 5 bytes: padded to 8 */
static const char irdata[] = "07070100-initrd";

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static int setup(void **state)
{
	struct fake_opts o = fake_linux();
	struct kj_bzimage bz;
	const char cmdline[] = "  console=ttyS0\tkj_uki=1 \n";
	struct fake_sec s[4];
	struct fake_pe pe;

	(void)state;
	kernel = fake_bzimage(&o, &kernel_len, &bz);
	s[0] = (struct fake_sec){ ".cmdline", cmdline, sizeof(cmdline) - 1, 0 };
	s[1] = (struct fake_sec){ ".ucode", ucode, sizeof(ucode) - 1, 0 };
	s[2] = (struct fake_sec){ ".initrd", irdata, sizeof(irdata) - 1, 0 };
	s[3] = (struct fake_sec){ ".linux", kernel, kernel_len, 0 };
	pe = fake_pe_build(0x8664, s, 4);
	snprintf(dir, sizeof(dir), "/tmp/kjump-wrapped.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(uki_path, sizeof(uki_path), "%s/linux.efi", dir);
	snprintf(plain_path, sizeof(plain_path), "%s/vmlinuz", dir);
	snprintf(initrd_path, sizeof(initrd_path), "%s/initrd", dir);
	write_file(uki_path, pe.buf, pe.len);
	write_file(plain_path, kernel, kernel_len);
	write_file(initrd_path, "07070100-given", 14);
	free(pe.buf);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	kj_test_rmtree(dir);
	free(kernel);
	return 0;
}

static void test_cmdline_rule(void **state)
{
	struct kj_unwrapped w = { .wrapper = KJ_WRAP_UKI,
				  .cmdline = (char *)"from=uki" };
	struct kj_load_request req = { .kernel = "u.efi", .cmdline = "" };
	const char *cl;
	char note[128];
	struct kj_err err;

	(void)state;
	assert_int_equal(kj_wrapped_cmdline(&req, &w, false, &cl, note,
					    sizeof(note), &err),
			 0);
	assert_string_equal(cl, "from=uki");
	assert_string_equal(note, "u.efi: command line from the UKI's "
				  ".cmdline");
	/* Given: it replaces .cmdline, but not under Secure Boot. */
	req.cmdline = "given=1";
	assert_int_equal(kj_wrapped_cmdline(&req, &w, false, &cl, note,
					    sizeof(note), &err),
			 0);
	assert_string_equal(cl, "given=1");
	assert_non_null(strstr(note, "replaces the UKI's .cmdline"));
	assert_int_equal(kj_wrapped_cmdline(&req, &w, true, &cl, NULL, 0, &err),
			 -EPERM);
	assert_non_null(strstr(err.msg, "u.efi: Secure Boot is on and the UKI "
					"has a .cmdline"));
	/* A boot entry handing back the UKI's own line is not an override. */
	req.cmdline = "from=uki";
	assert_int_equal(kj_wrapped_cmdline(&req, &w, true, &cl, NULL, 0, &err),
			 0);
	/* No .cmdline, or no UKI: the request's line as it is. */
	w.cmdline = NULL;
	req.cmdline = "given=1";
	assert_int_equal(kj_wrapped_cmdline(&req, &w, true, &cl, note,
					    sizeof(note), &err),
			 0);
	assert_string_equal(cl, "given=1");
	assert_string_equal(note, "");
}

static void test_secure_boot_var(void **state)
{
	char *root = kj_fx_mkroot();
	const uint8_t on[5] = { 6, 0, 0, 0, 1 }, off[5] = { 6, 0, 0, 0, 0 };

	(void)state;
	assert_false(kj_secure_boot());
	kj_fx_write(root, SB_VAR, on, 5);
	assert_true(kj_secure_boot());
	kj_fx_write(root, SB_VAR, off, 5);
	assert_false(kj_secure_boot());
	kj_fx_rmroot(root);
}

static void read_fd(int fd, void *buf, size_t len)
{
	assert_int_equal(pread(fd, buf, len, 0), (ssize_t)len);
}

static void test_files_unwrap(void **state)
{
	struct kj_load_request req = { .kernel = uki_path };
	uint8_t *back = malloc(kernel_len), ird[16];
	struct kj_files f;
	struct kj_err err;
	int kfd, ifd;

	(void)state;
	assert_int_equal(kj_files_open_kernel(&f, &req, &err), 0);
	assert_int_equal(f.kernel_w.wrapper, KJ_WRAP_UKI);
	assert_int_equal(f.kernel_len, kernel_len);
	assert_memory_equal(f.kernel, kernel, kernel_len);
	assert_int_equal(kj_files_open_rest(&f, &req, &err), 0);
	assert_true(f.initrd_wrapped);
	/* .ucode padded to 4 bytes, then .initrd. */
	assert_int_equal(f.initrd_len, 8 + 16);
	assert_memory_equal(f.initrd, "UCODE\0\0\0", 8);
	assert_memory_equal(f.initrd + 8, irdata, 15);
	assert_non_null(strstr(f.initrd_name, "linux.efi (.ucode + .initrd)"));
	/* What kexec_file_load reads: memfds of the unwrapped bytes. */
	assert_int_equal(kj_files_kernel_fd(&f, uki_path, &kfd, &err), 0);
	assert_int_not_equal(kfd, f.kernel_fd);
	read_fd(kfd, back, kernel_len);
	assert_memory_equal(back, kernel, kernel_len);
	assert_int_equal(kj_files_initrd_fd(&f, &ifd, &err), 0);
	assert_true(ifd >= 0);
	read_fd(ifd, ird, sizeof(ird));
	assert_memory_equal(ird, "UCODE\0\0\0", 8);
	close(kfd);
	close(ifd);
	kj_files_close(&f);

	/* --initrd replaces the UKI's. */
	req.initrds[0] = initrd_path;
	req.n_initrds = 1;
	assert_int_equal(kj_files_open_kernel(&f, &req, &err), 0);
	assert_int_equal(kj_files_open_rest(&f, &req, &err), 0);
	assert_false(f.initrd_wrapped);
	assert_int_equal(f.initrd_len, 14);
	assert_int_equal(kj_files_initrd_fd(&f, &ifd, &err), 0);
	assert_int_equal(ifd, f.initrd_fd);
	kj_files_close(&f);
	free(back);
}

static void test_profiles(void **state)
{
	struct kj_load_request req = { .kernel = plain_path, .uki_profile = 1 };
	struct kj_files f;
	struct kj_err err;
	int fd;

	(void)state;
	assert_int_equal(kj_files_open_kernel(&f, &req, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "vmlinuz: --uki-profile 1: not a "
					"UKI"));
	req.kernel = uki_path;
	assert_int_equal(kj_files_open_kernel(&f, &req, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "profile 1"));
	/* A plain kernel is read from its own file. */
	req.kernel = plain_path;
	req.uki_profile = 0;
	assert_int_equal(kj_files_open_kernel(&f, &req, &err), 0);
	assert_int_equal(f.kernel_w.wrapper, KJ_WRAP_NONE);
	assert_int_equal(kj_files_kernel_fd(&f, plain_path, &fd, &err), 0);
	assert_int_equal(fd, f.kernel_fd);
	kj_files_close(&f);
}

/* The whole step: the plan says where everything came from. */
static void test_dry_run(void **state)
{
	struct kj_load_request req = { .kernel = uki_path,
				       .cmdline = "",
				       .dry_run = true,
				       .syscall = KJ_SYSCALL_AUTO };
	size_t len = 0;
	char *text = NULL;
	struct kj_err err;
	FILE *out;

	(void)state;
	kj_fx_sysroot("memmap-qemu");
	out = open_memstream(&text, &len);
	assert_int_equal(kj_load(&req, out, &err), 0);
	fclose(out);
	assert_non_null(strstr(text, "(bzImage, protocol 2.15, inside a UKI)"));
	assert_non_null(strstr(text, "initrd   "));
	assert_non_null(strstr(text, "linux.efi (.ucode + .initrd)\n"));
	assert_non_null(strstr(text, "cmdline  console=ttyS0 kj_uki=1\n"));
	assert_non_null(strstr(text, " 24 bytes  initrd\n"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cmdline_rule),
		cmocka_unit_test(test_secure_boot_var),
		cmocka_unit_test(test_files_unwrap),
		cmocka_unit_test(test_profiles),
		cmocka_unit_test(test_dry_run),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
