/* arm64 behind arch/arch.h (issue 10's interface): thin adapters from the
 * generic types to the arm64 modules, which are pure and tested today
 * (dtb.c, memmap.c, purgatory.c, stdout_uart.c). Written against
 * interfaces.md; the field names of kj_sysdesc, kj_memmap and
 * kj_purgatory_opts may still shift, so this file stays out of the build
 * until the lead wires it (KJ_ARCH_ARM64_WIRED, or drop the guard). It
 * assumes two small generic helpers that core/ does not have yet: one
 * that fills a kj_memmap from usable and crash ranges, and one that puts
 * the filled purgatory buffer into its planned segment. */
#ifdef KJ_ARCH_ARM64_WIRED
#include "arch/arch.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arch/arm64/dtb.h"
#include "arch/arm64/memmap.h"
#include "arch/arm64/purgatory.h"
#include "arch/arm64/stdout_uart.h"
#include "sys/sysroot.h"

#define KEXEC_ARCH_AARCH64 (183ul << 16)
#define FDT_PATH "/sys/firmware/fdt"
#define FDT_MAX (16u << 20)
#define IOMEM_MAX (1u << 20)

unsigned long kj_arch_kexec_flags(void)
{
	return KEXEC_ARCH_AARCH64;
}

static void dtb_req(const struct kj_linux_boot *b, const struct kj_sysdesc *sys,
		    struct kj_arm64_dtb_req *r)
{
	memset(r, 0, sizeof(*r));
	r->dtb = b->dtb;
	r->dtb_len = b->dtb_len;
	r->dtb_name = "--dtb";
	r->running = sys->boot_data;
	r->running_len = sys->boot_data_len;
	r->cmdline = b->cmdline;
	r->initrd_addr = b->initrd_addr;
	r->initrd_size = b->initrd_size;
	r->elfcorehdr_addr = b->elfcorehdr_addr;
	r->elfcorehdr_size = b->elfcorehdr_size;
	r->panic = b->panic;
	/* Panic loads: the usable ranges are the crash regions. */
	r->usable = b->usable;
	r->n_usable = b->n_usable;
	r->rng_seed = b->rng_seed;
	r->rng_seed_len = b->rng_seed_len;
}

/* The tree does not depend on its own address: size = build's length. */
int kj_arch_linux_boot_size(const struct kj_linux_boot *b,
			    const struct kj_sysdesc *sys, size_t *size,
			    struct kj_err *err)
{
	struct kj_arm64_dtb_req r;
	uint8_t *buf;
	int rc;

	dtb_req(b, sys, &r);
	rc = kj_arm64_dtb_build(&r, &buf, size, err);
	free(buf);
	return rc;
}

int kj_arch_linux_boot_build(const struct kj_linux_boot *b,
			     const struct kj_sysdesc *sys, uint64_t addr,
			     uint8_t **buf, size_t *len, struct kj_err *err)
{
	struct kj_arm64_dtb_req r;

	(void)addr;
	dtb_req(b, sys, &r);
	return kj_arm64_dtb_build(&r, buf, len, err);
}

int kj_arch_sysdesc_read(struct kj_sysdesc *sys, struct kj_err *err)
{
	char *fdt = NULL;
	size_t len = 0;
	struct kj_err ferr;

	memset(sys, 0, sizeof(*sys));
	kj_err_clear(&ferr);
	/* The running tree: absent on ACPI-only machines without EFI stub
	 * help, then only --dtb can boot a kernel. */
	if (kj_sys_read(FDT_PATH, FDT_MAX, &fdt, &len, &ferr) == 0) {
		sys->boot_data = (const uint8_t *)fdt;
		sys->boot_data_len = len;
	} else {
		snprintf(sys->note, sizeof(sys->note), FDT_PATH ": %s",
			 ferr.msg);
	}
	(void)err;
	return 0;
}

int kj_arch_memmap_read(struct kj_memmap *mm, struct kj_err *err)
{
	static struct kj_arm64_iomem m;
	struct kj_range u[KJ_ARM64_MAX_RAM * 4];
	char *text;
	size_t n;
	int rc;

	rc = kj_sys_read("/proc/iomem", IOMEM_MAX, &text, NULL, err);
	if (rc < 0)
		return rc;
	rc = kj_arm64_iomem_parse(text, &m, err);
	free(text);
	if (rc)
		return rc;
	/* Generic map: usable RAM for normal loads, crash regions apart. */
	n = kj_arm64_usable(&m, false, u, sizeof(u) / sizeof(u[0]));
	return kj_memmap_from_ranges(mm, u, n, m.crash, m.ncrash, err);
}

int kj_arch_purgatory_add(struct kj_layout *l, struct kj_err *err)
{
	struct kj_place_req pr = { .what = "purgatory",
				   .size = KJ_ARM64_PURG_MEMSZ,
				   .align = KJ_ARM64_PURG_ALIGN };
	uint64_t addr;
	int rc;

	/* Filled last (kj_arch_purgatory_fill); memsz covers its stack and
	 * page tables, which the kernel zero-fills. */
	rc = kj_layout_add(l, "purgatory", NULL, 0, KJ_ARM64_PURG_MEMSZ, false,
			   &pr, &addr, err);
	if (rc < 0)
		return rc;
	l->plan->entry = addr + KJ_ARM64_PURG_ENTRY_OFFSET;
	return 0;
}

int kj_arch_purgatory_fill(struct kj_plan *plan,
			   const struct kj_purgatory_opts *o,
			   const struct kj_sysdesc *sys, struct kj_err *err)
{
	struct kj_arm64_purg_seg segs[KJ_PLAN_MAX_SEGMENTS];
	struct kj_arm64_purg_setup s = { 0 };
	int p = kj_plan_find(plan, "purgatory"), d = kj_plan_find(plan, "dtb");
	const uint8_t *image;
	uint8_t *blob;
	size_t len, n = 0;
	uint64_t uart = o->serial_addr;
	int rc;

	if (p < 0 || plan->next.mode != KJ_MODE_ARM64_LINUX)
		return kj_fail(err, EINVAL, "arm64 purgatory: nothing to fill");
	/* --console-serial without an address: the next kernel's console,
	 * else this one's. Failures are printed there even without it. */
	if (!uart && d >= 0)
		kj_arm64_stdout_uart(plan->seg[d].buf, plan->seg[d].bufsz,
				     "dtb", &uart, NULL);
	if (!uart && sys->boot_data)
		kj_arm64_stdout_uart(sys->boot_data, sys->boot_data_len,
				     FDT_PATH, &uart, NULL);
	for (size_t i = 0; i < plan->nseg; i++)
		if ((int)i != p)
			segs[n++] =
				(struct kj_arm64_purg_seg){ plan->seg[i].buf,
							    plan->seg[i].bufsz,
							    plan->seg[i].mem };
	s.entry = plan->next.pc;
	memcpy(s.x, plan->next.reg, sizeof(s.x));
	s.flags = (o->verify ? KJ_ARM64_PURG_VERIFY : 0) |
		  (o->serial && uart ? KJ_ARM64_PURG_SERIAL : 0);
	s.uart_base = uart;
	s.segs = segs;
	s.nsegs = n;
	image = kj_arm64_purgatory_image(&len);
	rc = kj_arm64_purgatory_fill(image, len, &s, &blob, &len, err);
	if (rc)
		return rc;
	return kj_plan_set_buffer(plan, p, blob, len, true, err);
}
#endif /* KJ_ARCH_ARM64_WIRED */
