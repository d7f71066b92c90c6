#include "boot/grub.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "boot/bls.h"
#include "boot/grub_lex.h"
#include "boot/grubenv.h"

#define WORD_MAX 65536		    /* bytes of one expanded word */
#define ARGV_MAX 4096		    /* words of one command */
#define ARGV_BYTES_MAX (256 * 1024) /* bytes of one expanded command */
/* Work units (tokens visited, 64-byte blocks expanded) in one scan, so
 * that skipped blocks re-parsed by many calls, or loops copying long
 * values, cannot take minutes. */
#define WORK_MAX 4000000
#define FUNCS_MAX 256
#define TEST_DEPTH_MAX 32

static const char *const config_paths[] = {
	"/boot/grub/grub.cfg",
	"/grub/grub.cfg",
	"/boot/grub2/grub.cfg",
	"/grub2/grub.cfg",
};

/* Loaders kjump cannot kexec; an entry using one is listed unsupported. */
static const char *const foreign_loaders[] = {
	"chainloader", "ntldr",	     "kfreebsd",      "knetbsd",
	"kopenbsd",    "xnu_kernel", "xnu_kernel64",  "appleloader",
	"freedos",     "plan9",	     "truecrypt",     "fwsetup",
	"reboot",      "halt",	     "legacy_kernel", "pxechain",
};

/* What stops a command list. */
enum term {
	T_EOF,
	T_ABORT, /* return/exit/limits: unwind */
	T_RBRACE,
	T_THEN,
	T_ELIF,
	T_ELSE,
	T_FI,
	T_DO,
	T_DONE,
};
#define M(t) (1u << (t))

static const char *const term_words[] = {
	[T_THEN] = "then", [T_ELIF] = "elif", [T_ELSE] = "else",
	[T_FI] = "fi",	   [T_DO] = "do",     [T_DONE] = "done",
};

struct level {
	unsigned idx;
	char *title;
	char *id; /* NULL without --id */
};

struct epath {
	struct level *lv;
	size_t n;
};

struct func {
	char *name;
	const struct kj_gscript *s;
	size_t start; /* first token of the body */
};

/* The menuentry being evaluated. */
struct build {
	struct kj_entry e;
	size_t kroot;
	const char *foreign;
	char *chain; /* "(kjrootN)/path" of a configfile it would open */
};

struct argv {
	char **v;
	size_t n;
	size_t bytes;
};

struct st {
	const struct kj_rootset *set;
	size_t scan_root;
	struct kj_entry_list *out;
	size_t base;
	struct kj_warnings *warn;
	struct kj_vars *vars;
	struct kj_gscript **scripts;
	size_t *script_roots; /* the root each script was read from */
	size_t n_scripts;
	struct func *funcs;
	size_t n_funcs;
	struct level path[KJ_GRUB_MAX_SUBMENU];
	size_t menu_depth;
	unsigned counter[KJ_GRUB_MAX_SUBMENU + 1];
	struct epath *paths; /* paths[i] belongs to out->v[base + i] */
	struct build *cur;
	char **args; /* positional parameters */
	size_t nargs;
	int status;
	unsigned depth, nest, files, steps;
	unsigned loops, breaks; /* loops entered; loops a break leaves */
	bool continuing;	/* the break is a continue */
	char **exported;	/* names a configfile's new context keeps */
	size_t n_exported;
	unsigned long work;
	bool stop, returning, full, warned_word;
	int err;
	const char *cfg;
	unsigned line;
};

