#include "boot/uki_entries.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "boot/bls.h"
#include "image/image.h"
#include "image/os_release.h"
#include "image/uki.h"

#if defined(__x86_64__)
#define HOST_MACHINE KJ_PE_MACHINE_X86_64
#elif defined(__aarch64__)
#define HOST_MACHINE KJ_PE_MACHINE_ARM64
#else
#define HOST_MACHINE 0
#endif

#define TEXT_MAX 256 /* bytes of an os-release value kept */

/* $BOOT/EFI/Linux, and where the ESP or XBOOTLDR is mounted under "/". */
static const char *const dirs[] = { "/EFI/Linux", "/boot/EFI/Linux",
				    "/efi/EFI/Linux", "/boot/efi/EFI/Linux" };

struct found {
	struct kj_entry e;
	char *version; /* VERSION_ID, for sorting */
};

static bool is_efi_name(const char *n)
{
	size_t len = strlen(n);

	return n[0] != '.' && len > 4 && !strcasecmp(n + len - 4, ".efi");
}

/* The value of KEY= in os-release text, unquoted, at most TEXT_MAX
 * bytes, malloc'd; NULL when unset or empty. */
static char *osrel_value(const char *osrel, const char *key)
{
	size_t vlen;
	const char *v = kj_os_release_value(osrel, key, &vlen);

	if (!v)
		return NULL;
	if (vlen > TEXT_MAX)
		vlen = TEXT_MAX;
	return vlen ? strndup(v, vlen) : NULL;
}

/* The file's bytes: mapped from a directory root, borrowed from a
 * memory root. *mapped says whether to unmap. */
static int file_bytes(const struct kj_root *root, const char *path,
		      const uint8_t **data, size_t *size, bool *mapped)
{
	struct kj_err err;
	int fd, r;

	*mapped = false;
	if (root->mem) {
		for (size_t i = 0; i < root->n_mem; i++)
			if (!strcmp(root->mem[i].path, path)) {
				*data = (const uint8_t *)root->mem[i].data;
				*size = root->mem[i].size;
				return 0;
			}
		return -ENOENT;
	}
	fd = kj_root_openat(root, path);
	if (fd < 0)
		return fd;
	r = kj_map_fd(fd, path, data, size, &err);
	close(fd);
	if (r < 0)
		return r;
	*mapped = true;
	return 0;
}

static int title_of(struct found *f, const char *osrel, const char *uname,
		    const char *file)
{
	static const char *const keys[] = { "PRETTY_NAME", "NAME", "ID" };
	char *name = NULL;
	int n;

	for (size_t i = 0; i < 3 && !name && osrel; i++)
		name = osrel_value(osrel, keys[i]);
	if (uname && *uname)
		n = asprintf(&f->e.title, "%s (%s)", name ? name : file, uname);
	else
		n = asprintf(&f->e.title, "%s", name ? name : file);
	free(name);
	if (n < 0) {
		f->e.title = NULL;
		return -ENOMEM;
	}
	return 0;
}

/* One UKI: 1 kept, 0 skipped (with a warning when broken), -ENOMEM. */
static int one(const struct kj_root *root, const char *dir, const char *name,
	       struct found *f, struct kj_warnings *warn)
{
	char *path = NULL, *osrel = NULL, *cmdline = NULL, *uname = NULL;
	struct kj_uki *uki = malloc(sizeof(*uki));
	const uint8_t *data = NULL;
	struct kj_err err = { 0 };
	size_t size = 0;
	bool mapped = false;
	int r;

