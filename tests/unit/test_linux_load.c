#include "testlib.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "arch/x86_64/linux_load.h"
#include "fake_bzimage.h"
#include "fixtures.h"

/* Only dry runs here: a real run would call kexec_load on this machine. */

static char *dry_run(struct kj_load_request *req, int initrd_fd, int *rc,
		     struct kj_err *err)
{
	struct fake_opts o = fake_linux();
	struct kj_bzimage bz;
	size_t len, outlen = 0;
	uint8_t *img = fake_bzimage(&o, &len, &bz);
	char *text = NULL;
	FILE *f = open_memstream(&text, &outlen);

	req->dry_run = true;
	*rc = kj_x86_kexec_load_bzimage(req, img, len, &bz, initrd_fd,
					"console=ttyS0", f, err);
	fclose(f);
	free(img);
	return text;
}

static void test_text_and_json(void **state)
{
	struct kj_load_request req = { .kernel = "vmlinuz" };
	struct kj_err err;
	int fd = memfd_create("initrd", 0), rc;
	char *t;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, "07070100", 8), 8);
	kj_fx_sysroot("memmap-qemu");
	t = dry_run(&req, fd, &rc, &err);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(t, "  kernel\n"));
	assert_non_null(strstr(t, " 8 bytes  initrd\n"));
	assert_non_null(strstr(t, "  purgatory\n"));
	assert_non_null(strstr(t, "  boot_params\n"));
	assert_non_null(strstr(t, "then     0x1000200 (64-bit), rsi=0x"));
	assert_non_null(strstr(t, "cmdline  console=ttyS0\n"));
	free(t);

	req.json = true;
	req.panic = true;
	t = dry_run(&req, -1, &rc, &err);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(t, "{\"index\":0,\"mem\":721420288,"));
	assert_null(strstr(t, "\"initrd\""));
	assert_non_null(strstr(t, "\"panic\":true"));
	free(t);
	close(fd);
}

static void test_errors_pass_through(void **state)
{
	struct kj_load_request req = { .kernel = "vmlinuz", .panic = true };
	struct kj_err err;
	int rc;
	char *t;

	kj_fx_sysroot("memmap-nonroot");
	t = dry_run(&req, -1, &rc, &err);
	assert_int_equal(rc, -EPERM);
	assert_non_null(strstr(err.msg, "/proc/iomem: every address reads as 0"));
	assert_string_equal(t, "");
	free(t);

	kj_fx_sysroot("memmap-iomem"); /* no crash region reserved */
	t = dry_run(&req, -1, &rc, &err);
	assert_int_equal(rc, -ENOMEM);
	assert_non_null(strstr(err.msg, "crashkernel=SIZE"));
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_and_json),
		cmocka_unit_test(test_errors_pass_through),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
