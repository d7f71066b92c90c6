#include "core/plan.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/segment_digest.h"

#define PAGE_MASK (KJ_PAGE_SIZE - 1)

static const struct {
	const char *name;
	const char *regs[KJ_ENTRY_REGS];
} modes[] = {
	[KJ_MODE_NONE] = { "none", { NULL } },
	[KJ_MODE_X86_LINUX64] = { "linux64", { "rsi" } },
	[KJ_MODE_X86_PM32] = { "pm32", { "eax", "ebx", "esi" } },
	[KJ_MODE_ARM64_LINUX] = { "arm64", { "x0", "x1", "x2", "x3" } },
	[KJ_MODE_X86_REAL16] = { "real16",
				 { "cs_ip", "ss_sp", "ds", "edx_flags" } },
};

const char *kj_entry_mode_name(enum kj_entry_mode mode)
{
	if ((size_t)mode >= sizeof(modes) / sizeof(modes[0]) ||
	    !modes[mode].name)
		return "unknown";
	return modes[mode].name;
}

const char *kj_entry_reg_name(enum kj_entry_mode mode, size_t i)
{
	if ((size_t)mode >= sizeof(modes) / sizeof(modes[0]) ||
	    i >= KJ_ENTRY_REGS)
		return NULL;
	return modes[mode].regs[i];
}

void kj_plan_init(struct kj_plan *plan)
{
	memset(plan, 0, sizeof(*plan));
}

void kj_plan_free(struct kj_plan *plan)
{
	for (size_t i = 0; i < plan->nseg && i < KJ_PLAN_MAX_SEGMENTS; i++)
		if (plan->seg[i].owned)
			free((void *)plan->seg[i].buf);
	free(plan->cmdline_owned);
	kj_plan_init(plan);
}

int kj_plan_add(struct kj_plan *plan, const char *what, const void *buf,
		size_t bufsz, uint64_t mem, size_t memsz, bool owned,
		struct kj_err *err)
{
	struct kj_segment *s;

	if (plan->nseg >= KJ_PLAN_MAX_SEGMENTS) {
		if (owned)
			free((void *)buf);
		return kj_fail(err, E2BIG, "%s: more than %d segments", what,
			       KJ_PLAN_MAX_SEGMENTS);
	}
	if (memsz < bufsz)
		memsz = bufsz;
	if (memsz > SIZE_MAX - PAGE_MASK) {
		if (owned)
			free((void *)buf);
		return kj_fail(err, EOVERFLOW, "%s: segment size overflows",
			       what);
	}
	s = &plan->seg[plan->nseg];
	memset(s, 0, sizeof(*s));
	s->buf = buf;
	s->bufsz = bufsz;
	s->mem = mem;
	s->memsz = (memsz + PAGE_MASK) & ~(size_t)PAGE_MASK;
	s->owned = owned;
	snprintf(s->what, sizeof(s->what), "%s", what);
	return (int)plan->nseg++;
}

int kj_plan_find(const struct kj_plan *plan, const char *what)
{
	for (size_t i = 0; i < plan->nseg; i++)
		if (!strcmp(plan->seg[i].what, what))
			return (int)i;
	return -1;
}

void kj_plan_set_digest(struct kj_plan *plan, size_t i, uint32_t alg,
			const uint8_t *digest)
{
	size_t len = kj_digest_len(alg);
	char *hex = plan->seg[i].digest;

	plan->algorithm = kj_digest_name(alg);
	for (size_t j = 0; j < len && 2 * j + 2 < sizeof(plan->seg[i].digest);
	     j++)
		snprintf(hex + 2 * j, 3, "%02x", digest[j]);
}

bool kj_plan_overlaps(const struct kj_plan *plan, uint64_t mem, uint64_t len)
{
	for (size_t i = 0; i < plan->nseg; i++) {
		const struct kj_segment *s = &plan->seg[i];

		if (mem < s->mem + s->memsz && s->mem < mem + len)
			return true;
	}
	return false;
}

static bool inside_ram(const struct kj_range *ram, size_t nram, uint64_t start,
		       uint64_t end)
{
	for (size_t i = 0; i < nram; i++)
		if (start >= ram[i].start && end <= ram[i].end)
			return true;
	return false;
}

static int check_segment(const struct kj_plan *plan, size_t i,
			 const struct kj_range *ram, size_t nram,
			 uint64_t mem_min, uint64_t mem_max,
			 struct kj_err *err)
{
	const struct kj_segment *s = &plan->seg[i];
	uint64_t end = s->mem + s->memsz;
	char a[32], b[32];

