/* libFuzzer target for Boot Loader Spec entries.
 *
 * The input is split on 0xff bytes into /loader/entries/a-1.0.conf,
 * /boot/loader/entries/b-2.0.conf, /loader/loader.conf and
 * /boot/grub2/grubenv (read because no variables are passed); the first
 * two parts are also compared as versions. A fifth part is the name of a
 * third entry, /loader/entries/NAME.conf with the first part's text, so
 * that boot-counting suffixes ("+3-1") are fuzzed too. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "boot/bls.h"

#define SEP 0xff

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = {
		"/loader/entries/a-1.0.conf",
		"/boot/loader/entries/b-2.0.conf",
		"/loader/loader.conf",
		"/boot/grub2/grubenv",
	};
	struct kj_memfile f[5];
	struct kj_root root;
	struct kj_entry_list out = { 0 };
	struct kj_warnings warn = { 0 };
	size_t n = 0, start = 0, defaults = 0;
	char name[128];

	for (size_t i = 0; i <= size && n < 5; i++) {
		if (i < size && data[i] != SEP)
			continue;
		if (n < 4) {
			f[n].path = paths[n];
			f[n].data = (const char *)data + start;
			f[n].size = i - start;
		} else {
			size_t len = i - start < 64 ? i - start : 64;

			memcpy(name, "/loader/entries/", 16);
			memcpy(name + 16, data + start, len);
			memcpy(name + 16 + len, ".conf", 6);
			/* one path component, no NUL inside */
			if (memchr(name + 16, '/', len) ||
			    strlen(name) != 16 + len + 5)
				break;
			f[n] = f[0];
			f[n].path = name;
		}
		n++;
		start = i + 1;
	}
	memset(&root, 0, sizeof(root));
	root.name = "esp";
	root.dirfd = -1;
	root.mem = f;
	root.n_mem = n;
	kj_bls_scan(&root, NULL, &out, &warn);
	for (size_t i = 0; i < out.n; i++) {
		(void)strlen(out.v[i].cmdline);
		/* an id never keeps a counter the entry was sorted by */
		defaults += out.v[i].is_default;
	}
	if (out.n && defaults != 1)
		abort();
	kj_entry_list_free(&out);
	kj_warnings_free(&warn);

	if (n >= 2) {
		char *a = strndup(f[0].data, f[0].size);
		char *b = strndup(f[1].data, f[1].size);

		if (a && b) {
			int x = kj_bls_version_cmp(a, b);
			int y = kj_bls_version_cmp(b, a);

			/* The order must be antisymmetric. */
			if ((x < 0 && y <= 0) || (x > 0 && y >= 0) ||
			    (x == 0 && y != 0))
				abort();
		}
		free(a);
		free(b);
	}
	return 0;
}
