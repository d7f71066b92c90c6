#include "arch/x86_64/linux_load.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>

#include "arch/x86_64/linux_plan.h"
#include "arch/x86_64/purgatory.h"
#include "arch/x86_64/plan_finish.h"

struct mapped {
	void *data;
	size_t len;
};

static int map_initrd(int fd, struct mapped *m, struct kj_err *err)
{
	struct stat st;

	m->data = NULL;
	m->len = 0;
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) < 0)
		return kj_fail(err, errno, "initrd: %s", strerror(errno));
	if (st.st_size == 0)
		return 0;
	m->data = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (m->data == MAP_FAILED) {
		m->data = NULL;
		return kj_fail(err, errno, "initrd: %s", strerror(errno));
	}
	m->len = (size_t)st.st_size;
	return 0;
}

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
	struct mapped initrd = { 0 };
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
		rc = map_initrd(initrd_fd, &initrd, err);
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
	in.initrd = initrd.data;
	in.initrd_len = initrd.len;
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
	if (initrd.data)
		munmap(initrd.data, initrd.len);
	free(mm);
	return rc;
}
