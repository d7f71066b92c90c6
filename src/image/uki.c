#include "image/uki.h"

#include "core/le.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[KJ_UKI_NSECTIONS] = {
	[KJ_UKI_LINUX] = ".linux",     [KJ_UKI_OSREL] = ".osrel",
	[KJ_UKI_CMDLINE] = ".cmdline", [KJ_UKI_INITRD] = ".initrd",
	[KJ_UKI_UCODE] = ".ucode",     [KJ_UKI_SPLASH] = ".splash",
	[KJ_UKI_DTB] = ".dtb",	       [KJ_UKI_DTBAUTO] = ".dtbauto",
	[KJ_UKI_HWIDS] = ".hwids",     [KJ_UKI_UNAME] = ".uname",
	[KJ_UKI_SBAT] = ".sbat",       [KJ_UKI_PCRSIG] = ".pcrsig",
	[KJ_UKI_PCRPKEY] = ".pcrpkey", [KJ_UKI_PROFILE] = ".profile",
	[KJ_UKI_EFIFW] = ".efifw",
};

const char *kj_uki_section_name(enum kj_uki_section s)
{
	return (unsigned int)s < KJ_UKI_NSECTIONS ? names[s] : "?";
}

static bool is_named(const struct kj_pe_section *s, const char *name)
{
	return !strcmp(s->name, name);
}

/* Lenient on purpose: any PE whose section table names a .linux is a
 * UKI, so that a damaged one gets kj_uki_parse's precise error instead
 * of "unrecognised format". */
bool kj_uki_probe(const uint8_t *data, size_t size)
{
	size_t off, table;
	unsigned int n;

	if (!kj_pe_probe(data, size))
		return false;
	off = (size_t)data[0x3c] | (size_t)data[0x3d] << 8 |
	      (size_t)data[0x3e] << 16 | (size_t)data[0x3f] << 24;
	if (size - off < 24)
		return false;
	n = kj_le16(data + off + 6);
	table = off + 24 + kj_le16(data + off + 20);
	for (unsigned int i = 0; i < n && i < KJ_PE_MAX_SECTIONS; i++) {
		if (table > size || (size_t)(i + 1) * 40 > size - table)
			break;
		if (!memcmp(data + table + (size_t)i * 40, ".linux\0", 7))
			return true;
	}
	return false;
}

/* Resolve the sections of table range [from, to): first one of a name
 * wins; with override, they replace what the base found. */
static void resolve(struct kj_uki *u, unsigned int from, unsigned int to,
		    bool override)
{
	bool seen[KJ_UKI_NSECTIONS] = { false };

	for (unsigned int i = from; i < to; i++)
		for (int s = 0; s < KJ_UKI_NSECTIONS; s++) {
			if (seen[s] || !is_named(&u->pe.sec[i], names[s]))
				continue;
			seen[s] = true;
			u->sec[s] = (int)i;
			u->from_profile[s] = override;
		}
}

/* Table index of .profile number p, or -1. */
static int profile_start(const struct kj_uki *u, unsigned int p)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < u->pe.nsections; i++)
		if (is_named(&u->pe.sec[i], ".profile") && n++ == p)
			return (int)i;
	return -1;
}

/* End of the range that starts at table index from (exclusive): the
 * next .profile after it, or the end of the table. */
static unsigned int range_end(const struct kj_uki *u, unsigned int from,
			      bool skip_first)
{
	for (unsigned int i = from + (skip_first ? 1 : 0); i < u->pe.nsections;
	     i++)
		if (is_named(&u->pe.sec[i], ".profile"))
			return i;
	return u->pe.nsections;
}

int kj_uki_parse(const uint8_t *data, size_t size, const char *name,
		 unsigned int profile, struct kj_uki *u, struct kj_err *err)
{
	const struct kj_pe_section *linux_sec;
	int r, start;

	memset(u, 0, sizeof(*u));
	for (int s = 0; s < KJ_UKI_NSECTIONS; s++)
		u->sec[s] = -1;
	r = kj_pe_parse(data, size, name, &u->pe, err);
	if (r < 0)
		return r;
	for (unsigned int i = 0; i < u->pe.nsections; i++)
		if (is_named(&u->pe.sec[i], ".profile"))
			u->nprofiles++;
	if (u->nprofiles > KJ_UKI_MAX_PROFILES)
		return kj_fail(err, EINVAL, "%s: %u UKI profiles (at most %d)",
			       name, u->nprofiles, KJ_UKI_MAX_PROFILES);
	u->profile = profile;
	/* The base: everything before the first .profile. */
	resolve(u, 0, range_end(u, 0, false), false);
	start = profile_start(u, profile);
	if (start >= 0)
		resolve(u, (unsigned int)start,
			range_end(u, (unsigned int)start, true), true);
	else if (profile != 0)
		return kj_fail(err, ENOENT,
			       "%s: UKI has no profile %u (it has %u)", name,
			       profile, u->nprofiles);
	linux_sec = kj_uki_section(u, KJ_UKI_LINUX);
	if (!linux_sec)
		return kj_fail(err, ENOEXEC,
			       "%s: PE image has no .linux section", name);
	if (linux_sec->vsize == 0 || linux_sec->file_size == 0)
		return kj_fail(err, EINVAL, "%s: UKI .linux section is empty",
			       name);
	return 0;
}

const struct kj_pe_section *kj_uki_section(const struct kj_uki *u,
					   enum kj_uki_section s)
{
	if ((unsigned int)s >= KJ_UKI_NSECTIONS || u->sec[s] < 0)
		return NULL;
	return &u->pe.sec[u->sec[s]];
}

int kj_uki_text(const struct kj_uki *u, const uint8_t *data,
		enum kj_uki_section s, char **text, struct kj_err *err)
{
	const struct kj_pe_section *sec = kj_uki_section(u, s);
	const uint8_t *p;
	size_t len;

	*text = NULL;
	if (!sec)
		return 0;
	p = data + sec->file_off;
	len = sec->file_size;
	if (len) {
		const uint8_t *nul = memchr(p, 0, len);

		if (nul)
			len = (size_t)(nul - p);
	}
	*text = malloc(len + 1);
	if (!*text)
		return kj_fail(err, ENOMEM, "out of memory for %s",
			       kj_uki_section_name(s));
	memcpy(*text, p, len);
	(*text)[len] = '\0';
	return 0;
}

static bool is_space(unsigned char c)
{
	return c <= 0x20 || c == 0x7f;
}

char *kj_uki_mangle_cmdline(char *s)
{
	char *q = s, *end = s;
	const char *p = s;

	while (*p && is_space((unsigned char)*p))
		p++;
	for (; *p; p++) {
		if (is_space((unsigned char)*p)) {
			*q++ = ' ';
			continue;
		}
		*q++ = *p;
		end = q;
	}
	*end = '\0';
	return s;
}
