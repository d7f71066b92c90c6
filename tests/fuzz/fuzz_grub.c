/* libFuzzer target for the grub.cfg evaluator.
 *
 * The input is split on 0xff bytes into up to four files: root 0 gets
 * /boot/grub/grub.cfg, /boot/grub/grubenv and /boot/grub/sourced.cfg, and
 * root 1 (UUID 1234-5678, label DATA) gets /loader/entries/fuzz.conf
 * beside a /boot/vmlinuz, so search, load_env, source/configfile and
 * blscfg all have something to find. Every entry must carry a root and
 * exactly one must be the default. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "boot/grub.h"

#define SEP 0xff

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = {
		"/boot/grub/grub.cfg",
		"/boot/grub/grubenv",
		"/boot/grub/sourced.cfg",
		"/loader/entries/fuzz.conf",
	};
	struct kj_memfile f0[3], f1[2];
	struct kj_root roots[2];
	struct kj_rootset set = { roots, 2 };
	struct kj_entry_list out = { 0 };
	struct kj_warnings warn = { 0 };
	struct kj_grub_info info;
	size_t n0 = 0, n1 = 0, part = 0, start = 0;

	for (size_t i = 0; i <= size && part < 4; i++) {
		struct kj_memfile m;

		if (i < size && data[i] != SEP)
			continue;
		m.path = paths[part];
		m.data = (const char *)data + start;
		m.size = i - start;
		if (part < 3)
			f0[n0++] = m;
		else
			f1[n1++] = m;
		part++;
		start = i + 1;
	}
	f1[n1++] = (struct kj_memfile){ "/boot/vmlinuz", "k", 1 };

	memset(roots, 0, sizeof(roots));
	roots[0] = (struct kj_root){ .name = "disk0",
				     .dirfd = -1,
				     .mem = f0,
				     .n_mem = n0,
				     .fs_uuid = (char *)"ABCD-EF01" };
	roots[1] = (struct kj_root){ .name = "disk1",
				     .dirfd = -1,
				     .mem = f1,
				     .n_mem = n1,
				     .fs_uuid = (char *)"1234-5678",
				     .fs_label = (char *)"DATA" };
	kj_grub_scan_config(&set, 0, NULL, &out, &info, &warn);
	/* Touch every string, so a dangling pointer shows up here. Every
	 * entry names its root; exactly one is the default (a configfile
	 * that replaced the menu must not lose or double it). */
	for (size_t i = 0, defaults = 0; i < out.n; i++) {
		const struct kj_entry *e = &out.v[i];
		size_t len =
			strlen(e->cmdline) + strlen(e->title) + strlen(e->id);

		defaults += e->is_default;
		if (!e->root_name || (i == out.n - 1 && defaults != 1))
			__builtin_trap();
		for (size_t k = 0; k < e->n_initrd; k++)
			len += strlen(e->initrd[k]);
		for (size_t k = 0; k < e->n_modules; k++)
			len += strlen(e->modules[k].path) +
			       strlen(e->modules[k].cmdline);
		if (e->kernel)
			len += strlen(e->kernel);
		(void)len;
	}
	kj_grub_info_free(&info);
	kj_entry_list_free(&out);
	kj_warnings_free(&warn);
	return 0;
}
