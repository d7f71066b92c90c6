#include "arch/x86_64/linux_load.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>

#include "arch/x86_64/linux_plan.h"
#include "arch/x86_64/purgatory.h"
#include "arch/x86_64/plan_finish.h"
#include "image/image.h"

int kj_x86_kexec_load_bzimage(const struct kj_load_request *req,
			      const uint8_t *image, size_t image_len,
			      const struct kj_bzimage *bz, int initrd_fd,
			      const char *cmdline, FILE *out,
			      struct kj_err *err)
{
	struct kj_load_request r = *req;
	struct kj_memmap *mm = calloc(1, sizeof(*mm));
	struct kj_x86_sysinfo si;
	struct kj_x86_linux_in in = { 0 };
	struct kj_plan plan;
	uint8_t seed[32];
	int rc;

	kj_plan_init(&plan);
	memset(&si, 0, sizeof(si));
	if (!mm)
		return kj_fail(err, ENOMEM, "memory map: out of memory");
	r.cmdline = cmdline ? cmdline : "";
	rc = kj_memmap_read(mm, err);
	if (rc == 0)
		rc = kj_x86_sysinfo_read(&si, err);
	if (rc == 0)
		rc = kj_map_fd(initrd_fd, "initrd", &in.initrd,
			       &in.initrd_len, err);
	if (rc < 0)
		goto out;
	if (req->verbose) {
		fprintf(stderr, "kjump: memory map from %s, %zu entries\n",
			mm->source, mm->n);
		if (si.note[0])
			fprintf(stderr, "kjump: %s\n", si.note);
	}

	in.req = &r;
	in.image = image;
	in.image_len = image_len;
	in.bz = bz;
	in.purgatory = kj_purgatory_x86_64_image(&in.purgatory_len);
	in.mm = mm;
	in.sys = &si;
	/* Early entropy for the next kernel, as kexec_file_load gives; an
	 * unready pool means no seed rather than a weak one. */
	if (getrandom(seed, sizeof(seed), GRND_NONBLOCK) == sizeof(seed)) {
		in.rng_seed = seed;
		in.rng_seed_len = sizeof(seed);
	}
	rc = kj_x86_linux_plan(&in, &plan, err);
	if (rc < 0)
		goto out;
	rc = kj_x86_finish_plan(req, &plan, out, err);
out:
	kj_plan_free(&plan);
	kj_x86_sysinfo_free(&si);
	kj_unmap(in.initrd, in.initrd_len);
	free(mm);
	return rc;
}
