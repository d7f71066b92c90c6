/* Host tool for the purgatory harness.
 *
 *   mkblob segs DIR        write DIR/seg0.bin and DIR/seg1.bin
 *   mkblob blob OUT DIR [mode=pm32|linux64|real16] [eax=N] [ebx=N]
 *                       [esi=N] [rsi=N] [serial=0|1] [verify=0|1]
 *                       [seg1mem=ADDR] [rmflags=N] [jumpback=0|1]
 *                       [checks=xxh64|sha256]
 *
 * mode=real16 enters the 16-bit target at H_T16_SEG+0x20:0000 with
 * SS:SP = H_T16_SEG:E000, DS = H_T16_SEG, ES/FS/GS 0x1234/0x2345/0x3456
 * and EAX..EBP = 0x11111111 .. 0x77777777, so the target can tell each
 * one arrived.
 *
 * "blob" fills the purgatory through the real user-space glue
 * (kj_purgatory_x86_64_prepare), so KJUMP_TEST_CORRUPT_SEGMENT works
 * here exactly as in kjump. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86_64/purgatory.h"
#include "core/segment_digest.h"
#include "harness.h"

static int write_file(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
		fprintf(stderr, "mkblob: %s: %s\n", path, strerror(errno));
		return 1;
	}
	return 0;
}

static void *read_file(const char *path, size_t want)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = malloc(want + 1);
	size_t n;

	if (!f || !buf) {
		fprintf(stderr, "mkblob: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	n = fread(buf, 1, want + 1, f);
	fclose(f);
	if (n != want) {
		fprintf(stderr, "mkblob: %s: %zu bytes, expected %zu\n", path,
			n, want);
		exit(1);
	}
	return buf;
}

/* seg1 doubles as a Linux zero page for the kexec jump test: its
 * command line pointer (0x228, ext 0xc8) names a line at offset 0x800
 * that ends in the placeholder the purgatory fills. */
#define H_CMDLINE_OFF 0x800
#define H_CMDLINE "console=ttyS0 kexec_jump_back_entry=0x0000000000000000"

static void zero_page(uint8_t *buf, size_t len)
{
	uint32_t ptr = H_SEG1_ADDR + H_CMDLINE_OFF;

	if (len < H_CMDLINE_OFF + sizeof(H_CMDLINE))
		return;
	memcpy(buf + 0x228, &ptr, 4);
	memset(buf + 0xc8, 0, 4);
	memcpy(buf + H_CMDLINE_OFF, H_CMDLINE, sizeof(H_CMDLINE));
}

static int make_segs(const char *dir)
{
	static const size_t len[2] = { H_SEG0_LEN, H_SEG1_LEN };
	uint64_t x = 0x2545f4914f6cdd1dULL;
	char path[4096];
	int i, rc = 0;

	for (i = 0; i < 2 && !rc; i++) {
		uint8_t *buf = malloc(len[i]);
		size_t j;

		if (!buf)
			return 1;
		for (j = 0; j < len[i]; j++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			buf[j] = (uint8_t)(x >> 24);
		}
		if (i == 1)
			zero_page(buf, len[i]);
		snprintf(path, sizeof(path), "%s/seg%d.bin", dir, i);
		rc = write_file(path, buf, len[i]);
		free(buf);
	}
	return rc;
}

static uint64_t num(const char *arg, const char *val)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(val, &end, 0);
	if (errno || *end || !*val) {
		fprintf(stderr, "mkblob: bad number in %s\n", arg);
		exit(2);
	}
	return v;
}

static int key_is(const char *arg, size_t k, const char *name)
{
	return k == strlen(name) && !strncmp(arg, name, k);
}

