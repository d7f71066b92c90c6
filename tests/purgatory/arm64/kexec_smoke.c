/* End-to-end check of the arm64 pieces behind the real relocate_kernel,
 * before the load pipeline that will own them exists: read /proc/iomem
 * and /sys/firmware/fdt, place an arm64 Image and an initrd by
 * booting.rst, build the device tree, fill the purgatory embedded in this
 * binary, kexec_load(2) it all and reboot into it. A static arm64 binary
 * run inside a VM (tests/vm/test_purgatory_arm64_kexec.py), never on the
 * host.
 *
 *   kexec_smoke64 KERNEL INITRD CMDLINE [serial=0|1] [verify=0|1]
 *                 [uart=ADDR] [exec=0|1]
 *
 * uart: the PL011 for the purgatory when the tree has no stdout-path
 * (under UEFI with ACPI). KJUMP_TEST_CORRUPT_SEGMENT works as in kjump.
 * Prints the plan, one "smoke:" line per segment. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "arch/arm64/dtb.h"
#include "arch/arm64/memmap.h"
#include "arch/arm64/purgatory.h"
#include "arch/arm64/stdout_uart.h"
#include "core/placement.h"
#include "core/plan.h"
#include "loaders/arm64_image.h"

#define KEXEC_ARCH_AARCH64 (183ul << 16)

struct kexec_seg { /* struct kexec_segment of <linux/kexec.h> */
	const void *buf;
	size_t bufsz;
	const void *mem;
	size_t memsz;
};

static void die(const char *what, const struct kj_err *err)
{
	fprintf(stderr, "smoke: %s: %s\n", what,
		err && err->msg[0] ? err->msg : strerror(errno));
	exit(1);
}

static uint8_t *slurp(const char *path, size_t *len)
{
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0, r;
	FILE *f = fopen(path, "rb");

	if (!f)
		die(path, NULL);
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
			if (!buf)
				die("realloc", NULL);
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
	} while (r);
	fclose(f);
	*len = n;
	return buf;
}

static uint64_t opt(int argc, char **argv, const char *key, uint64_t def)
{
	size_t k = strlen(key);

	for (int i = 4; i < argc; i++)
		if (!strncmp(argv[i], key, k) && argv[i][k] == '=')
			return strtoull(argv[i] + k + 1, NULL, 0);
	return def;
}

