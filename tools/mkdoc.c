/* Build-time generator: man pages and shell completions from the option
 * table (src/cli/options.c), the loader table and the --type refusals,
 * so that none of them can name an option the parsers do not take, or
 * miss one they do.
 *
 *   mkdoc man TEMPLATE          roff: the template with @...@ lines expanded
 *   mkdoc bash kjump|kexec      a bash completion
 *   mkdoc zsh kjump|kexec       a zsh completion
 *   mkdoc list kjump|kexec|CMD|conf|types|commands
 *                               names, one a line (tools/check-docs)
 *
 * Template lines that are only "@NAME args@" are replaced:
 *   @VERSION@ (anywhere in a line), @COMMANDS@ (kjump's commands with their
 * options),
 *   @OPTIONS kexec@ (the kexec spelling's options, refusals included),
 *   @DIFFERENCES@ (every kexec option whose meaning differs, and every
 *   refused one), @TYPES@ (image types), @SETTINGS@ (kjump.conf). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/options.h"
#include "loaders/loader.h"

/* roff: escape backslashes and dashes; a line never starts with . or '. */
static void roff(const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", stdout);
		else if (*s == '-')
			fputs("\\-", stdout);
		else
			putchar(*s);
	}
}

static void roff_para(const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", stdout);
	roff(s);
	putchar('\n');
}

static const char *arch_note(const struct kj_opt *o)
{
	if (o->arch == KJ_FOR_X86)
		return " (x86)";
	if (o->arch == KJ_FOR_ARM64)
		return " (arm64)";
	return "";
}

static void opt_head(const struct kj_opt *o, bool kexec)
{
	fputs(".TP\n", stdout);
	if (kexec && o->letter)
		printf("\\fB\\-%c\\fR, ", o->letter);
	fputs("\\fB\\-\\-", stdout);
	roff(o->name);
	fputs("\\fR", stdout);
	if (o->arg) {
		fputs(o->has_arg == optional_argument ? "[" : "", stdout);
		fputs(kexec || o->has_arg == optional_argument ? "=" : " ",
		      stdout);
		fputs("\\fI", stdout);
		roff(o->arg);
		fputs("\\fR", stdout);
		fputs(o->has_arg == optional_argument ? "]" : "", stdout);
	}
	fputs(arch_note(o), stdout);
	putchar('\n');
}

static void options(unsigned in, bool kexec)
{
	for (const struct kj_opt *o = kj_opts; o->name; o++) {
		if (!(o->in & in))
			continue;
		opt_head(o, kexec);
		roff_para(o->help);
		if (o->refused) {
			fputs(".IP\n\\fBRefused:\\fR ", stdout);
			roff(o->refused);
			fputs(".\n", stdout);
		}
		if (kexec && o->origin == KJ_FROM_KJUMP)
			fputs(".IP\nA kjump extension.\n", stdout);
		if (kexec && o->origin == KJ_FROM_KEXEC_GIT)
			fputs(".IP\nFrom kexec-tools' git tree, after "
			      "2.0.32.\n",
			      stdout);
		if (kexec && o->origin == KJ_FROM_MULTIROM)
			fputs(".IP\nFrom MultiROM's kexec-tools.\n", stdout);
	}
}

static void commands(void)
{
	for (const struct kj_cmd_doc *c = kj_cmds; c->name; c++) {
		printf(".SS \"kjump %s", c->name);
		if (*c->args) {
			putchar(' ');
			roff(c->args);
		}
		fputs("\"\n", stdout);
		roff_para(c->text);
		if (c->in != KJ_IN_HELP)
			options(c->in, false);
	}
}

static void differences(void)
{
	fputs(".SS \"Options whose meaning differs\"\n", stdout);
	for (const struct kj_opt *o = kj_opts; o->name; o++) {
		if (!(o->in & KJ_IN_KEXEC) || !o->diff)
			continue;
		opt_head(o, true);
		roff_para(o->diff);
	}
	fputs(".SS \"Options kjump refuses\"\n", stdout);
	for (const struct kj_opt *o = kj_opts; o->name; o++) {
		if (!(o->in & KJ_IN_KEXEC) || !o->refused)
			continue;
		opt_head(o, true);
		roff(o->refused);
		fputs(".\n", stdout);
	}
	fputs(".SS \"Options only kjump has\"\n", stdout);
	for (const struct kj_opt *o = kj_opts; o->name; o++) {
		if (!(o->in & KJ_IN_KEXEC) || o->origin != KJ_FROM_KJUMP)
			continue;
		opt_head(o, true);
		roff_para(o->help);
	}
}