static int make_blob(const char *out, const char *dir, int argc,
		     char **argv)
{
	struct kj_purgatory_setup s = {
		.entry_mode = KJ_ENTRY_PM32,
		.eax = 0x2badb002,
		.ebx = 0x0badcafe,
		.rsi = 0x12345678abcdef0ULL,
		.flags = KJ_PURG_VERIFY | KJ_PURG_SERIAL,
		.digest_alg = KJ_DIGEST_XXH64,
	};
	struct kj_purgatory_seg segs[2];
	uint64_t seg1mem = H_SEG1_ADDR;
	struct kj_err err = { 0 };
	char path[4096];
	uint8_t *blob;
	size_t len;
	int i, rc;

	for (i = 0; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		const char *v = eq ? eq + 1 : "";
		size_t k = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);

		if (key_is(argv[i], k, "mode") && !strcmp(v, "pm32"))
			s.entry_mode = KJ_ENTRY_PM32;
		else if (key_is(argv[i], k, "mode") && !strcmp(v, "real16"))
			s.entry_mode = KJ_ENTRY_REAL16;
		else if (key_is(argv[i], k, "esi"))
			s.esi = (uint32_t)num(argv[i], v);
		else if (key_is(argv[i], k, "rmflags"))
			s.real16.flags = (uint32_t)num(argv[i], v);
		else if (key_is(argv[i], k, "mode") && !strcmp(v, "linux64"))
			s.entry_mode = KJ_ENTRY_LINUX64;
		else if (key_is(argv[i], k, "eax"))
			s.eax = (uint32_t)num(argv[i], v);
		else if (key_is(argv[i], k, "ebx"))
			s.ebx = (uint32_t)num(argv[i], v);
		else if (key_is(argv[i], k, "rsi"))
			s.rsi = num(argv[i], v);
		else if (key_is(argv[i], k, "serial"))
			s.flags = num(argv[i], v) ? s.flags | KJ_PURG_SERIAL
						  : s.flags & ~KJ_PURG_SERIAL;
		else if (key_is(argv[i], k, "checks") && !strcmp(v, "xxh64"))
			s.digest_alg = KJ_DIGEST_XXH64;
		else if (key_is(argv[i], k, "checks") && !strcmp(v, "sha256"))
			s.digest_alg = KJ_DIGEST_SHA256;
		else if (key_is(argv[i], k, "seg1mem"))
			seg1mem = num(argv[i], v);
		else if (key_is(argv[i], k, "jumpback"))
			s.flags = num(argv[i], v)
					  ? s.flags | KJ_PURG_JUMP_BACK
					  : s.flags & ~KJ_PURG_JUMP_BACK;
		else if (key_is(argv[i], k, "verify"))
			s.flags = num(argv[i], v) ? s.flags | KJ_PURG_VERIFY
						  : s.flags & ~KJ_PURG_VERIFY;
		else {
			fprintf(stderr, "mkblob: unknown argument %s\n",
				argv[i]);
			return 2;
		}
	}
	s.entry = s.entry_mode == KJ_ENTRY_PM32 ? H_TARGET32 : H_TARGET64;
	if (s.entry_mode == KJ_ENTRY_REAL16) {
		s.entry = H_TARGET16 + 0x200;
		s.real16.cs = H_T16_SEG + 0x20;
		s.real16.ip = 0;
		s.real16.ss = H_T16_SEG;
		s.real16.sp = 0xe000;
		s.real16.ds = H_T16_SEG;
		s.real16.es = 0x1234;
		s.real16.fs = 0x2345;
		s.real16.gs = 0x3456;
		s.real16.eax = 0x11111111;
		s.real16.ebx = 0x22222222;
		s.real16.ecx = 0x33333333;
		s.real16.edx = 0x44444444;
		s.real16.esi = 0x55555555;
		s.real16.edi = 0x66666666;
		s.real16.ebp = 0x77777777;
	}
	snprintf(path, sizeof(path), "%s/seg0.bin", dir);
	segs[0] = (struct kj_purgatory_seg){ read_file(path, H_SEG0_LEN),
					     H_SEG0_LEN, H_SEG0_ADDR };
	snprintf(path, sizeof(path), "%s/seg1.bin", dir);
	segs[1] = (struct kj_purgatory_seg){ read_file(path, H_SEG1_LEN),
					     H_SEG1_LEN, seg1mem };
	s.segs = segs;
	s.nsegs = 2;

	rc = kj_purgatory_x86_64_prepare(&s, &blob, &len, &err);
	free((void *)segs[0].buf);
	free((void *)segs[1].buf);
	if (rc) {
		fprintf(stderr, "mkblob: %s\n", err.msg);
		return 1;
	}
	rc = write_file(out, blob, len);
	free(blob);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "segs"))
		return make_segs(argv[2]);
	if (argc >= 4 && !strcmp(argv[1], "blob"))
		return make_blob(argv[2], argv[3], argc - 4, argv + 4);
	fprintf(stderr, "usage: mkblob segs DIR | mkblob blob OUT DIR "
			"[key=value...]\n");
	return 2;
}