static void gwarn(struct st *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void gwarn(struct st *st, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	kj_warn(st->warn, st->cfg ? st->cfg : "grub.cfg", st->line, "%s", msg);
}

static void oom(struct st *st)
{
	st->err = -ENOMEM;
	st->stop = true;
}

/* Set a variable in store; a refusal (too long a value, too many names,
 * a bad name) is a warning, out of memory stops the scan. 0 or 1. */
static int store_var(struct st *st, struct kj_vars *store, const char *name,
		     const char *value)
{
	int r = kj_vars_set(store, name, value);

	if (r == -ENOMEM)
		oom(st);
	else if (r == -EINVAL)
		gwarn(st, "set %.64s: bad name", name);
	else if (r < 0 && strlen(value) >= KJ_VAR_VALUE_MAX)
		gwarn(st, "set %.64s: value longer than %d bytes, not set",
		      name, KJ_VAR_VALUE_MAX - 1);
	else if (r < 0)
		gwarn(st, "set %.64s: more than %d variables, not set", name,
		      KJ_VARS_MAX);
	return r < 0;
}

static void charge(struct st *st, unsigned long units)
{
	st->work += units;
	if (st->work > WORK_MAX && !st->stop) {
		gwarn(st, "config too costly to evaluate, stopped");
		st->stop = true;
	}
}

/* ---- words ---- */

static void argv_free(struct argv *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	a->v = NULL;
	a->n = 0;
	a->bytes = 0;
}

static int argv_push(struct argv *a, const char *s, size_t len)
{
	char **v;

	if (a->n >= ARGV_MAX || a->bytes + len > ARGV_BYTES_MAX)
		return -E2BIG;
	v = realloc(a->v, (a->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	a->v = v;
	v[a->n] = strndup(s, len);
	if (!v[a->n])
		return -ENOMEM;
	a->n++;
	a->bytes += len + 1;
	return 0;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* The value of a variable as a new string ("" when unset). */
static char *var_value(struct st *st, const char *name)
{
	char num[32];

	if (!strcmp(name, "?")) {
		snprintf(num, sizeof(num), "%d", st->status);
		return strdup(num);
	}
	if (!strcmp(name, "#")) {
		snprintf(num, sizeof(num), "%zu", st->nargs);
		return strdup(num);
	}
	if (!strcmp(name, "@") || !strcmp(name, "*")) {
		size_t len = 1;
		char *s;

		for (size_t i = 0; i < st->nargs; i++)
			len += strlen(st->args[i]) + 1;
		char *p = s = malloc(len);

		if (!s)
			return NULL;
		for (size_t i = 0; i < st->nargs; i++) {
			size_t l = strlen(st->args[i]);

			if (i)
				*p++ = ' ';
			memcpy(p, st->args[i], l);
			p += l;
		}
		*p = '\0';
		return s;
	}
	if (all_digits(name)) {
		unsigned long i =
			strlen(name) < 6 ? strtoul(name, NULL, 10) : 0;

		return strdup(i >= 1 && i <= st->nargs ? st->args[i - 1] : "");
	}
	{
		const char *v = kj_vars_get(st->vars, name);

		return strdup(v ? v : "");
	}
}

/* The word being expanded: at most WORD_MAX - 1 bytes. */
struct word {
	char *buf;
	size_t n, cap;
};

/* Append len bytes of s (cut, with one warning per scan, past the cap). */
static int word_add(struct st *st, struct word *w, const char *s, size_t len)
{
	size_t room;

	while (w->n + len >= w->cap && w->cap < WORD_MAX) {
		char *nb = realloc(w->buf, w->cap * 2);

		if (!nb)
			return -ENOMEM;
		w->buf = nb;
		w->cap *= 2;
	}
	room = w->cap - 1 - w->n;
	if (len > room) {
		if (!st->warned_word)
			gwarn(st, "word longer than %d bytes, cut",
			      WORD_MAX - 1);
		st->warned_word = true;
		len = room;
	}
	memcpy(w->buf + w->n, s, len);
	w->n += len;
	return 0;
}

/* Expand one word token into zero or more words: unquoted variables are
 * split on whitespace, an unquoted empty expansion gives no word. */
static int expand_tok(struct st *st, const struct kj_gtok *t, struct argv *a)
{
	struct word w = { .buf = malloc(256), .cap = 256 };
	bool have = t->quoted;
	int r = 0;

	if (!w.buf)
		return -ENOMEM;
	for (size_t i = 0; i < t->n_parts && r >= 0; i++) {
		const struct kj_gpart *p = &t->parts[i];
		char *val = NULL;
		const char *s;

		if (p->kind == KJ_GPART_LIT) {
			s = p->text;
			have = true;
		} else {
			val = var_value(st, p->text);
			if (!val) {
				r = -ENOMEM;
				break;
			}
			s = val;
			if (p->kind == KJ_GPART_QVAR)
				have = true;
		}
		if (p->kind != KJ_GPART_VAR) {
			r = word_add(st, &w, s, strlen(s));
			free(val);
			continue;
		}
		/* Unquoted: each run of blanks ends a word. */
		while (*s && r >= 0) {
			size_t run = strcspn(s, " \t\n");

			if (run) {
				r = word_add(st, &w, s, run);
				have = true;
				s += run;
				continue;
			}
			if (have || w.n)
				r = argv_push(a, w.buf, w.n);
			w.n = 0;
			have = false;
			s++;
		}
		free(val);
	}
	if (r >= 0 && (have || w.n))
		r = argv_push(a, w.buf, w.n);
	free(w.buf);
	return r;
}

/* ---- paths and devices ---- */

static size_t dev_root(struct st *st, const char *dev)
{
	char *end;
	unsigned long i;

	if (dev && strncmp(dev, "kjroot", 6) == 0 &&
	    isdigit((unsigned char)dev[6])) {
		i = strtoul(dev + 6, &end, 10);
		if (!*end && i < st->set->n)
			return i;
	}
	/* (hd0,gpt2), (memdisk), (tftp): no mapping to the set exists. */
	return st->scan_root;
}

static size_t cur_root(struct st *st)
{
	const char *r = kj_vars_get(st->vars, "root");
	char dev[64];
	size_t len;

	if (!r)
		return st->scan_root;
	if (*r == '(')
		r++;
	len = strcspn(r, ")");
	if (len >= sizeof(dev))
		return st->scan_root;
	memcpy(dev, r, len);
	dev[len] = '\0';
	return dev_root(st, dev);
}

/* "(dev)/path" or "/path" (on $root) -> root index + absolute path. */
static char *resolve(struct st *st, const char *arg, size_t *root)
{
	const char *rest = arg;
	char *path;

	*root = cur_root(st);
	if (arg[0] == '(') {
		const char *close = strchr(arg, ')');

		if (close) {
			char *dev = strndup(arg + 1, (size_t)(close - arg - 1));

			if (!dev)
				return NULL;
			*root = dev_root(st, dev);
			free(dev);
			rest = close + 1;
		}
	}
	path = kj_path_join("/", rest);
	if (!path)
		oom(st);
	return path;
}

/* "(kjrootN)/abs/path" for arg as seen from here. */
static char *qualify(struct st *st, const char *arg)
{
	size_t root;
	char *path = resolve(st, arg, &root), *q;

	if (!path)
		return NULL;
	if (asprintf(&q, "(kjroot%zu)%s", root, path) < 0) {
		q = NULL;
		oom(st);
	}
	free(path);
	return q;
}

/* test's -e -f -d -s on a path inside its root. An empty path names the
 * whole device, which GRUB takes to be a directory. */
static bool file_test(struct st *st, char op, const char *arg)
{
	size_t root, size = 0;
	mode_t mode = 0;
	char *path = resolve(st, arg, &root);
	int r;

	if (!path)
		return false;
	r = kj_root_stat(&st->set->v[root], path, &mode, &size);
	free(path);
	if (r < 0)
		return false;
	switch (op) {
	case 'd':
		return S_ISDIR(mode);
	case 'f':
		return S_ISREG(mode);
	case 's':
		return S_ISREG(mode) && size > 0;
	default:
		return true;
	}
}

/* ---- test / [ ---- */

struct texpr {
	struct st *st;
	char **a;
	size_t n, i;
	unsigned depth;
};

static bool t_or(struct texpr *t);

static bool is_binop(const char *s)
{
	static const char *const ops[] = { "=",	   "==",  "!=",	 "<",	">",
					   "<=",   ">=",  "-eq", "-ne", "-lt",
					   "-le",  "-gt", "-ge", "-nt", "-ot",
					   "-pgt", "-plt" };

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strcmp(s, ops[i]))
			return true;
	return false;
}

static bool binop(const char *l, const char *op, const char *r)
{
	long a = strtol(l, NULL, 10), b = strtol(r, NULL, 10);
	int c = strcmp(l, r);

	if (!strcmp(op, "=") || !strcmp(op, "=="))
		return c == 0;
	if (!strcmp(op, "!="))
		return c != 0;
	if (!strcmp(op, "<"))
		return c < 0;
	if (!strcmp(op, ">"))
		return c > 0;
	if (!strcmp(op, "<="))
		return c <= 0;
	if (!strcmp(op, ">="))
		return c >= 0;
	if (!strcmp(op, "-eq"))
		return a == b;
	if (!strcmp(op, "-ne"))
		return a != b;
	if (!strcmp(op, "-lt") || !strcmp(op, "-plt"))
		return a < b;
	if (!strcmp(op, "-le"))
		return a <= b;
	if (!strcmp(op, "-gt") || !strcmp(op, "-pgt"))
		return a > b;
	if (!strcmp(op, "-ge"))
		return a >= b;
	return false; /* -nt -ot: file times are unknown */
}

static bool t_primary(struct texpr *t)
{
	const char *s;

	if (t->i >= t->n)
		return false;
	if (++t->depth > TEST_DEPTH_MAX) {
		if (t->i < t->n)
			gwarn(t->st, "test nested deeper than %d, false",
			      TEST_DEPTH_MAX);
		t->i = t->n;
		return false;
	}
	s = t->a[t->i];
	if (!strcmp(s, "!") && t->i + 1 < t->n) {
		bool v;

		t->i++;
		v = !t_primary(t);
		t->depth--;
		return v;
	}
	if (!strcmp(s, "(") && t->i + 1 < t->n) {
		bool v;

		t->i++;
		v = t_or(t);
		if (t->i < t->n && !strcmp(t->a[t->i], ")"))
			t->i++;
		t->depth--;
		return v;
	}
	t->depth--;
	if (t->i + 2 < t->n && is_binop(t->a[t->i + 1])) {
		bool v = binop(s, t->a[t->i + 1], t->a[t->i + 2]);

		t->i += 3;
		return v;
	}
	if (s[0] == '-' && s[1] && !s[2] && strchr("zndefs", s[1]) &&
	    t->i + 1 < t->n) {
		const char *arg = t->a[t->i + 1];

		t->i += 2;
		switch (s[1]) {
		case 'z':
			return !*arg;
		case 'n':
			return *arg != 0;
		default:
			return file_test(t->st, s[1], arg);
		}
	}
	t->i++;
	return *s != 0;
}

static bool t_and(struct texpr *t)
{
	bool v = t_primary(t);

	while (t->i < t->n && !strcmp(t->a[t->i], "-a")) {
		t->i++;
		v = t_primary(t) && v;
	}
	return v;
}

static bool t_or(struct texpr *t)
{
	bool v = t_and(t);

	while (t->i < t->n && !strcmp(t->a[t->i], "-o")) {
		t->i++;
		v = t_and(t) || v;
	}
	return v;
}

static int cmd_test(struct st *st, struct argv *a, bool bracket)
{
	struct texpr t = { .st = st, .a = a->v + 1, .n = a->n - 1 };
	bool v = true;

	if (bracket) {
		if (a->n < 2 || strcmp(a->v[a->n - 1], "]") != 0) {
			gwarn(st, "[ without ]");
			return 1;
		}
		t.n--;
	}
	if (t.n == 0)
		return 1;
	/* GRUB's test ANDs consecutive expressions. */
	while (t.i < t.n && !st->stop)
		v = t_or(&t) && v;
	return v ? 0 : 1;
}

/* ---- entries ---- */

static bool hex_escape_at(const char *w)
{
	return w[0] == '\\' && w[1] == 'x' && isxdigit((unsigned char)w[2]) &&
	       isxdigit((unsigned char)w[3]);
}

/* The kernel command line as GRUB's loaders build it from the words
 * (grub_create_loader_cmdline): words joined by one blank, a word holding
 * a blank put in double quotes as a whole ("x=a b"), and a backslash
 * before each \, ' and ", except that \xHH is passed on unchanged (Red
 * Hat's GRUB; dracut decodes it). */
static int join_cmdline(char **v, size_t n, char **out)
{
	size_t len = 1;
	char *s, *p;

	for (size_t i = 0; i < n; i++)
		len += 2 * strlen(v[i]) + 3;
	p = s = malloc(len);
	if (!s)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const char *w = v[i];
		bool blank = strchr(w, ' ') != NULL;

		if (i)
			*p++ = ' ';
		if (blank)
			*p++ = '"';
		while (*w) {
			if (hex_escape_at(w)) {
				memcpy(p, w, 4);
				p += 4;
				w += 4;
				continue;
			}
			if (*w == '\\' || *w == '\'' || *w == '"')
				*p++ = '\\';
			*p++ = *w++;
		}
		if (blank)
			*p++ = '"';
	}
	*p = '\0';
	free(*out);
	*out = s;
	return 0;
}

static bool need_entry(struct st *st, const char *cmd)
{
	if (st->cur)
		return true;
	gwarn(st, "%s outside a menuentry, ignored", cmd);
	return false;
}

static int cmd_linux(struct st *st, struct argv *a, enum kj_entry_type type)
{
	bool multiboot = type != KJ_ENTRY_LINUX;

	struct build *b = st->cur;
	size_t i = 1, root;
	char *path;

	if (!need_entry(st, a->v[0]))
		return 0;
	while (multiboot && i < a->n && !strncmp(a->v[i], "--", 2))
		i++; /* --quirk-* */
	if (i >= a->n) {
		gwarn(st, "%s: no file given", a->v[0]);
		return 1;
	}
	if (b->e.kernel)
		gwarn(st, "%s: entry already has a kernel, replaced", a->v[0]);
	path = resolve(st, a->v[i], &root);
	if (!path)
		return 1;
	free(b->e.kernel);
	b->e.kernel = path;
	b->kroot = root;
	b->e.type = type;
	if (join_cmdline(a->v + i + 1, a->n - i - 1, &b->e.cmdline) < 0)
		oom(st);
	return 0;
}

static void check_root(struct st *st, size_t root, const char *what)
{
	if (st->cur->e.kernel && root != st->cur->kroot)
		gwarn(st, "%s is on another filesystem than the kernel", what);
}

static int cmd_initrd(struct st *st, struct argv *a)
{
	struct build *b = st->cur;

	if (!need_entry(st, a->v[0]))
		return 0;
	for (size_t i = 1; i < a->n; i++) {
		size_t root;
		char *path;
		int r;

		if (!strncmp(a->v[i], "--", 2))
			continue; /* --newc:..., --nounzip */
		path = resolve(st, a->v[i], &root);
		if (!path)
			return 1;
		check_root(st, root, path);
		r = kj_entry_add_initrd(&b->e, path);
		free(path);
		if (r == -E2BIG) {
			gwarn(st, "more than %d initrds", KJ_MAX_INITRDS);
			return 1;
		}
		if (r < 0) {
			oom(st);
			return 1;
		}
	}
	return 0;
}

static int cmd_devicetree(struct st *st, struct argv *a)
{
	size_t root;
	char *path;

	if (!need_entry(st, a->v[0]))
		return 0;
	if (a->n < 2) {
		gwarn(st, "devicetree: no file given");
		return 1;
	}
	path = resolve(st, a->v[1], &root);
	if (!path)
		return 1;
	check_root(st, root, path);
	free(st->cur->e.devicetree);
	st->cur->e.devicetree = path;
	return 0;
}

static int cmd_module(struct st *st, struct argv *a)
{
	struct build *b = st->cur;
	char *path, *cmdline = NULL;
	size_t i = 1, root;
	int r;

	if (!need_entry(st, a->v[0]))
		return 0;
	/* --nounzip (keep the module compressed) and --type=... are
	 * accepted; the entry model has no field for them. */
	while (i < a->n && !strncmp(a->v[i], "--", 2))
		i++;
	if (i >= a->n) {
		gwarn(st, "%s: no file given", a->v[0]);
		return 1;
	}
	if ((b->e.type != KJ_ENTRY_MULTIBOOT &&
	     b->e.type != KJ_ENTRY_MULTIBOOT2) || !b->e.kernel)
		gwarn(st, "%s before multiboot", a->v[0]);
	path = resolve(st, a->v[i], &root);
	if (!path)
		return 1;
	check_root(st, root, path);
	if (join_cmdline(a->v + i + 1, a->n - i - 1, &cmdline) < 0) {
		free(path);
		oom(st);
		return 1;
	}
	r = kj_entry_add_module(&b->e, path, cmdline);
	free(path);
	free(cmdline);
	if (r == -E2BIG)
		gwarn(st, "more than %d modules", KJ_MAX_MODULES);
	else if (r < 0)
		oom(st);
	return r < 0;
}

static char *join_levels(struct level *lv, size_t n, bool ids)
{
	size_t len = 1;
	char *s;

	for (size_t i = 0; i < n; i++)
		len += strlen(ids && lv[i].id ? lv[i].id : lv[i].title) + 1;
	s = malloc(len);
	if (!s)
		return NULL;
	*s = '\0';
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(s, ">");
		strcat(s, ids && lv[i].id ? lv[i].id : lv[i].title);
	}
	return s;
}

static void levels_free(struct level *lv, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(lv[i].title);
		free(lv[i].id);
	}
	free(lv);
}

