/* PE/COFF parsing and UKI unwrapping: headers cut at every stage, absurd
 * counts, sections past the file or overlapping, the section rules of
 * systemd-stub (.ucode before .initrd, .cmdline whitespace, profiles),
 * and a UKI assembled with objcopy from Debian's real systemd-stub. */
#include "testlib.h"

#include <errno.h>

#include "fake_bzimage.h"
#include "fake_pe.h"
#include "image/pe.h"
#include "image/uki.h"
#include "image/unwrap.h"

#define STUB "/usr/lib/systemd/boot/efi/linuxx64.efi.stub"

static const char kernel[] = "KERNEL-BYTES-0123456789";
static const char initrd[] = "INITRD"; /* 6 bytes: padded to 8 */
static const char ucode[] = "UCODE";   /* 5 bytes: padded to 8 */
static const char cmdline[] = " \t console=ttyS0\x01quiet \n\x7f ";
static const char osrel[] = "ID=test\nPRETTY_NAME=\"Test OS 1\"\n";

static struct fake_pe uki_base(void)
{
	const struct fake_sec s[] = {
		{ ".text", "stub", 4, 0 },
		{ ".osrel", osrel, sizeof(osrel) - 1, 0 },
		{ ".cmdline", cmdline, sizeof(cmdline) - 1, 0 },
		{ ".uname", "6.1.0-test", 10, 0 },
		{ ".ucode", ucode, 5, 0 },
		{ ".initrd", initrd, 6, 0 },
		{ ".dtb", "\xd0\x0d\xfe\xed", 4, 0 },
		{ ".linux", kernel, sizeof(kernel) - 1, 0 },
	};

	return fake_pe_build(0x8664, s, sizeof(s) / sizeof(s[0]));
}

static void expect_pe_error(const uint8_t *p, size_t len, int code,
			    const char *needle)
{
	struct kj_pe *pe = malloc(sizeof(*pe));
	struct kj_err err = { 0 };

	assert_int_equal(kj_pe_parse(p, len, "t.efi", pe, &err), -code);
	if (!strstr(err.msg, needle) || strncmp(err.msg, "t.efi: ", 7))
		fail_msg("message \"%s\" lacks \"%s\"", err.msg, needle);
	free(pe);
}

static void test_parse_sections(void **state)
{
	struct fake_pe f = uki_base();
	struct kj_pe *pe = malloc(sizeof(*pe));
	struct kj_err err = { 0 };
	const struct kj_pe_section *s;

	(void)state;
	assert_true(kj_pe_probe(f.buf, f.len));
	assert_int_equal(kj_pe_parse(f.buf, f.len, "t.efi", pe, &err), 0);
	assert_int_equal(pe->machine, KJ_PE_MACHINE_X86_64);
	assert_int_equal(pe->opt_magic, KJ_PE_OPT_PE32PLUS);
	assert_int_equal(pe->nsections, 8);
	assert_string_equal(kj_pe_machine_name(pe->machine), "x86_64");
	s = kj_pe_find(pe, ".linux");
	assert_non_null(s);
	assert_int_equal(s->file_size, sizeof(kernel) - 1);
	assert_memory_equal(f.buf + s->file_off, kernel, sizeof(kernel) - 1);
	/* Names compare over the 8-byte field: a prefix is not a match. */
	assert_null(kj_pe_find(pe, ".lin"));
	assert_null(kj_pe_find(pe, ".linuxextra"));
	free(pe);
	free(f.buf);
}

