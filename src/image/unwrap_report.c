/* kjump inspect's view of a wrapper (see unwrap.h): the PE sections of a
 * UKI with the profile that was resolved, or the zboot header, and the
 * size of the kernel found inside (what it is, the loader table says: the
 * caller inspects the unwrapped bytes). Text lines are "key<pad>value"
 * like the other inspect output; JSON is a list of members for the
 * caller's object. */
#include <inttypes.h>
#include <string.h>

#include "core/json.h"
#include "image/os_release.h"
#include "image/unwrap.h"

#define TEXT_MAX 200 /* characters of .cmdline/.osrel shown in text */

/* The value of KEY= in os-release text, unquoted, into buf (cut to
 * fit). */
static const char *osrel_value(const char *osrel, const char *key, char *buf,
			       size_t bufsz)
{
	size_t vlen;
	const char *v = kj_os_release_value(osrel, key, &vlen);

	if (!v)
		return NULL;
	if (vlen >= bufsz)
		vlen = bufsz - 1;
	memcpy(buf, v, vlen);
	buf[vlen] = '\0';
	return buf;
}

static void json_kv_str(FILE *out, const char *key, const char *val)
{
	fprintf(out, ",\"%s\":", key);
	kj_json_string(out, val);
}

static void report_zboot_json(const struct kj_unwrapped *u, FILE *out)
{
	const char *m = kj_pe_machine_name(u->zboot.machine);

	fprintf(out,
		",\"zboot\":{\"payload_offset\":%u,\"payload_size\":%u,"
		"\"compression\":",
		u->zboot.payload_offset, u->zboot.payload_size);
	kj_json_string(out, u->zboot.comp);
	fprintf(out, ",\"machine\":");
	kj_json_string(out, m);
	fprintf(out, ",\"size\":%zu}", u->zboot_in_len);
}

static void report_uki_json(const struct kj_unwrapped *u, FILE *out)
{
	const struct kj_uki *k = u->uki;

	fprintf(out, ",\"uki\":{\"machine\":");
	kj_json_string(out, kj_pe_machine_name(k->pe.machine));
	fprintf(out, ",\"profiles\":%u,\"profile\":%u,\"sections\":[",
		k->nprofiles, k->profile);
	for (unsigned int i = 0; i < k->pe.nsections; i++) {
		const struct kj_pe_section *s = &k->pe.sec[i];
		int used = -1;

		for (int j = 0; j < KJ_UKI_NSECTIONS; j++)
			if (k->sec[j] == (int)i)
				used = j;
		fprintf(out, "%s{\"name\":", i ? "," : "");
		kj_json_string(out, s->name);
		fprintf(out,
			",\"vaddr\":%u,\"vsize\":%u,\"offset\":%zu,"
			"\"size\":%zu,\"used\":%s}",
			s->vaddr, s->vsize, s->file_off, s->file_size,
			used >= 0 ? "true" : "false");
	}
	fprintf(out, "]");
	json_kv_str(out, "cmdline", u->cmdline);
	json_kv_str(out, "osrel", u->osrel);
	json_kv_str(out, "uname", u->uname);
	json_kv_str(out, "profile_info", u->profile_text);
	fprintf(out, ",\"initrd_size\":%zu,\"dtb_size\":%zu}", u->initrd_len,
		u->dtb_len);
}

static void report_json(const struct kj_unwrapped *u, FILE *out)
{
	fprintf(out, "\"wrapper\":");
	kj_json_string(out, kj_wrapper_name(u->wrapper));
	if (u->wrapper == KJ_WRAP_UKI)
		report_uki_json(u, out);
	if (u->wrapper == KJ_WRAP_ZBOOT || u->inner_zboot)
		report_zboot_json(u, out);
	fprintf(out, ",\"kernel_size\":%zu", u->kernel_len);
}

static void text_str(FILE *out, const char *key, const char *val)
{
	int n = (int)strlen(val);

	fprintf(out, "%-19s %.*s%s\n", key, n > TEXT_MAX ? TEXT_MAX : n, val,
		n > TEXT_MAX ? "..." : "");
}

static void report_uki_text(const struct kj_unwrapped *u, FILE *out)
{
	const struct kj_uki *k = u->uki;
	const char *m = kj_pe_machine_name(k->pe.machine);
	char buf[128];

	fprintf(out, "%-19s UKI (PE32%s, %s), %u sections\n", "wrapper",
		k->pe.opt_magic == KJ_PE_OPT_PE32PLUS ? "+" : "",
		m ? m : "unknown machine", k->pe.nsections);
	if (k->nprofiles)
		fprintf(out, "%-19s %u of %u\n", "profile", k->profile,
			k->nprofiles);
	for (unsigned int i = 0; i < k->pe.nsections; i++) {
		const struct kj_pe_section *s = &k->pe.sec[i];
		bool used = false;

		for (int j = 0; j < KJ_UKI_NSECTIONS; j++)
			used |= k->sec[j] == (int)i;
		fprintf(out,
			"%-19s %-8s %10zu bytes at 0x%08zx (vaddr 0x%08x)%s\n",
			"section", s->name, s->file_size, s->file_off, s->vaddr,
			used ? " *" : "");
	}
	if (u->osrel && osrel_value(u->osrel, "PRETTY_NAME", buf, sizeof(buf)))
		text_str(out, "osrel", buf);
	if (u->uname)
		text_str(out, "uname", u->uname);
	if (u->profile_text)
		text_str(out, "profile_info", u->profile_text);
	if (u->cmdline)
		text_str(out, "cmdline", u->cmdline);
	if (u->initrd_len)
		fprintf(out, "%-19s %zu bytes (.ucode + .initrd)\n", "initrd",
			u->initrd_len);
	if (u->dtb_len)
		fprintf(out, "%-19s %zu bytes\n", "dtb", u->dtb_len);
}

static void report_zboot_text(const struct kj_unwrapped *u, FILE *out)
{
	const char *m = kj_pe_machine_name(u->zboot.machine);

	fprintf(out, "%-19s EFI zboot (%s), payload %u bytes at 0x%x, %s\n",
		u->wrapper == KJ_WRAP_ZBOOT ? "wrapper" : "inner wrapper",
		m ? m : "unknown machine", u->zboot.payload_size,
		u->zboot.payload_offset, u->zboot.comp);
}

void kj_unwrapped_report(const struct kj_unwrapped *u, FILE *out, bool json)
{
	if (u->wrapper == KJ_WRAP_NONE)
		return;
	if (json) {
		report_json(u, out);
		return;
	}
	if (u->wrapper == KJ_WRAP_UKI)
		report_uki_text(u, out);
	if (u->wrapper == KJ_WRAP_ZBOOT || u->inner_zboot)
		report_zboot_text(u, out);
	fprintf(out, "%-19s %zu bytes inside\n", "kernel", u->kernel_len);
}
