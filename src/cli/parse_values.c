/* Option values shared by both spellings: files, sizes, serial ports. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arch/arch.h"
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

int kj_cli_console_serial(struct kj_cli *cli, const char *text,
			  struct kj_err *err)
{
	/* arm64: an MMIO address or a tty name, which only the arch can
	 * resolve (against the next kernel's tree or /sys); on here. */
	if (kj_arch_this() == KJ_ARCH_ARM64) {
		cli->req.console_serial = 1;
		cli->req.console_uart = text && *text ? text : NULL;
		return 0;
	}
	return kj_cli_parse_serial(text, &cli->req.console_serial, err);
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
	size_t i = cli->req.n_modules, n = strcspn(spec, " \t");
	const char *args = spec + n;

	if (i >= KJ_MAX_REQ_MODULES)
		return kj_fail(err, E2BIG, "at most %d --module options",
			       KJ_MAX_REQ_MODULES);
	if (n == 0)
		return kj_fail(err, EINVAL, "--module '%s': no file name",
			       spec);
	if (n >= KJ_CLI_PATH_MAX)
		return kj_fail(err, ENAMETOOLONG,
			       "--module: file name too long");
	/* kexec-tools' form: the file is the first word, then its args. */
	memcpy(cli->module_path[i], spec, n);
	cli->module_path[i][n] = '\0';
	args += strspn(args, " \t");
	cli->req.modules[i].path = cli->module_path[i];
	cli->req.modules[i].args = args;
	cli->req.n_modules++;
	return 0;
}
