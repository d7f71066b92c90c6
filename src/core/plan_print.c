#include "core/plan_print.h"

#include <errno.h>
#include <inttypes.h>

#include "arch/x86_64/purgatory_abi.h"

static int hex_digits(uint64_t v)
{
	int n = 1;

	while (v >>= 4)
		n++;
	return n;
}

static const char *entry_owner(const struct kj_plan *plan)
{
	for (size_t i = 0; i < plan->nseg; i++)
		if (plan->entry >= plan->seg[i].mem &&
		    plan->entry - plan->seg[i].mem < plan->seg[i].memsz)
			return plan->seg[i].what;
	return "outside every segment";
}

static const char *mode_name(uint32_t mode)
{
	switch (mode) {
	case KJ_ENTRY_LINUX64:
		return "linux64";
	case KJ_ENTRY_PM32:
		return "pm32";
	}
	return "unknown";
}

int kj_plan_print(const struct kj_plan *plan, FILE *out)
{
	int w = 8;
	char a[32], b[32];

	/* One width for every address, so the columns line up. */
	for (size_t i = 0; i < plan->nseg; i++) {
		int d = hex_digits(plan->seg[i].mem + plan->seg[i].memsz - 1);

		if (d > w)
			w = d;
	}
	fprintf(out, "%2s  %-*s  %-*s  %9s  %9s  %s\n", "#", w + 2, "start",
		w + 2, "end", "memsz", "bufsz", "what");
	for (size_t i = 0; i < plan->nseg; i++) {
		const struct kj_segment *s = &plan->seg[i];

		fprintf(out, "%2zu  0x%0*" PRIx64 "  0x%0*" PRIx64 "  %9s  %9s  %s\n",
			i, w, s->mem, w, s->mem + s->memsz - 1,
			kj_size_str(s->memsz, a, sizeof(a)),
			kj_size_str(s->bufsz, b, sizeof(b)), s->what);
	}
	fprintf(out, "entry    0x%" PRIx64 " (%s)\n", plan->entry,
		entry_owner(plan));
	if (plan->regs.valid) {
		if (plan->regs.mode == KJ_ENTRY_PM32)
			fprintf(out, "then     0x%" PRIx64 " (32-bit), eax=0x%" PRIx32
				" ebx=0x%" PRIx32 "\n", plan->regs.entry,
				plan->regs.eax, plan->regs.ebx);
		else
			fprintf(out, "then     0x%" PRIx64 " (64-bit), rsi=0x%" PRIx64
				"\n", plan->regs.entry, plan->regs.rsi);
	}
	fprintf(out, "flags    0x%lx%s\n", plan->flags,
		plan->flags & KJ_KEXEC_ON_CRASH ? " (on crash)" : "");
	fprintf(out, "checks   %s\n", plan->algorithm ? plan->algorithm : "none");
	if (plan->cmdline)
		fprintf(out, "cmdline  %s\n", plan->cmdline);
	return ferror(out) ? -EIO : 0;
}

static void json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(out, "\\u%04x", *p);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

int kj_plan_print_json(const struct kj_plan *plan, FILE *out)
{
	fputs("{\"segments\":[", out);
	for (size_t i = 0; i < plan->nseg; i++) {
		const struct kj_segment *s = &plan->seg[i];

		fprintf(out,
			"%s{\"index\":%zu,\"mem\":%" PRIu64 ",\"end\":%" PRIu64
			",\"memsz\":%zu,\"bufsz\":%zu,\"what\":",
			i ? "," : "", i, s->mem, s->mem + s->memsz, s->memsz,
			s->bufsz);
		json_str(out, s->what);
		fputs(",\"digest\":", out);
		if (s->digest[0])
			json_str(out, s->digest);
		else
			fputs("null", out);
		fputc('}', out);
	}
	fprintf(out, "],\"entry\":%" PRIu64 ",\"flags\":%lu,\"panic\":%s",
		plan->entry, plan->flags,
		plan->flags & KJ_KEXEC_ON_CRASH ? "true" : "false");
	fputs(",\"algorithm\":", out);
	json_str(out, plan->algorithm ? plan->algorithm : "none");
	fputs(",\"cmdline\":", out);
	if (plan->cmdline)
		json_str(out, plan->cmdline);
	else
		fputs("null", out);
	fputs(",\"registers\":", out);
	if (!plan->regs.valid)
		fputs("null", out);
	else
		fprintf(out,
			"{\"mode\":\"%s\",\"entry\":%" PRIu64 ",\"rsi\":%" PRIu64
			",\"eax\":%" PRIu32 ",\"ebx\":%" PRIu32 "}",
			mode_name(plan->regs.mode), plan->regs.entry,
			plan->regs.rsi, plan->regs.eax, plan->regs.ebx);
	fputs("}\n", out);
	return ferror(out) ? -EIO : 0;
}