	if ((s->mem & PAGE_MASK) || (s->memsz & PAGE_MASK))
		return kj_fail(err, EINVAL,
			       "%s: segment 0x%" PRIx64 "+0x%zx is not page aligned",
			       s->what, s->mem, s->memsz);
	if (s->memsz == 0)
		return kj_fail(err, EINVAL, "%s: empty segment", s->what);
	if (s->bufsz > s->memsz)
		return kj_fail(err, EINVAL,
			       "%s: %s of data do not fit in a %s segment",
			       s->what, kj_size_str(s->bufsz, a, sizeof(a)),
			       kj_size_str(s->memsz, b, sizeof(b)));
	if (s->bufsz && !s->buf)
		return kj_fail(err, EINVAL, "%s: segment has no data",
			       s->what);
	if (end < s->mem)
		return kj_fail(err, EOVERFLOW, "%s: segment wraps around",
			       s->what);
	if (mem_min && s->mem < mem_min)
		return kj_fail(err, ERANGE,
			       "%s: 0x%" PRIx64 " is below --mem-min 0x%" PRIx64,
			       s->what, s->mem, mem_min);
	if (mem_max && end - 1 > mem_max)
		return kj_fail(err, ERANGE,
			       "%s: 0x%" PRIx64 "-0x%" PRIx64
			       " ends above --mem-max 0x%" PRIx64,
			       s->what, s->mem, end - 1, mem_max);
	if (!inside_ram(ram, nram, s->mem, end))
		return kj_fail(err, EADDRNOTAVAIL,
			       "%s: 0x%" PRIx64 "-0x%" PRIx64
			       " is not inside usable RAM",
			       s->what, s->mem, end - 1);
	for (size_t j = 0; j < i; j++) {
		const struct kj_segment *o = &plan->seg[j];

		if (s->mem < o->mem + o->memsz && o->mem < end)
			return kj_fail(err, EINVAL,
				       "%s: 0x%" PRIx64 "-0x%" PRIx64
				       " overlaps %s at 0x%" PRIx64 "-0x%" PRIx64,
				       s->what, s->mem, end - 1, o->what,
				       o->mem, o->mem + o->memsz - 1);
	}
	return 0;
}

int kj_plan_validate(const struct kj_plan *plan, const struct kj_range *ram,
		     size_t nram, uint64_t mem_min, uint64_t mem_max,
		     struct kj_err *err)
{
	bool entry_ok = false;

	if (plan->nseg == 0)
		return kj_fail(err, EINVAL, "plan: no segments");
	if (plan->nseg > KJ_PLAN_MAX_SEGMENTS)
		return kj_fail(err, E2BIG, "plan: %zu segments, at most %d",
			       plan->nseg, KJ_PLAN_MAX_SEGMENTS);
	for (size_t i = 0; i < plan->nseg; i++) {
		const struct kj_segment *s = &plan->seg[i];
		int r = check_segment(plan, i, ram, nram, mem_min, mem_max,
				      err);

		if (r < 0)
			return r;
		if (plan->entry >= s->mem && plan->entry < s->mem + s->memsz)
			entry_ok = true;
	}
	if (!entry_ok)
		return kj_fail(err, EINVAL,
			       "plan: entry 0x%" PRIx64 " is outside every segment",
			       plan->entry);
	return 0;
}

const char *kj_size_str(uint64_t bytes, char *buf, size_t bufsz)
{
	static const char *const unit[] = { "KiB", "MiB", "GiB", "TiB" };
	uint64_t div = 1024, whole, tenths;
	size_t u = 0;

	if (bytes < 1024) {
		snprintf(buf, bufsz, "%" PRIu64 " bytes", bytes);
		return buf;
	}
	while (u + 1 < sizeof(unit) / sizeof(unit[0]) && bytes >= div * 1024) {
		div *= 1024;
		u++;
	}
	whole = bytes / div;
	/* one decimal, rounded up so a need is never understated */
	tenths = ((bytes % div) * 10 + div - 1) / div;
	if (tenths == 10) {
		whole++;
		tenths = 0;
	}
	if (tenths)
		snprintf(buf, bufsz, "%" PRIu64 ".%" PRIu64 " %s", whole, tenths,
			 unit[u]);
	else
		snprintf(buf, bufsz, "%" PRIu64 " %s", whole, unit[u]);
	return buf;
}
