#include "boot/blockwatch.h"

#include <dirent.h>

#include "sys/sysroot.h"

/* FNV-1a of one name. */
static uint64_t hash_name(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 0x100000001b3ull;
	}
	return h;
}

uint64_t kj_blockwatch_fingerprint(void)
{
	char dir[4096];
	struct dirent *de;
	uint64_t sum = 0, n = 0;
	DIR *d;

	if (kj_sys_path("/sys/class/block", dir, sizeof(dir)) < 0)
		return 0;
	d = opendir(dir);
	if (!d)
		return 0;
	/* A sum of per-name hashes does not depend on readdir's order. */
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		sum += hash_name(de->d_name);
		n++;
	}
	closedir(d);
	return (sum ^ (n * 0x9e3779b97f4a7c15ull)) | 1;
}
