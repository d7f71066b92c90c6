/* Where the unit tests' fixture trees live, and a helper to point the
 * sysroot layer at one of them. Tests run from the repository root. */
#ifndef KJ_TEST_FIXTURES_H
#define KJ_TEST_FIXTURES_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KJ_FIXTURES "tests/unit/fixtures"

static inline void kj_fx_sysroot(const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", KJ_FIXTURES, name);
	setenv("KJUMP_SYSROOT", path, 1);
}

/* A scratch sysroot for fixtures that are binary or built per test. */
static inline char *kj_fx_mkroot(void)
{
	char *dir = strdup("/tmp/kjump-test-XXXXXX");

	if (!dir || !mkdtemp(dir))
		abort();
	setenv("KJUMP_SYSROOT", dir, 1);
	return dir;
}

/* Write root/rel (creating directories), len bytes of data. */
static inline void kj_fx_write(const char *root, const char *rel,
				 const void *data, size_t len)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (char *s = path + strlen(root) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(path, 0755);
		*s = '/';
	}
	f = fopen(path, "w");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f))
		abort();
}

static inline void kj_fx_puts(const char *root, const char *rel,
				const char *text)
{
	kj_fx_write(root, rel, text, strlen(text));
}

static inline int kj_fx_rm_one(const char *p, const struct stat *st,
				 int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static inline void kj_fx_rmroot(char *root)
{
	nftw(root, kj_fx_rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(root);
}

#endif
