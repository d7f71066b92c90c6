/* Issue 15, case 11: FIFOs, devices and directories where a disk should
 * hold a config, a kernel, an initrd, a module, grubenv or /proc/iomem.
 * Every open path refuses them with one line and none of them blocks: each
 * test runs under alarm(), whose default action kills a hung test. */
#include "testlib.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "boot/efivar.h"
#include "boot/menu_conf.h"
#include "boot/oneshot.h"
#include "boot/scan.h"
#include "image/image.h"
#include "image/initrd.h"
#include "image/open.h"
#include "sys/sysroot.h"

#define WATCHDOG 10 /* seconds: far more than any of these needs */

static void fifo(const char *root, const char *rel)
{
	char path[PATH_MAX];

	/* a regular file first creates the directories */
	kj_test_write(root, rel, "");
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkfifo(path, 0600), 0);
}

static bool warned(const struct kj_warnings *w, const char *a, const char *b)
{
	for (size_t i = 0; i < w->n; i++)
		if (strstr(w->v[i], a) && strstr(w->v[i], b))
			return true;
	return false;
}

static void dump(const struct kj_warnings *w)
{
	if (!getenv("KJ_TEST_VERBOSE"))
		return;
	for (size_t i = 0; i < w->n; i++)
		fprintf(stderr, "  warning: %s\n", w->v[i]);
}