static void test_truncated_headers(void **state)
{
	struct fake_pe f = uki_base();

	(void)state;
	expect_pe_error(f.buf, 1, ENOEXEC, "no MZ signature");
	expect_pe_error(f.buf, 40, EINVAL, "DOS header cut short");
	expect_pe_error(f.buf, FAKE_PE_OFF + 10, EINVAL,
			"PE header at 0x80 lies past the end");
	expect_pe_error(f.buf, FAKE_PE_OFF + 24 + 100, EINVAL,
			"optional header (240 bytes at 0x98) cut off");
	expect_pe_error(f.buf, f.table + 40 * 3, EINVAL,
			"section table (8 entries at 0x188) cut off");
	/* The last section's bytes cut: past the end of the file. */
	expect_pe_error(f.buf, f.raw_off[7] + 4, EINVAL,
			"PE section 7 (.linux): bytes");
	free(f.buf);
}

static void test_bad_headers(void **state)
{
	struct fake_pe f = uki_base();

	(void)state;
	fake_pe_put(f.buf, 0x3c, 0x7ffffff0, 4);
	expect_pe_error(f.buf, f.len, EINVAL, "lies past the end of the file");
	fake_pe_put(f.buf, 0x3c, FAKE_PE_OFF, 4);
	f.buf[FAKE_PE_OFF + 1] = 'X';
	expect_pe_error(f.buf, f.len, ENOEXEC,
			"no PE signature at offset 0x80");
	f.buf[FAKE_PE_OFF + 1] = 'E';
	fake_pe_put(f.buf, FAKE_PE_OFF + 6, 0, 2);
	expect_pe_error(f.buf, f.len, EINVAL, "0 PE sections (1 to 96");
	fake_pe_put(f.buf, FAKE_PE_OFF + 6, 97, 2);
	expect_pe_error(f.buf, f.len, EINVAL, "97 PE sections");
	fake_pe_put(f.buf, FAKE_PE_OFF + 6, 8, 2);
	fake_pe_put(f.buf, FAKE_PE_OFF + 24, 0x107, 2);
	expect_pe_error(f.buf, f.len, EINVAL, "magic 0x107 is neither");
	fake_pe_put(f.buf, FAKE_PE_OFF + 24, 0x20b, 2);
	fake_pe_put(f.buf, FAKE_PE_OFF + 20, 16, 2);
	expect_pe_error(f.buf, f.len, EINVAL, "16 bytes, too short");
	free(f.buf);
}

static void test_sections_beyond_file(void **state)
{
	struct fake_pe f = uki_base();

	(void)state;
	/* A raw offset far past the end, and a size that wraps. */
	fake_pe_put(f.buf, fake_pe_field(&f, 5, 20), 0x10000000, 4);
	expect_pe_error(
		f.buf, f.len, EINVAL,
		"PE section 5 (.initrd): bytes 0x10000000+0x6 lie past");
	fake_pe_put(f.buf, fake_pe_field(&f, 5, 20), f.raw_off[5], 4);
	fake_pe_put(f.buf, fake_pe_field(&f, 5, 8), 0xffffffff, 4);
	fake_pe_put(f.buf, fake_pe_field(&f, 5, 16), 0xffffffff, 4);
	expect_pe_error(f.buf, f.len, EINVAL, "PE section 5 (.initrd)");
	/* RVA + size past 4 GiB. */
	fake_pe_put(f.buf, fake_pe_field(&f, 5, 8), 6, 4);
	fake_pe_put(f.buf, fake_pe_field(&f, 5, 16), 0x200, 4);
	fake_pe_put(f.buf, fake_pe_field(&f, 5, 12), 0xfffffffe, 4);
	expect_pe_error(f.buf, f.len, EINVAL, "runs past the 4 GiB");
	free(f.buf);
}

static void test_overlapping_sections(void **state)
{
	struct fake_pe f = uki_base();

	(void)state;
	/* .initrd's file bytes moved onto .ucode's. */
	fake_pe_put(f.buf, fake_pe_field(&f, 5, 20), f.raw_off[4] + 2, 4);
	expect_pe_error(f.buf, f.len, EINVAL,
			"PE sections 4 (.ucode) and 5 (.initrd) overlap in the "
			"file");
	fake_pe_put(f.buf, fake_pe_field(&f, 5, 20), f.raw_off[5], 4);
	/* .dtb's memory moved onto .uname's. */
	fake_pe_put(f.buf, fake_pe_field(&f, 6, 12), 0x4004, 4);
	expect_pe_error(
		f.buf, f.len, EINVAL,
		"PE sections 3 (.uname) and 6 (.dtb) overlap in memory");
	free(f.buf);
}

