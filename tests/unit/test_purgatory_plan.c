#include "testlib.h"

#include <errno.h>
#include <string.h>

#include "arch/arch.h"
#include "arch/x86_64/purgatory.h"
#include "arch/x86_64/purgatory_abi.h"
#include "core/segment_digest.h"

static const uint8_t kernel[8192] = { 1, 2, 3 };
static const uint8_t bp[100] = { 9 };

static void make_plan(struct kj_plan *p)
{
	size_t len;
	const uint8_t *img = kj_purgatory_x86_64_image(&len);

	kj_plan_init(p);
	kj_plan_add(p, "kernel", kernel, sizeof(kernel), 0x1000000, 0x2000000,
		    false, NULL);
	kj_plan_add(p, "purgatory", img, len, 0x7fff0000, len, false, NULL);
	kj_plan_add(p, "boot_params", bp, sizeof(bp), 0x7ffe0000, 0x1000,
		    false, NULL);
	p->next.mode = KJ_MODE_X86_LINUX64;
	p->next.pc = 0x1000200;
	p->next.reg[0] = 0x7ffe0000;
}

static void test_fill(void **state)
{
	struct kj_plan p;
	struct kj_err err;
	struct kj_purgatory_params prm;
	const struct kj_purgatory_opts o = { .checks = KJ_DIGEST_SHA256,
					     .serial = 0x2f8 };
	const struct kj_segment *s;
	uint8_t want[32];
	char hex[65];

	make_plan(&p);
	assert_int_equal(kj_arch_purgatory_fill(&p, &o, &err), 0);
	s = &p.seg[1];
	assert_true(s->owned);
	assert_int_equal(p.entry, 0x7fff0000 + KJ_PURGATORY_ENTRY_OFFSET);
	memcpy(&prm, (const uint8_t *)s->buf + KJ_PURGATORY_PARAMS_OFFSET,
	       sizeof(prm));
	assert_int_equal(prm.magic, KJ_PURGATORY_MAGIC);
	assert_int_equal(prm.entry_mode, KJ_ENTRY_LINUX64);
	assert_int_equal(prm.entry, 0x1000200);
	assert_int_equal(prm.rsi, 0x7ffe0000);
	assert_int_equal(prm.serial_port, 0x2f8);
	assert_int_equal(prm.flags, KJ_PURG_VERIFY | KJ_PURG_SERIAL);
	/* Every segment but the purgatory's own, with bufsz bytes hashed. */
	assert_int_equal(prm.nsegments, 2);
	assert_int_equal(prm.segments[0].mem, 0x1000000);
	assert_int_equal(prm.segments[0].len, sizeof(kernel));
	assert_int_equal(prm.digest_alg, KJ_DIGEST_SHA256);
	kj_segment_digest(KJ_DIGEST_SHA256, kernel, sizeof(kernel), want);
	assert_memory_equal(prm.segments[0].digest, want, 32);
	assert_int_equal(prm.segments[1].mem, 0x7ffe0000);
	assert_int_equal(prm.segments[1].len, sizeof(bp));
	/* The plan says the same, for --dry-run. */
	assert_string_equal(p.algorithm, "sha256");
	kj_test_hex32(want, hex);
	assert_string_equal(p.seg[0].digest, hex);
	assert_string_equal(p.seg[1].digest, "");
	assert_int_equal(strlen(p.seg[2].digest), 64);
	kj_plan_free(&p);
}

/* The default check: XXH64, 16 hex digits per segment. */
static void test_fill_xxh64(void **state)
{
	struct kj_plan p;
	struct kj_err err;
	struct kj_purgatory_params prm;
	const struct kj_purgatory_opts o = { .checks = KJ_DIGEST_XXH64 };
	uint8_t want[KJ_DIGEST_MAX];

	make_plan(&p);
	assert_int_equal(kj_arch_purgatory_fill(&p, &o, &err), 0);
	memcpy(&prm, (const uint8_t *)p.seg[1].buf + KJ_PURGATORY_PARAMS_OFFSET,
	       sizeof(prm));
	assert_int_equal(prm.flags, KJ_PURG_VERIFY);
	assert_int_equal(prm.digest_alg, KJ_DIGEST_XXH64);
	kj_segment_digest(KJ_DIGEST_XXH64, bp, sizeof(bp), want);
	assert_memory_equal(prm.segments[1].digest, want, 8);
	assert_string_equal(p.algorithm, "xxh64");
	assert_int_equal(strlen(p.seg[0].digest), 16);
	assert_int_equal(strlen(p.seg[2].digest), 16);
	kj_plan_free(&p);
}

