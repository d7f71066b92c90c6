/* Common includes and helpers for the cmocka unit tests. */
#ifndef KJ_TESTLIB_H
#define KJ_TESTLIB_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A 32-byte digest as 64 lowercase hex digits, for comparing with
 * answers written as text. */
static inline void kj_test_hex32(const uint8_t d[32], char out[65])
{
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* Create a fresh fixture directory (for KJUMP_SYSROOT and friends). */
static inline char *kj_test_tmpdir(void)
{
	char *dir = strdup("/tmp/kjump-test.XXXXXX");

	if (!mkdtemp(dir))
		fail_msg("mkdtemp failed");
	return dir;
}

/* Write root/rel (creating parent directories) with the given text. */
static inline void kj_test_write(const char *root, const char *rel,
				 const char *text)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (char *p = path + strlen(root) + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
	f = fopen(path, "w");
	if (!f)
		fail_msg("cannot write %s", path);
	fputs(text, f);
	fclose(f);
}

static inline void kj_test_rmtree(const char *dir)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fail_msg("cannot remove %s", dir);
}

#endif
