/* kjump: load a kernel from a running Linux and jump into it.
 * Invoked as `kexec`, it speaks kexec-tools' options. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/safe_text.h"

static int run(struct kj_cli *cli, struct kj_err *err)
{
	int rc;

	switch (cli->action) {
	case KJ_ACT_LOAD:
		return kj_cmd_load(cli, err);
	case KJ_ACT_LOAD_SHUTDOWN:
	case KJ_ACT_LOAD_EXEC:
		rc = kj_cmd_load(cli, err);
		return rc ? rc : kj_cmd_shutdown(cli, err);
	case KJ_ACT_EXEC:
		return kj_cmd_exec(cli, err);
	case KJ_ACT_JUMP_BACK:
		return kj_cmd_jump_back_helper(cli, err);
	case KJ_ACT_PRINT_CKR_SIZE:
		return kj_cmd_print_ckr_size(cli, err);
	case KJ_ACT_UNLOAD:
		return kj_cmd_unload(cli, err);
	case KJ_ACT_STATUS:
		return kj_cmd_status(cli, err);
	case KJ_ACT_INSPECT:
		return kj_cmd_inspect(cli, err);
	case KJ_ACT_LIST:
		return kj_cmd_list(cli, err);
	case KJ_ACT_BOOT:
		return kj_cmd_boot(cli, err);
	case KJ_ACT_MENU:
		return kj_cmd_menu(cli, err);
	case KJ_ACT_VERSION:
		if (cli->kexec_mode)
			kj_cli_kexec_version();
		else
			printf("kjump %s\n", KJ_VERSION);
		return 0;
	case KJ_ACT_HELP:
		if (kj_cli_usage(cli->help_topic, cli->kexec_mode))
			return 0;
		kj_fail(err, 22, "help: no command '%s'", cli->help_topic);
		return 1;
	case KJ_ACT_NONE:
		break;
	}
	return 1;
}

/* An error may name a file or an entry from a disk: escaped. */
static void print_error(const struct kj_err *err)
{
	fputs("kjump: ", stderr);
	kj_safe_fputs(stderr, err->msg);
	fputc('\n', stderr);
}

int main(int argc, char **argv)
{
	const char *base = strrchr(argv[0], '/');
	struct kj_err err = { 0 };
	struct kj_cli cli;
	char **orig;
	int rc;

	base = base ? base + 1 : argv[0];
	/* getopt permutes argv; the crash load record keeps the order the
	 * user typed. */
	orig = malloc(((size_t)argc + 1) * sizeof(*orig));
	if (orig)
		memcpy(orig, argv, ((size_t)argc + 1) * sizeof(*orig));
	if (!strcmp(base, "kexec"))
		rc = kj_cli_parse_kexec(argc, argv, &cli, &err);
	else
		rc = kj_cli_parse_kjump(argc, argv, &cli, &err);
	if (rc < 0) {
		print_error(&err);
		free(orig);
		/* kexec-tools exits 1 on a usage error */
		return !strcmp(base, "kexec") ? 1 : 2;
	}
	cli.argc = orig ? argc : 0;
	cli.argv = orig;
	rc = run(&cli, &err);
	if (rc && err.msg[0])
		print_error(&err);
	free(orig);
	return rc;
}