static void test_unwrap_uki(void **state)
{
	struct fake_pe f = uki_base();
	struct kj_unwrapped u;
	struct kj_err err = { 0 };

	(void)state;
	assert_int_equal(kj_wrapper_detect(f.buf, f.len), KJ_WRAP_UKI);
	assert_int_equal(kj_unwrap(f.buf, f.len, "t.efi", NULL, &u, &err), 0);
	assert_int_equal(u.wrapper, KJ_WRAP_UKI);
	assert_int_equal(u.kernel_len, sizeof(kernel) - 1);
	assert_memory_equal(u.kernel, kernel, u.kernel_len);
	assert_null(u.kernel_buf); /* a slice of the file, no copy */
	/* .ucode first, each padded to 4 bytes with zeros. */
	assert_int_equal(u.initrd_len, 16);
	assert_memory_equal(u.initrd, "UCODE\0\0\0INITRD\0\0", 16);
	assert_string_equal(u.cmdline, "console=ttyS0 quiet");
	assert_string_equal(u.osrel, osrel);
	assert_string_equal(u.uname, "6.1.0-test");
	assert_int_equal(u.dtb_len, 4);
	assert_null(u.profile_text);
	kj_unwrapped_free(&u);
	free(f.buf);
}

static void test_initrd_alone_is_a_slice(void **state)
{
	const struct fake_sec s[] = {
		{ ".initrd", initrd, 6, 0 },
		{ ".linux", kernel, 4, 0 },
	};
	struct fake_pe f = fake_pe_build(0x8664, s, 2);
	struct kj_unwrapped u;
	struct kj_err err = { 0 };

	(void)state;
	assert_int_equal(kj_unwrap(f.buf, f.len, "t.efi", NULL, &u, &err), 0);
	assert_ptr_equal(u.initrd, f.buf + f.raw_off[0]);
	assert_int_equal(u.initrd_len, 6);
	assert_null(u.cmdline);
	assert_null(u.osrel);
	kj_unwrapped_free(&u);
	free(f.buf);
}

static void test_zero_size_linux(void **state)
{
	const struct fake_sec s[] = {
		{ ".cmdline", "x", 1, 0 },
		{ ".linux", "", 0, 0 },
	};
	struct fake_pe f = fake_pe_build(0x8664, s, 2);
	struct kj_unwrapped u;
	struct kj_err err = { 0 };

	(void)state;
	assert_int_equal(kj_wrapper_detect(f.buf, f.len), KJ_WRAP_UKI);
	assert_int_equal(kj_unwrap(f.buf, f.len, "t.efi", NULL, &u, &err),
			 -EINVAL);
	assert_string_equal(err.msg, "t.efi: UKI .linux section is empty");
	assert_null(u.uki); /* freed on failure */
	free(f.buf);
}

static void test_not_a_uki(void **state)
{
	const struct fake_sec s[] = { { ".text", "x", 1, 0 } };
	struct fake_pe f = fake_pe_build(0x8664, s, 1);
	struct kj_uki *k = malloc(sizeof(*k));
	struct kj_unwrapped u;
	struct kj_err err = { 0 };

	(void)state;
	assert_int_equal(kj_wrapper_detect(f.buf, f.len), KJ_WRAP_NONE);
	assert_int_equal(kj_uki_parse(f.buf, f.len, "t.efi", 0, k, &err),
			 -ENOEXEC);
	assert_string_equal(err.msg, "t.efi: PE image has no .linux section");
	/* Not wrapped: the bytes come back as they are. */
	assert_int_equal(kj_unwrap(f.buf, f.len, "t.efi", NULL, &u, &err), 0);
	assert_int_equal(u.wrapper, KJ_WRAP_NONE);
	assert_ptr_equal(u.kernel, f.buf);
	assert_int_equal(u.kernel_len, f.len);
	kj_unwrapped_free(&u);
	free(k);
	free(f.buf);
}

