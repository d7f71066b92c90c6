#include "core/plan_print.h"

#include <errno.h>
#include <inttypes.h>

#include "core/json.h"
#include "core/safe_text.h"


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

/* "64-bit" rather than "linux64" for people reading the text form. */
static const char *mode_label(enum kj_entry_mode mode)
{
	switch (mode) {
	case KJ_MODE_X86_LINUX64:
		return "64-bit";
	case KJ_MODE_X86_PM32:
		return "32-bit";
	case KJ_MODE_X86_REAL16:
		return "real mode";
	default:
		return kj_entry_mode_name(mode);
	}
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
	if (plan->next.mode != KJ_MODE_NONE) {
		const char *sep = ", ";

		fprintf(out, "then     0x%" PRIx64 " (%s)", plan->next.pc,
			mode_label(plan->next.mode));
		for (size_t i = 0; kj_entry_reg_name(plan->next.mode, i); i++) {
			fprintf(out, "%s%s=0x%" PRIx64, sep,
				kj_entry_reg_name(plan->next.mode, i),
				plan->next.reg[i]);
			sep = " ";
		}
		fputc('\n', out);
	}
	fprintf(out, "flags    0x%lx%s\n", plan->flags,
		plan->flags & KJ_KEXEC_ON_CRASH ? " (on crash)" : "");
	fprintf(out, "checks   %s\n",
		plan->algorithm ? plan->algorithm : "none");
	if (plan->cmdline) {
		fputs("cmdline  ", out);
		kj_safe_fputs(out, plan->cmdline); /* may come from a disk */
		fputc('\n', out);
	}
	return ferror(out) ? -EIO : 0;
}

int kj_plan_print_json_object(const struct kj_plan *plan, FILE *out)
{
	fputs("{\"segments\":[", out);
	for (size_t i = 0; i < plan->nseg; i++) {
		const struct kj_segment *s = &plan->seg[i];

		fprintf(out,
			"%s{\"index\":%zu,\"mem\":%" PRIu64 ",\"end\":%" PRIu64
			",\"memsz\":%zu,\"bufsz\":%zu,\"what\":",
			i ? "," : "", i, s->mem, s->mem + s->memsz, s->memsz,
			s->bufsz);
		kj_json_string(out, s->what);
		fputs(",\"digest\":", out);
		if (s->digest[0])
			kj_json_string(out, s->digest);
		else
			fputs("null", out);
		fputc('}', out);
	}
	fprintf(out, "],\"entry\":%" PRIu64 ",\"flags\":%lu,\"panic\":%s",
		plan->entry, plan->flags,
		plan->flags & KJ_KEXEC_ON_CRASH ? "true" : "false");
	fputs(",\"algorithm\":", out);
	kj_json_string(out, plan->algorithm ? plan->algorithm : "none");
	fputs(",\"cmdline\":", out);
	if (plan->cmdline)
		kj_json_string(out, plan->cmdline);
	else
		fputs("null", out);
	fputs(",\"registers\":", out);
	if (plan->next.mode == KJ_MODE_NONE) {
		fputs("null", out);
	} else {
		fprintf(out, "{\"mode\":\"%s\",\"entry\":%" PRIu64,
			kj_entry_mode_name(plan->next.mode), plan->next.pc);
		for (size_t i = 0; kj_entry_reg_name(plan->next.mode, i); i++)
			fprintf(out, ",\"%s\":%" PRIu64,
				kj_entry_reg_name(plan->next.mode, i),
				plan->next.reg[i]);
		fputc('}', out);
	}
	fputc('}', out);
	return ferror(out) ? -EIO : 0;
}

int kj_plan_print_json(const struct kj_plan *plan, FILE *out)
{
	kj_plan_print_json_object(plan, out);
	fputc('\n', out);
	return ferror(out) ? -EIO : 0;
}
