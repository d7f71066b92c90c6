/* Option values shared by both spellings: files, sizes, serial ports. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

int kj_cli_parse_size(const char *opt, const char *text,
		      unsigned long long *out, struct kj_err *err)
{
	unsigned long long v, mult = 1;
	char *end;

	errno = 0;
	v = strtoull(text, &end, 0);
	if (errno || end == text)
		return kj_fail(err, EINVAL, "%s: '%s' is not a number", opt,
			       text);
	switch (*end) {
	case 'K': case 'k': mult = 1ull << 10; end++; break;
	case 'M': case 'm': mult = 1ull << 20; end++; break;
	case 'G': case 'g': mult = 1ull << 30; end++; break;
	}
	if (*end || (v && v > ~0ull / mult))
		return kj_fail(err, EINVAL, "%s: '%s' is not a size", opt,
			       text);
	*out = v * mult;
	return 0;
}

int kj_cli_parse_serial(const char *text, uint16_t *port, struct kj_err *err)
{
	/* The legacy PC ports of ttyS0..ttyS3. */
	static const uint16_t com[] = { 0x3f8, 0x2f8, 0x3e8, 0x2e8 };
	unsigned long v;
	char *end;

	if (!text || !*text) {
		*port = com[0];
		return 0;
	}
	if (!strncmp(text, "ttyS", 4) && text[4] >= '0' && text[4] <= '3' &&
	    !text[5]) {
		*port = com[text[4] - '0'];
		return 0;
	}
	errno = 0;
	v = strtoul(text, &end, 0);
	if (errno || *end || v == 0 || v > 0xffff)
		return kj_fail(err, EINVAL,
			       "--console-serial: '%s' is not an I/O port "
			       "(0x3f8) or ttyS0..ttyS3",
			       text);
	*port = (uint16_t)v;
	return 0;
}

int kj_cli_add_initrd(struct kj_cli *cli, const char *path,
		      struct kj_err *err)
{
	if (cli->req.n_initrds >= KJ_MAX_REQ_INITRDS)
		return kj_fail(err, E2BIG, "at most %d --initrd files",
			       KJ_MAX_REQ_INITRDS);
	cli->req.initrds[cli->req.n_initrds++] = path;
	return 0;
}

int kj_cli_add_module(struct kj_cli *cli, const char *spec,
		      struct kj_err *err)
{
	struct kj_request_module *m;

	if (cli->req.n_modules >= KJ_MAX_REQ_MODULES)
		return kj_fail(err, E2BIG, "at most %d --module options",
			       KJ_MAX_REQ_MODULES);
	/* The loader takes the path from the spec's first word. */
	m = &cli->req.modules[cli->req.n_modules++];
	m->cmdline = spec;
	m->path = spec;
	return 0;
}

int kj_cli_set_checks(struct kj_cli *cli, const char *alg, struct kj_err *err)
{
	static const struct {
		const char *name;
		enum kj_checks checks;
	} algs[] = {
		{ "xxh64", KJ_CHECKS_XXH64 },
		{ "sha256", KJ_CHECKS_SHA256 },
		{ "none", KJ_CHECKS_NONE },
	};
	enum kj_checks want = KJ_CHECKS_NONE;
	size_t i;

	if (alg) {
		for (i = 0; i < sizeof(algs) / sizeof(algs[0]); i++)
			if (!strcmp(alg, algs[i].name))
				break;
		if (i == sizeof(algs) / sizeof(algs[0]))
			return kj_fail(err, EINVAL,
				       "--checks takes xxh64, sha256 or none, "
				       "not '%s'",
				       alg);
		want = algs[i].checks;
	}
	if (cli->req.checks != KJ_CHECKS_DEFAULT && cli->req.checks != want)
		return kj_fail(err, EINVAL,
			       "--checks / --no-checks (-i) given twice with "
			       "different choices; give one");
	cli->req.checks = want;
	return 0;
}
