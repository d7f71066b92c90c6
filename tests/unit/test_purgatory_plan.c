#include "testlib.h"

#include <errno.h>
#include <string.h>

#include "arch/x86_64/purgatory.h"
#include "arch/x86_64/purgatory_abi.h"
#include "arch/x86_64/purgatory_plan.h"
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
	p->regs.valid = true;
	p->regs.mode = KJ_ENTRY_LINUX64;
	p->regs.entry = 0x1000200;
	p->regs.rsi = 0x7ffe0000;
}

static void test_fill(void **state)
{
	struct kj_plan p;
	struct kj_err err;
	struct kj_purgatory_params prm;
	const struct kj_segment *s;
	uint8_t want[32];
	char hex[65];

	make_plan(&p);
	assert_int_equal(kj_x86_plan_fill_purgatory(&p, KJ_PURG_VERIFY |
							 KJ_PURG_SERIAL,
						    KJ_DIGEST_SHA256, 0x2f8,
						    &err),
			 0);
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
	uint8_t want[KJ_DIGEST_MAX];

	make_plan(&p);
	assert_int_equal(kj_x86_plan_fill_purgatory(&p, KJ_PURG_VERIFY,
						    KJ_DIGEST_XXH64, 0, &err),
			 0);
	memcpy(&prm, (const uint8_t *)p.seg[1].buf + KJ_PURGATORY_PARAMS_OFFSET,
	       sizeof(prm));
	assert_int_equal(prm.digest_alg, KJ_DIGEST_XXH64);
	kj_segment_digest(KJ_DIGEST_XXH64, bp, sizeof(bp), want);
	assert_memory_equal(prm.segments[1].digest, want, 8);
	assert_string_equal(p.algorithm, "xxh64");
	assert_int_equal(strlen(p.seg[0].digest), 16);
	assert_int_equal(strlen(p.seg[2].digest), 16);
	kj_plan_free(&p);
}

/* No checks: no algorithm, no digests in the plan. */
static void test_fill_unverified(void **state)
{
	struct kj_plan p;
	struct kj_err err;

	make_plan(&p);
	assert_int_equal(kj_x86_plan_fill_purgatory(&p, 0, KJ_DIGEST_XXH64, 0,
						    &err),
			 0);
	assert_null(p.algorithm);
	for (size_t i = 0; i < p.nseg; i++)
		assert_string_equal(p.seg[i].digest, "");
	kj_plan_free(&p);
}

static void test_errors(void **state)
{
	struct kj_plan p;
	struct kj_err err;

	make_plan(&p);
	p.regs.valid = false;
	assert_int_equal(kj_x86_plan_fill_purgatory(&p, 0, 0, 0, &err), -EINVAL);
	p.regs.valid = true;
	assert_int_equal(kj_x86_plan_fill_purgatory(&p, KJ_PURG_VERIFY, 9, 0,
						    &err),
			 -EINVAL);
	assert_string_equal(err.msg, "purgatory: unknown digest algorithm 9");
	p.seg[1].memsz = 0x1000; /* the slot is smaller than the blob */
	p.seg[1].bufsz = 0x1000;
	assert_int_equal(kj_x86_plan_fill_purgatory(&p, 0, 0, 0, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "do not fit its 4096-byte slot"));
	strcpy(p.seg[1].what, "other");
	assert_int_equal(kj_x86_plan_fill_purgatory(&p, 0, 0, 0, &err), -EINVAL);
	assert_string_equal(err.msg, "plan: no purgatory segment");
	kj_plan_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fill),
		cmocka_unit_test(test_fill_xxh64),
		cmocka_unit_test(test_fill_unverified),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
