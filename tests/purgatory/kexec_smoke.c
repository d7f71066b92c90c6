/* End-to-end check of the purgatory behind the real relocate_kernel:
 * load the harness's segments, the targets and a filled purgatory with
 * kexec_load(2), then reboot into them. Runs as a static binary inside a
 * VM (tests/vm/test_purgatory_kexec.py), never on the host.
 *
 *   kexec_smoke DIR [mode=pm32|linux64] [checks=xxh64|sha256]
 *
 * DIR holds seg0.bin, seg1.bin and target.bin (the harness's target
 * block). KJUMP_TEST_CORRUPT_SEGMENT works as in kjump. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "arch/x86_64/purgatory.h"
#include "core/segment_digest.h"
#include "harness.h"

struct kexec_seg {		/* struct kexec_segment of <linux/kexec.h> */
	const void *buf;
	size_t bufsz;
	const void *mem;
	size_t memsz;
};

static void *slurp(const char *dir, const char *name, size_t *len)
{
	char path[4096];
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0, r;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "kexec_smoke: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
			if (!buf)
				exit(1);
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
	} while (r);
	fclose(f);
	*len = n;
	return buf;
}

static size_t page_up(size_t n)
{
	return (n + 4095) & ~(size_t)4095;
}

int main(int argc, char **argv)
{
	struct kj_purgatory_setup s = {
		.entry_mode = KJ_ENTRY_PM32,
		.entry = H_TARGET32,
		.eax = 0x2badb002,
		.ebx = 0x0badcafe,
		.rsi = 0x123456789abcdef0ULL,
		.flags = KJ_PURG_VERIFY | KJ_PURG_SERIAL,
		.digest_alg = KJ_DIGEST_XXH64,
	};
	struct kj_purgatory_seg ps[3];
	struct kexec_seg ks[4];
	struct kj_err err = { 0 };
	uint8_t *blob;
	size_t len[3], blob_len;
	const void *buf[3];
	uint64_t mem[3] = { H_SEG0_ADDR, H_SEG1_ADDR, H_TARGET32 };
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: kexec_smoke DIR [mode=pm32|linux64] "
				"[checks=xxh64|sha256]\n");
		return 2;
	}
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "mode=linux64")) {
			s.entry_mode = KJ_ENTRY_LINUX64;
			s.entry = H_TARGET64;
		} else if (!strcmp(argv[i], "checks=sha256")) {
			s.digest_alg = KJ_DIGEST_SHA256;
		}
	}
	buf[0] = slurp(argv[1], "seg0.bin", &len[0]);
	buf[1] = slurp(argv[1], "seg1.bin", &len[1]);
	buf[2] = slurp(argv[1], "target.bin", &len[2]);
	for (i = 0; i < 3; i++)
		ps[i] = (struct kj_purgatory_seg){ buf[i], len[i], mem[i] };
	s.segs = ps;
	s.nsegs = 3;
	if (kj_purgatory_x86_64_prepare(&s, &blob, &blob_len, &err)) {
		fprintf(stderr, "kexec_smoke: %s\n", err.msg);
		return 1;
	}
	for (i = 0; i < 3; i++)
		ks[i] = (struct kexec_seg){ buf[i], len[i],
					    (const void *)(uintptr_t)mem[i],
					    page_up(len[i]) };
	ks[3] = (struct kexec_seg){ blob, blob_len,
				    (const void *)(uintptr_t)H_PURG_ADDR,
				    page_up(blob_len) };
	if (syscall(SYS_kexec_load, (unsigned long)H_PURG_ADDR, 4UL, ks,
		    0UL)) {
		fprintf(stderr, "kexec_smoke: kexec_load: %s\n",
			strerror(errno));
		return 1;
	}
	printf("KEXEC-SMOKE loaded, purgatory %zu bytes at 0x%x\n", blob_len,
	       H_PURG_ADDR);
	fflush(stdout);
	sync();
	reboot(RB_KEXEC);
	fprintf(stderr, "kexec_smoke: reboot(RB_KEXEC): %s\n", strerror(errno));
	return 1;
}
