#include "boot/scan.h"

#include <blkid/blkid.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boot/bls.h"
#include "boot/grub.h"
#include "boot/grubenv.h"
#include "boot/lilo.h"
#include "boot/syslinux.h"
#include "boot/uki_entries.h"
#include "sys/sysroot.h"

/* Filesystems a boot loader's files can live on. Anything else blkid
 * finds (swap, LVM, RAID members, LUKS) is not mounted. */
static const char *const mountable[] = {
	"ext2", "ext3", "ext4", "vfat", "iso9660", "btrfs", "xfs", "f2fs",
	"udf", "exfat", "ntfs3", NULL,
};

static bool is_mountable(const char *type)
{
	for (size_t i = 0; mountable[i]; i++)
		if (!strcmp(type, mountable[i]))
			return true;
	return false;
}

struct fs_id {
	char *type, *uuid, *label;
};

static void fs_id_free(struct fs_id *id)
{
	free(id->type);
	free(id->uuid);
	free(id->label);
	memset(id, 0, sizeof(*id));
}

static char *probe_value(blkid_probe pr, const char *name)
{
	const char *v;

	if (blkid_probe_lookup_value(pr, name, &v, NULL) == 0)
		return strdup(v);
	return NULL;
}

/* What filesystem a block device holds, from its superblock. */
static int probe_device(const char *dev, struct fs_id *id)
{
	blkid_probe pr;
	int r = -ENODEV;

	memset(id, 0, sizeof(*id));
	pr = blkid_new_probe_from_filename(dev);
	if (!pr)
		return -errno ? -errno : -ENODEV;
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE |
						      BLKID_SUBLKS_UUID |
						      BLKID_SUBLKS_LABEL);
	if (blkid_do_safeprobe(pr) == 0) {
		id->type = probe_value(pr, "TYPE");
		id->uuid = probe_value(pr, "UUID");
		id->label = probe_value(pr, "LABEL");
		r = id->type ? 0 : -ENODEV;
	}
	blkid_free_probe(pr);
	return r;
}

static const char *scratch_parent(void)
{
	struct stat st;

	return stat("/run", &st) == 0 && S_ISDIR(st.st_mode) ? "/run" : "/tmp";
}

static int add_root_dir(struct kj_scan *scan, const char *dir, const char *name,
			struct kj_ro_mount *mnt, struct fs_id *id,
			struct kj_err *err)
{
	size_t i = scan->set.n;
	struct kj_root *root = &scan->roots[i];
	int r;

	if (i >= KJ_SCAN_MAX_ROOTS)
		return kj_fail(err, E2BIG, "more than %d roots",
			       KJ_SCAN_MAX_ROOTS);
	scan->names[i] = strdup(name);
	if (!scan->names[i])
		return kj_fail(err, ENOMEM, "out of memory");
	r = kj_root_open_dir(root, dir, scan->names[i], err);
	if (r < 0) {
		free(scan->names[i]);
		scan->names[i] = NULL;
		return r;
	}
	if (mnt)
		scan->mounts[i] = *mnt;
	else
		scan->mounts[i] = (struct kj_ro_mount){ .dev_fd = -1 };
	if (id) {
		root->fs_type = id->type;
		root->fs_uuid = id->uuid;
		root->fs_label = id->label;
		memset(id, 0, sizeof(*id)); /* the root owns them now */
	}
	scan->set.n++;
	return 0;
}

/* Mount a device read-only, nosuid, nodev, noexec in a fresh private
 * directory and add it as a root. */