static void test_vsize_beyond_file_is_zero_filled(void **state)
{
	const struct fake_sec s[] = { { ".linux", kernel, 8, 0x3000 } };
	struct fake_pe f = fake_pe_build(0x8664, s, 1);
	struct kj_unwrapped u;
	struct kj_err err = { 0 };
	uint8_t zero[0x3000 - 0x200] = { 0 };

	(void)state;
	/* SizeOfRawData 0x200 holds the 8 bytes and zero padding. */
	assert_int_equal(kj_unwrap(f.buf, f.len, "t.efi", NULL, &u, &err), 0);
	assert_int_equal(u.kernel_len, 0x3000);
	assert_non_null(u.kernel_buf);
	assert_memory_equal(u.kernel, kernel, 8);
	assert_memory_equal(u.kernel + 0x200, zero, sizeof(zero));
	kj_unwrapped_free(&u);
	free(f.buf);
}

static void test_cmdline_mangling(void **state)
{
	char a[] = "  foo=bar\tbaz  \n", b[] = "\n\r\t ", c[] = "x",
	     d[] = "a\x7f\x01"
		   "b",
	     e[] = "caf\xc3\xa9 ok";

	(void)state;
	assert_string_equal(kj_uki_mangle_cmdline(a), "foo=bar baz");
	assert_string_equal(kj_uki_mangle_cmdline(b), "");
	assert_string_equal(kj_uki_mangle_cmdline(c), "x");
	/* Each control character becomes one space; none are merged. */
	assert_string_equal(kj_uki_mangle_cmdline(d), "a  b");
	/* Bytes above 0x7f (UTF-8) are kept. */
	assert_string_equal(kj_uki_mangle_cmdline(e), "caf\xc3\xa9 ok");
}

/* base: .linux, .cmdline "base", .initrd "BASE"; profile 0: .profile,
 * .cmdline "zero"; profile 1: .profile, .cmdline "one", .initrd "ONE1";
 * a second .cmdline in profile 1 (ignored: the first one wins). */
static struct fake_pe uki_profiles(void)
{
	const struct fake_sec s[] = {
		{ ".linux", kernel, 8, 0 },
		{ ".cmdline", "base", 4, 0 },
		{ ".initrd", "BASE", 4, 0 },
		{ ".profile", "ID=zero\nTITLE=Zero", 18, 0 },
		{ ".cmdline", "zero", 4, 0 },
		{ ".profile", "ID=one", 6, 0 },
		{ ".cmdline", "one", 3, 0 },
		{ ".initrd", "ONE1", 4, 0 },
		{ ".cmdline", "ignored", 7, 0 },
	};

	return fake_pe_build(0x8664, s, sizeof(s) / sizeof(s[0]));
}

static void unwrap_profile(const struct fake_pe *f, unsigned int profile,
			   struct kj_unwrapped *u)
{
	struct kj_unwrap_opts o = { .uki_profile = profile };
	struct kj_err err = { 0 };

	if (kj_unwrap(f->buf, f->len, "t.efi", &o, u, &err))
		fail_msg("profile %u: %s", profile, err.msg);
}

