/* Help texts: `kjump help [CMD]`, `kjump CMD --help`, `kexec --help`,
 * all printed from the option table (cli/options.c). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "loaders/loader.h"

#define WIDTH 79
#define TEXT_COL 26

/* Print text from column `col` (the cursor is at `at`), wrapped at WIDTH
 * with following lines indented to col. */
static void wrap(const char *text, int at, int col)
{
	const char *p = text;

	if (at > 0 && at > col - 2) {
		putchar('\n');
		at = 0;
	}
	printf("%*s", col - at, "");
	at = col;
	while (*p) {
		size_t n = strcspn(p, " ");

		if (at > col && at + 1 + (int)n > WIDTH) {
			printf("\n%*s", col, "");
			at = col;
		} else if (at > col) {
			putchar(' ');
			at++;
		}
		printf("%.*s", (int)n, p);
		at += (int)n;
		p += n;
		while (*p == ' ')
			p++;
	}
	putchar('\n');
}

/* "  -l, --load" or "      --mem-min=ADDR" */
static int print_name(const struct kj_opt *o, bool kexec)
{
	int n;

	if (kexec && o->letter)
		n = printf("  -%c, --%s", o->letter, o->name);
	else
		n = printf("  %s--%s", kexec ? "    " : "", o->name);
	if (o->arg)
		n += printf(o->has_arg == optional_argument ? "[=%s]" : "%s%s",
			    o->has_arg == optional_argument ? o->arg
			    : kexec			    ? "="
							    : " ",
			    o->arg);
	return n;
}

static void print_options(unsigned in, bool kexec)
{
	for (const struct kj_opt *o = kj_opts; o->name; o++) {
		if (!(o->in & in) || !kj_opt_for_this_arch(o))
			continue;
		wrap(o->help, print_name(o, kexec), TEXT_COL);
		if (o->refused) {
			char why[512];

			snprintf(why, sizeof(why), "Refused: %s.", o->refused);
			wrap(why, 0, TEXT_COL);
		}
	}
}

/* The image types, from the loader table: kjump's name, what it is, and
 * every other --type spelling it answers to (kexec-tools' among them);
 * then the types kexec-tools knows that kjump refuses. */
static void print_types(void)
{
	puts("\nImage types (detected in this order):");
	for (size_t i = 0; kj_loaders[i]; i++) {
		const struct kj_loader *l = kj_loaders[i];

		printf("  %-12s %s\n", l->types[0], l->summary);
		for (size_t t = 1; l->types[t]; t++)
			printf("%s%s", t == 1 ? "               also: " : ", ",
			       l->types[t]);
		if (l->types[1])
			putchar('\n');
	}
	puts("Refused --type names (kexec-tools knows them):");
	for (size_t i = 0; kj_unsupported_types[i].name; i++) {
		printf("  %-14s", kj_unsupported_types[i].name);
		wrap(kj_unsupported_types[i].reason, 16, 18);
	}
}

static void print_command(const struct kj_cmd_doc *c)
{
	printf("usage: kjump %s%s%s [options]\n", c->name, *c->args ? " " : "",
	       c->args);
	wrap(c->text, 0, 0);
	if (c->in != KJ_IN_HELP) {
		puts("Options:");
		print_options(c->in, false);
	}
	if (c->in == KJ_IN_LOAD)
		print_types();
}

void kj_cli_kexec_version(void)
{
	printf("kexec-tools 2.0.32 (kjump %s)\n", KJ_VERSION);
}

bool kj_cli_usage(const char *topic, bool kexec_mode)
{
	const struct kj_cmd_doc *c;

	if (kexec_mode) {
		kj_cli_kexec_version();
		puts("usage: kexec [OPTION]... [KERNEL]\n"
		     "Load KERNEL and start it, now (-f) or through an orderly "
		     "shutdown (no\naction); or load (-l, -p), start (-e), "
		     "unload (-u) or ask (-S).");
		print_options(KJ_IN_KEXEC, true);
		print_types();
		puts("\nThis is kjump's kexec-tools compatible mode; "
		     "kexec(8) lists every difference.");
		return true;
	}
	if (!topic || !*topic) {
		puts("usage: kjump COMMAND [options]");
		for (c = kj_cmds; c->name; c++) {
			int n = printf("  %s %s", c->name, c->args);

			wrap(c->summary, n, 22);
		}
		puts("  --version           print the version\n"
		     "Invoked as `kexec`, kjump takes kexec-tools' options "
		     "(kexec --help).");
		return true;
	}
	c = kj_cmd_by_name(topic);
	if (!c)
		return false;
	print_command(c);
	return true;
}
