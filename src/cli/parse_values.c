/* Option values shared by both spellings: files, sizes, serial ports. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "arch/arch.h"
#include "cli/cli.h"
#include "cli/options.h"

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

int kj_cli_parse_serial(const char *opt, const char *text, uint16_t *port,
			struct kj_err *err)
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
			       "%s=%s: not an I/O port (0x3f8) or "
			       "ttyS0..ttyS3",
			       opt, text);
	*port = (uint16_t)v;
	return 0;
}

void kj_cli_reset(struct kj_cli *cli)
{
	memset(cli, 0, offsetof(struct kj_cli, module_path));
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

/* kexec-tools' rule: 9600 to 115200, and a divisor of 115200 (the UART's
 * clock divides down to it exactly). */
static int parse_baud(const char *text, uint32_t *baud, struct kj_err *err)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(text, &end, 0);
	if (errno || end == text || *end || v < 9600 || v > 115200 ||
	    115200 % v)
		return kj_fail(err, EINVAL,
			       "--serial-baud: '%s' is not 9600 to 115200 and "
			       "a divisor of 115200",
			       text);
	*baud = (uint32_t)v;
	return 0;
}

static int parse_addr(const char *opt, const char *text, uint64_t *out,
		      struct kj_err *err)
{
	unsigned long long v;
	int r = kj_cli_parse_size(opt, text, &v, err);

	*out = v;
	return r;
}

/* --checks=ALG, or alg NULL for -i/--no-checks. Two different choices on
 * one command line are an error, as with kexec-tools' clashing actions. */
static int set_checks(struct kj_cli *cli, const char *alg, struct kj_err *err)
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