/* Move e into the output list under the current submenu path. */
static void emit(struct st *st, struct kj_entry *e, const char *title,
		 const char *id)
{
	size_t n = st->menu_depth + 1;
	struct level *lv = calloc(n, sizeof(*lv));
	struct kj_entry *dst;
	struct epath *p;
	bool fail = !lv;

	for (size_t i = 0; i < n && !fail; i++) {
		const struct level *src =
			i < st->menu_depth ? &st->path[i] : NULL;

		lv[i].idx = src ? src->idx : st->counter[st->menu_depth];
		lv[i].title = strdup(src ? src->title : title);
		lv[i].id = (src ? src->id : id) ? strdup(src ? src->id : id)
						: NULL;
		fail = !lv[i].title || ((src ? src->id : id) && !lv[i].id);
	}
	st->counter[st->menu_depth]++;
	if (!fail) {
		free(e->title);
		free(e->id);
		e->title = join_levels(lv, n, false);
		e->id = join_levels(lv, n, true);
		fail = !e->title || !e->id;
	}
	if (fail) {
		if (lv)
			levels_free(lv, n);
		oom(st);
		return;
	}
	p = realloc(st->paths,
		    (st->out->n - st->base + 1) * sizeof(*st->paths));
	if (!p) {
		levels_free(lv, n);
		oom(st);
		return;
	}
	st->paths = p;
	dst = kj_entry_list_add(st->out);
	if (!dst) {
		levels_free(lv, n);
		if (st->out->n < KJ_MAX_ENTRIES)
			oom(st);
		else if (!st->full)
			gwarn(st, "more than %d entries, rest ignored",
			      KJ_MAX_ENTRIES);
		st->full = true;
		return;
	}
	free(dst->cmdline);
	*dst = *e;
	memset(e, 0, sizeof(*e));
	p[st->out->n - 1 - st->base].lv = lv;
	p[st->out->n - 1 - st->base].n = n;
}

/* ---- the evaluator ---- */

static enum term run_list(struct st *st, const struct kj_gscript *s,
			  size_t *pos, bool exec, unsigned want);

/* The body of a block starts after '{' at *pos; skip over it (parsing,
 * not running) and leave *pos after the '}'. Returns the body start. */
static size_t skip_block(struct st *st, const struct kj_gscript *s, size_t *pos)
{
	size_t start = ++*pos;
	unsigned line = s->t[start - 1].line;

	if (run_list(st, s, pos, false, M(T_RBRACE)) == T_RBRACE) {
		(*pos)++;
	} else if (!st->stop) {
		st->line = line;
		gwarn(st, "{ without }");
	}
	return start;
}

static void run_body(struct st *st, const struct kj_gscript *s, size_t start)
{
	size_t pos = start;

	run_list(st, s, &pos, true, M(T_RBRACE));
}

static int with_scope(struct st *st, struct kj_vars *scope)
{
	size_t bytes = 0;

	/* Copies of a store bloated with long values add up. */
	for (size_t i = 0; i < st->vars->n; i++)
		bytes += strlen(st->vars->v[i].name) +
			 strlen(st->vars->v[i].value) + 64;
	charge(st, bytes / 256);
	if (st->stop) {
		scope->v = NULL;
		scope->n = 0;
		return -1;
	}
	if (kj_vars_copy(scope, st->vars) < 0) {
		oom(st);
		return -1;
	}
	return 0;
}

static void leave_submenu(struct st *st);
static bool was_read(struct st *st, size_t root, const char *path);
static int cmd_source(struct st *st, const char *arg);

static bool is_exported(const struct st *st, const char *name)
{
	for (size_t i = 0; i < st->n_exported; i++)
		if (!strcmp(st->exported[i], name))
			return true;
	return false;
}

static void export_name(struct st *st, const char *name)
{
	char **v;

	if (is_exported(st, name))
		return;
	if (st->n_exported >= KJ_VARS_MAX) {
		gwarn(st, "export %.64s: more than %d exported names", name,
		      KJ_VARS_MAX);
		return;
	}
	v = realloc(st->exported, (st->n_exported + 1) * sizeof(*v));
	if (!v) {
		oom(st);
		return;
	}
	st->exported = v;
	v[st->n_exported] = strdup(name);
	if (v[st->n_exported])
		st->n_exported++;
	else
		oom(st);
}

/* The variables a configfile starts with: the exported ones only, as in
 * GRUB's new environment context. */
static int export_scope(struct st *st, struct kj_vars *scope)
{
	memset(scope, 0, sizeof(*scope));
	for (size_t i = 0; i < st->vars->n; i++) {
		const struct kj_var *v = &st->vars->v[i];

		if (!is_exported(st, v->name))
			continue;
		charge(st, (strlen(v->value) + 64) / 256);
		if (kj_vars_set(scope, v->name, v->value) == -ENOMEM) {
			kj_vars_free(scope);
			oom(st);
			return -1;
		}
	}
	return st->stop ? (kj_vars_free(scope), -1) : 0;
}

/* Forget out->v[from..to) (entries of a menu that was replaced). */
static void drop_entries(struct st *st, size_t from, size_t to)
{
	size_t n = st->out->n;

	for (size_t i = from; i < to; i++) {
		kj_entry_free(&st->out->v[i]);
		levels_free(st->paths[i - st->base].lv,
			    st->paths[i - st->base].n);
	}
	memmove(&st->out->v[from], &st->out->v[to],
		(n - to) * sizeof(*st->out->v));
	memmove(&st->paths[from - st->base], &st->paths[to - st->base],
		(n - to) * sizeof(*st->paths));
	st->out->n -= to - from;
	st->full = false;
}

