/* kjump's x86_64 purgatory: runs after the old kernel's relocate_kernel,
 * checks every segment's digest (XXH64 or SHA-256, segment_digest.h)
 * against the table the loader filled in, optionally reports progress on
 * a 16550 UART, and enters the next kernel in the mode its boot protocol
 * wants.
 *
 * On a mismatch (or a malformed parameter block) it prints the reason on
 * the configured port, or on COM1 (0x3f8, 115200) when serial output was
 * not requested, because a halted machine with no message is the worst
 * outcome; then it halts with interrupts off. */
#include "core/segment_digest.h"
#include "core/sha256.h"
#include "purg.h"

/* The parameter block at blob offset 0x100 (see purgatory.ld); the build
 * fills magic and version, the loader everything else. */
__attribute__((section(".kj_params"), used)) struct kj_purgatory_params
	kj_params = {
		.magic = KJ_PURGATORY_MAGIC,
		.version = KJ_PURGATORY_ABI_VERSION,
	};

void kj_purg_main(void);

static void hexdigest(const uint8_t *d, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		kj_printf("%02x", d[i]);
}

__attribute__((noreturn)) static void fail(void)
{
	kj_printf("kjump purgatory: halted\n");
	kj_purg_halt();
}

/* Make sure the failure message goes somewhere (see top of file). */
static void want_serial(void)
{
	if (!kj_serial_ready())
		kj_serial_init(KJ_PURG_COM1, 115200);
}

static int digest_equal(const uint8_t *a, const uint8_t *b, size_t n)
{
	uint8_t diff = 0;
	size_t i;

	for (i = 0; i < n; i++)
		diff |= a[i] ^ b[i];
	return diff == 0;
}

/* What runs the check, for the progress line. */
static const char *impl_name(uint32_t alg)
{
	if (alg != KJ_DIGEST_SHA256)
		return "portable";
	switch (kj_sha256_active_impl()) {
	case KJ_SHA256_SHANI:
		return "sha-ni";
	case KJ_SHA256_AVX2:
		return "avx2, 8 chunks at once";
	default:
		return "portable";
	}
}

static void verify(const struct kj_purgatory_params *p)
{
	uint64_t total = 0, t0, t1, per_ms = 0;
	const char *alg = kj_digest_name(p->digest_alg);
	size_t n = kj_digest_len(p->digest_alg);
	uint8_t d[KJ_DIGEST_MAX];
	uint32_t i;

	if (!alg) {
		want_serial();
		kj_printf("kjump purgatory: unknown digest algorithm %u\n",
			  p->digest_alg);
		fail();
	}
	kj_printf("kjump purgatory: verifying %u segments with %s (%s)\n",
		  p->nsegments, alg, impl_name(p->digest_alg));
	t0 = rdtsc();
	for (i = 0; i < p->nsegments; i++) {
		const struct kj_purgatory_segment *s = &p->segments[i];

		kj_segment_digest(p->digest_alg,
				  (const void *)(uintptr_t)s->mem, s->len, d);
		if (!digest_equal(d, s->digest, n)) {
			want_serial();
			kj_printf("kjump purgatory: segment %u at 0x%lx "
				  "%s mismatch\n",
				  i, (unsigned long)s->mem, alg);
			kj_printf("kjump purgatory:   len      %lu\n",
				  (unsigned long)s->len);
			kj_printf("kjump purgatory:   expected ");
			hexdigest(s->digest, n);
			kj_printf("\nkjump purgatory:   computed ");
			hexdigest(d, n);
			kj_printf("\n");
			fail();
		}
		kj_printf("kjump purgatory: segment %u ok (len %lu at 0x%lx)\n",
			  i, (unsigned long)s->len, (unsigned long)s->mem);
		total += s->len;
	}
	t1 = rdtsc();
	if (kj_serial_ready() || kj_vga_ready())
		per_ms = kj_tsc_per_ms();
	if (per_ms) {
		uint64_t us = (t1 - t0) * 1000 / per_ms;

		kj_printf("kjump purgatory: verified %lu MiB with %s in "
			  "%lu.%03lu ms (%lu bytes, %lu TSC cycles, TSC %lu "
			  "MHz)\n",
			  (unsigned long)(total >> 20), alg,
			  (unsigned long)(us / 1000),
			  (unsigned long)(us % 1000), (unsigned long)total,
			  (unsigned long)(t1 - t0),
			  (unsigned long)(per_ms / 1000));
	} else {
		kj_printf("kjump purgatory: verified %lu MiB with %s in %lu "
			  "TSC cycles (%lu bytes; PIT calibration failed)\n",
			  (unsigned long)(total >> 20), alg,
			  (unsigned long)(t1 - t0), (unsigned long)total);
	}
}

void kj_purg_exception(struct kj_purg_frame *f)
{
	uint64_t cr2;

	__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
	want_serial();
	kj_printf("kjump purgatory: CPU exception %lu (error 0x%lx) at rip "
		  "0x%lx, cr2 0x%lx\n",
		  (unsigned long)f->vector, (unsigned long)f->error,
		  (unsigned long)f->rip, (unsigned long)cr2);
	fail();
}

