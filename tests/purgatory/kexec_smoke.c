/* End-to-end check of the purgatory behind the real relocate_kernel:
 * load the harness's segments, the targets and a filled purgatory with
 * kexec_load(2), then reboot into them. Runs as a static binary inside a
 * VM (tests/vm/test_purgatory_kexec.py), never on the host.
 *
 *   kexec_smoke DIR [mode=pm32|linux64|real16] [rmflags=N]
 *               [checks=xxh64|sha256]
 *
 * DIR holds seg0.bin, seg1.bin, target.bin (the harness's target block)
 * and target16.bin (its real-mode target, for mode=real16, which also
 * puts the purgatory below 1 MiB, at H_PURG_LOW, and sets the real-mode
 * registers as mkblob does). KJUMP_TEST_CORRUPT_SEGMENT works as in
 * kjump. */
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
	uint64_t purg = H_PURG_ADDR;
	const char *target = "target.bin";
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: kexec_smoke DIR "
				"[mode=pm32|linux64|real16] [rmflags=N] "
				"[checks=xxh64|sha256]\n");
		return 2;
	}
	for (i = 2; i < argc; i++)
		if (!strcmp(argv[i], "checks=sha256"))
			s.digest_alg = KJ_DIGEST_SHA256;
	if (argc > 2 && !strcmp(argv[2], "mode=linux64")) {
		s.entry_mode = KJ_ENTRY_LINUX64;
		s.entry = H_TARGET64;
	}
	if (argc > 2 && !strcmp(argv[2], "mode=real16")) {
		s.entry_mode = KJ_ENTRY_REAL16;
		s.entry = H_TARGET16 + 0x200;
		s.real16 = (struct kj_purgatory_real16){
			.cs = H_T16_SEG + 0x20,
			.ip = 0,
			.ss = H_T16_SEG,
			.sp = 0xe000,
			.ds = H_T16_SEG,
			.es = 0x1234,
			.fs = 0x2345,
			.gs = 0x3456,
			.eax = 0x11111111,
			.ebx = 0x22222222,
			.ecx = 0x33333333,
			.edx = 0x44444444,
			.esi = 0x55555555,
			.edi = 0x66666666,
			.ebp = 0x77777777,
		};
		if (argc > 3 && !strncmp(argv[3], "rmflags=", 8))
			s.real16.flags =
				(uint32_t)strtoul(argv[3] + 8, NULL, 0);
		mem[2] = H_TARGET16;
		target = "target16.bin";
		purg = H_PURG_LOW;
	}
	buf[0] = slurp(argv[1], "seg0.bin", &len[0]);
	buf[1] = slurp(argv[1], "seg1.bin", &len[1]);
	buf[2] = slurp(argv[1], target, &len[2]);
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
				    (const void *)(uintptr_t)purg,
				    page_up(blob_len) };
	if (syscall(SYS_kexec_load, (unsigned long)purg, 4UL, ks, 0UL)) {
		fprintf(stderr, "kexec_smoke: kexec_load: %s\n",
			strerror(errno));
		return 1;
	}
	printf("KEXEC-SMOKE loaded, purgatory %zu bytes at 0x%llx\n", blob_len,
	       (unsigned long long)purg);
	fflush(stdout);
	sync();
	reboot(RB_KEXEC);
	fprintf(stderr, "kexec_smoke: reboot(RB_KEXEC): %s\n", strerror(errno));
	return 1;
}