/* Give name in dst the value it has in src (or unset it). */
static void carry(struct st *st, const struct kj_vars *src, struct kj_vars *dst,
		  const char *name)
{
	const char *v = kj_vars_get(src, name);

	if (!v)
		kj_vars_unset(dst, name);
	else
		store_var(st, dst, name, v);
}

/* configfile FILE outside a menuentry. GRUB runs FILE in a new context
 * (exported variables only) and shows its menu at once: the menu becomes
 * FILE's entries alone, with FILE's default and timeout, and the rest of
 * the outer config is never reached. In a submenu's body that menu is
 * the submenu. When FILE cannot be read or defines no entry, GRUB goes
 * on with the outer config as if nothing happened. */
static int cmd_configfile(struct st *st, const char *arg)
{
	struct kj_vars scope, *saved = st->vars;
	size_t mark = st->out->n;
	unsigned counter = st->counter[st->menu_depth];
	int r;

	if (export_scope(st, &scope) < 0)
		return 1;
	st->vars = &scope;
	if (!st->menu_depth)
		st->counter[0] = 0; /* default=0 is FILE's first entry */
	r = cmd_source(st, arg);
	st->vars = saved;
	if (!st->menu_depth && st->out->n > mark && !st->err) {
		drop_entries(st, st->base, mark);
		carry(st, &scope, saved, "default");
		carry(st, &scope, saved, "timeout");
		st->stop = true; /* the outer config goes no further */
	} else if (!st->menu_depth) {
		st->counter[0] = counter;
	}
	kj_vars_free(&scope);
	return r;
}

static bool enter_submenu(struct st *st, const char *title, const char *id)
{
	struct level *lv = &st->path[st->menu_depth];

	if (st->menu_depth >= KJ_GRUB_MAX_SUBMENU) {
		gwarn(st, "submenus nested deeper than %d",
		      KJ_GRUB_MAX_SUBMENU);
		return false;
	}
	lv->idx = st->counter[st->menu_depth]++;
	lv->title = strdup(title);
	lv->id = id ? strdup(id) : NULL;
	st->menu_depth++;
	st->counter[st->menu_depth] = 0;
	if (!lv->title || (id && !lv->id)) {
		oom(st);
		leave_submenu(st);
		return false;
	}
	return true;
}

static void leave_submenu(struct st *st)
{
	struct level *lv = &st->path[--st->menu_depth];

	free(lv->title);
	free(lv->id);
	lv->title = lv->id = NULL;
}

/* A menuentry whose body is `configfile X` is listed as a submenu holding
 * X's entries, unless X was read already (a "reload" entry) or is not
 * there. Returns what it did. */
enum chain { CHAIN_DONE, CHAIN_SEEN, CHAIN_MISSING };

static enum chain chain_menu(struct st *st, const char *chain,
			     const char *title, const char *id)
{
	size_t root;
	char *path = resolve(st, chain, &root);
	enum chain r = CHAIN_DONE;

	if (!path || !kj_root_exists(&st->set->v[root], path))
		r = CHAIN_MISSING;
	else if (was_read(st, root, path))
		r = CHAIN_SEEN;
	free(path);
	if (r != CHAIN_DONE)
		return r;
	if (enter_submenu(st, title, id)) {
		struct kj_vars scope, *saved = st->vars;

		if (export_scope(st, &scope) == 0) {
			st->vars = &scope;
			cmd_source(st, chain);
			st->vars = saved;
			kj_vars_free(&scope);
		}
		leave_submenu(st);
	}
	return CHAIN_DONE;
}

/* menuentry/submenu TITLE [options] [args] { body } */
static void cmd_menu(struct st *st, struct argv *a, const struct kj_gscript *s,
		     size_t body, bool submenu)
{
	const char *title = NULL, *id = NULL;
	struct kj_vars scope, *saved;
	struct argv extra = { 0 };
	unsigned line = st->line, oloops, obreaks;
	bool opts = true, ocont;

	for (size_t i = 1; i < a->n; i++) {
		const char *w = a->v[i];

		if (opts && !strcmp(w, "--")) {
			opts = false;
		} else if (opts && !strncmp(w, "--", 2)) {
			static const char *const valued[] = {
				"--class", "--users", "--hotkey", "--id",
				"--source"
			};
			const char *val = NULL;

			for (size_t k = 0; k < 5; k++) {
				size_t l = strlen(valued[k]);

				if (strncmp(w, valued[k], l) != 0)
					continue;
				if (w[l] == '=')
					val = w + l + 1;
				else if (!w[l] && i + 1 < a->n)
					val = a->v[++i];
				else
					continue;
				if (k == 3)
					id = val;
				break;
			}
			/* --unrestricted and unknown options: no value. */
		} else if (!title) {
			title = w;
		} else if (argv_push(&extra, w, strlen(w)) < 0) {
			break;
		}
	}
	if (!title) {
		gwarn(st, "%s without a title", a->v[0]);
		argv_free(&extra);
		return;
	}
	if (st->cur) {
		gwarn(st, "%s inside a menuentry, ignored", a->v[0]);
		argv_free(&extra);
		return;
	}
	if (with_scope(st, &scope) < 0) {
		argv_free(&extra);
		return;
	}
	saved = st->vars;
	st->vars = &scope;
	/* The body runs when the entry is chosen, outside any loop. */
	oloops = st->loops;
	obreaks = st->breaks;
	ocont = st->continuing;
	st->loops = st->breaks = 0;
	if (submenu) {
		if (enter_submenu(st, title, id)) {
			run_body(st, s, body);
			leave_submenu(st);
		}
	} else {
		struct build b = { .kroot = cur_root(st) };
		int chained = -1;
		char **oargs = st->args;
		size_t onargs = st->nargs;

		b.e.cmdline = strdup("");
		b.e.source = KJ_SOURCE_GRUB;
		b.e.config = strdup(st->cfg);
		b.e.config_line = line;
		if (!b.e.cmdline || !b.e.config ||
		    argv_push(&extra, title, strlen(title)) < 0) {
			oom(st);
		} else {
			/* $1 is the title, then the extra arguments. */
			char *t = extra.v[extra.n - 1];

			memmove(extra.v + 1, extra.v,
				(extra.n - 1) * sizeof(*extra.v));
			extra.v[0] = t;
			st->args = extra.v;
			st->nargs = extra.n;
			st->cur = &b;
			run_body(st, s, body);
			st->cur = NULL;
			st->args = oargs;
			st->nargs = onargs;
		}
		st->returning = false;
		if (!st->err && !b.e.kernel && b.chain && !b.foreign)
			chained = chain_menu(st, b.chain, title, id);
		if (chained == CHAIN_DONE) {
			/* listed as a submenu instead */
		} else if (!st->err) {
			if (!b.e.kernel) {
				char why[128];

				b.e.type = KJ_ENTRY_UNSUPPORTED;
				if (chained == CHAIN_SEEN)
					snprintf(why, sizeof(why),
						 "opens a GRUB menu listed "
						 "elsewhere");
				else if (chained == CHAIN_MISSING)
					snprintf(why, sizeof(why),
						 "opens a GRUB menu that is "
						 "not there");
				else if (b.foreign)
					snprintf(why, sizeof(why),
						 "uses %s, which kexec cannot "
						 "do",
						 b.foreign);
				else
					snprintf(why, sizeof(why),
						 "no linux or multiboot "
						 "command");
				if (kj_entry_set(&b.e.unsupported, why) < 0)
					oom(st);
				/* Where the entry's $root points, like any
				 * other entry's. */
				b.kroot = cur_root(st);
			}
			if (st->set->v[b.kroot].name &&
			    kj_entry_set(&b.e.root_name,
					 st->set->v[b.kroot].name) < 0)
				oom(st);
			if (!st->err)
				emit(st, &b.e, title, id);
		}
		kj_entry_free(&b.e);
		free(b.chain);
	}
	st->loops = oloops;
	st->breaks = obreaks;
	st->continuing = ocont;
	st->vars = saved;
	kj_vars_free(&scope);
	argv_free(&extra);
}

static int cmd_set(struct st *st, const char *assign)
{
	const char *eq = strchr(assign, '=');
	char *name;
	int r;

	if (!eq) {
		gwarn(st, "set %.64s: not an assignment", assign);
		return 1;
	}
	name = strndup(assign, (size_t)(eq - assign));
	if (!name) {
		oom(st);
		return 1;
	}
	r = store_var(st, st->vars, name, eq + 1);
	free(name);
	return r;
}

static bool is_assignment(const char *w)
{
	if (!isalpha((unsigned char)*w) && *w != '_')
		return false;
	for (w++; *w && *w != '='; w++)
		if (!isalnum((unsigned char)*w) && *w != '_')
			return false;
	return *w == '=';
}

/* search: set VAR to the first root of the set that has the UUID, label
 * or file. */