static void test_profiles(void **state)
{
	struct fake_pe f = uki_profiles();
	struct kj_unwrap_opts o = { .uki_profile = 2 };
	struct kj_unwrapped u;
	struct kj_err err = { 0 };

	(void)state;
	/* Default: profile 0 overrides the base's .cmdline only. */
	unwrap_profile(&f, 0, &u);
	assert_int_equal(u.uki->nprofiles, 2);
	assert_string_equal(u.cmdline, "zero");
	assert_memory_equal(u.initrd, "BASE", 4);
	assert_string_equal(u.profile_text, "ID=zero\nTITLE=Zero");
	assert_true(u.uki->from_profile[KJ_UKI_CMDLINE]);
	assert_false(u.uki->from_profile[KJ_UKI_INITRD]);
	assert_false(u.uki->from_profile[KJ_UKI_LINUX]);
	kj_unwrapped_free(&u);

	unwrap_profile(&f, 1, &u);
	assert_string_equal(u.cmdline, "one");
	assert_memory_equal(u.initrd, "ONE1", 4);
	assert_string_equal(u.profile_text, "ID=one");
	assert_memory_equal(u.kernel, kernel, 8); /* from the base */
	kj_unwrapped_free(&u);

	assert_int_equal(kj_unwrap(f.buf, f.len, "t.efi", &o, &u, &err),
			 -ENOENT);
	assert_string_equal(err.msg, "t.efi: UKI has no profile 2 (it has 2)");
	free(f.buf);
}

static void test_profile_zero_without_profiles(void **state)
{
	struct fake_pe f = uki_base();
	struct kj_unwrap_opts o = { .uki_profile = 1 };
	struct kj_unwrapped u;
	struct kj_err err = { 0 };

	(void)state;
	/* Profile 0 is implied when there are none; 1 does not exist. */
	unwrap_profile(&f, 0, &u);
	assert_int_equal(u.uki->nprofiles, 0);
	assert_string_equal(u.cmdline, "console=ttyS0 quiet");
	kj_unwrapped_free(&u);
	assert_int_equal(kj_unwrap(f.buf, f.len, "t.efi", &o, &u, &err),
			 -ENOENT);
	assert_string_equal(err.msg, "t.efi: UKI has no profile 1 (it has 0)");
	free(f.buf);
}

static void test_first_section_of_a_name_wins(void **state)
{
	const struct fake_sec s[] = {
		{ ".cmdline", "first", 5, 0 },
		{ ".linux", kernel, 8, 0 },
		{ ".cmdline", "second", 6, 0 },
	};
	struct fake_pe f = fake_pe_build(0x8664, s, 3);
	struct kj_unwrapped u;

	(void)state;
	unwrap_profile(&f, 0, &u);
	assert_string_equal(u.cmdline, "first");
	kj_unwrapped_free(&u);
	free(f.buf);
}

static char *report(const struct kj_unwrapped *u, bool json)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	if (json)
		fputc('{', f);
	kj_unwrapped_report(u, f, json);
	if (json)
		fputc('}', f);
	fclose(f);
	return text;
}

static void test_report(void **state)
{
	struct fake_pe f = uki_profiles();
	struct kj_unwrapped u;
	char *text, *json;

	(void)state;
	unwrap_profile(&f, 1, &u);
	text = report(&u, false);
	json = report(&u, true);
	assert_non_null(strstr(text, "wrapper             UKI (PE32+, x86_64), "
				     "9 sections\n"));
	assert_non_null(strstr(text, "profile             1 of 2\n"));
	assert_non_null(strstr(text, "cmdline             one\n"));
	assert_non_null(strstr(text, "kernel              8 bytes inside\n"));
	assert_non_null(strstr(json,
			       "{\"wrapper\":\"UKI\",\"uki\":{\"machine\":"
			       "\"x86_64\",\"profiles\":2,\"profile\":1,"));
	assert_non_null(strstr(json, "\"cmdline\":\"one\""));
	assert_non_null(strstr(json, "\"profile_info\":\"ID=one\""));
	assert_non_null(strstr(json, "\"kernel_size\":8}"));
	free(text);
	free(json);
	kj_unwrapped_free(&u);
	free(f.buf);
}

