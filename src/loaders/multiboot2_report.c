/* kjump inspect's view of a Multiboot 2 header (see multiboot2.h). */
#include <inttypes.h>

#include "loaders/multiboot2.h"

static void requests_text(FILE *out, const char *key, uint64_t mask)
{
	char buf[16];
	bool first = true;

	fprintf(out, "%-19s", key);
	for (unsigned int t = 0; t < 64; t++)
		if (mask & KJ_MB2_BIT(t)) {
			fprintf(out, "%s%s", first ? " " : ", ",
				kj_mb2_info_name(t, buf, sizeof(buf)));
			first = false;
		}
	fprintf(out, "%s\n", first ? " (none)" : "");
}

static void requests_json(FILE *out, const char *key, uint64_t mask)
{
	bool first = true;

	fprintf(out, ",\"%s\":[", key);
	for (unsigned int t = 0; t < 64; t++)
		if (mask & KJ_MB2_BIT(t)) {
			fprintf(out, "%s%u", first ? "" : ",", t);
			first = false;
		}
	fprintf(out, "]");
}

static void report_json(const struct kj_mb2 *mb, FILE *out)
{
	fprintf(out,
		"\"format\":\"multiboot2\",\"header_offset\":%zu,"
		"\"header_length\":%u,\"layout\":\"%s\",\"entry\":%u,"
		"\"load_start\":%" PRIu64 ",\"load_end\":%" PRIu64,
		mb->header_offset, mb->header_length,
		mb->image.elf_bits == 64   ? "elf64"
		: mb->image.elf_bits == 32 ? "elf32"
					   : "address",
		mb->image.entry, mb->image.lowest, mb->image.end);
	requests_json(out, "requests", mb->requested);
	requests_json(out, "optional_requests", mb->requested_opt);
	if (mb->relocatable)
		fprintf(out,
			",\"relocatable\":{\"min\":%u,\"max\":%u,\"align\":%u,"
			"\"preference\":%u}",
			mb->reloc_min, mb->reloc_max, mb->reloc_align,
			mb->reloc_pref);
	if (mb->has_console)
		fprintf(out, ",\"console_flags\":%u", mb->console_flags);
	if (mb->has_fb)
		fprintf(out,
			",\"framebuffer\":{\"width\":%u,\"height\":%u,"
			"\"depth\":%u,\"required\":%s}",
			mb->fb_width, mb->fb_height, mb->fb_depth,
			mb->fb_required ? "true" : "false");
	fprintf(out, ",\"module_align\":%s,\"ignored_tags\":%u",
		mb->module_align ? "true" : "false", mb->ignored);
}

void kj_mb2_report(const struct kj_mb2 *mb, FILE *out, bool json)
{
	if (json) {
		report_json(mb, out);
		return;
	}
	fprintf(out, "%-19s Multiboot 2\n", "format");
	fprintf(out, "%-19s offset 0x%zx, %u bytes\n", "header",
		mb->header_offset, mb->header_length);
	fprintf(out, "%-19s %s\n", "layout",
		mb->image.elf_bits == 64   ? "ELF64 (entered in 32-bit mode)"
		: mb->image.elf_bits == 32 ? "ELF32"
					   : "address tag");
	fprintf(out, "%-19s 0x%" PRIx64 "-0x%" PRIx64 "\n", "load",
		mb->image.lowest, mb->image.end - 1);
	fprintf(out, "%-19s 0x%x\n", "entry", mb->image.entry);
	requests_text(out, "requests", mb->requested);
	if (mb->requested_opt)
		requests_text(out, "optional requests", mb->requested_opt);
	if (mb->relocatable)
		fprintf(out, "%-19s 0x%x-0x%x, align 0x%x, %s\n", "relocatable",
			mb->reloc_min, mb->reloc_max, mb->reloc_align,
			mb->reloc_pref == KJ_MB2_PREF_LOW    ? "lowest"
			: mb->reloc_pref == KJ_MB2_PREF_HIGH ? "highest"
							     : "any");
	if (mb->has_console)
		fprintf(out, "%-19s 0x%x%s%s\n", "console flags",
			mb->console_flags,
			mb->console_flags & KJ_MB2_CONSOLE_REQUIRED
				? " (console required)"
				: "",
			mb->console_flags & KJ_MB2_CONSOLE_EGA_TEXT
				? " (EGA text supported)"
				: "");
	if (mb->has_fb)
		fprintf(out, "%-19s %ux%ux%u%s\n", "framebuffer", mb->fb_width,
			mb->fb_height, mb->fb_depth,
			mb->fb_required ? " (required)" : "");
	if (mb->ignored)
		fprintf(out, "%-19s 0x%x (optional tags not used)\n",
			"ignored tags", mb->ignored);
}