static void types(void)
{
	for (size_t i = 0; kj_loaders[i]; i++) {
		const struct kj_loader *l = kj_loaders[i];

		fputs(".TP\n\\fB", stdout);
		roff(l->types[0]);
		fputs("\\fR\n", stdout);
		roff(l->summary);
		if (l->types[1]) {
			fputs(". Also: ", stdout);
			for (size_t t = 1; l->types[t]; t++) {
				fputs(t > 1 ? ", " : "", stdout);
				roff(l->types[t]);
			}
		}
		fputs(".\n", stdout);
	}
	for (size_t i = 0; kj_unsupported_types[i].name; i++) {
		fputs(".TP\n\\fB", stdout);
		roff(kj_unsupported_types[i].name);
		fputs("\\fR (refused)\n", stdout);
		roff(kj_unsupported_types[i].reason);
		fputs(".\n", stdout);
	}
}

static void settings(void)
{
	for (const struct kj_conf_doc *c = kj_conf_settings; c->key; c++) {
		fputs(".TP\n\\fB", stdout);
		roff(c->key);
		fputs("\\fR \\fI", stdout);
		roff(c->arg);
		fputs("\\fR\n", stdout);
		roff_para(c->help);
	}
}

static int man(const char *template)
{
	char line[1024];
	FILE *f = fopen(template, "r");

	if (!f) {
		perror(template);
		return 1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *v = strstr(line, "@VERSION@");

		if (v)
			printf("%.*s%s%s", (int)(v - line), line, KJ_VERSION,
			       v + strlen("@VERSION@"));
		else if (!strcmp(line, "@COMMANDS@\n"))
			commands();
		else if (!strcmp(line, "@OPTIONS kexec@\n"))
			options(KJ_IN_KEXEC, true);
		else if (!strcmp(line, "@DIFFERENCES@\n"))
			differences();
		else if (!strcmp(line, "@TYPES@\n"))
			types();
		else if (!strcmp(line, "@SETTINGS@\n"))
			settings();
		else if (line[0] == '@')
			return fprintf(stderr, "%s: unknown %s", template,
				       line),
			       1;
		else
			fputs(line, stdout);
	}
	fclose(f);
	return ferror(stdout) != 0;
}

/* Completion helpers: how the value of an option is completed. */
enum value { V_NONE, V_FILE, V_TYPE, V_ENTRY, V_WORDS };

static enum value value_kind(const struct kj_opt *o, const char **words)
{
	*words = NULL;
	if (!o->arg)
		return V_NONE;
	if (strstr(o->arg, "FILE"))
		return V_FILE;
	if (!strcmp(o->arg, "TYPE"))
		return V_TYPE;
	if (!strncmp(o->arg, "ID", 2))
		return V_ENTRY;
	if (!strcmp(o->arg, "PORT"))
		*words = "ttyS0 ttyS1 ttyS2 ttyS3 0x3f8 0x2f8";
	else if (!strcmp(o->arg, "BAUD"))
		*words = "9600 19200 38400 57600 115200";
	else if (strchr(o->arg, '|') && !strchr(o->arg, ' '))
		*words = o->arg;
	return *words ? V_WORDS : V_NONE;
}

static void type_names(const char *sep)
{
	const char *s = "";

	for (size_t i = 0; kj_loaders[i]; i++)
		for (size_t t = 0; kj_loaders[i]->types[t]; t++) {
			printf("%s%s", s, kj_loaders[i]->types[t]);
			s = sep;
		}
}

static void words_of(const char *w)
{
	for (; *w; w++)
		putchar(*w == '|' ? ' ' : *w);
}

static void bash_values(unsigned in)
{
	/* One case label per value kind. */
	static const char *const label[] = { NULL, "files", "types", "entries",
					     NULL };

	for (int k = V_FILE; k <= V_ENTRY; k++) {
		const char *sep = "\t";
		bool any = false;

		for (const struct kj_opt *o = kj_opts; o->name; o++) {
			const char *w;

			if (!(o->in & in) || (int)value_kind(o, &w) != k)
				continue;
			printf("%s--%s", sep, o->name);
			sep = "|";
			any = true;
		}
		if (any)
			printf(") _kj_%s; return ;;\n", label[k]);
	}
	for (const struct kj_opt *o = kj_opts; o->name; o++) {
		const char *w;

		if (!(o->in & in) || value_kind(o, &w) != V_WORDS)
			continue;
		printf("\t--%s) COMPREPLY=($(compgen -W \"", o->name);
		words_of(w);
		fputs("\" -- \"$cur\")); return ;;\n", stdout);
	}
}