/* The primitive: O_PATH first, only a regular file is opened. */
static void open_refuses_special_files(void **state)
{
	char *dir = kj_test_tmpdir(), path[PATH_MAX];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct kj_err err = { 0 };
	int dirfd, sock, fd;

	(void)state;
	alarm(WATCHDOG);
	fifo(dir, "f");
	kj_test_write(dir, "reg", "data");
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/sock", dir);
	sock = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(sock >= 0);
	assert_int_equal(bind(sock, (struct sockaddr *)&sa, sizeof(sa)), 0);
	dirfd = open(dir, O_RDONLY | O_DIRECTORY);
	assert_true(dirfd >= 0);

	assert_int_equal(kj_open_file(dirfd, "/f"), -EINVAL);
	assert_int_equal(kj_open_file(dirfd, "/sock"), -EINVAL);
	assert_int_equal(kj_open_file(dirfd, "/"), -EISDIR);
	assert_int_equal(kj_open_file(-1, "/dev/null"), -EINVAL);
	assert_int_equal(kj_open_regular(dirfd, "/f", &err), -EINVAL);
	assert_string_equal(err.msg, "/f: a FIFO, not a regular file");
	assert_int_equal(kj_open_regular(-1, "/dev/null", &err), -EINVAL);
	assert_string_equal(
		err.msg, "/dev/null: a character device, not a regular file");
	snprintf(path, sizeof(path), "%s/f", dir);
	assert_int_equal(kj_open_file(-1, path), -EINVAL);
	assert_int_equal(kj_open_regular(dirfd, "/sock", &err), -EINVAL);
	assert_string_equal(err.msg, "/sock: a socket, not a regular file");

	/* A regular file opens, blocking reads as usual. */
	fd = kj_open_file(dirfd, "/reg");
	assert_true(fd >= 0);
	assert_int_equal(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
	close(fd);
	alarm(0);
	close(sock);
	close(dirfd);
	kj_test_rmtree(dir);
	free(dir);
}

/* `kjump inspect FIFO`, `load FIFO`, --initrd FIFO and a FIFO module all
 * go through these. */
static void kernel_initrd_module(void **state)
{
	char *dir = kj_test_tmpdir(), path[PATH_MAX];
	const char *paths[2];
	struct kj_err err = { 0 };
	struct kj_image img;
	int dirfd;

	(void)state;
	alarm(WATCHDOG);
	fifo(dir, "boot/vmlinuz");
	fifo(dir, "boot/initrd.img");
	kj_test_write(dir, "boot/ok.img", "ok");
	snprintf(path, sizeof(path), "%s/boot/vmlinuz", dir);
	assert_int_equal(kj_image_open(&img, path, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "vmlinuz: a FIFO, not a regular "
					"file"));
	dirfd = open(dir, O_RDONLY | O_DIRECTORY);
	assert_true(dirfd >= 0);
	assert_int_equal(kj_image_open_at(&img, dirfd, "/boot/vmlinuz", &err),
			 -EINVAL);
	assert_string_equal(err.msg,
			    "/boot/vmlinuz: a FIFO, not a regular file");
	assert_int_equal(kj_image_open_at(&img, dirfd, "/boot", &err), -EISDIR);
	assert_string_equal(err.msg, "/boot: a directory, not a regular file");
	paths[0] = "/boot/initrd.img";
	assert_int_equal(kj_initrd_open(dirfd, paths, 1, &err), -EINVAL);
	assert_string_equal(err.msg,
			    "/boot/initrd.img: a FIFO, not a regular file");
	paths[0] = "/boot/ok.img";
	paths[1] = "/boot/initrd.img";
	assert_int_equal(kj_initrd_open(dirfd, paths, 2, &err), -EINVAL);
	/* kj_map_fd refuses what is not a regular file as well. */
	{
		const uint8_t *data;
		size_t size;
		int fds[2];

		assert_int_equal(pipe(fds), 0);
		assert_int_equal(kj_map_fd(fds[0], "pipe", &data, &size, &err),
				 -EINVAL);
		assert_string_equal(err.msg,
				    "pipe: a FIFO, not a regular file");
		close(fds[0]);
		close(fds[1]);
	}
	alarm(0);
	close(dirfd);
	kj_test_rmtree(dir);
	free(dir);
}

/* A disk whose every config is a FIFO: the scan warns and goes on. */
static void scan_of_fifo_configs(void **state)
{
	char *a = kj_test_tmpdir(), *b = kj_test_tmpdir(),
	     *c = kj_test_tmpdir();
	const char *roots[] = { a, b, c };
	struct kj_scan scan;
	struct kj_err err = { 0 };
	const char *fifo_says = "a FIFO, not a regular file";

	(void)state;
	alarm(WATCHDOG);
	/* Root a: grub.cfg, an INCLUDE target and lilo.conf. */
	fifo(a, "boot/grub/grub.cfg");
	kj_test_write(a, "boot/syslinux/syslinux.cfg",
		      "INCLUDE inc.cfg\nLABEL l\n KERNEL /k\n");
	fifo(a, "boot/syslinux/inc.cfg");
	fifo(a, "etc/lilo.conf");
	/* Root b: BLS entries, loader.conf and grubenv (no grub.cfg). */
	kj_test_write(b, "loader/entries/good.conf", "linux /vmlinuz\n");
	fifo(b, "loader/entries/fifo.conf");
	fifo(b, "loader/loader.conf");
	fifo(b, "boot/grub/grubenv");
	/* Root c: FIFOs where directories are looked for. */
	fifo(c, "loader/entries");
	fifo(c, "EFI");
	fifo(c, "boot/syslinux");
	assert_int_equal(kj_scan(&scan, roots, 3, &err), 0);
	alarm(0);
	dump(&scan.warnings);
	assert_true(warned(&scan.warnings, "/boot/grub/grub.cfg", fifo_says));
	assert_true(warned(&scan.warnings, "inc.cfg", fifo_says));
	assert_true(warned(&scan.warnings, "/etc/lilo.conf", fifo_says));
	assert_true(
		warned(&scan.warnings, "/loader/entries/fifo.conf", fifo_says));
	assert_true(warned(&scan.warnings, "/loader/loader.conf", fifo_says));
	assert_true(warned(&scan.warnings, "/boot/grub/grubenv", fifo_says));
	/* What is readable is still found. */
	assert_int_equal(scan.entries.n, 2);
	assert_string_equal(scan.entries.v[0].id, "l");
	assert_string_equal(scan.entries.v[1].id, "good");
	kj_scan_free(&scan);
	kj_test_rmtree(a);
	kj_test_rmtree(b);
	kj_test_rmtree(c);
	free(a);
	free(b);
	free(c);
}

/* /proc/iomem (and any other system file) in a fixture tree, the menu's
 * kjump.conf, the one-shot state file and an EFI variable. */
static void system_and_state_files(void **state)
{
	char *root = kj_test_tmpdir(), path[PATH_MAX], *text = NULL;
	struct kj_menu_conf conf;
	struct kj_warnings w = { 0 };
	struct kj_err err = { 0 };

	(void)state;
	alarm(WATCHDOG);
	fifo(root, "proc/iomem");
	fifo(root, "proc/cmdline");
	fifo(root, "etc/kjump.conf");
	fifo(root, "kjump/oneshot");
	fifo(root, "kjump/oneshot.new");
	fifo(root,
	     "sys/firmware/efi/efivars/LoaderEntryOneShot-" KJ_LOADER_GUID);
	setenv("KJUMP_SYSROOT", root, 1);
	assert_int_equal(kj_sys_read("/proc/iomem", 1 << 20, &text, NULL, &err),
			 -EINVAL);
	assert_string_equal(err.msg, "/proc/iomem: not a regular file");
	assert_int_equal(kj_sys_read("/proc/cmdline", 4096, &text, NULL, &err),
			 -EINVAL);
	assert_int_equal(kj_sys_open("/proc/iomem"), -EINVAL);
	assert_int_equal(kj_efivar_get("LoaderEntryOneShot", &text, &err),
			 -EINVAL);
	assert_non_null(strstr(err.msg, "not a regular file"));
	unsetenv("KJUMP_SYSROOT");

	snprintf(path, sizeof(path), "%s/etc/kjump.conf", root);
	assert_int_equal(kj_menu_conf_load(&conf, path, &w, &err), 0);
	assert_int_equal(w.n, 1);
	assert_non_null(strstr(w.v[0], "not a regular file"));
	kj_menu_conf_free(&conf);
	kj_warnings_free(&w);

	snprintf(path, sizeof(path), "%s/kjump/oneshot", root);
	assert_int_equal(kj_oneshot_file_get(path, &text, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "not a regular file"));
	/* Writing goes through PATH.new: a FIFO there fails at once. */
	assert_true(kj_oneshot_file_set(path, "x", &err) < 0);
	alarm(0);
	kj_test_rmtree(root);
	free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(open_refuses_special_files),
		cmocka_unit_test(kernel_initrd_module),
		cmocka_unit_test(scan_of_fifo_configs),
		cmocka_unit_test(system_and_state_files),
	};
	return cmocka_run_group_tests_name("hostile files", tests, NULL, NULL);
}