/* No checks: no algorithm, no digests in the plan or the block. */
static void test_fill_unverified(void **state)
{
	struct kj_plan p;
	struct kj_err err;
	struct kj_purgatory_params prm;
	const struct kj_purgatory_opts o = { 0 };

	make_plan(&p);
	assert_int_equal(kj_arch_purgatory_fill(&p, &o, &err), 0);
	memcpy(&prm, (const uint8_t *)p.seg[1].buf + KJ_PURGATORY_PARAMS_OFFSET,
	       sizeof(prm));
	assert_int_equal(prm.flags & KJ_PURG_VERIFY, 0);
	assert_int_equal(prm.nsegments, 0);
	assert_null(p.algorithm);
	for (size_t i = 0; i < p.nseg; i++)
		assert_string_equal(p.seg[i].digest, "");
	kj_plan_free(&p);
}

/* kexec-tools' purgatory options reach the parameter block: the baud
 * rate, the VGA console and reset, kexec jump; PM32 hands ESI over (the
 * Linux 32-bit entry); a segment the kernel rewrites is not digested. */
static void test_kexec_tools_options(void **state)
{
	struct kj_plan p;
	struct kj_err err;
	struct kj_purgatory_params prm;
	const struct kj_purgatory_opts o = { .checks = KJ_DIGEST_XXH64,
					     .serial = 0x3f8,
					     .serial_baud = 9600,
					     .console_vga = true,
					     .reset_vga = true,
					     .jump_back = true,
					     .unverified = "boot_params" };

	make_plan(&p);
	p.next.mode = KJ_MODE_X86_PM32;
	p.next.pc = 0x1000000;
	p.next.reg[0] = 0;
	p.next.reg[1] = 0;
	p.next.reg[2] = 0x7ffe0000;
	assert_int_equal(kj_arch_purgatory_fill(&p, &o, &err), 0);
	memcpy(&prm, (const uint8_t *)p.seg[1].buf + KJ_PURGATORY_PARAMS_OFFSET,
	       sizeof(prm));
	assert_int_equal(prm.entry_mode, KJ_ENTRY_PM32);
	assert_int_equal(prm.esi, 0x7ffe0000);
	assert_int_equal(prm.eax, 0);
	assert_int_equal(prm.rsi, 0);
	assert_int_equal(prm.serial_baud, 9600);
	assert_int_equal(prm.flags, KJ_PURG_VERIFY | KJ_PURG_SERIAL |
					    KJ_PURG_VGA | KJ_PURG_RESET_VGA |
					    KJ_PURG_JUMP_BACK);
	/* boot_params left out: only the kernel is checked */
	assert_int_equal(prm.nsegments, 1);
	assert_int_equal(prm.segments[0].mem, 0x1000000);
	kj_plan_free(&p);
}

static void test_errors(void **state)
{
	struct kj_plan p;
	struct kj_err err;

	const struct kj_purgatory_opts quiet = { 0 };
	const struct kj_purgatory_opts unknown = { .checks = 9 };

	make_plan(&p);
	/* No next kernel to enter, or one this purgatory cannot enter. */
	p.next.mode = KJ_MODE_NONE;
	assert_int_equal(kj_arch_purgatory_fill(&p, &quiet, &err), -ENOTSUP);
	p.next.mode = KJ_MODE_ARM64_LINUX;
	assert_int_equal(kj_arch_purgatory_fill(&p, &quiet, &err), -ENOTSUP);
	assert_string_equal(err.msg, "purgatory: cannot enter a kernel in arm64 mode on x86_64");
	p.next.mode = KJ_MODE_X86_LINUX64;
	assert_int_equal(kj_arch_purgatory_fill(&p, &unknown, &err), -EINVAL);
	assert_string_equal(err.msg, "purgatory: unknown digest algorithm 9");
	p.seg[1].memsz = 0x1000; /* the slot is smaller than the blob */
	p.seg[1].bufsz = 0x1000;
	assert_int_equal(kj_arch_purgatory_fill(&p, &quiet, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "do not fit its 4096-byte slot"));
	strcpy(p.seg[1].what, "other");
	assert_int_equal(kj_arch_purgatory_fill(&p, &quiet, &err), -EINVAL);
	assert_string_equal(err.msg, "plan: no purgatory segment");
	kj_plan_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fill),
		cmocka_unit_test(test_fill_xxh64),
		cmocka_unit_test(test_fill_unverified),
		cmocka_unit_test(test_kexec_tools_options),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
