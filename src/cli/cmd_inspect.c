/* `kjump inspect FILE`: what a file is and what its headers say, through
 * the loader table (each protocol reports its own fields); for a UKI or
 * an EFI zboot image, the wrapper first (its sections or its header),
 * then the kernel inside, as the load step unwraps it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "core/report.h"
#include "image/image.h"
#include "image/unpack.h"
#include "image/unwrap.h"
#include "loaders/loader.h"

static void wrapper_report(void *ctx, FILE *out, bool json)
{
	kj_unwrapped_report(ctx, out, json);
}

int kj_cmd_inspect(const struct kj_cli *cli, struct kj_err *err)
{
	const struct kj_unwrap_opts o = { .uki_profile = cli->req.uki_profile };
	const struct kj_loader *l;
	struct kj_unwrapped w = { 0 };
	struct kj_report rep;
	struct kj_image img;
	struct kj_unpacked u;
	char *text = NULL;
	size_t len = 0;
	FILE *mem;
	int rc = 0;

	if (kj_image_open(&img, cli->file, err) < 0)
		return 1;
	/* Look inside compressed files: a gzip'd Xen is still Multiboot. */
	if (kj_unpack(img.data, img.size, cli->file, true, 0, &u, err) < 0) {
		kj_image_close(&img);
		return 1;
	}
	if (kj_unwrap(u.data, u.size, cli->file, &o, &w, err) < 0) {
		rc = 1;
		goto out;
	}
	l = kj_loader_detect(w.kernel, w.kernel_len);
	if (!l) {
		kj_fail(err, ENOEXEC, "%s: unrecognised format (%zu bytes%s%s%s)",
			cli->file, w.kernel_len,
			u.compression ? " unpacked from " : "",
			u.compression ? u.compression : "",
			w.wrapper == KJ_WRAP_UKI     ? " inside a UKI"
			: w.wrapper == KJ_WRAP_ZBOOT ? " inside EFI zboot"
						     : "");
		rc = 1;
		goto out;
	}
	/* Into memory first: a header that fails half way prints nothing
	 * but its one-line error. */
	mem = open_memstream(&text, &len);
	if (!mem) {
		rc = kj_fail(err, errno, "out of memory") ? 1 : 1;
		goto out;
	}
	kj_report_begin(&rep, mem, cli->req.json);
	kj_report_str(&rep, "file", cli->file);
	kj_report_str(&rep, "compression", u.compression);
	if (u.compression)
		kj_report_note(&rep, "%zu bytes unpacked", u.size);
	if (w.wrapper != KJ_WRAP_NONE)
		kj_report_raw(&rep, wrapper_report, &w);
	kj_report_str(&rep, "format", l->name);
	kj_report_uint(&rep, "size", w.kernel_len);
	if (l->inspect(w.kernel, w.kernel_len, cli->file, &rep, err) < 0)
		rc = 1;
	kj_report_end(&rep);
	fclose(mem);
	if (!rc && fwrite(text, 1, len, stdout) != len)
		rc = kj_fail(err, EIO, "%s: cannot print", cli->file) ? 1 : 1;
	free(text);
out:
	kj_unwrapped_free(&w);
	kj_unpacked_free(&u);
	kj_image_close(&img);
	return rc;
}
