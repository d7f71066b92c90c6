/* `kjump list` run in-process with its output captured, for the tests of
 * what it prints. */
#ifndef KJ_LIST_TESTLIB_H
#define KJ_LIST_TESTLIB_H

#include <fcntl.h>
#include <stdbool.h>

#include "cli/cli.h"

/* Run `kjump list ROOT [--json]` in-process; *out and *err get what it
 * wrote to stdout and stderr (malloc'd). */
static inline void kj_test_run_list(const char *root, bool json, char **out,
				    char **err)
{
	char *dir = kj_test_tmpdir(), op[PATH_MAX], ep[PATH_MAX];
	struct kj_err e = { 0 };
	struct kj_cli cli;
	int o = dup(1), r = dup(2), fo, fe;
	FILE *f;
	long n;

	memset(&cli, 0, sizeof(cli));
	cli.action = KJ_ACT_LIST;
	cli.roots[0] = root;
	cli.n_roots = 1;
	cli.req.json = json;
	snprintf(op, sizeof(op), "%s/out", dir);
	snprintf(ep, sizeof(ep), "%s/err", dir);
	fo = open(op, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	fe = open(ep, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fo >= 0 && fe >= 0);
	fflush(stdout);
	fflush(stderr);
	dup2(fo, 1);
	dup2(fe, 2);
	assert_int_equal(kj_cmd_list(&cli, &e), 0);
	fflush(stdout);
	fflush(stderr);
	dup2(o, 1);
	dup2(r, 2);
	close(o);
	close(r);
	close(fo);
	close(fe);
	for (int i = 0; i < 2; i++) {
		char **dst = i ? err : out;

		f = fopen(i ? ep : op, "r");
		assert_non_null(f);
		fseek(f, 0, SEEK_END);
		n = ftell(f);
		rewind(f);
		*dst = calloc(1, (size_t)n + 1);
		assert_int_equal(fread(*dst, 1, (size_t)n, f), (size_t)n);
		fclose(f);
	}
	kj_test_rmtree(dir);
	free(dir);
}

#endif
