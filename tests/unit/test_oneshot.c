/* The one-shot record and Boot Loader Interface variables on fixture
 * trees (KJUMP_SYSROOT), the state-file store, the block-device
 * fingerprint, and the menu / boot --once command lines. */
#include "testlib.h"

#include <errno.h>
#include <fcntl.h>

#include "boot/blockwatch.h"
#include "boot/efivar.h"
#include "boot/oneshot.h"
#include "cli/cli.h"

#define VAR_DIR "sys/firmware/efi/efivars"
#define ONESHOT VAR_DIR "/LoaderEntryOneShot-" KJ_LOADER_GUID

static char *read_all(const char *path, size_t *len)
{
	static char buf[4096];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	assert_true(fd >= 0);
	n = read(fd, buf, sizeof(buf));
	close(fd);
	assert_true(n >= 0);
	*len = (size_t)n;
	return buf;
}

static void efivar_round_trip(void **state)
{
	char *root = kj_test_tmpdir(), path[PATH_MAX], *v, *data;
	struct kj_err err = { 0 };
	size_t len;

	setenv("KJUMP_SYSROOT", root, 1);
	assert_false(kj_efivars_available());
	kj_test_write(root, VAR_DIR "/.keep", "");
	assert_true(kj_efivars_available());
	assert_int_equal(kj_efivar_get("LoaderEntryOneShot", &v, &err),
			 -ENOENT);
	assert_int_equal(kj_efivar_set("LoaderEntryOneShot", "debian-é", &err),
			 0);
	/* efivarfs format: attributes (NV|BS|RT), UTF-16LE, NUL. */
	snprintf(path, sizeof(path), "%s/%s", root, ONESHOT);
	data = read_all(path, &len);
	assert_int_equal(len, 4 + 2 * 9);
	assert_memory_equal(data, "\x07\0\0\0d\0e\0b\0", 10);
	assert_memory_equal(data + 4 + 2 * 7, "\xe9\0\0\0", 4);
	assert_int_equal(kj_efivar_get("LoaderEntryOneShot", &v, &err), 0);
	assert_string_equal(v, "debian-é");
	free(v);
	/* Rewriting replaces it. */
	assert_int_equal(kj_efivar_set("LoaderEntryOneShot", "x", &err), 0);
	assert_int_equal(kj_efivar_get("LoaderEntryOneShot", &v, &err), 0);
	assert_string_equal(v, "x");
	free(v);
	assert_int_equal(kj_efivar_clear("LoaderEntryOneShot", &err), 0);
	assert_int_equal(kj_efivar_clear("LoaderEntryOneShot", &err), 0);
	assert_int_equal(access(path, F_OK), -1);
	/* Invalid UTF-8 is refused. */
	assert_int_equal(kj_efivar_set("LoaderEntryOneShot", "\xff", &err),
			 -EINVAL);
	unsetenv("KJUMP_SYSROOT");
	kj_test_rmtree(root);
	free(root);
}

static void efivar_written_by_other_tools(void **state)
{
	char *root = kj_test_tmpdir(), path[PATH_MAX], *v;
	struct kj_err err = { 0 };
	/* As bootctl writes LoaderEntryDefault: no NUL at the end. */
	static const char raw[] = "\x07\0\0\0f\0e\0d\0.\0c\0o\0n\0f\0";
	FILE *f;

	setenv("KJUMP_SYSROOT", root, 1);
	kj_test_write(root, VAR_DIR "/.keep", "");
	snprintf(path, sizeof(path), "%s/" VAR_DIR "/LoaderEntryDefault-%s",
		 root, KJ_LOADER_GUID);
	f = fopen(path, "wb");
	fwrite(raw, 1, sizeof(raw) - 1, f);
	fclose(f);
	assert_int_equal(kj_efivar_get("LoaderEntryDefault", &v, &err), 0);
	assert_string_equal(v, "fed.conf");
	free(v);
	/* Shorter than the attribute word: an error, not a crash. */
	f = fopen(path, "wb");
	fwrite("\x07\0", 1, 2, f);
	fclose(f);
	assert_int_equal(kj_efivar_get("LoaderEntryDefault", &v, &err),
			 -EINVAL);
	assert_null(v);
	unsetenv("KJUMP_SYSROOT");
	kj_test_rmtree(root);
	free(root);
}

static void utf16_conversion(void **state)
{
	/* A surrogate pair, a lone surrogate, an odd trailing byte. */
	static const unsigned char s[] = { 'a',	 0,    0x3d, 0xd8, 0x00, 0xde,
					   0x00, 0xdc, 'b',  0,	   'c' };
	char *u = kj_utf16le_to_utf8(s, sizeof(s));

	assert_string_equal(u, "a\xf0\x9f\x98\x80\xef\xbf\xbd"
			       "b");
	free(u);
}

static void oneshot_efi_take_clears_first(void **state)
{
	char *root = kj_test_tmpdir(), *e;
	struct kj_err err = { 0 };

	setenv("KJUMP_SYSROOT", root, 1);
	kj_test_write(root, VAR_DIR "/.keep", "");
	assert_int_equal(kj_oneshot_put(NULL, "rescue", &err), 0);
	assert_int_equal(kj_oneshot_take(NULL, &e, &err), 0);
	assert_string_equal(e, "rescue");
	free(e);
	/* Taken means gone: the next start shows the menu. */
	assert_int_equal(kj_oneshot_take(NULL, &e, &err), 0);
	assert_null(e);
	unsetenv("KJUMP_SYSROOT");
	kj_test_rmtree(root);
	free(root);
}

