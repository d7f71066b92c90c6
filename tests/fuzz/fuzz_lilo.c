/* libFuzzer target for the LILO parser (src/boot/lilo.c): the input is
 * /etc/lilo.conf of an in-memory root. */
#include <stddef.h>
#include <stdint.h>

#include "boot/lilo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kj_memfile file = { "/etc/lilo.conf", (const char *)data,
				   size };
	struct kj_root root = { .name = "fuzz", .dirfd = -1, .mem = &file,
				.n_mem = 1 };
	struct kj_entry_list list = { 0 };
	struct kj_warnings warn = { 0 };
	struct kj_lilo_info info;

	kj_lilo_scan_info(&root, &list, &warn, &info);
	for (size_t i = 0; i < list.n; i++) {
		const struct kj_entry *e = &list.v[i];

		if (!e->id || !e->cmdline ||
		    (e->type == KJ_ENTRY_LINUX &&
		     (!e->kernel || e->kernel[0] != '/')))
			__builtin_trap();
	}
	kj_entry_list_free(&list);
	kj_warnings_free(&warn);
	return 0;
}