static void bash_opts(unsigned in, bool kexec)
{
	const char *sep = "";

	for (const struct kj_opt *o = kj_opts; o->name; o++) {
		if (!(o->in & in) || o->refused)
			continue;
		if (kexec && o->letter) {
			printf("%s-%c", sep, o->letter);
			sep = " ";
		}
		printf("%s--%s", sep, o->name);
		sep = " ";
	}
}

static const char bash_helpers[] =
	"_kj_files() { COMPREPLY=($(compgen -f -- \"$cur\")); "
	"compopt -o filenames 2>/dev/null; }\n"
	"# Entry ids as `kjump list` finds them, on the roots already on the "
	"line.\n"
	"_kj_entries() {\n"
	"\tlocal roots=() w\n"
	"\tfor w in \"${COMP_WORDS[@]:2:COMP_CWORD-2}\"; do\n"
	"\t\tcase $w in -*) ;; *) [ -e \"$w\" ] && roots+=(\"$w\") ;; "
	"esac\n"
	"\tdone\n"
	"\tCOMPREPLY=($(compgen -W \"$(kjump list --json \"${roots[@]}\" "
	"2>/dev/null |\n"
	"\t\tgrep -o '\"id\":\"[^\"]*\"' | cut -d'\"' -f4)\" -- \"$cur\"))\n"
	"}\n";

static int bash(const char *prog)
{
	bool kexec = !strcmp(prog, "kexec");

	printf("# bash completion for %s; generated by tools/mkdoc from "
	       "kjump's option table.\n",
	       prog);
	fputs(bash_helpers, stdout);
	/* the --type words, printed in place of the %s above */
	fputs("_kj_types() { COMPREPLY=($(compgen -W \"", stdout);
	type_names(" ");
	fputs("\" -- \"$cur\")); }\n", stdout);
	if (kexec) {
		puts("_kexec() {\n\tlocal cur=${COMP_WORDS[COMP_CWORD]}\n"
		     "\tlocal prev=${COMP_WORDS[COMP_CWORD-1]}\n"
		     "\tcase $prev in\n\t-t) _kj_types; return ;;");
		bash_values(KJ_IN_KEXEC);
		fputs("\tesac\n\tif [[ $cur == -* ]]; then\n"
		      "\t\tCOMPREPLY=($(compgen -W \"",
		      stdout);
		bash_opts(KJ_IN_KEXEC, true);
		puts("\" -- \"$cur\"))\n\telse\n\t\t_kj_files\n\tfi\n}\n"
		     "complete -F _kexec kexec");
		return 0;
	}
	fputs("_kjump() {\n\tlocal cur=${COMP_WORDS[COMP_CWORD]}\n"
	      "\tlocal prev=${COMP_WORDS[COMP_CWORD-1]} opts\n"
	      "\tif [ \"$COMP_CWORD\" -eq 1 ]; then\n"
	      "\t\tCOMPREPLY=($(compgen -W \"",
	      stdout);
	for (const struct kj_cmd_doc *c = kj_cmds; c->name; c++)
		printf("%s ", c->name);
	puts("--help --version\" -- \"$cur\"))\n\t\treturn\n\tfi\n"
	     "\tcase $prev in");
	bash_values(KJ_IN_KJUMP);
	puts("\tesac\n\tcase ${COMP_WORDS[1]} in");
	for (const struct kj_cmd_doc *c = kj_cmds; c->name; c++) {
		if (c->in == KJ_IN_HELP) {
			printf("\thelp) COMPREPLY=($(compgen -W \"");
			for (const struct kj_cmd_doc *d = kj_cmds; d->name; d++)
				printf("%s ", d->name);
			puts("\" -- \"$cur\")); return ;;");
			continue;
		}
		printf("\t%s) opts=\"", c->name);
		bash_opts(c->in, false);
		puts(" --help\" ;;");
	}
	puts("\t*) return ;;\n\tesac\n\tif [[ $cur == -* ]]; then\n"
	     "\t\tCOMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n\telse\n"
	     "\t\t_kj_files\n\tfi\n}\ncomplete -F _kjump kjump");
	return 0;
}

/* zsh: one _arguments spec per option, e.g.
 * '(-t --type)'{-t+,--type=}'[help]:TYPE:_kj_types' */
static void zsh_help(const char *help)
{
	putchar('[');
	/* the first sentence or clause */
	for (const char *p = help;
	     *p && *p != ';' && !(*p == '.' && (!p[1] || p[1] == ' ')); p++)
		if (*p == '\'')
			fputs("'\\''", stdout);
		else if (*p == '[' || *p == ']' || *p == ':' || *p == '\\')
			putchar(' ');
		else
			putchar(*p);
	putchar(']');
}