static void oneshot_state_file(void **state)
{
	char *root = kj_test_tmpdir(), path[PATH_MAX], *e;
	struct kj_err err = { 0 };

	/* No efivarfs in this sysroot: the state file is used. */
	setenv("KJUMP_SYSROOT", root, 1);
	snprintf(path, sizeof(path), "%s/oneshot", root);
	assert_int_equal(kj_oneshot_put(path, "live", &err), 0);
	assert_int_equal(kj_oneshot_file_get(path, &e, &err), 0);
	assert_string_equal(e, "live");
	free(e);
	assert_int_equal(kj_oneshot_take(path, &e, &err), 0);
	assert_string_equal(e, "live");
	free(e);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(kj_oneshot_take(path, &e, &err), 0);
	assert_null(e);
	/* Ids with line breaks or empty ones are refused; junk in the file
	 * is an error, not an entry. */
	assert_int_equal(kj_oneshot_file_set(path, "a\nb", &err), -EINVAL);
	assert_int_equal(kj_oneshot_file_set(path, "", &err), -EINVAL);
	kj_test_write(root, "oneshot", "\n");
	assert_int_equal(kj_oneshot_file_get(path, &e, &err), -EINVAL);
	assert_null(e);
	/* A state device that is not there (yet) is no record, and says
	 * so: the menu looks again when disks appear. */
	assert_int_equal(kj_oneshot_take("LABEL=NO-SUCH-KJUMP-LABEL", &e, &err),
			 1);
	assert_null(e);
	unsetenv("KJUMP_SYSROOT");
	kj_test_rmtree(root);
	free(root);
}

static void blockwatch_fingerprint(void **state)
{
	char *root = kj_test_tmpdir();
	uint64_t a, b, c;

	setenv("KJUMP_SYSROOT", root, 1);
	assert_int_equal(kj_blockwatch_fingerprint(), 0);
	kj_test_write(root, "sys/class/block/nvme0n1", "");
	kj_test_write(root, "sys/class/block/sr0", "");
	a = kj_blockwatch_fingerprint();
	assert_true(a != 0);
	assert_true(kj_blockwatch_fingerprint() == a);
	kj_test_write(root, "sys/class/block/sda", "");
	b = kj_blockwatch_fingerprint();
	assert_true(b != a);
	kj_test_write(root, "sys/class/block/sda1", "");
	c = kj_blockwatch_fingerprint();
	assert_true(c != b && c != a);
	unsetenv("KJUMP_SYSROOT");
	kj_test_rmtree(root);
	free(root);
}

static int parse(struct kj_cli *cli, struct kj_err *err, ...)
{
	char *argv[32];
	int argc = 0;
	va_list ap;

	va_start(ap, err);
	argv[argc++] = "kjump";
	while ((argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	return kj_cli_parse_kjump(argc, argv, cli, err);
}

static void cli_menu_and_once(void **state)
{
	struct kj_cli cli;
	struct kj_err err = { 0 };

	assert_int_equal(parse(&cli, &err, "menu", NULL), 0);
	assert_int_equal(cli.action, KJ_ACT_MENU);
	assert_int_equal(cli.wait_s, -1);
	assert_int_equal(cli.timeout_s, -1);
	assert_int_equal(parse(&cli, &err, "menu", "--wait", "3", "--timeout",
			       "0", "--default", "Debian GNU/Linux",
			       "--set-arg", "vga=normal", "--remove-arg",
			       "splash", "--shell", "--state", "/x", "--config",
			       "/c", "/dev/sda1", NULL),
			 0);
	assert_int_equal(cli.wait_s, 3);
	assert_int_equal(cli.timeout_s, 0);
	assert_string_equal(cli.menu_default, "Debian GNU/Linux");
	assert_int_equal(cli.n_rules, 2);
	assert_true(cli.shell);
	assert_string_equal(cli.state, "/x");
	assert_string_equal(cli.config, "/c");
	assert_int_equal(cli.n_roots, 1);
	assert_int_equal(parse(&cli, &err, "menu", "--timeout", "-1", NULL),
			 -EINVAL);
	assert_int_equal(parse(&cli, &err, "menu", "--exec", NULL), -EINVAL);
	assert_int_equal(parse(&cli, &err, "menu", "--default", NULL), -EINVAL);

	assert_int_equal(
		parse(&cli, &err, "boot", "--once", "rescue", "--reboot", NULL),
		0);
	assert_string_equal(cli.once, "rescue");
	assert_true(cli.reboot_after);
	assert_int_equal(parse(&cli, &err, "boot", "--reboot", NULL), -EINVAL);
	assert_int_equal(
		parse(&cli, &err, "boot", "--once", "a", "--exec", NULL),
		-EINVAL);
	/* boot's --default is still a flag. */
	assert_int_equal(parse(&cli, &err, "boot", "--default", "--exec", NULL),
			 0);
	assert_true(cli.use_default);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(efivar_round_trip),
		cmocka_unit_test(efivar_written_by_other_tools),
		cmocka_unit_test(utf16_conversion),
		cmocka_unit_test(oneshot_efi_take_clears_first),
		cmocka_unit_test(oneshot_state_file),
		cmocka_unit_test(blockwatch_fingerprint),
		cmocka_unit_test(cli_menu_and_once),
	};
	return cmocka_run_group_tests_name("oneshot", tests, NULL, NULL);
}