static int run(const char *cmd)
{
	int rc = system(cmd);

	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* The documented manual way (systemd-stub(7)): objcopy --add-section
 * onto Debian's stub, with a synthetic bzImage as .linux. */
static void test_objcopy_uki_from_debian_stub(void **state)
{
	struct fake_opts fo = fake_linux();
	struct kj_bzimage bz;
	struct kj_unwrapped u;
	struct kj_err err = { 0 };
	char *dir, cmd[4096], path[600];
	size_t klen;
	uint8_t *k;
	FILE *fp;
	uint8_t *data;
	long len;

	(void)state;
	if (access(STUB, R_OK))
		skip();
	dir = kj_test_tmpdir();
	k = fake_bzimage(&fo, &klen, &bz);
	snprintf(path, sizeof(path), "%s/vmlinuz", dir);
	fp = fopen(path, "wb");
	fwrite(k, 1, klen, fp);
	fclose(fp);
	kj_test_write(dir, "cmdline", "console=ttyS0 kj_stage=2\n");
	kj_test_write(dir, "initrd", "070701-fake-cpio");
	kj_test_write(dir, "osrel", osrel);
	snprintf(cmd, sizeof(cmd),
		 "cd %s && objcopy"
		 " --add-section .osrel=osrel --change-section-vma "
		 ".osrel=0x20000"
		 " --add-section .cmdline=cmdline"
		 " --change-section-vma .cmdline=0x30000"
		 " --add-section .linux=vmlinuz"
		 " --change-section-vma .linux=0x2000000"
		 " --add-section .initrd=initrd"
		 " --change-section-vma .initrd=0x3000000 %s uki.efi",
		 dir, STUB);
	assert_int_equal(run(cmd), 0);
	snprintf(path, sizeof(path), "%s/uki.efi", dir);
	fp = fopen(path, "rb");
	fseek(fp, 0, SEEK_END);
	len = ftell(fp);
	rewind(fp);
	data = malloc((size_t)len);
	assert_int_equal(fread(data, 1, (size_t)len, fp), (size_t)len);
	fclose(fp);

	assert_int_equal(kj_wrapper_detect(data, (size_t)len), KJ_WRAP_UKI);
	assert_int_equal(
		kj_unwrap(data, (size_t)len, "uki.efi", NULL, &u, &err), 0);
	assert_int_equal(u.kernel_len, klen);
	assert_memory_equal(u.kernel, k, klen);
	assert_int_equal(u.initrd_len, 16);
	assert_memory_equal(u.initrd, "070701-fake-cpio", 16);
	assert_string_equal(u.cmdline, "console=ttyS0 kj_stage=2");
	assert_string_equal(u.osrel, osrel);
	assert_int_equal(u.uki->pe.machine, KJ_PE_MACHINE_X86_64);
	/* The stub's own sections are there and untouched. */
	assert_non_null(kj_pe_find(&u.uki->pe, ".sdmagic"));
	assert_non_null(kj_pe_find(&u.uki->pe, ".text"));
	kj_unwrapped_free(&u);
	free(data);
	free(k);
	kj_test_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_sections),
		cmocka_unit_test(test_truncated_headers),
		cmocka_unit_test(test_bad_headers),
		cmocka_unit_test(test_sections_beyond_file),
		cmocka_unit_test(test_overlapping_sections),
		cmocka_unit_test(test_unwrap_uki),
		cmocka_unit_test(test_initrd_alone_is_a_slice),
		cmocka_unit_test(test_zero_size_linux),
		cmocka_unit_test(test_not_a_uki),
		cmocka_unit_test(test_vsize_beyond_file_is_zero_filled),
		cmocka_unit_test(test_cmdline_mangling),
		cmocka_unit_test(test_profiles),
		cmocka_unit_test(test_profile_zero_without_profiles),
		cmocka_unit_test(test_first_section_of_a_name_wins),
		cmocka_unit_test(test_report),
		cmocka_unit_test(test_objcopy_uki_from_debian_stub),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
