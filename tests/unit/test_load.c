/* The load step end to end over fixture trees: files in, the executor's
 * dry-run plan out. Only dry runs: a real run would load on this
 * machine. */
#include "testlib.h"

#include <errno.h>
#include <string.h>

#include "fake_bzimage.h"
#include "fixtures.h"
#include "load/load.h"

static char dir[64], kpath[128], ipath[128];

static int setup(void **state)
{
	struct fake_opts o = fake_linux();
	struct kj_bzimage bz;
	size_t len;
	uint8_t *img = fake_bzimage(&o, &len, &bz);
	FILE *f;

	snprintf(dir, sizeof(dir), "/tmp/kjump-load.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(kpath, sizeof(kpath), "%s/vmlinuz", dir);
	snprintf(ipath, sizeof(ipath), "%s/initrd", dir);
	f = fopen(kpath, "w");
	assert_non_null(f);
	fwrite(img, 1, len, f);
	fclose(f);
	f = fopen(ipath, "w");
	assert_non_null(f);
	fputs("07070100", f);
	fclose(f);
	free(img);
	return 0;
}

static int teardown(void **state)
{
	kj_test_rmtree(dir);
	return 0;
}

static char *dry_run(struct kj_load_request *req, bool initrd, int *rc,
		     struct kj_err *err)
{
	static const char *initrds[1];
	size_t outlen = 0;
	char *text = NULL;
	FILE *f = open_memstream(&text, &outlen);

	initrds[0] = ipath;
	req->kernel = kpath;
	req->cmdline = "console=ttyS0";
	memcpy(req->initrds, initrds, sizeof(initrds));
	req->n_initrds = initrd;
	req->dry_run = true;
	*rc = kj_load(req, f, err);
	fclose(f);
	return text;
}

static void test_text_and_json(void **state)
{
	struct kj_load_request req = { .syscall = KJ_SYSCALL_LOAD };
	struct kj_err err;
	int rc;
	char *t;

	kj_fx_sysroot("memmap-qemu");
	t = dry_run(&req, true, &rc, &err);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(t, "  kernel\n"));
	assert_non_null(strstr(t, " 8 bytes  initrd\n"));
	assert_non_null(strstr(t, "  purgatory\n"));
	assert_non_null(strstr(t, "  boot_params\n"));
	assert_non_null(strstr(t, "then     0x1000200 (64-bit), rsi=0x"));
	assert_non_null(strstr(t, "cmdline  console=ttyS0\n"));
	/* Where segments may go, as the fixture's maps allow it. */
	assert_non_null(strstr(t, "usable   0x1000-0x9fbff, 0x100000-"
				  "0x2affffff, 0x33000000-0xbffdffff, "
				  "0x100000000-0x13fffffff\n"));
	free(t);

	req.json = true;
	req.panic = true;
	t = dry_run(&req, false, &rc, &err);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(t, "{\"index\":0,\"mem\":721420288,"));
	assert_null(strstr(t, "\"initrd\""));
	assert_non_null(strstr(t, "\"panic\":true"));
	free(t);
}

static void test_auto_shows_both_paths(void **state)
{
	struct kj_load_request req = { .syscall = KJ_SYSCALL_AUTO };
	struct kj_err err;
	int rc;
	char *t;

	/* --syscall auto: the file syscall first, and the kexec_load plan it
	 * would fall back to is built and checked too. */
	kj_fx_sysroot("memmap-qemu");
	t = dry_run(&req, true, &rc, &err);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(t, "syscall  kexec_file_load, then kexec_load "
				  "if the kernel refuses the image\n"));
	assert_non_null(strstr(t, "  boot_params\n"));
	assert_non_null(strstr(t, "initrd   "));
	free(t);

	/* A fallback that cannot be built is said, not hidden. */
	kj_fx_sysroot("memmap-nonroot");
	req.json = true;
	t = dry_run(&req, true, &rc, &err);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(t, "\"syscall\":\"auto\""));
	assert_non_null(strstr(t, "\"fallback_error\":\"/proc/iomem"));
	assert_non_null(strstr(t, "\"plan\":null"));
	free(t);
}

static void test_errors_pass_through(void **state)
{
	struct kj_load_request req = { .kernel = "vmlinuz", .panic = true };
	struct kj_err err;
	int rc;
	char *t;

	req.syscall = KJ_SYSCALL_LOAD;
	kj_fx_sysroot("memmap-nonroot");
	t = dry_run(&req, false, &rc, &err);
	assert_int_equal(rc, -EPERM);
	assert_non_null(strstr(err.msg, "/proc/iomem: every address reads as 0"));
	assert_string_equal(t, "");
	free(t);

	kj_fx_sysroot("memmap-iomem"); /* no crash region reserved */
	t = dry_run(&req, false, &rc, &err);
	assert_int_equal(rc, -ENOMEM);
	assert_non_null(strstr(err.msg, "crashkernel=SIZE"));
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_and_json),
		cmocka_unit_test(test_auto_shows_both_paths),
		cmocka_unit_test(test_errors_pass_through),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