static int add_root_device(struct kj_scan *scan, const char *dev,
			   bool explicit, struct kj_err *err)
{
	struct kj_ro_mount mnt;
	struct kj_err merr = { 0 };
	struct fs_id id;
	int r;

	r = probe_device(dev, &id);
	if (r < 0 || !is_mountable(id.type)) {
		if (!explicit) {
			fs_id_free(&id);
			return 0;
		}
		r = kj_fail(err, ENODEV, "%s: no filesystem kjump can read (%s)",
			    dev, id.type ? id.type : "no superblock found");
		fs_id_free(&id);
		return r;
	}
	if (scan->set.n >= KJ_SCAN_MAX_ROOTS) {
		fs_id_free(&id);
		return kj_fail(err, E2BIG, "more than %d roots",
			       KJ_SCAN_MAX_ROOTS);
	}
	r = kj_ro_mount(dev, id.type, scratch_parent(), &mnt, &scan->warnings,
			&merr);
	if (r < 0) {
		fs_id_free(&id);
		if (explicit)
			return kj_fail(err, -r, "%s", merr.msg);
		return 0;
	}
	r = add_root_dir(scan, mnt.dir, dev, &mnt, &id, err);
	if (r < 0) {
		kj_ro_umount(&mnt);
		fs_id_free(&id);
	}
	return r;
}

static int add_root_arg(struct kj_scan *scan, const char *arg,
			struct kj_err *err)
{
	struct stat st;

	if (stat(arg, &st) < 0)
		return kj_fail(err, errno, "%s: %s", arg, strerror(errno));
	if (S_ISDIR(st.st_mode))
		return add_root_dir(scan, arg, arg, NULL, NULL, err);
	if (S_ISBLK(st.st_mode) || S_ISREG(st.st_mode))
		return add_root_device(scan, arg, true, err);
	return kj_fail(err, EINVAL,
		       "%s: neither a directory nor a block device", arg);
}

/* Every block device of the machine (from /sys/class/block), skipping
 * the one the running system's / or /boot lives on: that one is scanned
 * as the directory "/" instead, without mounting it again. */
static int add_all_devices(struct kj_scan *scan, struct kj_err *err)
{
	struct stat root_st, boot_st;
	char sysdir[4096];
	struct dirent *de;
	DIR *d;

	if (stat("/", &root_st) < 0)
		memset(&root_st, 0, sizeof(root_st));
	if (stat("/boot", &boot_st) < 0)
		boot_st = root_st;
	if (kj_sys_path("/sys/class/block", sysdir, sizeof(sysdir)) < 0)
		return 0;
	d = opendir(sysdir);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char dev[300];
		struct stat st;

		if (de->d_name[0] == '.' || !strncmp(de->d_name, "ram", 3) ||
		    !strncmp(de->d_name, "loop", 4) ||
		    !strncmp(de->d_name, "zram", 4))
			continue;
		snprintf(dev, sizeof(dev), "/dev/%s", de->d_name);
		if (stat(dev, &st) < 0 || !S_ISBLK(st.st_mode))
			continue;
		if (st.st_rdev == root_st.st_dev || st.st_rdev == boot_st.st_dev)
			continue;
		if (scan->set.n >= KJ_SCAN_MAX_ROOTS - 1) {
			/* One slot stays for the running system's /boot. */
			kj_warn(&scan->warnings, dev, 0,
				"more than %d filesystems, this one and the "
				"rest are not scanned",
				KJ_SCAN_MAX_ROOTS - 1);
			break;
		}
		if (add_root_device(scan, dev, false, err) < 0) {
			closedir(d);
			return -err->code;
		}
	}
	closedir(d);
	/* The running system's /boot, read through "/" so that paths stay
	 * "/boot/vmlinuz-..." as its configs spell them. */
	if (access("/boot", F_OK) == 0)
		return add_root_dir(scan, "/", "/", NULL, NULL, err);
	return 0;
}

static void copy_warnings(struct kj_scan *scan, const char *root,
			  struct kj_warnings *w)
{
	for (size_t i = 0; i < w->n; i++)
		kj_warn(&scan->warnings, root, 0, "%s", w->v[i]);
	kj_warnings_free(w);
}