static int do_search(struct st *st, char kind, const char *name,
		     const char *var)
{
	char dev[32];
	char *path = NULL;

	if (kind == 'f') {
		path = kj_path_join("/", name);
		if (!path) {
			oom(st);
			return 1;
		}
	}
	for (size_t i = 0; i < st->set->n; i++) {
		const struct kj_root *r = &st->set->v[i];
		bool hit;

		if (kind == 'u')
			hit = r->fs_uuid && !strcasecmp(r->fs_uuid, name);
		else if (kind == 'l')
			hit = r->fs_label && !strcmp(r->fs_label, name);
		else
			hit = kj_root_exists(r, path);
		if (!hit)
			continue;
		free(path);
		snprintf(dev, sizeof(dev), "kjroot%zu", i);
		if (var)
			store_var(st, st->vars, var, dev);
		return 0;
	}
	free(path);
	gwarn(st, "search: no filesystem %s %.128s in the scanned set",
	      kind == 'u'   ? "with UUID"
	      : kind == 'l' ? "labelled"
			    : "has",
	      name);
	return 1;
}

static int cmd_search(struct st *st, struct argv *a)
{
	const char *cmd = a->v[0], *var = NULL, *name = NULL;
	bool var_guessed = false;
	char kind = 'f';

	if (!strcmp(cmd, "search.fs_uuid") || !strcmp(cmd, "search.fs_label") ||
	    !strcmp(cmd, "search.file")) {
		if (a->n < 2) {
			gwarn(st, "%s: nothing to search", cmd);
			return 1;
		}
		kind = cmd[7] == 'f' && cmd[8] == 's'
			       ? (cmd[10] == 'u' ? 'u' : 'l')
			       : 'f';
		return do_search(st, kind, a->v[1], a->n > 2 ? a->v[2] : NULL);
	}
	for (size_t i = 1; i < a->n; i++) {
		const char *w = a->v[i];

		if (!strcmp(w, "--fs-uuid") || !strcmp(w, "-u"))
			kind = 'u';
		else if (!strcmp(w, "--label") || !strcmp(w, "-l"))
			kind = 'l';
		else if (!strcmp(w, "--file") || !strcmp(w, "-f"))
			kind = 'f';
		else if (!strncmp(w, "--set=", 6))
			var = w + 6;
		else if (!strcmp(w, "--set") || !strcmp(w, "-s")) {
			var = "root";
			/* --set VAR: the next word, unless it turns out to
			 * be the only thing to search for (below). */
			if (i + 1 < a->n && a->v[i + 1][0] != '-') {
				var = a->v[++i];
				var_guessed = true;
			}
		} else if (!strncmp(w, "--hint", 6)) {
			if (!strchr(w, '=') && i + 1 < a->n)
				i++;
		} else if (w[0] == '-' && w[1]) {
			/* --no-floppy, --efidisk-only, ...: nothing to do */
		} else if (!name) {
			name = w;
		}
	}
	if (!name && var_guessed) {
		name = var;
		var = "root";
	}
	if (!name) {
		gwarn(st, "search: nothing to search for");
		return 1;
	}
	return do_search(st, kind, name, var);
}

static void run_script(struct st *st, const struct kj_gscript *s);

static bool was_read(struct st *st, size_t root, const char *path)
{
	for (size_t i = 0; i < st->n_scripts; i++)
		if (st->script_roots[i] == root &&
		    !strcmp(st->scripts[i]->path, path))
			return true;
	return false;
}

/* $config_file and $config_directory while a config runs, as GRUB's
 * read_config_file sets (and exports) them; the old values come back. */
struct config_vars {
	char *file, *dir;
};

static void set_config_vars(struct st *st, size_t root, const char *path,
			    struct config_vars *old)
{
	const char *f = kj_vars_get(st->vars, "config_file");
	const char *d = kj_vars_get(st->vars, "config_directory");
	char *file = NULL, *dirvar = NULL, *dir = kj_path_dirname(path);

	old->file = f ? strdup(f) : NULL;
	old->dir = d ? strdup(d) : NULL;
	/* "(kjroot0)/boot/grub/x.cfg" in "(kjroot0)/boot/grub", and
	 * "(kjroot0)/x.cfg" in "(kjroot0)", as GRUB cuts at the last '/' */
	if (dir && asprintf(&file, "(kjroot%zu)%s", root, path) < 0)
		file = NULL;
	if (dir && asprintf(&dirvar, "(kjroot%zu)%s", root,
			    strcmp(dir, "/") ? dir : "") < 0)
		dirvar = NULL;
	if ((f && !old->file) || (d && !old->dir) || !file || !dirvar) {
		free(dirvar);
		free(file);
		free(dir);
		oom(st);
		return;
	}
	store_var(st, st->vars, "config_file", file);
	store_var(st, st->vars, "config_directory", dirvar);
	export_name(st, "config_file");
	export_name(st, "config_directory");
	free(dirvar);
	free(file);
	free(dir);
}

static void restore_config_vars(struct st *st, struct config_vars *old)
{
	const char *names[] = { "config_file", "config_directory" };
	char *vals[] = { old->file, old->dir };

	for (int i = 0; i < 2; i++) {
		if (!vals[i])
			kj_vars_unset(st->vars, names[i]);
		else
			store_var(st, st->vars, names[i], vals[i]);
		free(vals[i]);
	}
}

/* Read and lex a config; the script stays alive for its functions. */
static int cmd_source(struct st *st, const char *arg)
{
	struct kj_err err = { 0 };
	struct kj_gscript *s, **v;
	const char *ocfg = st->cfg;
	unsigned oline = st->line;
	struct config_vars old;
	size_t root, len, *sr;
	char *path, *text;
	int r;

	if (st->nest >= KJ_GRUB_MAX_NESTING) {
		gwarn(st, "%s: configs nested deeper than %d", arg,
		      KJ_GRUB_MAX_NESTING);
		return 1;
	}
	if (st->files >= KJ_GRUB_MAX_FILES) {
		gwarn(st, "%s: more than %d configs read", arg,
		      KJ_GRUB_MAX_FILES);
		return 1;
	}
	path = resolve(st, arg, &root);
	if (!path)
		return 1;
	r = kj_root_read(&st->set->v[root], path, KJ_MAX_CONFIG_SIZE, &text,
			 &len, &err);
	if (r < 0) {
		/* The top-level config's warnings name it already. */
		gwarn(st, "%s",
		      st->nest ? err.msg : kj_root_err_reason(&err, path));
		free(path);
		return r == -ENOMEM ? (oom(st), 1) : 1;
	}
	st->files++;
	s = calloc(1, sizeof(*s));
	v = realloc(st->scripts, (st->n_scripts + 1) * sizeof(*v));
	if (v)
		st->scripts = v;
	sr = realloc(st->script_roots, (st->n_scripts + 1) * sizeof(*sr));
	if (sr)
		st->script_roots = sr;
	if (!s || !v || !sr || kj_grub_lex(text, len, path, s, st->warn) < 0) {
		free(s);
		free(text);
		free(path);
		oom(st);
		return 1;
	}
	free(text);
	st->script_roots[st->n_scripts] = root;
	st->scripts[st->n_scripts++] = s;
	st->nest++;
	set_config_vars(st, root, path, &old);
	free(path);
	run_script(st, s);
	restore_config_vars(st, &old);
	st->nest--;
	st->returning = false;
	st->cfg = ocfg;
	st->line = oline;
	return 0;
}

static int cmd_load_env(struct st *st, struct argv *a)
{
	struct kj_vars env = { 0 };
	const char *file = NULL;
	size_t first = 0, root;
	char *path;
	int r;

	for (size_t i = 1; i < a->n; i++) {
		if ((!strcmp(a->v[i], "-f") || !strcmp(a->v[i], "--file")) &&
		    i + 1 < a->n)
			file = a->v[++i];
		else if (!strncmp(a->v[i], "--file=", 7))
			file = a->v[i] + 7;
		else if (a->v[i][0] == '-')
			continue; /* --skip-sig */
		else if (!first)
			first = i; /* only these names are loaded */
	}
	if (file) {
		path = resolve(st, file, &root);
	} else {
		const char *prefix = kj_vars_get(st->vars, "prefix");
		char buf[KJ_VAR_VALUE_MAX + 16];

		snprintf(buf, sizeof(buf), "%s/grubenv", prefix ? prefix : "");
		path = resolve(st, buf, &root);
	}
	if (!path)
		return 1;
	r = kj_grubenv_load(&st->set->v[root], path, &env, st->warn);
	if (r == -ENOENT)
		gwarn(st, "load_env: %s not found", path);
	free(path);
	for (size_t i = 0; r >= 0 && i < env.n; i++) {
		bool want = !first;

		for (size_t k = first; first && k < a->n && !want; k++)
			want = a->v[k][0] != '-' &&
			       !strcmp(a->v[k], env.v[i].name);
		if (want)
			store_var(st, st->vars, env.v[i].name, env.v[i].value);
	}
	kj_vars_free(&env);
	return r < 0;
}

