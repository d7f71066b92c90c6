#include "boot/root.h"
#include "image/open.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

int kj_root_open_dir(struct kj_root *root, const char *dir, const char *name,
		     struct kj_err *err)
{
	memset(root, 0, sizeof(*root));
	root->name = name;
	root->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (root->dirfd < 0)
		return kj_fail(err, errno, "%s: %s", dir, strerror(errno));
	return 0;
}

void kj_root_close(struct kj_root *root)
{
	if (root->dirfd >= 0)
		close(root->dirfd);
	root->dirfd = -1;
	free(root->fs_uuid);
	free(root->fs_label);
	free(root->fs_type);
	root->fs_uuid = root->fs_label = root->fs_type = NULL;
}

static const struct kj_memfile *mem_find(const struct kj_root *root,
					 const char *path)
{
	char *norm = kj_path_join("/", path);
	const struct kj_memfile *found = NULL;

	if (!norm)
		return NULL;
	for (size_t i = 0; i < root->n_mem && !found; i++)
		if (strcmp(root->mem[i].path, norm) == 0)
			found = &root->mem[i];
	free(norm);
	return found;
}

int kj_root_openat(const struct kj_root *root, const char *path)
{
	if (root->dirfd < 0)
		return -ENOENT;
	/* Leading slashes are fine: RESOLVE_IN_ROOT treats "/" as the root. */
	return kj_open_file(root->dirfd, path);
}

int kj_root_read(const struct kj_root *root, const char *path, size_t maxsize,
		 char **out, size_t *len, struct kj_err *err)
{
	struct stat st;
	size_t used = 0;
	char *buf;
	int fd;

	if (root->mem) {
		const struct kj_memfile *f = mem_find(root, path);

		if (!f)
			return kj_fail(err, ENOENT, "%s: no such file", path);
		if (f->size > maxsize)
			return kj_fail(err, EFBIG, "%s: larger than %zu bytes",
				       path, maxsize);
		buf = malloc(f->size + 1);
		if (!buf)
			return kj_fail(err, ENOMEM, "%s: out of memory", path);
		memcpy(buf, f->data, f->size);
		buf[f->size] = '\0';
		*out = buf;
		if (len)
			*len = f->size;
		return 0;
	}

	if (root->dirfd < 0)
		return kj_fail(err, ENOENT, "%s: no such file", path);
	/* Never blocks: a FIFO or a device in its place is refused. */
	fd = kj_open_regular(root->dirfd, path, err);
	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0) {
		int e = errno;

		close(fd);
		return kj_fail(err, e, "%s: %s", path, strerror(e));
	}
	/* The size comes from the file, but it is read until EOF and capped,
	 * so a file that grows while we read cannot overflow the buffer. */
	if ((size_t)st.st_size > maxsize) {
		close(fd);
		return kj_fail(err, EFBIG, "%s: larger than %zu bytes", path,
			       maxsize);
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return kj_fail(err, ENOMEM, "%s: out of memory", path);
	}
	while (used < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + used, (size_t)st.st_size - used);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			free(buf);
			close(fd);
			return kj_fail(err, e, "%s: %s", path, strerror(e));
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	close(fd);
	buf[used] = '\0';
	*out = buf;
	if (len)
		*len = used;
	return 0;
}

const char *kj_root_err_reason(const struct kj_err *err, const char *path)
{
	size_t n = strlen(path);

	if (!strncmp(err->msg, path, n) && !strncmp(err->msg + n, ": ", 2))
		return err->msg + n + 2;
	return err->msg;
}

/* A directory of a memory root exists if some file lives below it. */
static bool mem_is_dir(const struct kj_root *root, const char *path)
{
	char *norm = kj_path_join("/", path);
	bool found = false;
	size_t plen;

	if (!norm)
		return false;
	plen = strlen(norm);
	for (size_t i = 0; i < root->n_mem && !found; i++) {
		const char *p = root->mem[i].path;

		found = strncmp(p, norm, plen) == 0 &&
			(p[plen] == '/' || plen == 1);
	}
	free(norm);
	return found;
}

int kj_root_stat(const struct kj_root *root, const char *path, mode_t *mode,
		 size_t *size)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	struct stat st;
	long fd;

	if (root->mem) {
		const struct kj_memfile *f = mem_find(root, path);

		if (!f && !mem_is_dir(root, path))
			return -ENOENT;
		if (mode)
			*mode = f ? S_IFREG : S_IFDIR;
		if (size)
			*size = f ? f->size : 0;
		return 0;
	}
	if (root->dirfd < 0)
		return -ENOENT;
	fd = syscall(SYS_openat2, root->dirfd, path, &how, sizeof(how));
	if (fd < 0)
		return -errno;
	if (fstat((int)fd, &st) < 0) {
		int e = errno;

		close((int)fd);
		return -e;
	}
	close((int)fd);
	if (mode)
		*mode = st.st_mode;
	if (size)
		*size = st.st_size > 0 ? (size_t)st.st_size : 0;
	return 0;
}

