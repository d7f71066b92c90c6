#include "loaders/elf.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#define FOUR_G (1ull << 32)

int kj_elf_kernel_parse(const uint8_t *data, size_t size, const char *name,
			enum kj_elf_args args, struct kj_elf_kernel *k,
			struct kj_err *err)
{
	const struct kj_elf_info *e = &k->elf;
	int r;

	memset(k, 0, sizeof(*k));
	r = kj_elf_parse(data, size, name, &k->elf, err);
	if (r < 0)
		return r;
	if (e->bits == 64 && e->machine != KJ_ELF_MACHINE_X86_64)
		return kj_fail(err, ENOEXEC,
			       "%s: ELF64 for machine %u, not x86_64", name,
			       e->machine);
	if (e->bits == 32 && e->machine != KJ_ELF_MACHINE_386)
		return kj_fail(err, ENOEXEC,
			       "%s: ELF32 for machine %u, not i386", name,
			       e->machine);
	k->long_mode = e->bits == 64;
	if (!k->long_mode) {
		if (args == KJ_ELF_ARGS_LINUX)
			return kj_fail(err, ENOTSUP,
				       "%s: --args-linux is for 64-bit ELF "
				       "kernels; a 32-bit one gets --args-none",
				       name);
		for (size_t i = 0; i < e->nchunk; i++)
			if (e->chunk[i].paddr + e->chunk[i].memsz > FOUR_G)
				return kj_fail(err, EINVAL,
					       "%s: 32-bit kernel segment at "
					       "0x%" PRIx64 " ends above 4 GiB",
					       name, e->chunk[i].paddr);
		if (e->entry >= FOUR_G)
			return kj_fail(err, EINVAL,
				       "%s: 32-bit entry point 0x%" PRIx64
				       " is above 4 GiB",
				       name, e->entry);
	}
	k->linux_args = k->long_mode && args != KJ_ELF_ARGS_NONE;
	return 0;
}