static void zsh_spec(const struct kj_opt *o, bool kexec)
{
	const char *w, *action = "";
	enum value v = value_kind(o, &w);
	bool letter = kexec && o->letter;
	bool req = o->has_arg == required_argument;

	if (letter)
		printf("    '(-%c --%s)'{-%c%s,--%s%s}'", o->letter, o->name,
		       o->letter, req ? "+" : "", o->name, req ? "=" : "");
	else
		printf("    '--%s%s", o->name,
		       req				 ? "="
		       : o->has_arg == optional_argument ? "=-"
							 : "");
	zsh_help(o->help);
	if (o->has_arg != no_argument) {
		action = v == V_FILE	? "_files"
			 : v == V_TYPE	? "_kj_types"
			 : v == V_ENTRY ? "_kj_entries"
					: "";
		printf(":%s%s:", req ? "" : ":",
		       o->arg[0] == '"' ? "FILE ARGS" : o->arg);
		if (v == V_WORDS) {
			fputs("(", stdout);
			words_of(w);
			fputs(")", stdout);
		} else {
			fputs(action, stdout);
		}
	}
	puts("' \\");
}

static int zsh(const char *prog)
{
	bool kexec = !strcmp(prog, "kexec");

	printf("#compdef %s\n# zsh completion for %s; generated by "
	       "tools/mkdoc from kjump's option table.\n",
	       prog, prog);
	fputs("_kj_types() { compadd -- ", stdout);
	type_names(" ");
	puts("; }\n_kj_entries() {\n\tlocal -a ids\n"
	     "\tids=(${(f)\"$(kjump list --json 2>/dev/null | grep -o "
	     "'\"id\":\"[^\"]*\"' | cut -d'\"' -f4)\"})\n"
	     "\tcompadd -a ids\n}");
	if (kexec) {
		puts("_arguments -s \\");
		for (const struct kj_opt *o = kj_opts; o->name; o++)
			if ((o->in & KJ_IN_KEXEC) && !o->refused)
				zsh_spec(o, true);
		puts("    '*:kernel:_files'");
		return 0;
	}
	puts("local -a cmds\ncmds=(");
	for (const struct kj_cmd_doc *c = kj_cmds; c->name; c++) {
		printf("    '%s:", c->name);
		for (const char *p = c->summary; *p; p++)
			fputs(*p == '\''  ? "'\\''"
			      : *p == ':' ? "\\:"
					  : (char[]){ *p, 0 },
			      stdout);
		puts("'");
	}
	puts(")\nif (( CURRENT == 2 )); then\n\t_describe command cmds\n"
	     "\treturn\nfi\ncase $words[2] in");
	for (const struct kj_cmd_doc *c = kj_cmds; c->name; c++) {
		if (c->in == KJ_IN_HELP) {
			puts("help) _describe command cmds ;;");
			continue;
		}
		printf("%s)\n    shift words; (( CURRENT-- ))\n"
		       "    _arguments \\\n",
		       c->name);
		for (const struct kj_opt *o = kj_opts; o->name; o++)
			if ((o->in & c->in) && !o->refused)
				zsh_spec(o, false);
		puts("    '*:file:_files' ;;");
	}
	puts("esac");
	return 0;
}

static int list(const char *what)
{
	unsigned in = !strcmp(what, "kexec")   ? KJ_IN_KEXEC
		      : !strcmp(what, "kjump") ? KJ_IN_KJUMP
					       : 0;

	if (!strcmp(what, "conf")) {
		for (const struct kj_conf_doc *c = kj_conf_settings; c->key;
		     c++)
			puts(c->key);
		return 0;
	}
	if (!strcmp(what, "types")) {
		type_names("\n");
		putchar('\n');
		for (size_t i = 0; kj_unsupported_types[i].name; i++)
			puts(kj_unsupported_types[i].name);
		return 0;
	}
	if (!strcmp(what, "commands")) {
		for (const struct kj_cmd_doc *c = kj_cmds; c->name; c++)
			puts(c->name);
		return 0;
	}
	for (const struct kj_cmd_doc *c = kj_cmds; !in && c->name; c++)
		if (!strcmp(what, c->name))
			in = c->in;
	if (!in)
		return 2;
	for (const struct kj_opt *o = kj_opts; o->name; o++)
		if (o->in & in)
			puts(o->name);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "man"))
		return man(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "bash"))
		return bash(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "zsh"))
		return zsh(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "list"))
		return list(argv[2]);
	fputs("usage: mkdoc man TEMPLATE | bash|zsh kjump|kexec | "
	      "list kjump|kexec|conf|types|commands\n",
	      stderr);
	return 2;
}
