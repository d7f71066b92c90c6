/* Boot Loader Specification Type #2 entries (src/boot/uki_entries.c):
 * UKIs in /EFI/Linux on an in-memory root. Title from .osrel (with the
 * fallbacks) and .uname, command line from .cmdline trimmed as
 * systemd-stub trims it, sorting by VERSION_ID then file name, files
 * that are skipped (hidden, not .efi, another architecture) and those
 * that are warned about (not a UKI). */
#include "testlib.h"

#include "boot/uki_entries.h"
#include "entries_testlib.h"
#include "fake_pe.h"

struct res {
	struct kj_entry_list list;
	struct kj_warnings warn;
	int n;
};

static struct fake_pe uki(uint16_t machine, const char *osrel,
			  const char *cmdline, const char *uname)
{
	static const char linux_bytes[] = "not really a kernel";
	struct fake_sec s[4];
	size_t n = 0;

	if (osrel)
		s[n++] = (struct fake_sec){ ".osrel", osrel, strlen(osrel), 0 };
	if (cmdline)
		s[n++] = (struct fake_sec){ ".cmdline", cmdline,
					    strlen(cmdline), 0 };
	if (uname)
		s[n++] = (struct fake_sec){ ".uname", uname, strlen(uname), 0 };
	s[n++] = (struct fake_sec){ ".linux", linux_bytes, sizeof(linux_bytes),
				    0 };
	return fake_pe_build(machine, s, n);
}

static struct res scan(const struct kj_memfile *f, size_t n)
{
	struct kj_root root = {
		.name = "esp", .dirfd = -1, .mem = f, .n_mem = n
	};
	struct res r = { 0 };

	r.n = kj_uki_entries_scan(&root, &r.list, &r.warn);
	kj_test_dump(&r.list, &r.warn);
	return r;
}

static void done(struct res *r)
{
	kj_entry_list_free(&r->list);
	kj_warnings_free(&r->warn);
}

#define F(path, pe)                                    \
	{                                              \
		path, (const char *)(pe).buf, (pe).len \
	}

static void test_entries(void **state)
{
	struct fake_pe a =
		uki(0x8664,
		    "ID=debian\nVERSION_ID=12\n"
		    "PRETTY_NAME=\"Debian GNU/Linux 12\"\n",
		    "  root=/dev/sda2\tro quiet\n", "6.1.0-13-amd64\n");
	struct fake_pe b =
		uki(0x8664, "ID=debian\nVERSION_ID=13\nNAME='Debian'\n",
		    "root=/dev/sda3", NULL);
	struct fake_pe c = uki(0x8664, NULL, NULL, NULL);
	struct fake_pe arm = uki(0xaa64, "ID=x\n", "x", NULL);
	const struct kj_memfile files[] = {
		F("/EFI/Linux/debian-12.efi", a),
		F("/EFI/Linux/debian-13.EFI", b),
		F("/EFI/Linux/bare.efi", c),
		F("/EFI/Linux/arm64.efi", arm),
		F("/EFI/Linux/.hidden.efi", a),
		F("/EFI/Linux/notes.txt", a),
		{ "/EFI/Linux/broken.efi", "MZ", 2 },
		F("/boot/efi/EFI/Linux/mounted.efi", c),
	};
	const struct kj_entry *e;
	struct res r;

	(void)state;
	r = scan(files, sizeof(files) / sizeof(files[0]));
	assert_int_equal(r.n, 4);
	/* VERSION_ID decreasing, then the ones without, by file name. */
	assert_string_equal(r.list.v[0].id, "debian-13.EFI");
	assert_string_equal(r.list.v[1].id, "debian-12.efi");
	assert_string_equal(r.list.v[2].id, "mounted.efi");
	assert_string_equal(r.list.v[3].id, "bare.efi");
	e = kj_test_get(&r.list, "debian-12.efi");
	assert_string_equal(e->title, "Debian GNU/Linux 12 (6.1.0-13-amd64)");
	assert_string_equal(e->cmdline, "root=/dev/sda2 ro quiet");
	assert_string_equal(e->kernel, "/EFI/Linux/debian-12.efi");
	assert_int_equal(e->type, KJ_ENTRY_LINUX);
	assert_int_equal(e->source, KJ_SOURCE_BLS);
	assert_int_equal(e->n_initrd, 0);
	assert_string_equal(e->root_name, "esp");
	/* NAME when there is no PRETTY_NAME; the file name when no .osrel. */
	assert_string_equal(kj_test_get(&r.list, "debian-13.EFI")->title,
			    "Debian");
	assert_string_equal(kj_test_get(&r.list, "bare.efi")->title,
			    "bare.efi");
	assert_string_equal(kj_test_get(&r.list, "bare.efi")->cmdline, "");
	assert_string_equal(kj_test_get(&r.list, "mounted.efi")->kernel,
			    "/boot/efi/EFI/Linux/mounted.efi");
	assert_null(kj_test_find(&r.list, "arm64.efi"));
	assert_true(kj_test_has_warning(&r.warn, "/EFI/Linux/broken.efi: not "
						 "a unified kernel image"));
	assert_int_equal(r.warn.n, 1);
	done(&r);
	free(a.buf);
	free(b.buf);
	free(c.buf);
	free(arm.buf);
}

static void test_nothing_there(void **state)
{
	const struct kj_memfile files[] = {
		{ "/loader/entries/a.conf", "title a\n", 8 },
	};
	struct res r;

	(void)state;
	r = scan(files, 1);
	assert_int_equal(r.n, 0);
	assert_int_equal(r.warn.n, 0);
	done(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entries),
		cmocka_unit_test(test_nothing_there),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