static void scan_root(struct kj_scan *scan, size_t i)
{
	const struct kj_root *root = &scan->roots[i];
	struct kj_syslinux_info sinfo = { 0 };
	struct kj_grub_info ginfo = { 0 };
	struct kj_warnings w = { 0 };
	int r;

	kj_syslinux_scan_info(root, &scan->entries, &w, &sinfo);
	if (sinfo.config && scan->timeout_tenths < 0 && sinfo.timeout > 0)
		scan->timeout_tenths = sinfo.timeout;
	r = kj_grub_scan_config(&scan->set, i, NULL, &scan->entries, &ginfo,
				&w);
	if (r >= 0 && ginfo.has_timeout && scan->timeout_tenths < 0 &&
	    ginfo.timeout >= 0)
		scan->timeout_tenths = ginfo.timeout * 10;
	kj_grub_info_free(&ginfo);
	if (r == -ENOENT) {
		/* No grub.cfg to run blscfg: read the entries directly,
		 * with grubenv's variables ($kernelopts) when present. */
		struct kj_vars vars = { 0 };

		kj_grubenv_load(root, "/boot/grub2/grubenv", &vars, &w);
		kj_grubenv_load(root, "/boot/grub/grubenv", &vars, &w);
		kj_bls_scan(root, &vars, &scan->entries, &w);
		kj_vars_free(&vars);
	}
	kj_lilo_scan(root, &scan->entries, &w);
	kj_uki_entries_scan(root, &scan->entries, &w);
	copy_warnings(scan, root->name, &w);
}

int kj_scan(struct kj_scan *scan, const char *const *roots, size_t n,
	    struct kj_err *err)
{
	int r = 0;

	memset(scan, 0, sizeof(*scan));
	scan->set.v = scan->roots;
	scan->timeout_tenths = -1;
	if (n == 0)
		r = add_all_devices(scan, err);
	for (size_t i = 0; i < n && r == 0; i++)
		r = add_root_arg(scan, roots[i], err);
	if (r < 0) {
		kj_scan_free(scan);
		return r;
	}
	for (size_t i = 0; i < scan->set.n; i++)
		scan_root(scan, i);
	return 0;
}

void kj_scan_free(struct kj_scan *scan)
{
	for (size_t i = 0; i < scan->set.n; i++) {
		kj_root_close(&scan->roots[i]);
		kj_ro_umount(&scan->mounts[i]);
		free(scan->names[i]);
	}
	kj_entry_list_free(&scan->entries);
	kj_warnings_free(&scan->warnings);
	memset(scan, 0, sizeof(*scan));
}

const struct kj_root *kj_scan_root_of(const struct kj_scan *scan,
				      const struct kj_entry *e)
{
	for (size_t i = 0; i < scan->set.n; i++)
		if (e->root_name && !strcmp(scan->names[i], e->root_name))
			return &scan->roots[i];
	return NULL;
}

long kj_scan_default(const struct kj_scan *scan)
{
	for (size_t i = 0; i < scan->entries.n; i++)
		if (scan->entries.v[i].is_default &&
		    scan->entries.v[i].type != KJ_ENTRY_UNSUPPORTED)
			return (long)i;
	for (size_t i = 0; i < scan->entries.n; i++)
		if (scan->entries.v[i].type != KJ_ENTRY_UNSUPPORTED)
			return (long)i;
	return -1;
}

long kj_scan_find(const struct kj_scan *scan, const char *what)
{
	char *end;
	long idx;

	for (size_t i = 0; i < scan->entries.n; i++)
		if (scan->entries.v[i].id && !strcmp(scan->entries.v[i].id, what))
			return (long)i;
	for (size_t i = 0; i < scan->entries.n; i++)
		if (scan->entries.v[i].title &&
		    !strcmp(scan->entries.v[i].title, what))
			return (long)i;
	idx = strtol(what, &end, 10);
	if (*what && !*end && idx >= 0 && (size_t)idx < scan->entries.n)
		return idx;
	return -1;
}