int main(int argc, char **argv)
{
	static struct kj_arm64_iomem iomem;
	static uint8_t seed[KJ_ARM64_SEED_BYTES];
	struct kj_range usable[64];
	struct kj_arm64_image img;
	struct kj_arm64_layout lay;
	struct kj_arm64_purg_setup ps = { 0 };
	struct kj_arm64_purg_seg segs[3];
	struct kexec_seg ks[4];
	struct kj_err err = { 0 };
	struct kj_plan plan;
	size_t klen, ilen, flen, tlen, dlen, blen, nusable;
	uint8_t *kernel, *initrd, *fdt, *dtb, *blob;
	const uint8_t *image;
	uint64_t dtb_addr, purg_addr, uart = 0;
	char *iomem_text;

	if (argc < 4) {
		fprintf(stderr, "usage: kexec_smoke64 KERNEL INITRD CMDLINE "
				"[key=value...]\n");
		return 2;
	}
	iomem_text = (char *)slurp("/proc/iomem", &tlen);
	iomem_text = realloc(iomem_text, tlen + 1);
	iomem_text[tlen] = '\0';
	if (kj_arm64_iomem_parse(iomem_text, &iomem, &err))
		die("iomem", &err);
	nusable = kj_arm64_usable(&iomem, false, usable, 64);
	kernel = slurp(argv[1], &klen);
	initrd = slurp(argv[2], &ilen);
	fdt = slurp("/sys/firmware/fdt", &flen);
	if (kj_arm64_image_parse(kernel, klen, argv[1], &img, &err))
		die("image", &err);

	kj_plan_init(&plan);
	if (kj_arm64_image_place(&img, argv[1], usable, nusable, &plan, ilen, 0,
				 0, &lay, &err))
		die("place", &err);
	kj_plan_add(&plan, "kernel", kernel, klen, lay.kernel_addr,
		    lay.kernel_memsz, false, &err);
	kj_plan_add(&plan, "initrd", initrd, ilen, lay.initrd_addr, ilen, false,
		    &err);

	if (getrandom(seed, sizeof(seed), 0) != sizeof(seed))
		die("getrandom", NULL);
	{
		struct kj_arm64_dtb_req r = {
			.running = fdt,
			.running_len = flen,
			.cmdline = argv[3],
			.initrd_addr = lay.initrd_addr,
			.initrd_size = ilen,
			.rng_seed = seed,
			.rng_seed_len = sizeof(seed),
		};
		struct kj_place_req pr = { .what = "dtb", .align = 4096 };

		if (kj_arm64_dtb_build(&r, &dtb, &dlen, &err))
			die("dtb", &err);
		pr.size = dlen;
		pr.min = lay.initrd_addr + ilen;
		if (kj_place(usable, nusable, &plan, &pr, &dtb_addr, &err))
			die("dtb place", &err);
		kj_plan_add(&plan, "dtb", dtb, dlen, dtb_addr, dlen, true,
			    &err);
	}
	if (kj_arm64_stdout_uart(fdt, flen, "/sys/firmware/fdt", &uart, &err))
		uart = 0;
	uart = opt(argc, argv, "uart", uart);

	for (size_t i = 0; i < plan.nseg; i++) {
		segs[i].buf = plan.seg[i].buf;
		segs[i].bufsz = plan.seg[i].bufsz;
		segs[i].mem = plan.seg[i].mem;
	}
	ps.entry = lay.kernel_addr;
	ps.x[0] = dtb_addr;
	ps.uart_base = uart;
	ps.flags = (opt(argc, argv, "verify", 1) ? KJ_ARM64_PURG_VERIFY : 0) |
		   (opt(argc, argv, "serial", 1) && uart ? KJ_ARM64_PURG_SERIAL
							 : 0);
	ps.segs = segs;
	ps.nsegs = plan.nseg;
	image = kj_arm64_purgatory_image(&blen);
	if (kj_arm64_purgatory_fill(image, blen, &ps, &blob, &blen, &err))
		die("purgatory", &err);
	{
		struct kj_place_req pr = { .what = "purgatory",
					   .size = KJ_ARM64_PURG_MEMSZ,
					   .align = KJ_ARM64_PURG_ALIGN };

		if (kj_place(usable, nusable, &plan, &pr, &purg_addr, &err))
			die("purgatory place", &err);
	}
	kj_plan_add(&plan, "purgatory", blob, blen, purg_addr,
		    KJ_ARM64_PURG_MEMSZ, true, &err);

	for (size_t i = 0; i < plan.nseg; i++) {
		const struct kj_segment *s = &plan.seg[i];

		printf("smoke: %-9s mem=0x%llx memsz=0x%zx bufsz=0x%zx\n",
		       s->what, (unsigned long long)s->mem, s->memsz, s->bufsz);
		ks[i] = (struct kexec_seg){ s->buf, s->bufsz,
					    (const void *)(uintptr_t)s->mem,
					    s->memsz };
	}
	printf("smoke: entry=0x%llx kernel=0x%llx x0=0x%llx uart=0x%llx\n",
	       (unsigned long long)purg_addr + KJ_ARM64_PURG_ENTRY_OFFSET,
	       (unsigned long long)lay.kernel_addr,
	       (unsigned long long)dtb_addr, (unsigned long long)uart);
	fflush(stdout);
	if (syscall(SYS_kexec_load, purg_addr + KJ_ARM64_PURG_ENTRY_OFFSET,
		    plan.nseg, ks, KEXEC_ARCH_AARCH64))
		die("kexec_load", NULL);
	printf("smoke: loaded\n");
	fflush(stdout);
	if (!opt(argc, argv, "exec", 1))
		return 0;
	sync();
	reboot(RB_KEXEC);
	die("reboot", NULL);
}
