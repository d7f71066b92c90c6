/* Unified Kernel Images: a systemd-stub PE binary carrying the kernel and
 * what it boots with in named sections (UAPI "Unified Kernel Image"
 * specification, and systemd-stub(7) for the rules applied here).
 *
 *   .linux    the kernel (bzImage on x86, Image on arm64): required
 *   .initrd   initrd;  .ucode  microcode initrd, placed BEFORE .initrd
 *   .cmdline  command line;  .dtb  device tree;  .osrel  os-release(5)
 *   .uname    `uname -r` of the kernel;  .profile  see below
 *   .splash .dtbauto .hwids .efifw .sbat .pcrsig .pcrpkey: recorded for
 *             reports, not used for booting
 *
 * Multi-profile UKIs: every `.profile` section starts a profile that runs
 * to the next `.profile` (or the end of the section table); sections
 * before the first `.profile` are the base. For profile N, any section of
 * profile N replaces the base section of the same name; within a range
 * the first section of a name wins. Profile 0 is the default, and asking
 * for it is valid even when the image has no `.profile` at all (then the
 * base is all there is); any other missing profile is an error. */
#ifndef KJ_IMAGE_UKI_H
#define KJ_IMAGE_UKI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "image/pe.h"

#define KJ_UKI_MAX_PROFILES 256 /* as systemd-stub */

enum kj_uki_section {
	KJ_UKI_LINUX,
	KJ_UKI_OSREL,
	KJ_UKI_CMDLINE,
	KJ_UKI_INITRD,
	KJ_UKI_UCODE,
	KJ_UKI_SPLASH,
	KJ_UKI_DTB,
	KJ_UKI_DTBAUTO,
	KJ_UKI_HWIDS,
	KJ_UKI_UNAME,
	KJ_UKI_SBAT,
	KJ_UKI_PCRSIG,
	KJ_UKI_PCRPKEY,
	KJ_UKI_PROFILE,
	KJ_UKI_EFIFW,
	KJ_UKI_NSECTIONS
};

struct kj_uki {
	struct kj_pe pe;
	unsigned int nprofiles; /* .profile sections in the table */
	unsigned int profile;	/* the selected one */
	/* Index into pe.sec of each section as the selected profile sees it,
	 * -1 when absent; from_profile: it came from the profile's range. */
	int sec[KJ_UKI_NSECTIONS];
	bool from_profile[KJ_UKI_NSECTIONS];
};

/* ".linux", ".initrd", ...; the name a section has in the PE table. */
const char *kj_uki_section_name(enum kj_uki_section s);

/* A PE image with a .linux section. */
bool kj_uki_probe(const uint8_t *data, size_t size);

/* Parse the PE headers and resolve the sections of profile `profile`.
 * Errors name the file: not PE, a damaged PE, no such profile, no
 * .linux, a .linux of zero bytes. */
int kj_uki_parse(const uint8_t *data, size_t size, const char *name,
		 unsigned int profile, struct kj_uki *u, struct kj_err *err);

/* The section's table entry as the selected profile sees it, or NULL.
 * Its bytes are file_size bytes at file_off; a vsize above file_size
 * means zeros follow in memory. */
const struct kj_pe_section *kj_uki_section(const struct kj_uki *u,
					   enum kj_uki_section s);

/* A text section (.cmdline, .osrel, .uname, .profile) as a malloc'd
 * NUL-terminated string: the file bytes up to the first NUL. NULL with
 * *text == NULL when the section is absent. */
int kj_uki_text(const struct kj_uki *u, const uint8_t *data,
		enum kj_uki_section s, char **text, struct kj_err *err);

/* What systemd-stub does to .cmdline: drop leading and trailing
 * whitespace and control characters (bytes <= 0x20 and 0x7f), turn each
 * one inside into a space. In place; returns s. */
char *kj_uki_mangle_cmdline(char *s);

#endif