#define JUMP_BACK_KEY "kexec_jump_back_entry=0x"
#define JUMP_BACK_DIGITS 16
#define CMDLINE_SCAN_MAX 65536

/* Kexec jump: write the way back into the placeholder the loader put at
 * the end of the next kernel's command line (boot_params at bp). */
static void hand_over_return(uint64_t bp)
{
	const volatile uint8_t *zp = (const volatile uint8_t *)(uintptr_t)bp;
	/* relocate_kernel's call left its return address there */
	uint64_t back = *(const volatile uint64_t *)(uintptr_t)kj_purg_entry_rsp;
	uint64_t cmd;
	char *line;
	unsigned i, k;

	cmd = (uint64_t)(zp[0x228] | zp[0x229] << 8 | zp[0x22a] << 16 |
			 (uint32_t)zp[0x22b] << 24) |
	      (uint64_t)(zp[0xc8] | zp[0xc9] << 8 | zp[0xca] << 16 |
			 (uint32_t)zp[0xcb] << 24)
		      << 32;
	line = (char *)(uintptr_t)cmd;
	for (i = 0; bp && cmd && i < CMDLINE_SCAN_MAX && line[i]; i++) {
		for (k = 0; JUMP_BACK_KEY[k] && line[i + k] == JUMP_BACK_KEY[k];
		     k++)
			;
		if (JUMP_BACK_KEY[k])
			continue;
		line += i + k;
		for (k = 0; k < JUMP_BACK_DIGITS; k++)
			line[k] = "0123456789abcdef"[(back >>
						      (4 * (JUMP_BACK_DIGITS -
							    1 - k))) &
						     0xf];
		kj_printf("kjump purgatory: jump back to 0x%lx\n",
			  (unsigned long)back);
		return;
	}
	want_serial();
	kj_printf("kjump purgatory: no kexec_jump_back_entry= placeholder "
		  "in the command line\n");
	fail();
}

void kj_purg_main(void)
{
	const struct kj_purgatory_params *p = &kj_params;
	uint64_t top = (uintptr_t)kj_purg_image_end;

	if (p->flags & KJ_PURG_RESET_VGA)
		kj_vga_reset();
	if (p->flags & KJ_PURG_VGA)
		kj_vga_init();
	if (p->flags & KJ_PURG_SERIAL)
		kj_serial_init(p->serial_port ? p->serial_port : KJ_PURG_COM1,
			       p->serial_baud ? p->serial_baud : 115200);
	if (p->flags & KJ_PURG_RESET_VGA)
		kj_printf("kjump purgatory: VGA reset to 80x25 text mode\n");
	kj_printf("kjump purgatory: running at 0x%lx\n",
		  (unsigned long)(uintptr_t)&kj_params -
			  KJ_PURGATORY_PARAMS_OFFSET);

	if (p->nsegments > KJ_PURGATORY_MAX_SEGMENTS) {
		want_serial();
		kj_printf("kjump purgatory: %u segments, at most %u allowed\n",
			  p->nsegments, KJ_PURGATORY_MAX_SEGMENTS);
		fail();
	}
	if (p->flags & KJ_PURG_VERIFY) {
		struct kj_purg_xstate xs = { 0 };

		/* Only the eight-lane SHA-256 uses AVX. */
		if (p->digest_alg == KJ_DIGEST_SHA256)
			kj_purg_avx_on(&xs);
		verify(p);
		kj_purg_avx_restore(&xs);
	}
	/* After the check: the digests cover the line as loaded. */
	if (p->flags & KJ_PURG_JUMP_BACK)
		hand_over_return(p->entry_mode == KJ_ENTRY_PM32 ? p->esi
								: p->rsi);

	switch (p->entry_mode) {
	case KJ_ENTRY_LINUX64:
		kj_printf("kjump purgatory: entering 0x%lx (64-bit linux) "
			  "rsi=0x%lx\n",
			  (unsigned long)p->entry, (unsigned long)p->rsi);
		kj_purg_enter_linux64(p->entry, p->rsi);
	case KJ_ENTRY_PM32:
		/* The mode switch runs from this blob with paging off, so
		 * both the blob and the target must sit below 4 GiB. */
		if (p->entry > 0xffffffffu || top > 0xffffffffu) {
			want_serial();
			kj_printf("kjump purgatory: 32-bit entry 0x%lx or "
				  "purgatory end 0x%lx above 4 GiB\n",
				  (unsigned long)p->entry,
				  (unsigned long)top);
			fail();
		}
		kj_printf("kjump purgatory: entering 0x%lx (32-bit protected "
			  "mode) eax=0x%x ebx=0x%x",
			  (unsigned long)p->entry, p->eax, p->ebx);
		if (p->esi)
			kj_printf(" esi=0x%x", p->esi);
		kj_printf("\n");
		kj_purg_enter_pm32((uint32_t)p->entry, p->eax, p->ebx, p->esi);
	case KJ_ENTRY_REAL16:
		kj_purg_prepare_real16(p, top);
		kj_purg_enter_real16(&p->real16);
	default:
		want_serial();
		kj_printf("kjump purgatory: unknown entry mode %u\n",
			  p->entry_mode);
		fail();
	}
}
