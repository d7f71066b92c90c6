/* Reading os-release text; see os_release.h. */
#include "image/os_release.h"

#include <string.h>

const char *kj_os_release_value(const char *osrel, const char *key, size_t *len)
{
	size_t klen = strlen(key);

	for (const char *l = osrel; l && *l;) {
		const char *nl = strchr(l, '\n');
		size_t n = nl ? (size_t)(nl - l) : strlen(l);

		if (n > klen && !strncmp(l, key, klen) && l[klen] == '=') {
			const char *v = l + klen + 1;
			size_t vlen = n - klen - 1;

			if (vlen >= 2 && (v[0] == '"' || v[0] == '\'') &&
			    v[vlen - 1] == v[0]) {
				v++;
				vlen -= 2;
			}
			*len = vlen;
			return v;
		}
		l = nl ? nl + 1 : NULL;
	}
	return NULL;
}