bool kj_root_exists(const struct kj_root *root, const char *path)
{
	return kj_root_stat(root, path, NULL, NULL) == 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int push_name(char ***names, size_t *n, const char *name)
{
	char **v = realloc(*names, (*n + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	*names = v;
	v[*n] = strdup(name);
	if (!v[*n])
		return -ENOMEM;
	(*n)++;
	return 0;
}

static int mem_list(const struct kj_root *root, const char *dir, size_t max,
		    char ***names, size_t *n)
{
	char *norm = kj_path_join("/", dir);
	size_t dlen;

	if (!norm)
		return -ENOMEM;
	dlen = strlen(norm);
	for (size_t i = 0; i < root->n_mem && *n < max; i++) {
		const char *p = root->mem[i].path;

		if (dlen > 1 && (strncmp(p, norm, dlen) != 0 || p[dlen] != '/'))
			continue;
		p += dlen > 1 ? dlen + 1 : 1;
		if (!*p || strchr(p, '/'))
			continue; /* only direct children that are files */
		if (push_name(names, n, p) < 0) {
			free(norm);
			return -ENOMEM;
		}
	}
	free(norm);
	return 0;
}

int kj_root_list(const struct kj_root *root, const char *dir, size_t max,
		 char ***names, size_t *n)
{
	struct open_how how = {
		.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	struct dirent *de;
	DIR *d;
	long fd;
	int r = 0;

	*names = NULL;
	*n = 0;
	if (root->mem)
		r = mem_list(root, dir, max, names, n);
	else {
		if (root->dirfd < 0)
			return -ENOENT;
		fd = syscall(SYS_openat2, root->dirfd, dir, &how, sizeof(how));
		if (fd < 0)
			return -errno;
		d = fdopendir((int)fd);
		if (!d) {
			close((int)fd);
			return -errno;
		}
		while (*n < max && (de = readdir(d))) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			r = push_name(names, n, de->d_name);
			if (r < 0)
				break;
		}
		closedir(d);
	}
	if (r < 0) {
		kj_root_names_free(*names, *n);
		*names = NULL;
		*n = 0;
		return r;
	}
	if (*n > 1) /* qsort(NULL, 0, ...) is undefined behaviour */
		qsort(*names, *n, sizeof(**names), cmp_names);
	return 0;
}

#define NOCASE_MAX_NAMES 4096 /* names looked at per directory */

static char *mem_find_nocase(const struct kj_root *root, const char *norm)
{
	const struct kj_memfile *f = mem_find(root, norm);

	if (f)
		return strdup(f->path);
	for (size_t i = 0; i < root->n_mem; i++)
		if (strcasecmp(root->mem[i].path, norm) == 0)
			return strdup(root->mem[i].path);
	return NULL;
}

char *kj_root_find_nocase(const struct kj_root *root, const char *path)
{
	char *norm = kj_path_join("/", path), *cur = NULL, *p, *sp;

	if (!norm)
		return NULL;
	if (root->mem) {
		cur = mem_find_nocase(root, norm);
		free(norm);
		return cur;
	}
	cur = strdup("/");
	for (p = strtok_r(norm, "/", &sp); p && cur;
	     p = strtok_r(NULL, "/", &sp)) {
		char *next = kj_path_join(cur, p), **names = NULL;
		size_t n = 0;

		if (next && !kj_root_exists(root, next)) {
			free(next);
			next = NULL;
			if (kj_root_list(root, cur, NOCASE_MAX_NAMES, &names,
					 &n) == 0)
				for (size_t i = 0; i < n && !next; i++)
					if (strcasecmp(names[i], p) == 0)
						next = kj_path_join(cur,
								    names[i]);
			kj_root_names_free(names, n);
		}
		free(cur);
		cur = next;
	}
	free(norm);
	if (cur && !kj_root_exists(root, cur)) {
		free(cur);
		cur = NULL;
	}
	return cur;
}

void kj_root_names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

char *kj_path_join(const char *base, const char *rel)
{
	size_t cap = strlen(base) + strlen(rel) + 3;
	char *out = malloc(cap);
	const char *parts[2] = { base, rel };
	size_t len = 0;

	if (!out)
		return NULL;
	out[0] = '\0';
	/* Walk both strings component by component, resolving . and .. on
	 * the output; an absolute rel restarts from the root. */
	for (int k = (rel[0] == '/') ? 1 : 0; k < 2; k++) {
		const char *p = parts[k];

		while (*p) {
			const char *start;
			size_t clen;

			while (*p == '/')
				p++;
			start = p;
			while (*p && *p != '/')
				p++;
			clen = (size_t)(p - start);
			if (clen == 0 || (clen == 1 && start[0] == '.'))
				continue;
			if (clen == 2 && start[0] == '.' && start[1] == '.') {
				while (len > 0 && out[len - 1] != '/')
					len--;
				if (len > 0)
					len--; /* drop the slash too */
				out[len] = '\0';
				continue;
			}
			out[len++] = '/';
			memcpy(out + len, start, clen);
			len += clen;
			out[len] = '\0';
		}
	}
	if (len == 0) {
		out[0] = '/';
		out[1] = '\0';
	}
	return out;
}

char *kj_path_dirname(const char *path)
{
	char *norm = kj_path_join("/", path);
	char *slash;

	if (!norm)
		return NULL;
	slash = strrchr(norm, '/');
	if (slash == norm)
		norm[1] = '\0';
	else if (slash)
		*slash = '\0';
	return norm;
}