int kj_cli_apply_option(struct kj_cli *cli, const struct kj_opt *o,
			const char *arg, struct kj_err *err)
{
	struct kj_load_request *req = &cli->req;
	int r = 0;

	if (o->refused)
		return kj_fail(err, ENOTSUP, "--%s is not supported: %s",
			       o->name, o->refused);
	if (!kj_opt_for_this_arch(o))
		return kj_fail(err, ENOTSUP,
			       "--%s is for %s kernels; this kjump loads %s "
			       "kernels",
			       o->name, o->arch & KJ_FOR_X86 ? "x86" : "arm64",
			       kj_arch_name(kj_arch_this()));
	switch (o->id) {
	case KJ_O_INITRD:
	case KJ_O_RAMDISK:
		r = kj_cli_add_initrd(cli, arg, err);
		break;
	case KJ_O_APPEND:
	case KJ_O_KEXEC_CMDLINE:
		cli->append = arg;
		break;
	case KJ_O_COMMAND_LINE:
		cli->append = arg;
		cli->replace_cmdline = true;
		break;
	case KJ_O_REUSE_CMDLINE:
		cli->reuse_cmdline = true;
		break;
	case KJ_O_REUSEINITRD:
	case KJ_O_REUSE_INITRD:
		req->reuse_initrd = true;
		break;
	case KJ_O_MODULE:
		r = kj_cli_add_module(cli, arg, err);
		break;
	case KJ_O_DTB:
		req->dtb = arg;
		break;
	case KJ_O_FORCE_DTB:
		req->force_dtb = true;
		break;
	case KJ_O_NO_CMA:
		req->no_cma = true;
		break;
	case KJ_O_HOTPLUG:
		req->hotplug = true;
		break;
	case KJ_O_NOEFI:
		req->noefi = true;
		break;
	case KJ_O_PASS_MEMMAP_CMDLINE:
		req->pass_memmap_cmdline = true;
		break;
	case KJ_O_ENTRY_32BIT:
		req->entry_32bit = true;
		break;
	case KJ_O_REAL_MODE:
		req->real_mode = true;
		break;
	case KJ_O_UKI_PROFILE:
		r = kj_cli_parse_uki_profile(arg, &req->uki_profile, err);
		break;
	case KJ_O_ELF32_CORE:
	case KJ_O_ELF64_CORE:
		req->elf32_core = o->id == KJ_O_ELF32_CORE;
		break;
	case KJ_O_REUSE_VIDEO_TYPE:
		break; /* what kjump always does (see its help) */
	case KJ_O_CONSOLE_VGA:
		req->console_vga = true;
		break;
	case KJ_O_RESET_VGA:
		req->reset_vga = true;
		break;
	case KJ_O_PRESERVE_CONTEXT:
		req->preserve_context = true;
		break;
	case KJ_O_NO_DECOMPRESS:
		req->no_decompress = true;
		break;
	case KJ_O_ARGS_LINUX:
		req->elf_args = KJ_ELF_ARGS_LINUX;
		break;
	case KJ_O_ARGS_NONE:
		req->elf_args = KJ_ELF_ARGS_NONE;
		break;
	case KJ_O_MEM_MIN:
		r = parse_addr("--mem-min", arg, &req->mem_min, err);
		break;
	case KJ_O_MEM_MAX:
		r = parse_addr("--mem-max", arg, &req->mem_max, err);
		break;
	case KJ_O_TYPE:
		req->type = arg;
		break;
	case KJ_O_DRY_RUN:
		req->dry_run = true;
		break;
	case KJ_O_JSON:
		req->json = true;
		break;
	case KJ_O_NO_CHECKS:
		r = set_checks(cli, NULL, err);
		break;
	case KJ_O_CHECKS:
		r = set_checks(cli, arg, err);
		break;
	case KJ_O_SERIAL_BAUD:
		r = parse_baud(arg, &req->serial_baud, err);
		break;
	case KJ_O_SERIAL:
		/* x86: the port --console-serial uses. arm64 (kexec-tools'
		 * meaning): the purgatory prints on that console. */
		if (kj_arch_this() == KJ_ARCH_ARM64) {
			cli->console_serial_on = true;
			req->console_uart = arg;
		} else {
			r = kj_cli_parse_serial("--serial", arg,
						&cli->serial_port, err);
		}
		break;
	case KJ_O_CONSOLE_SERIAL:
		/* arm64: an MMIO address or a tty name, which only the arch
		 * can resolve (against the next kernel's tree or /sys). */
		cli->console_serial_on = true;
		if (arg && *arg && kj_arch_this() == KJ_ARCH_ARM64)
			req->console_uart = arg;
		else if (arg && *arg)
			r = kj_cli_parse_serial("--console-serial", arg,
						&cli->serial_port, err);
		break;
	default:
		return 0;
	}
	return r < 0 ? r : 1;
}

int kj_cli_finish_options(struct kj_cli *cli, struct kj_err *err)
{
	struct kj_load_request *req = &cli->req;

	if (cli->console_serial_on && kj_arch_this() == KJ_ARCH_ARM64)
		req->console_serial = 1; /* on; the UART is console_uart */
	else if (cli->console_serial_on)
		req->console_serial = cli->serial_port ? cli->serial_port
						       : 0x3f8;
	if (req->reuse_initrd && req->n_initrds)
		return kj_fail(err, EINVAL,
			       "--reuseinitrd gives the kernel the running "
			       "one's initrd; it takes no --initrd");
	if (cli->replace_cmdline && cli->reuse_cmdline)
		return kj_fail(err, EINVAL,
			       "load: --command-line replaces the whole line; "
			       "use --append with --reuse-cmdline");
	return 0;
}

int kj_cli_parse_uki_profile(const char *text, unsigned int *profile,
			     struct kj_err *err)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(text, &end, 10);
	if (errno || end == text || *end || *text == '-' || v > 255)
		return kj_fail(err, EINVAL,
			       "--uki-profile takes a profile number (0 to "
			       "255), not '%s'",
			       text);
	*profile = (unsigned int)v;
	return 0;
}