static int cmd_blscfg(struct st *st)
{
	struct kj_entry_list tmp = { 0 };
	size_t root = cur_root(st);
	int r;

	if (st->cur) {
		gwarn(st, "blscfg inside a menuentry, ignored");
		return 1;
	}
	r = kj_bls_scan(&st->set->v[root], st->vars, &tmp, st->warn);
	if (r < 0)
		oom(st);
	for (size_t i = 0; i < tmp.n; i++) {
		struct kj_entry *e = &tmp.v[i];
		char *title = e->title ? strdup(e->title) : NULL;
		char *id = e->id ? strdup(e->id) : NULL;

		/* GRUB picks the default from `default`, not loader.conf. */
		e->is_default = false;
		if (!st->err && title && id)
			emit(st, e, title, id);
		else
			oom(st);
		free(title);
		free(id);
	}
	kj_entry_list_free(&tmp);
	return r <= 0;
}

static struct func *find_func(struct st *st, const char *name)
{
	for (size_t i = 0; i < st->n_funcs; i++)
		if (!strcmp(st->funcs[i].name, name))
			return &st->funcs[i];
	return NULL;
}

static void define_func(struct st *st, const char *name,
			const struct kj_gscript *s, size_t start)
{
	struct func *f = find_func(st, name), *v;

	if (f) {
		f->s = s;
		f->start = start;
		return;
	}
	if (st->n_funcs >= FUNCS_MAX) {
		gwarn(st, "more than %d functions", FUNCS_MAX);
		return;
	}
	v = realloc(st->funcs, (st->n_funcs + 1) * sizeof(*v));
	if (!v) {
		oom(st);
		return;
	}
	st->funcs = v;
	v[st->n_funcs].name = strdup(name);
	v[st->n_funcs].s = s;
	v[st->n_funcs].start = start;
	if (!v[st->n_funcs].name)
		oom(st);
	else
		st->n_funcs++;
}

static int call_func(struct st *st, const struct func *f, struct argv *a)
{
	const char *ocfg = st->cfg;
	char **oargs = st->args;
	size_t onargs = st->nargs;
	unsigned oloops = st->loops;

	st->args = a->v + 1;
	st->nargs = a->n - 1;
	st->status = 0;
	st->cfg = f->s->path; /* warnings name the file it came from */
	st->loops = 0; /* a break in a function leaves no caller's loop */
	run_body(st, f->s, f->start);
	st->returning = false;
	st->loops = oloops;
	st->cfg = ocfg;
	st->args = oargs;
	st->nargs = onargs;
	return st->status;
}

static const char *foreign(const char *cmd)
{
	for (size_t i = 0;
	     i < sizeof(foreign_loaders) / sizeof(foreign_loaders[0]); i++)
		if (!strcmp(cmd, foreign_loaders[i]))
			return foreign_loaders[i];
	return NULL;
}

/* Run one expanded simple command; returns its status. */
static int dispatch(struct st *st, struct argv *a, size_t off)
{
	const char *c;
	struct func *f;

	if (off >= a->n)
		return 0;
	c = a->v[off];
	if (off) { /* "! cmd" */
		struct argv sub = { a->v + off, a->n - off, a->bytes };

		return dispatch(st, &sub, 0);
	}
	if (!strcmp(c, "!") && a->n > 1) {
		size_t bangs = 0;

		while (bangs < a->n - 1 && !strcmp(a->v[bangs], "!"))
			bangs++;
		return (dispatch(st, a, bangs) != 0) ^ (int)(bangs & 1);
	}
	f = find_func(st, c);
	if (f)
		return call_func(st, f, a);
	if (!strcmp(c, "set")) {
		int r = 0;

		for (size_t i = 1; i < a->n; i++)
			r |= cmd_set(st, a->v[i]);
		return r;
	}
	if (a->n == 1 && is_assignment(c))
		return cmd_set(st, c);
	if (!strcmp(c, "unset")) {
		for (size_t i = 1; i < a->n; i++)
			kj_vars_unset(st->vars, a->v[i]);
		return 0;
	}
	if (!strcmp(c, "[") || !strcmp(c, "test"))
		return cmd_test(st, a, c[0] == '[');
	if (!strcmp(c, "true"))
		return 0;
	if (!strcmp(c, "false"))
		return 1;
	if (!strcmp(c, "linux") || !strcmp(c, "linux16") ||
	    !strcmp(c, "linuxefi"))
		return cmd_linux(st, a, KJ_ENTRY_LINUX);
	if (!strcmp(c, "multiboot"))
		return cmd_linux(st, a, KJ_ENTRY_MULTIBOOT);
	if (!strcmp(c, "multiboot2"))
		return cmd_linux(st, a, KJ_ENTRY_MULTIBOOT2);
	if (!strcmp(c, "initrd") || !strcmp(c, "initrd16") ||
	    !strcmp(c, "initrdefi"))
		return cmd_initrd(st, a);
	if (!strcmp(c, "devicetree"))
		return cmd_devicetree(st, a);
	if (!strcmp(c, "module") || !strcmp(c, "module2"))
		return cmd_module(st, a);
	if (!strcmp(c, "search") || !strncmp(c, "search.", 7))
		return cmd_search(st, a);
	if (!strcmp(c, "configfile") || !strcmp(c, "source") ||
	    !strcmp(c, ".")) {
		if (a->n < 2) {
			gwarn(st, "%s: no file given", c);
			return 1;
		}
		if (st->cur && c[0] == 'c') {
			/* It opens another menu when chosen: remember it,
			 * cmd_menu lists that menu as a submenu. */
			if (!st->cur->chain)
				st->cur->chain = qualify(st, a->v[1]);
			return 0;
		}
		if (c[0] == 'c')
			return cmd_configfile(st, a->v[1]);
		return cmd_source(st, a->v[1]);
	}
	if (!strcmp(c, "load_env"))
		return cmd_load_env(st, a);
	if (!strcmp(c, "blscfg"))
		return cmd_blscfg(st);
	if (!strcmp(c, "menuentry") || !strcmp(c, "submenu")) {
		gwarn(st, "%s without a { } body", c);
		return 1;
	}
	if (!strcmp(c, "return")) {
		if (a->n > 1)
			st->status = atoi(a->v[1]);
		st->returning = true;
		return st->status;
	}
	if (!strcmp(c, "break") || !strcmp(c, "continue")) {
		unsigned long n = a->n > 1 ? strtoul(a->v[1], NULL, 10) : 1;

		/* As in GRUB: at most the loops we are in, none outside. */
		if (n == 0)
			return 1;
		st->breaks = n < st->loops ? (unsigned)n : st->loops;
		st->continuing = c[0] == 'c';
		return 0;
	}
	if (!strcmp(c, "export")) {
		for (size_t i = 1; i < a->n; i++)
			export_name(st, a->v[i]);
		return 0;
	}
	if (!strcmp(c, "exit")) {
		if (st->cur) {
			/* Leaves GRUB when chosen: ends this body only. */
			if (!st->cur->foreign)
				st->cur->foreign = "exit";
			st->returning = true;
			return 0;
		}
		st->stop = true;
		return 0;
	}
	if (foreign(c)) {
		if (st->cur && !st->cur->foreign)
			st->cur->foreign = foreign(c);
		return 0;
	}
	/* insmod, echo, terminal_output, loadfont, play, save_env, ...:
	 * nothing that changes the menu. */
	return 0;
}

static bool at_term(const struct kj_gtok *t, enum term *which)
{
	if (t->type == KJ_GTOK_EOF) {
		*which = T_EOF;
		return true;
	}
	if (t->type == KJ_GTOK_RBRACE) {
		*which = T_RBRACE;
		return true;
	}
	for (enum term k = T_THEN; k <= T_DONE; k++) {
		if (kj_gtok_is(t, term_words[k])) {
			*which = k;
			return true;
		}
	}
	return false;
}

static int run_command(struct st *st, const struct kj_gscript *s, size_t *pos,
		       bool exec);

/* if LIST then LIST [elif LIST then LIST]... [else LIST] fi */
static int run_if(struct st *st, const struct kj_gscript *s, size_t *pos,
		  bool exec)
{
	unsigned line = s->t[*pos].line;
	bool taken = false;
	int status = 0;
	enum term t;

	(*pos)++;
	for (;;) {
		bool branch;

		t = run_list(st, s, pos, exec && !taken, M(T_THEN));
		if (t != T_THEN) {
			st->line = line;
			if (t != T_ABORT)
				gwarn(st, "if without then");
			return 1;
		}
		branch = exec && !taken && st->status == 0;
		(*pos)++;
		t = run_list(st, s, pos, branch,
			     M(T_ELIF) | M(T_ELSE) | M(T_FI));
		if (branch)
			status = st->status;
		taken = taken || branch;
		if (t != T_ELIF)
			break;
		(*pos)++;
	}
	if (t == T_ELSE) {
		(*pos)++;
		t = run_list(st, s, pos, exec && !taken, M(T_FI));
		if (exec && !taken)
			status = st->status;
	}
	if (t != T_FI) {
		st->line = line;
		if (t != T_ABORT)
			gwarn(st, "if without fi");
		return 1;
	}
	(*pos)++;
	return status;
}