	memset(f, 0, sizeof(*f));
	if (!uki || asprintf(&path, "%s/%s", dir, name) < 0) {
		free(uki);
		return -ENOMEM;
	}
	r = file_bytes(root, path, &data, &size, &mapped);
	if (r < 0) {
		kj_warn(warn, path, 0, "cannot read: %s", strerror(-r));
		r = 0;
		goto out;
	}
	/* Named "" so that the message does not repeat the path. */
	if (kj_uki_parse(data, size, "", 0, uki, &err) < 0) {
		kj_warn(warn, path, 0, "not a unified kernel image%s", err.msg);
		r = 0;
		goto out;
	}
	if (uki->pe.machine != HOST_MACHINE) {
		r = 0; /* another architecture's: not ours to boot */
		goto out;
	}
	if (kj_uki_text(uki, data, KJ_UKI_OSREL, &osrel, &err) < 0 ||
	    kj_uki_text(uki, data, KJ_UKI_CMDLINE, &cmdline, &err) < 0 ||
	    kj_uki_text(uki, data, KJ_UKI_UNAME, &uname, &err) < 0) {
		r = err.code == ENOMEM ? -ENOMEM : 0;
		if (!r)
			kj_warn(warn, path, 0, "%s", err.msg);
		goto out;
	}
	if (cmdline)
		kj_uki_mangle_cmdline(cmdline);
	if (uname)
		kj_uki_mangle_cmdline(uname);
	f->e.type = KJ_ENTRY_LINUX;
	f->e.source = KJ_SOURCE_BLS;
	f->version = osrel ? osrel_value(osrel, "VERSION_ID") : NULL;
	r = kj_entry_set(&f->e.id, name);
	if (!r)
		r = kj_entry_set(&f->e.kernel, path);
	if (!r)
		r = kj_entry_set(&f->e.cmdline, cmdline ? cmdline : "");
	if (!r)
		r = kj_entry_set(&f->e.config, path);
	if (!r)
		r = title_of(f, osrel, uname, name);
	r = r < 0 ? -ENOMEM : 1;
out:
	if (mapped)
		kj_unmap(data, size);
	if (r <= 0) {
		kj_entry_free(&f->e);
		free(f->version);
		memset(f, 0, sizeof(*f));
	}
	free(osrel);
	free(cmdline);
	free(uname);
	free(path);
	free(uki);
	return r;
}

static int found_cmp(const void *pa, const void *pb)
{
	const struct found *a = pa, *b = pb;
	int r = 0;

	if (a->version && b->version)
		r = -kj_bls_version_cmp(a->version, b->version);
	else if (a->version || b->version)
		r = a->version ? -1 : 1;
	return r ? r : -kj_bls_version_cmp(a->e.id, b->e.id);
}

static int scan_dir(const struct kj_root *root, const char *dir,
		    struct found *v, size_t *n, struct kj_warnings *warn)
{
	char **names = NULL;
	size_t nn = 0;
	int r = 0;

	if (!kj_root_exists(root, dir) ||
	    kj_root_list(root, dir, KJ_UKI_MAX_FILES, &names, &nn) < 0)
		return 0;
	for (size_t i = 0; i < nn && *n < KJ_UKI_MAX_FILES && r >= 0; i++) {
		if (!is_efi_name(names[i]))
			continue;
		r = one(root, dir, names[i], &v[*n], warn);
		if (r > 0)
			(*n)++;
	}
	kj_root_names_free(names, nn);
	return r < 0 ? r : 0;
}

int kj_uki_entries_scan(const struct kj_root *root, struct kj_entry_list *out,
			struct kj_warnings *warn)
{
	struct found *v = calloc(KJ_UKI_MAX_FILES, sizeof(*v));
	size_t n = 0, added = 0;
	int r = 0;

	if (!v)
		return -ENOMEM;
	for (size_t d = 0; d < sizeof(dirs) / sizeof(dirs[0]) && r == 0; d++)
		r = scan_dir(root, dirs[d], v, &n, warn);
	qsort(v, n, sizeof(*v), found_cmp);
	for (size_t i = 0; i < n; i++) {
		struct kj_entry *e = NULL;

		if (r == 0 && root->name) {
			v[i].e.root_name = strdup(root->name);
			if (!v[i].e.root_name)
				r = -ENOMEM;
		}
		if (r == 0)
			e = kj_entry_list_add(out);
		if (e) {
			free(e->cmdline); /* the list's "" */
			*e = v[i].e;	  /* ownership moves to out */
			memset(&v[i].e, 0, sizeof(v[i].e));
			added++;
		} else if (r == 0 && out->n < KJ_MAX_ENTRIES) {
			r = -ENOMEM;
		}
		kj_entry_free(&v[i].e);
		free(v[i].version);
	}
	free(v);
	return r < 0 ? r : (int)added;
}
