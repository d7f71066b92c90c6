/* The boot data segment every Linux loader adds, in one place: the arch
 * knows what it holds, the loader where it may go. */
#include "loaders/loader.h"

int kj_loader_add_linux_boot(const struct kj_layout *l,
			     const struct kj_load_input *in,
			     const struct kj_linux_boot *b,
			     struct kj_place_req *pr, uint64_t *addr,
			     struct kj_err *err)
{
	uint8_t *buf;
	size_t len;
	int r;

	r = kj_arch_linux_boot_size(b, in->sys, &pr->size, err);
	if (r == 0)
		r = kj_layout_place(l, pr, addr, err);
	if (r == 0)
		r = kj_arch_linux_boot_build(b, in->sys, *addr, &buf, &len,
					     err);
	if (r == 0)
		r = kj_plan_add(l->plan, pr->what, buf, len, *addr, len, true,
				err);
	return r < 0 ? r : 0;
}
