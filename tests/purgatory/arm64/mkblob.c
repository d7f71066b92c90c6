/* Host tool for the arm64 purgatory harness.
 *
 *   mkblob64 segs DIR [big=BYTES]   write DIR/seg0.bin, DIR/seg1.bin and,
 *                                   with big, DIR/big.bin
 *   mkblob64 blob OUT DIR PURGATORY.BIN [serial=0|1] [verify=0|1]
 *            [mmuoff=0|1] [big=0|1] [seg1mem=ADDR] [x0=VALUE]
 *            [uart=ADDR] [checks=xxh64|sha256]
 *
 * "blob" fills the purgatory through the real user-space glue
 * (kj_arm64_purgatory_fill), so KJUMP_TEST_CORRUPT_SEGMENT works here
 * exactly as in kjump. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/arm64/purgatory.h"
#include "core/segment_digest.h"
#include "harness.h"

static int write_file(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
		fprintf(stderr, "mkblob64: %s: %s\n", path, strerror(errno));
		return 1;
	}
	return 0;
}

/* The whole file; exactly want bytes unless want is 0. */
static uint8_t *read_file(const char *path, size_t want, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0) {
		fprintf(stderr, "mkblob64: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	rewind(f);
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "mkblob64: %s: read failed\n", path);
		exit(1);
	}
	fclose(f);
	if (want && (size_t)n != want) {
		fprintf(stderr, "mkblob64: %s: %ld bytes, expected %zu\n", path,
			n, want);
		exit(1);
	}
	*len = (size_t)n;
	return buf;
}

static uint64_t num(const char *arg, const char *val)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(val, &end, 0);
	if (errno || *end || !*val) {
		fprintf(stderr, "mkblob64: bad number in %s\n", arg);
		exit(2);
	}
	return v;
}

static int pseudo_random(const char *path, size_t len, uint64_t x)
{
	uint8_t *buf = malloc(len);
	int rc;

	if (!buf)
		return 1;
	for (size_t j = 0; j < len; j++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		buf[j] = (uint8_t)(x >> 24);
	}
	rc = write_file(path, buf, len);
	free(buf);
	return rc;
}

static int make_segs(const char *dir, int argc, char **argv)
{
	char path[4096];
	int rc;

	snprintf(path, sizeof(path), "%s/seg0.bin", dir);
	rc = pseudo_random(path, H_SEG0_LEN, 0x2545f4914f6cdd1dULL);
	snprintf(path, sizeof(path), "%s/seg1.bin", dir);
	rc |= pseudo_random(path, H_SEG1_LEN, 0x9e3779b97f4a7c15ULL);
	if (argc == 1 && !strncmp(argv[0], "big=", 4)) {
		snprintf(path, sizeof(path), "%s/big.bin", dir);
		rc |= pseudo_random(path, num(argv[0], argv[0] + 4),
				    0x853c49e6748fea9bULL);
	}
	return rc;
}

static int key_is(const char *arg, size_t k, const char *name)
{
	return k == strlen(name) && !strncmp(arg, name, k);
}

static void set_flag(uint32_t *flags, uint32_t bit, uint64_t on)
{
	*flags = on ? *flags | bit : *flags & ~bit;
}

static int make_blob(const char *out, const char *dir, const char *purg,
		     int argc, char **argv)
{
	struct kj_arm64_purg_setup s = {
		.entry = H_TARGET,
		.x = { H_DTB_VALUE, 0, 0, 0 },
		.flags = KJ_ARM64_PURG_VERIFY | KJ_ARM64_PURG_SERIAL,
		.digest_alg = KJ_DIGEST_XXH64,
		.uart_base = H_UART,
	};
	struct kj_arm64_purg_seg segs[3];
	uint64_t seg1mem = H_SEG1_ADDR;
	struct kj_err err = { 0 };
	size_t len, ilen, n = 2;
	uint8_t *blob, *image;
	int big = 0, rc;
	char path[4096];

	for (int i = 0; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		const char *v = eq ? eq + 1 : "";
		size_t k = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);

		if (key_is(argv[i], k, "serial"))
			set_flag(&s.flags, KJ_ARM64_PURG_SERIAL,
				 num(argv[i], v));
		else if (key_is(argv[i], k, "verify"))
			set_flag(&s.flags, KJ_ARM64_PURG_VERIFY,
				 num(argv[i], v));
		else if (key_is(argv[i], k, "mmuoff"))
			set_flag(&s.flags, KJ_ARM64_PURG_VERIFY_MMU_OFF,
				 num(argv[i], v));
		else if (key_is(argv[i], k, "big"))
			big = (int)num(argv[i], v);
		else if (key_is(argv[i], k, "seg1mem"))
			seg1mem = num(argv[i], v);
		else if (key_is(argv[i], k, "x0"))
			s.x[0] = num(argv[i], v);
		else if (key_is(argv[i], k, "uart"))
			s.uart_base = num(argv[i], v);
		else if (key_is(argv[i], k, "checks") && !strcmp(v, "xxh64"))
			s.digest_alg = KJ_DIGEST_XXH64;
		else if (key_is(argv[i], k, "checks") && !strcmp(v, "sha256"))
			s.digest_alg = KJ_DIGEST_SHA256;
		else {
			fprintf(stderr, "mkblob64: unknown argument %s\n",
				argv[i]);
			return 2;
		}
	}
	snprintf(path, sizeof(path), "%s/seg0.bin", dir);
	segs[0] = (struct kj_arm64_purg_seg){ read_file(path, H_SEG0_LEN, &len),
					      H_SEG0_LEN, H_SEG0_ADDR };
	snprintf(path, sizeof(path), "%s/seg1.bin", dir);
	segs[1] = (struct kj_arm64_purg_seg){ read_file(path, H_SEG1_LEN, &len),
					      H_SEG1_LEN, seg1mem };
	if (big) {
		snprintf(path, sizeof(path), "%s/big.bin", dir);
		segs[2].buf = read_file(path, 0, &segs[2].bufsz);
		segs[2].mem = H_BIG_ADDR;
		n = 3;
	}
	s.segs = segs;
	s.nsegs = n;
	image = read_file(purg, 0, &ilen);

	rc = kj_arm64_purgatory_fill(image, ilen, &s, &blob, &len, &err);
	for (size_t i = 0; i < n; i++)
		free((void *)segs[i].buf);
	free(image);
	if (rc) {
		fprintf(stderr, "mkblob64: %s\n", err.msg);
		return 1;
	}
	rc = write_file(out, blob, len);
	free(blob);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "segs"))
		return make_segs(argv[2], argc - 3, argv + 3);
	if (argc >= 5 && !strcmp(argv[1], "blob"))
		return make_blob(argv[2], argv[3], argv[4], argc - 5, argv + 5);
	fprintf(stderr, "usage: mkblob64 segs DIR [big=BYTES] | mkblob64 blob "
			"OUT DIR PURGATORY.BIN [key=value...]\n");
	return 2;
}
