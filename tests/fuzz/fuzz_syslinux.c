/* libFuzzer target for the SYSLINUX-family parser (src/boot/syslinux.c).
 *
 * The input is split on NUL bytes into up to four files of an in-memory
 * root, so the fuzzer reaches INCLUDE, CONFIG and the pxelinux family:
 *   /boot/syslinux/syslinux.cfg, /boot/syslinux/a.cfg,
 *   /pxelinux.cfg/default, /b.cfg */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "boot/syslinux.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = {
		"/boot/syslinux/syslinux.cfg",
		"/boot/syslinux/a.cfg",
		"/pxelinux.cfg/default",
		"/b.cfg",
	};
	struct kj_memfile files[4];
	struct kj_root root = { .name = "fuzz", .dirfd = -1, .mem = files };
	struct kj_entry_list list = { 0 };
	struct kj_warnings warn = { 0 };
	struct kj_syslinux_info info;
	const char *p = (const char *)data, *end = p + size;
	size_t n = 0;

	while (n < 4) {
		const char *nul = memchr(p, '\0', (size_t)(end - p));
		const char *stop = (n < 3 && nul) ? nul : end;

		files[n].path = paths[n];
		files[n].data = p;
		files[n].size = (size_t)(stop - p);
		n++;
		if (stop == end)
			break;
		p = stop + 1;
	}
	root.n_mem = n;
	kj_syslinux_scan_info(&root, &list, &warn, &info);
	/* every entry must be well formed */
	for (size_t i = 0; i < list.n; i++) {
		const struct kj_entry *e = &list.v[i];

		if (!e->id || !e->title || !e->cmdline || !e->config ||
		    (e->type != KJ_ENTRY_UNSUPPORTED &&
		     (!e->kernel || e->kernel[0] != '/')) ||
		    (e->type == KJ_ENTRY_UNSUPPORTED && !e->unsupported))
			__builtin_trap();
		for (size_t k = 0; k < e->n_initrd; k++)
			if (e->initrd[k][0] != '/')
				__builtin_trap();
	}
	kj_entry_list_free(&list);
	kj_warnings_free(&warn);
	return 0;
}
