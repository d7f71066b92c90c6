/* `kjump inspect FILE`: what a file is and what its headers say, through
 * the loader table (each protocol reports its own fields). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "core/report.h"
#include "image/image.h"
#include "image/unpack.h"
#include "loaders/loader.h"

int kj_cmd_inspect(const struct kj_cli *cli, struct kj_err *err)
{
	const struct kj_loader *l;
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
	l = kj_loader_detect(u.data, u.size);
	if (!l) {
		kj_fail(err, ENOEXEC, "%s: unrecognised format (%zu bytes%s%s)",
			cli->file, u.size,
			u.compression ? " unpacked from " : "",
			u.compression ? u.compression : "");
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
	kj_report_str(&rep, "format", l->name);
	kj_report_str(&rep, "compression", u.compression);
	if (u.compression)
		kj_report_note(&rep, "%zu bytes unpacked", u.size);
	kj_report_uint(&rep, "size", u.size);
	if (l->inspect(u.data, u.size, cli->file, &rep, err) < 0)
		rc = 1;
	kj_report_end(&rep);
	fclose(mem);
	if (!rc && fwrite(text, 1, len, stdout) != len)
		rc = kj_fail(err, EIO, "%s: cannot print", cli->file) ? 1 : 1;
	free(text);
out:
	kj_unpacked_free(&u);
	kj_image_close(&img);
	return rc;
}
