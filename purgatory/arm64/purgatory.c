/* kjump's arm64 purgatory: runs after the old kernel's relocate_kernel,
 * checks every segment's digest against the table the loader filled in
 * (with its own identity map, so with the MMU and the D-cache on), then
 * cleans the caches, turns MMU and caches off and enters the next kernel
 * as booting.rst wants it: x0 = DTB, x1..x3 = 0, at the EL it was
 * entered at.
 *
 * A mismatch, a malformed parameter block or a CPU exception is printed
 * on the PL011 at uart_base even when progress output was not asked for
 * (a machine that stops without a word is the worst outcome), then the
 * CPU halts in a wfe loop. */
#include "core/segment_digest.h"
#include "purg.h"

/* The parameter block at blob offset 0x100 (see purgatory.ld); the build
 * fills magic and version, the loader everything else. */
__attribute__((section(".kj_params"),
	       used)) struct kj_arm64_purg_params kj_params = {
	.magic = KJ_ARM64_PURG_MAGIC,
	.version = KJ_ARM64_PURG_ABI_VERSION,
};

__attribute__((noreturn)) static void fail(void)
{
	kj_printf("kjump purgatory: halted\n");
	kj_purg_halt();
}

/* Make sure a failure message goes somewhere (see top of file). */
static void want_serial(void)
{
	if (!kj_serial_ready() && kj_params.uart_base)
		kj_serial_init(kj_params.uart_base);
}

static int digest_equal(const uint8_t *a, const uint8_t *b, size_t n)
{
	uint8_t diff = 0;

	for (size_t i = 0; i < n; i++)
		diff |= a[i] ^ b[i];
	return diff == 0;
}

static void hex(const uint8_t *d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		kj_printf("%02x", d[i]);
}

static void verify(const struct kj_arm64_purg_params *p)
{
	struct kj_purg_range r[KJ_ARM64_PURG_MAX_SEGMENTS + 1];
	uint64_t total = 0, t0, t1, freq, ms;
	const char *alg = kj_digest_name(p->digest_alg);
	size_t n = kj_digest_len(p->digest_alg);
	uint8_t d[KJ_DIGEST_MAX];
	const char *why = "asked for";
	uint32_t i;

	if (!alg || n > KJ_ARM64_PURG_DIGEST_LEN) {
		want_serial();
		kj_printf("kjump purgatory: unknown digest algorithm %u\n",
			  p->digest_alg);
		fail();
	}
	r[0].lo = (uintptr_t)kj_purg_start;
	r[0].hi = (uintptr_t)kj_purg_mem_end;
	for (i = 0; i < p->nsegments; i++) {
		r[i + 1].lo = p->segments[i].mem;
		r[i + 1].hi = p->segments[i].mem + p->segments[i].len;
	}
	if (!(p->flags & KJ_ARM64_PURG_VERIFY_MMU_OFF))
		why = kj_mmu_on(r, p->nsegments + 1, p->uart_base);
	kj_printf("kjump purgatory: verifying %u segments (%s), MMU and "
		  "D-cache %s (SCTLR_EL%u 0x%lx)\n",
		  p->nsegments, alg, why ? "off" : "on", current_el(),
		  (unsigned long)sctlr());
	if (why)
		kj_printf("kjump purgatory: no identity map: %s\n", why);

	t0 = cntpct();
	for (i = 0; i < p->nsegments; i++) {
		const struct kj_arm64_purg_segment *s = &p->segments[i];

		kj_segment_digest(p->digest_alg,
				  (const void *)(uintptr_t)s->mem,
				  (size_t)s->len, d);
		if (!digest_equal(d, s->digest, n)) {
			want_serial();
			kj_printf("kjump purgatory: segment %u at 0x%lx "
				  "mismatch (%s)\n",
				  i, (unsigned long)s->mem, alg);
			kj_printf("kjump purgatory:   len      %lu\n",
				  (unsigned long)s->len);
			kj_printf("kjump purgatory:   expected ");
			hex(s->digest, n);
			kj_printf("\nkjump purgatory:   computed ");
			hex(d, n);
			kj_printf("\n");
			fail();
		}
		kj_printf("kjump purgatory: segment %u ok (len %lu at 0x%lx)\n",
			  i, (unsigned long)s->len, (unsigned long)s->mem);
		total += s->len;
	}
	t1 = cntpct();
	freq = cntfrq();
	ms = freq ? (t1 - t0) * 1000 / freq : 0;
	kj_printf("kjump purgatory: verified %lu MiB in %lu ms (%lu bytes, "
		  "%lu KiB/s, %lu ticks at %lu Hz)\n",
		  (unsigned long)(total >> 20), (unsigned long)ms,
		  (unsigned long)total,
		  (unsigned long)(ms ? total * 1000 / 1024 / ms : 0),
		  (unsigned long)(t1 - t0), (unsigned long)freq);
}

void kj_purg_exception(uint64_t vector, uint64_t esr, uint64_t elr,
		       uint64_t far)
{
	want_serial();
	kj_printf("kjump purgatory: CPU exception (vector %lu) esr 0x%lx at "
		  "0x%lx, far 0x%lx\n",
		  (unsigned long)vector, (unsigned long)esr, (unsigned long)elr,
		  (unsigned long)far);
	fail();
}

void kj_purg_main(void)
{
	const struct kj_arm64_purg_params *p = &kj_params;
	unsigned int el = current_el();

	if ((p->flags & KJ_ARM64_PURG_SERIAL) && p->uart_base)
		kj_serial_init(p->uart_base);
	kj_printf("kjump purgatory: running at 0x%lx, EL%u%s\n",
		  (unsigned long)(uintptr_t)kj_purg_start, el,
		  el2_vhe() ? " (VHE)" : "");
	if (p->nsegments > KJ_ARM64_PURG_MAX_SEGMENTS) {
		want_serial();
		kj_printf("kjump purgatory: %u segments, at most %u allowed\n",
			  p->nsegments, KJ_ARM64_PURG_MAX_SEGMENTS);
		fail();
	}
	if (p->flags & KJ_ARM64_PURG_VERIFY)
		verify(p);
	kj_printf("kjump purgatory: entering 0x%lx (arm64 linux, EL%u) "
		  "x0=0x%lx x1=0x%lx x2=0x%lx x3=0x%lx\n",
		  (unsigned long)p->entry, el, (unsigned long)p->x[0],
		  (unsigned long)p->x[1], (unsigned long)p->x[2],
		  (unsigned long)p->x[3]);
	kj_purg_enter(p->entry, p->x);
}
