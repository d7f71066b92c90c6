#include "boot/entry_request.h"

#include <errno.h>

int kj_entry_request(const struct kj_entry *e, int root_dirfd,
		     const char *cmdline, const struct kj_load_request *base,
		     struct kj_load_request *req, struct kj_err *err)
{
	if (e->type == KJ_ENTRY_UNSUPPORTED)
		return kj_fail(err, ENOEXEC,
			       "%s:%u: entry '%s' cannot be booted: %s",
			       e->config, e->config_line, e->title,
			       e->unsupported ? e->unsupported : "unsupported");
	if (e->n_initrd > KJ_MAX_REQ_INITRDS || e->n_modules > KJ_MAX_REQ_MODULES)
		return kj_fail(err, E2BIG,
			       "%s:%u: entry '%s' has more than %d initrds or "
			       "modules",
			       e->config, e->config_line, e->title,
			       KJ_MAX_REQ_MODULES);
	if (root_dirfd < 0)
		return kj_fail(err, ENOENT,
			       "entry '%s': its filesystem is not open",
			       e->title);
	*req = *base;
	req->kernel = e->kernel;
	req->in_root = true;
	req->root_dirfd = root_dirfd;
	req->cmdline = cmdline;
	req->type = NULL;
	req->type_hint = e->type == KJ_ENTRY_MULTIBOOT    ? "multiboot"
			 : e->type == KJ_ENTRY_MULTIBOOT2 ? "multiboot2"
							  : NULL;
	req->dtb = e->devicetree;
	req->n_initrds = e->n_initrd;
	for (size_t i = 0; i < e->n_initrd; i++)
		req->initrds[i] = e->initrd[i];
	req->n_modules = e->n_modules;
	for (size_t i = 0; i < e->n_modules; i++) {
		req->modules[i].path = e->modules[i].path;
		req->modules[i].args = e->modules[i].cmdline;
	}
	return 0;
}