static bool valid_name(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return false;
	for (s++; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

/* After a loop body ran: 1 when the loop must stop (break, or a continue
 * for an outer loop), 0 to go on. */
static int loop_unwind(struct st *st)
{
	if (!st->breaks)
		return 0;
	if (st->continuing && st->breaks == 1) {
		st->breaks = 0;
		st->continuing = false;
		return 0;
	}
	return 1;
}

static void loop_leave(struct st *st)
{
	st->loops--;
	if (st->breaks && --st->breaks == 0)
		st->continuing = false;
}

/* Another iteration, unless the loop has run KJ_GRUB_MAX_ITERATIONS. */
static bool loop_more(struct st *st, unsigned iter, unsigned line)
{
	if (iter < KJ_GRUB_MAX_ITERATIONS)
		return true;
	st->line = line;
	gwarn(st, "loop ran %d times, stopped", KJ_GRUB_MAX_ITERATIONS);
	return false;
}

/* Parse "do LIST done" at *pos (after the loop head); *body gets the
 * first token of LIST. Leaves *pos after done. */
static bool loop_body(struct st *st, const struct kj_gscript *s, size_t *pos,
		      size_t *body, const char *what, unsigned line)
{
	enum term t;

	while (s->t[*pos].type == KJ_GTOK_SEP)
		(*pos)++;
	if (!kj_gtok_is(&s->t[*pos], "do")) {
		t = run_list(st, s, pos, false, M(T_DO));
		if (t != T_DO) {
			st->line = line;
			if (t != T_ABORT)
				gwarn(st, "%s without do", what);
			return false;
		}
	}
	*body = ++*pos;
	t = run_list(st, s, pos, false, M(T_DONE));
	if (t != T_DONE) {
		st->line = line;
		if (t != T_ABORT)
			gwarn(st, "%s without done", what);
		return false;
	}
	(*pos)++;
	return true;
}

/* for NAME in WORDS; do LIST; done — NAME is set to each word in turn
 * (a global variable, as in GRUB). */
static int run_for(struct st *st, const struct kj_gscript *s, size_t *pos,
		   bool exec)
{
	unsigned line = s->t[*pos].line;
	const struct kj_gtok *nt = &s->t[++*pos];
	struct argv words = { 0 };
	size_t wstart, wend, body;
	char *name = NULL;
	int status = 0;

	if (nt->type == KJ_GTOK_WORD && !nt->quoted && nt->n_parts == 1 &&
	    nt->parts[0].kind == KJ_GPART_LIT && valid_name(nt->parts[0].text))
		name = nt->parts[0].text;
	if (!name || !kj_gtok_is(&s->t[*pos + 1], "in")) {
		gwarn(st, "for: expected NAME in WORDS");
		name = NULL;
	} else {
		*pos += 2;
	}
	wstart = *pos;
	while (s->t[*pos].type == KJ_GTOK_WORD)
		(*pos)++;
	wend = *pos;
	if (!loop_body(st, s, pos, &body, "for", line) || !name || !exec ||
	    st->stop)
		return name ? 0 : 1;
	for (size_t i = wstart; i < wend && !st->stop; i++) {
		int r = expand_tok(st, &s->t[i], &words);

		if (r == -E2BIG) {
			gwarn(st, "for: more than %d words or %d bytes",
			      ARGV_MAX, ARGV_BYTES_MAX);
			break;
		}
		if (r < 0) {
			oom(st);
			break;
		}
	}
	st->loops++;
	for (size_t i = 0; i < words.n && !st->stop && !st->returning; i++) {
		size_t p = body;

		if (!loop_more(st, (unsigned)i, line))
			break;
		store_var(st, st->vars, name, words.v[i]);
		if (st->stop)
			break;
		run_list(st, s, &p, true, M(T_DONE));
		status = st->status;
		if (loop_unwind(st))
			break;
	}
	loop_leave(st);
	argv_free(&words);
	return status;
}

/* while|until LIST; do LIST; done */
static int run_while(struct st *st, const struct kj_gscript *s, size_t *pos,
		     bool exec, bool until)
{
	unsigned line = s->t[*pos].line;
	size_t cond = ++*pos, body;
	int status = 0;

	if (run_list(st, s, pos, false, M(T_DO)) != T_DO) {
		st->line = line;
		if (!st->stop)
			gwarn(st, "%s without do", until ? "until" : "while");
		return 1;
	}
	if (!loop_body(st, s, pos, &body, until ? "until" : "while", line) ||
	    !exec || st->stop)
		return 0;
	st->loops++;
	for (unsigned i = 0; !st->stop && !st->returning; i++) {
		size_t p = cond;

		if (!loop_more(st, i, line))
			break;
		run_list(st, s, &p, true, M(T_DO));
		if (st->stop || st->returning || loop_unwind(st))
			break;
		if ((st->status == 0) == until)
			break;
		p = body;
		run_list(st, s, &p, true, M(T_DONE));
		status = st->status;
		if (loop_unwind(st))
			break;
	}
	loop_leave(st);
	return status;
}

static int run_command(struct st *st, const struct kj_gscript *s, size_t *pos,
		       bool exec)
{
	const struct kj_gtok *t = &s->t[*pos];
	struct argv a = { 0 };
	size_t start = *pos, wend, body = 0;
	bool block = false;
	int status = 0;

	st->line = t->line;
	if (exec && ++st->steps > KJ_GRUB_MAX_STEPS) {
		gwarn(st, "more than %d commands evaluated, stopped",
		      KJ_GRUB_MAX_STEPS);
		st->stop = true;
		return 1;
	}
	if (kj_gtok_is(t, "if"))
		return run_if(st, s, pos, exec);
	if (kj_gtok_is(t, "for"))
		return run_for(st, s, pos, exec);
	if (kj_gtok_is(t, "while") || kj_gtok_is(t, "until"))
		return run_while(st, s, pos, exec, t->parts[0].text[0] == 'u');
	if (kj_gtok_is(t, "function")) {
		const struct kj_gtok *name = &s->t[*pos + 1];

		if (name->type != KJ_GTOK_WORD ||
		    s->t[*pos + 2].type != KJ_GTOK_LBRACE) {
			gwarn(st, "function: expected NAME {");
			(*pos)++;
			return 1;
		}
		*pos += 2;
		body = skip_block(st, s, pos);
		if (exec && !st->stop) {
			if (expand_tok(st, name, &a) < 0)
				oom(st);
			else if (a.n == 1)
				define_func(st, a.v[0], s, body);
			argv_free(&a);
		}
		return 0;
	}
	while (s->t[*pos].type == KJ_GTOK_WORD)
		(*pos)++;
	wend = *pos;
	charge(st, wend - start);
	if (s->t[*pos].type == KJ_GTOK_LBRACE) {
		block = true;
		body = skip_block(st, s, pos);
		st->line = t->line;
	}
	if (!exec || st->stop)
		return 0;
	for (size_t i = start; i < wend && !st->stop; i++) {
		int r = expand_tok(st, &s->t[i], &a);

		if (r == -E2BIG) {
			gwarn(st, "command longer than %d words or %d bytes",
			      ARGV_MAX, ARGV_BYTES_MAX);
			break;
		}
		if (r < 0) {
			oom(st);
			argv_free(&a);
			return 1;
		}
	}
	charge(st, a.bytes / 64); /* bytes copied cost time too */
	if (a.n == 0) {
		argv_free(&a);
		return 0;
	}
	if (block) {
		if (!strcmp(a.v[0], "menuentry") || !strcmp(a.v[0], "submenu"))
			cmd_menu(st, &a, s, body, a.v[0][0] == 's');
		else
			gwarn(st, "%.64s { }: not a block command, skipped",
			      a.v[0]);
	} else {
		status = dispatch(st, &a, 0);
	}
	argv_free(&a);
	return status;
}

/* Run (or, with exec false, only parse) commands until a terminator in
 * want, EOF, or an abort. Other terminators are warned about and
 * skipped. */
static enum term run_list(struct st *st, const struct kj_gscript *s,
			  size_t *pos, bool exec, unsigned want)
{
	enum term which = T_EOF;

	if (++st->depth > KJ_GRUB_MAX_DEPTH) {
		if (!st->stop)
			gwarn(st, "blocks nested deeper than %d, stopped",
			      KJ_GRUB_MAX_DEPTH);
		st->stop = true;
	}
	while (!st->stop && !(exec && (st->returning || st->breaks))) {
		const struct kj_gtok *t = &s->t[*pos];

		charge(st, 1);
		if (t->type == KJ_GTOK_SEP) {
			(*pos)++;
			continue;
		}
		if (at_term(t, &which)) {
			if (which == T_EOF || (want & M(which)))
				goto out;
			st->line = t->line;
			gwarn(st, "unexpected %s",
			      which == T_RBRACE ? "}" : term_words[which]);
			(*pos)++;
			continue;
		}
		if (t->type == KJ_GTOK_LBRACE) {
			st->line = t->line;
			gwarn(st, "{ without a command, skipped");
			skip_block(st, s, pos);
			continue;
		}
		{
			int status = run_command(st, s, pos, exec);

			/* A return sets $? itself; keep it while unwinding. */
			if (exec && !st->returning)
				st->status = status;
		}
	}
	which = T_ABORT;
out:
	st->depth--;
	return which;
}

static void run_script(struct st *st, const struct kj_gscript *s)
{
	size_t pos = 0;

	st->cfg = s->path;
	run_list(st, s, &pos, true, 0);
}

/* ---- the scan ---- */

static bool level_match(const struct level *lv, const char *comp)
{
	if (all_digits(comp))
		return strlen(comp) < 10 && strtoul(comp, NULL, 10) == lv->idx;
	return !strcmp(comp, lv->title) || (lv->id && !strcmp(comp, lv->id));
}

static bool path_match(const struct epath *p, char **comp, size_t n,
		       bool prefix)
{
	if (prefix ? p->n <= n : p->n != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!level_match(&p->lv[i], comp[i]))
			return false;
	return true;
}

static void pick_default(struct st *st, const char *def)
{
	size_t n = st->out->n - st->base, pick = 0;
	char *copy, *comp[KJ_GRUB_MAX_SUBMENU + 1], *sp;
	size_t nc = 0;
	bool found = false;

	if (n == 0)
		return;
	if (def && *def) {
		copy = strdup(def);
		if (!copy) {
			oom(st);
			return;
		}
		for (char *c = strtok_r(copy, ">", &sp);
		     c && nc < KJ_GRUB_MAX_SUBMENU + 1;
		     c = strtok_r(NULL, ">", &sp))
			comp[nc++] = c;
		for (int prefix = 0; prefix < 2 && !found && nc; prefix++)
			for (size_t i = 0; i < n && !found; i++)
				if (path_match(&st->paths[i], comp, nc, prefix))
					pick = i, found = true;
		if (!found)
			kj_warn(st->warn, st->cfg, 0,
				"default \"%.128s\" matches no entry", def);
		free(copy);
	}
	st->out->v[st->base + pick].is_default = true;
}

/* /EFI/NAME/grub.cfg in any letter case, NAME=BOOT (removable media)
 * first, then the others in bytewise order. */
static char *find_efi_config(const struct kj_root *root)
{
	char *efi, **names = NULL, *found;
	size_t n = 0;

	found = kj_root_find_nocase(root, "/EFI/BOOT/grub.cfg");
	if (found)
		return found;
	if (root->mem) {
		/* The table lists files only: look at their paths. */
		for (size_t i = 0; i < root->n_mem && !found; i++) {
			const char *p = root->mem[i].path, *slash;

			if (strncasecmp(p, "/EFI/", 5) != 0)
				continue;
			slash = strchr(p + 5, '/');
			if (slash && slash > p + 5 &&
			    !strcasecmp(slash, "/grub.cfg"))
				found = strdup(p);
		}
		return found;
	}
	efi = kj_root_find_nocase(root, "/EFI");
	if (!efi || kj_root_list(root, efi, 256, &names, &n) < 0)
		n = 0;
	for (size_t i = 0; i < n && !found; i++) {
		char *dir = kj_path_join(efi, names[i]), *cfg;

		cfg = dir ? kj_path_join(dir, "grub.cfg") : NULL;
		if (cfg)
			found = kj_root_find_nocase(root, cfg);
		free(cfg);
		free(dir);
	}
	kj_root_names_free(names, n);
	free(efi);
	return found;
}

static char *find_config(const struct kj_root *root)
{
	char *found;

	for (size_t i = 0; i < sizeof(config_paths) / sizeof(*config_paths);
	     i++)
		if (kj_root_exists(root, config_paths[i]))
			return strdup(config_paths[i]);
	found = find_efi_config(root);
	if (!found && kj_root_exists(root, "/grub.cfg"))
		found = strdup("/grub.cfg");
	return found;
}

static int init_vars(struct st *st, const char *config)
{
	static const char *const fixed[][2] = {
		{ "grub_platform", "efi" },
		{ "grub_cpu", "x86_64" },
		{ "feature_menuentry_id", "y" },
		{ "feature_menuentry_options", "y" },
		{ "feature_all_video_module", "y" },
		{ "feature_default_font_path", "y" },
		{ "feature_timeout_style", "y" },
		{ "feature_nativedisk_cmd", "y" },
		{ "feature_200_final", "y" },
	};
	char dev[32], *dir = kj_path_dirname(config), *prefix;
	int r = 0;

	if (!dir)
		return -ENOMEM;
	snprintf(dev, sizeof(dev), "kjroot%zu", st->scan_root);
	prefix = malloc(strlen(dir) + sizeof(dev) + 3);
	if (prefix) {
		sprintf(prefix, "(%s)%s", dev, strcmp(dir, "/") ? dir : "");
		r = kj_vars_set(st->vars, "prefix", prefix);
		if (r >= 0)
			r = kj_vars_set(st->vars, "cmdpath", prefix);
	} else {
		r = -ENOMEM;
	}
	if (r >= 0)
		r = kj_vars_set(st->vars, "root", dev);
	for (size_t i = 0; r >= 0 && i < sizeof(fixed) / sizeof(*fixed); i++)
		r = kj_vars_set(st->vars, fixed[i][0], fixed[i][1]);
	/* What GRUB's kernel and normal module export. */
	export_name(st, "root");
	export_name(st, "prefix");
	for (size_t i = 0; i < sizeof(fixed) / sizeof(*fixed); i++)
		export_name(st, fixed[i][0]);
	if (st->err)
		r = st->err;
	free(prefix);
	free(dir);
	return r;
}

void kj_grub_info_free(struct kj_grub_info *info)
{
	free(info->config);
	free(info->default_spec);
	memset(info, 0, sizeof(*info));
}

int kj_grub_scan_config(const struct kj_rootset *set, size_t root_index,
			const char *config, struct kj_entry_list *out,
			struct kj_grub_info *info, struct kj_warnings *warn)
{
	struct kj_vars vars = { 0 };
	struct st st = {
		.set = set,
		.scan_root = root_index,
		.out = out,
		.base = out->n,
		.warn = warn,
		.vars = &vars,
	};
	const char *def, *tmo;
	char *cfg, *arg;
	int r;

	if (info)
		memset(info, 0, sizeof(*info));
	if (!set || root_index >= set->n)
		return -EINVAL;
	cfg = config ? kj_path_join("/", config)
		     : find_config(&set->v[root_index]);
	if (!cfg)
		return config ? -ENOMEM : -ENOENT;
	st.cfg = cfg;
	arg = malloc(strlen(cfg) + 32);
	if (!arg || init_vars(&st, cfg) < 0) {
		free(arg);
		free(cfg);
		kj_vars_free(&vars);
		return -ENOMEM;
	}
	sprintf(arg, "(kjroot%zu)%s", root_index, cfg);
	if (!kj_root_exists(&set->v[root_index], cfg)) {
		r = -ENOENT;
	} else {
		r = cmd_source(&st, arg);
		if (r && !st.err && !st.files) {
			r = -EIO; /* warned by cmd_source */
		} else {
			r = 0;
		}
	}
	st.cfg = cfg;
	def = kj_vars_get(&vars, "default");
	pick_default(&st, def);
	tmo = kj_vars_get(&vars, "timeout");
	if (info && !st.err) {
		info->config = cfg;
		cfg = NULL;
		if (def)
			info->default_spec = strdup(def);
		if (tmo && *tmo &&
		    (isdigit((unsigned char)*tmo) || *tmo == '-')) {
			info->has_timeout = true;
			info->timeout = atoi(tmo);
		}
	}
	for (size_t i = 0; i < st.n_scripts; i++) {
		kj_grub_script_free(st.scripts[i]);
		free(st.scripts[i]);
	}
	free(st.scripts);
	free(st.script_roots);
	for (size_t i = 0; i < st.n_funcs; i++)
		free(st.funcs[i].name);
	free(st.funcs);
	for (size_t i = 0; i < st.n_exported; i++)
		free(st.exported[i]);
	free(st.exported);
	for (size_t i = 0; st.paths && i < out->n - st.base; i++)
		levels_free(st.paths[i].lv, st.paths[i].n);
	free(st.paths);
	kj_vars_free(&vars);
	free(arg);
	free(cfg);
	if (st.err)
		return st.err;
	if (r < 0)
		return r;
	return (int)(out->n - st.base);
}

int kj_grub_scan(const struct kj_rootset *set, size_t root_index,
		 struct kj_entry_list *out, struct kj_warnings *warn)
{
	return kj_grub_scan_config(set, root_index, NULL, out, NULL, warn);
}
