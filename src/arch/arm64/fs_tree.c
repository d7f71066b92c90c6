/* A device tree blob from /sys/firmware/devicetree/base; see fs_tree.h. */
#include "arch/arm64/fs_tree.h"

#include <dirent.h>
#include <errno.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sys/sysroot.h"

#define PATH_LEN 4096
#define PROP_MAX (1u << 20)
#define START_SIZE (64u << 10)

struct walk {
	void *fdt;
	int fdt_err; /* libfdt's, e.g. -FDT_ERR_NOSPACE */
};

static bool skipped(const char *name)
{
	return !strcmp(name, ".") || !strcmp(name, "..") ||
	       !strcmp(name, "name") || !strncmp(name, "security-", 9);
}

static int is_dir(const char *syspath, bool *dir, struct kj_err *err)
{
	char real[PATH_LEN];
	struct stat st;

	if (kj_sys_path(syspath, real, sizeof(real)) < 0)
		return kj_fail(err, ENAMETOOLONG, "%s: path too long", syspath);
	if (lstat(real, &st) < 0)
		return kj_fail(err, errno, "%s: %s", syspath, strerror(errno));
	*dir = S_ISDIR(st.st_mode);
	if (!*dir && !S_ISREG(st.st_mode))
		return kj_fail(err, EINVAL, "%s: neither a node nor a property",
			       syspath);
	return 0;
}

/* One node: its properties, then its children (libfdt's order). */
static int node(struct walk *w, const char *syspath, int depth,
		struct kj_err *err)
{
	char real[PATH_LEN], child[PATH_LEN];
	struct dirent **names = NULL;
	int n, r = 0;

	if (depth > KJ_ARM64_FS_TREE_DEPTH)
		return kj_fail(err, ELOOP, "%s: nested deeper than %d nodes",
			       syspath, KJ_ARM64_FS_TREE_DEPTH);
	if (kj_sys_path(syspath, real, sizeof(real)) < 0)
		return kj_fail(err, ENAMETOOLONG, "%s: path too long", syspath);
	n = scandir(real, &names, NULL, alphasort);
	if (n < 0)
		return kj_fail(err, errno, "%s: %s", syspath, strerror(errno));
	for (int pass = 0; pass < 2 && !r; pass++)
		for (int i = 0; i < n && !r; i++) {
			const char *name = names[i]->d_name;
			struct kj_err perr = { 0 };
			bool dir;
			char *val;
			size_t len;

			if (skipped(name))
				continue;
			if ((size_t)snprintf(child, sizeof(child), "%s/%s",
					     syspath, name) >= sizeof(child)) {
				r = kj_fail(err, ENAMETOOLONG,
					    "%s: path too long", syspath);
				break;
			}
			r = is_dir(child, &dir, err);
			if (r || dir != (pass == 1))
				continue;
			if (dir) {
				w->fdt_err = fdt_begin_node(w->fdt, name);
				if (!w->fdt_err)
					r = node(w, child, depth + 1, err);
				if (!r && !w->fdt_err)
					w->fdt_err = fdt_end_node(w->fdt);
				if (w->fdt_err)
					r = -1;
				continue;
			}
			r = kj_sys_read(child, PROP_MAX, &val, &len, &perr);
			if (r == -EACCES || r == -EPERM) {
				r = 0; /* root-only: not in the copy */
				continue;
			}
			if (r < 0) {
				*err = perr;
				break;
			}
			w->fdt_err = fdt_property(w->fdt, name, val, (int)len);
			free(val);
			if (w->fdt_err)
				r = -1;
		}
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return r;
}

int kj_arm64_fs_tree(const char *syspath, size_t max, uint8_t **fdt,
		     size_t *len, struct kj_err *err)
{
	size_t size = START_SIZE < max ? START_SIZE : max;

	*fdt = NULL;
	*len = 0;
	for (;;) {
		struct walk w = { .fdt = calloc(1, size) };
		int r;

		if (!w.fdt)
			return kj_fail(err, ENOMEM, "%s: out of memory",
				       syspath);
		w.fdt_err = fdt_create(w.fdt, (int)size);
		if (!w.fdt_err)
			w.fdt_err = fdt_finish_reservemap(w.fdt);
		if (!w.fdt_err)
			w.fdt_err = fdt_begin_node(w.fdt, "");
		r = w.fdt_err ? -1 : node(&w, syspath, 0, err);
		if (!r && !w.fdt_err)
			w.fdt_err = fdt_end_node(w.fdt);
		if (!r && !w.fdt_err)
			w.fdt_err = fdt_finish(w.fdt);
		if (!r && !w.fdt_err) {
			*fdt = w.fdt;
			*len = fdt_totalsize(w.fdt);
			return 0;
		}
		free(w.fdt);
		if (w.fdt_err != -FDT_ERR_NOSPACE)
			return r < 0 && !w.fdt_err
				       ? r
				       : kj_fail(err, EINVAL, "%s: %s", syspath,
						 fdt_strerror(w.fdt_err));
		if (size >= max)
			return kj_fail(err, E2BIG,
				       "%s: the tree is larger than %zu bytes",
				       syspath, max);
		size = size * 2 > max ? max : size * 2;
	}
}
