/* Test-only host tool: unwrap a kernel file (UKI, EFI zboot) the way the
 * load step will, print kj_unwrapped_report() and optionally write the
 * kernel, initrd and dtb found inside, so the pytest suite can compare
 * them with the parts it built the image from.
 *
 *   kj-unwrap FILE [--json] [--profile N] [--kernel-out F]
 *             [--initrd-out F] [--dtb-out F]
 *
 * Exit 0 on success, 1 with "kj-unwrap: <message>" on stderr. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/image.h"
#include "image/unwrap.h"

static int dump(const char *path, const uint8_t *p, size_t n)
{
	FILE *f;

	if (!path)
		return 0;
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f)) {
		fprintf(stderr, "kj-unwrap: cannot write %s\n", path);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *file = NULL, *kout = NULL, *iout = NULL, *dout = NULL;
	struct kj_unwrap_opts o = { 0 };
	struct kj_unwrapped u;
	struct kj_err err = { 0 };
	struct kj_image img;
	int json = 0, rc;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = 1;
		else if (!strcmp(argv[i], "--profile") && i + 1 < argc)
			o.uki_profile = (unsigned int)atoi(argv[++i]);
		else if (!strcmp(argv[i], "--kernel-out") && i + 1 < argc)
			kout = argv[++i];
		else if (!strcmp(argv[i], "--initrd-out") && i + 1 < argc)
			iout = argv[++i];
		else if (!strcmp(argv[i], "--dtb-out") && i + 1 < argc)
			dout = argv[++i];
		else if (!file)
			file = argv[i];
		else {
			fprintf(stderr, "kj-unwrap: unexpected %s\n", argv[i]);
			return 2;
		}
	}
	if (!file) {
		fprintf(stderr, "usage: kj-unwrap FILE [--json] [--profile N] "
				"[--kernel-out F] [--initrd-out F] "
				"[--dtb-out F]\n");
		return 2;
	}
	if (kj_image_open(&img, file, &err) ||
	    kj_unwrap(img.data, img.size, file, &o, &u, &err)) {
		fprintf(stderr, "kj-unwrap: %s\n", err.msg);
		return 1;
	}
	if (json)
		putchar('{');
	kj_unwrapped_report(&u, stdout, json);
	if (json)
		puts("}");
	rc = dump(kout, u.kernel, u.kernel_len) |
	     dump(iout, u.initrd, u.initrd_len) | dump(dout, u.dtb, u.dtb_len);
	kj_unwrapped_free(&u);
	kj_image_close(&img);
	return rc;
}
