/* libFuzzer target for Boot Loader Spec Type #2 entries: the input is one
 * file, /EFI/Linux/fuzz.efi, on an in-memory root (the PE parser, the
 * UKI sections, os-release values, .cmdline trimming). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "boot/uki_entries.h"

static volatile size_t sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kj_memfile f = { "/EFI/Linux/fuzz.efi", (const char *)data,
				size };
	struct kj_root root;
	struct kj_entry_list out = { 0 };
	struct kj_warnings warn = { 0 };

	memset(&root, 0, sizeof(root));
	root.name = "esp";
	root.dirfd = -1;
	root.mem = &f;
	root.n_mem = 1;
	kj_uki_entries_scan(&root, &out, &warn);
	/* Every string is whole (ASan sees a read past its end). */
	for (size_t i = 0; i < out.n; i++)
		sink += strlen(out.v[i].title) + strlen(out.v[i].cmdline) +
			strlen(out.v[i].id);
	kj_entry_list_free(&out);
	kj_warnings_free(&warn);
	return 0;
}
