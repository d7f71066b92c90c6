/* LILO configs -> boot entries. See lilo.h for what is used.
 *
 * LILO's config is a stream of `name[=value]` items rather than lines, so
 * it is read token by token; each image=/other= opens a section that the
 * items after it belong to. */
#include "boot/lilo.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LILO_MAX_VALUE 4096 /* a kernel command line is shorter */

struct lilo_sec {
	bool other;     /* other=: another OS's boot sector */
	char *path;     /* image= or other= value */
	char *label, *alias, *append, *addappend, *literal, *initrd, *root;
	int ro;         /* -1 unset, 0 read-write, 1 read-only */
	bool optional, noinitrd, range;
	unsigned line;
};

struct lilo_cfg {
	const struct kj_root *root;
	const char *file;
	struct kj_warnings *warn;
	struct lilo_sec global;
	struct lilo_sec *v;
	size_t n, cap;
	bool dropping; /* too many sections: the rest is ignored */
	struct lilo_sec scratch;
	char *def;
	unsigned def_line;
	int timeout, delay;
	bool prompt;
};

struct lex {
	const char *p, *end;
	unsigned line;
};

static void sec_free(struct lilo_sec *s)
{
	free(s->path);
	free(s->label);
	free(s->alias);
	free(s->append);
	free(s->addappend);
	free(s->literal);
	free(s->initrd);
	free(s->root);
	memset(s, 0, sizeof(*s));
	s->ro = -1;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' ||
	       c == '\0';
}

/* Skip blanks, comments and line continuations; newlines too unless
 * stop_at_eol. */
static void skip(struct lex *lx, bool stop_at_eol)
{
	while (lx->p < lx->end) {
		char c = *lx->p;

		if (is_blank(c)) {
			lx->p++;
		} else if (c == '\\' && lx->p + 1 < lx->end &&
			   lx->p[1] == '\n') {
			lx->p += 2;
			lx->line++;
		} else if (c == '#') {
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
		} else if (c == '\n' && !stop_at_eol) {
			lx->p++;
			lx->line++;
		} else {
			break;
		}
	}
}

struct buf {
	char *s;
	size_t n, cap;
};

static int put(struct buf *b, char c)
{
	if (b->n >= LILO_MAX_VALUE)
		return 0; /* token() warns */
	if (b->n + 1 >= b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 32;
		char *s = realloc(b->s, cap);

		if (!s)
			return -ENOMEM;
		b->s = s;
		b->cap = cap;
	}
	b->s[b->n++] = c;
	b->s[b->n] = '\0';
	return 0;
}

static char *done(struct buf *b, const struct lex *lx, struct lilo_cfg *cfg)
{
	if (b->n >= LILO_MAX_VALUE)
		kj_warn(cfg->warn, cfg->file, lx->line,
			"value longer than %d bytes, cut", LILO_MAX_VALUE);
	return b->s;
}

/* A name (ends at '=') or a value (may hold '='), quoted or not. Returns
 * the malloc'd token ("" when empty), or NULL when out of memory. */
static char *token(struct lex *lx, bool is_value, struct lilo_cfg *cfg)
{
	struct buf b = { strdup(""), 0, 1 };

	if (!b.s)
		return NULL;
	if (lx->p < lx->end && *lx->p == '"') {
		unsigned start = lx->line;

		lx->p++;
		for (;;) {
			char c;

			if (lx->p >= lx->end) {
				kj_warn(cfg->warn, cfg->file, start,
					"unterminated quoted string");
				break;
			}
			c = *lx->p++;
			if (c == '"')
				break;
			if (c == '\n')
				lx->line++;
			if (c == '\\' && lx->p < lx->end) {
				char n = *lx->p;

				if (n == '\n') {
					lx->p++;
					lx->line++;
					continue;
				}
				if (n == '"' || n == '\\') {
					c = n;
					lx->p++;
				}
			}
			if (c == '\0' || c == '\n')
				c = ' ';
			if (put(&b, c) < 0)
				goto oom;
		}
		return done(&b, lx, cfg);
	}
	while (lx->p < lx->end) {
		char c = *lx->p;

		if (is_blank(c) || c == '\n' || c == '#' ||
		    (c == '=' && !is_value))
			break;
		if (c == '\\' && lx->p + 1 < lx->end && lx->p[1] == '\n')
			break;
		if (put(&b, c) < 0)
			goto oom;
		lx->p++;
	}
	return done(&b, lx, cfg);
oom:
	free(b.s);
	return NULL;
}

static struct lilo_sec *new_section(struct lilo_cfg *cfg, unsigned line)
{
	struct lilo_sec *s;

	if (cfg->dropping)
		return NULL;
	if (cfg->n >= KJ_MAX_ENTRIES) {
		kj_warn(cfg->warn, cfg->file, line,
			"more than %d sections, the rest is ignored",
			KJ_MAX_ENTRIES);
		cfg->dropping = true;
		return NULL;
	}
	if (cfg->n == cfg->cap) {
		size_t cap = cfg->cap ? cfg->cap * 2 : 8;

		s = realloc(cfg->v, cap * sizeof(*s));
		if (!s)
			return NULL;
		cfg->v = s;
		cfg->cap = cap;
	}
	s = &cfg->v[cfg->n++];
	memset(s, 0, sizeof(*s));
	s->ro = -1;
	s->line = line;
	return s;
}

static int parse_int(const char *v)
{
	long n = strtol(v, NULL, 10);

	if (n < 0)
		return 0;
	return n > INT_MAX ? INT_MAX : (int)n;
}

/* Items that take a string value, and where it goes. */
static char **string_field(struct lilo_sec *s, const char *name)
{
	static const struct {
		const char *name;
		size_t off;
	} fields[] = {
		{ "label", offsetof(struct lilo_sec, label) },
		{ "alias", offsetof(struct lilo_sec, alias) },
		{ "append", offsetof(struct lilo_sec, append) },
		{ "addappend", offsetof(struct lilo_sec, addappend) },
		{ "literal", offsetof(struct lilo_sec, literal) },
		{ "initrd", offsetof(struct lilo_sec, initrd) },
		{ "root", offsetof(struct lilo_sec, root) },
	};

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (strcasecmp(name, fields[i].name) == 0)
			return (char **)((char *)s + fields[i].off);
	return NULL;
}

/* One item; value is NULL for a flag. The current section is the last
 * one, or the global options before any. */
static int apply(struct lilo_cfg *cfg, const char *name, const char *value,
		 unsigned line)
{
	struct lilo_sec *s = cfg->n ? &cfg->v[cfg->n - 1] : &cfg->global;
	bool image = strcasecmp(name, "image") == 0;
	char **field;

	if (cfg->dropping)
		s = &cfg->scratch;
	if (image || strcasecmp(name, "other") == 0) {
		if (!value || !*value) {
			kj_warn(cfg->warn, cfg->file, line, "%s without a path",
				name);
			return 0;
		}
		s = new_section(cfg, line);
		if (!s)
			return cfg->dropping ? 0 : -ENOMEM;
		s->other = !image;
		s->path = strdup(value);
		return s->path ? 0 : -ENOMEM;
	}
	if ((field = string_field(s, name))) {
		if (!value) {
			kj_warn(cfg->warn, cfg->file, line, "%s needs a value",
				name);
			return 0;
		}
		free(*field);
		*field = strdup(value);
		return *field ? 0 : -ENOMEM;
	}
	if (strcasecmp(name, "read-only") == 0)
		s->ro = 1;
	else if (strcasecmp(name, "read-write") == 0)
		s->ro = 0;
	else if (strcasecmp(name, "optional") == 0)
		s->optional = true;
	else if (strcasecmp(name, "noinitrd") == 0)
		s->noinitrd = true;
	else if (strcasecmp(name, "range") == 0)
		s->range = true;
	else if (strcasecmp(name, "default") == 0 && value) {
		free(cfg->def);
		cfg->def = strdup(value);
		cfg->def_line = line;
		return cfg->def ? 0 : -ENOMEM;
	} else if (strcasecmp(name, "timeout") == 0 && value)
		cfg->timeout = parse_int(value);
	else if (strcasecmp(name, "delay") == 0 && value)
		cfg->delay = parse_int(value);
	else if (strcasecmp(name, "prompt") == 0)
		cfg->prompt = true;
	/* boot=, map=, install=, vga=, password=, ...: not for kexec */
	return 0;
}

static int parse(struct lilo_cfg *cfg, const char *text, size_t len)
{
	struct lex lx = { .p = text, .end = text + len, .line = 1 };

	for (;;) {
		unsigned line;
		char *name, *value = NULL;
		int r;

		skip(&lx, false);
		if (lx.p >= lx.end)
			return 0;
		line = lx.line;
		if (*lx.p == '=') {
			kj_warn(cfg->warn, cfg->file, line,
				"'=' without a name");
			lx.p++;
			continue;
		}
		name = token(&lx, false, cfg);
		if (!name)
			return -ENOMEM;
		skip(&lx, true);
		if (lx.p < lx.end && *lx.p == '=') {
			lx.p++;
			skip(&lx, true);
			value = token(&lx, true, cfg);
			if (!value) {
				free(name);
				return -ENOMEM;
			}
		}
		r = apply(cfg, name, value, line);
		free(name);
		free(value);
		if (r < 0)
			return r;
	}
}

/* ---- sections to entries ---- */

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static int join(char **buf, size_t *len, const char *a, const char *b)
{
	size_t n = strlen(a) + (b ? strlen(b) : 0);
	char *v;

	if (!n)
		return 0;
	v = realloc(*buf, *len + n + 2);
	if (!v)
		return -ENOMEM;
	*buf = v;
	if (*len)
		v[(*len)++] = ' ';
	*len += (size_t)sprintf(v + *len, "%s%s", a, b ? b : "");
	return 0;
}

static int command_line(const struct lilo_cfg *cfg, const struct lilo_sec *s,
			char **out)
{
	const struct lilo_sec *g = &cfg->global;
	const char *root = s->root ? s->root : g->root;
	const char *append = s->append ? s->append : g->append;
	int ro = s->ro >= 0 ? s->ro : g->ro;
	char *buf = NULL;
	size_t len = 0;
	int r = 0;

	/* literal= replaces the whole line; a section's own append= still
	 * wins over a global literal= */
	if (s->literal || (g->literal && !s->append))
		return (*out = strdup(s->literal ? s->literal : g->literal))
			       ? 0
			       : -ENOMEM;
	if (ro >= 0)
		r = join(&buf, &len, ro ? "ro" : "rw", NULL);
	if (r == 0 && root && *root && strcasecmp(root, "current") != 0)
		r = join(&buf, &len, "root=", root);
	if (r == 0 && append)
		r = join(&buf, &len, append, NULL);
	if (r == 0 && s->addappend)
		r = join(&buf, &len, s->addappend, NULL);
	if (r < 0) {
		free(buf);
		return r;
	}
	*out = buf ? buf : strdup("");
	return *out ? 0 : -ENOMEM;
}

static int emit(struct lilo_cfg *cfg, const struct lilo_sec *s,
		struct kj_entry_list *out, bool is_default)
{
	const struct lilo_sec *g = &cfg->global;
	const char *initrd = s->initrd ? s->initrd : g->initrd;
	const char *name = s->label ? s->label : base_name(s->path);
	char *dir = kj_path_dirname(cfg->file), *kernel = NULL;
	struct kj_entry *e;
	int r;

	if (!dir)
		return -ENOMEM;
	kernel = kj_path_join(dir, s->path);
	if (!kernel) {
		free(dir);
		return -ENOMEM;
	}
	/* "optional": LILO leaves the image out when its file is missing */
	if (!s->other && (s->optional || g->optional) &&
	    !kj_root_exists(cfg->root, kernel)) {
		free(dir);
		free(kernel);
		return 0;
	}
	e = kj_entry_list_add(out);
	if (!e) {
		free(dir);
		free(kernel);
		if (out->n >= KJ_MAX_ENTRIES) {
			kj_warn(cfg->warn, cfg->file, s->line,
				"more than %d entries, ignored",
				KJ_MAX_ENTRIES);
			return 0;
		}
		return -ENOMEM;
	}
	e->source = KJ_SOURCE_LILO;
	e->config_line = s->line;
	e->is_default = is_default;
	r = kj_entry_set(&e->id, *name ? name : s->path);
	if (r == 0)
		r = kj_entry_set(&e->title, e->id);
	if (r == 0)
		r = kj_entry_set(&e->config, cfg->file);
	if (r == 0)
		r = kj_entry_set(&e->root_name, cfg->root->name);
	if (r < 0)
		goto out;
	if (s->other || s->range || strncmp(s->path, "/dev/", 5) == 0) {
		char *why;

		e->type = KJ_ENTRY_UNSUPPORTED;
		if (asprintf(&why, "%s: %s", s->path,
			     s->other ? "chain-loads another system's boot "
					"sector"
				      : "an image on a raw device") < 0) {
			r = -ENOMEM;
			goto out;
		}
		e->unsupported = why;
		goto out;
	}
	e->type = KJ_ENTRY_LINUX;
	e->kernel = kernel;
	kernel = NULL;
	free(e->cmdline);
	e->cmdline = NULL;
	r = command_line(cfg, s, &e->cmdline);
	if (r == 0 && initrd && *initrd && !s->noinitrd) {
		char *path = kj_path_join(dir, initrd);

		r = path ? kj_entry_add_initrd(e, path) : -ENOMEM;
		free(path);
	}
out:
	if (r < 0 && !e->cmdline)
		e->cmdline = strdup(""); /* keep the entry freeable as-is */
	free(dir);
	free(kernel);
	return r;
}

static bool matches(const struct lilo_sec *s, const char *name)
{
	const char *label = s->label ? s->label : base_name(s->path);

	return strcmp(label, name) == 0 ||
	       (s->alias && strcmp(s->alias, name) == 0);
}

int kj_lilo_parse(const struct kj_root *root, const char *config,
		  struct kj_entry_list *out, struct kj_warnings *warn,
		  struct kj_lilo_info *info)
{
	struct lilo_cfg cfg = { .root = root, .file = config, .warn = warn };
	struct kj_err err = { 0 };
	size_t len, dflt = 0;
	char *text;
	int r;

	cfg.global.ro = -1;
	cfg.scratch.ro = -1;
	if (info) {
		memset(info, 0, sizeof(*info));
		info->config = config;
	}
	r = kj_root_read(root, config, KJ_MAX_CONFIG_SIZE, &text, &len, &err);
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		kj_warn(warn, config, 0, "%s",
			kj_root_err_reason(&err, config));
		return 0;
	}
	r = parse(&cfg, text, len);
	free(text);
	if (r == 0 && info) {
		info->timeout = cfg.timeout;
		info->delay = cfg.delay;
		info->prompt = cfg.prompt;
	}
	if (r == 0 && cfg.def) {
		dflt = SIZE_MAX;
		for (size_t i = 0; i < cfg.n && dflt == SIZE_MAX; i++)
			if (matches(&cfg.v[i], cfg.def))
				dflt = i;
		if (dflt == SIZE_MAX) {
			/* LILO refuses such a config; boot the first */
			kj_warn(warn, config, cfg.def_line,
				"default=%s names no image", cfg.def);
			dflt = 0;
		}
	}
	for (size_t i = 0; i < cfg.n && r == 0; i++)
		r = emit(&cfg, &cfg.v[i], out, i == dflt);
	for (size_t i = 0; i < cfg.n; i++)
		sec_free(&cfg.v[i]);
	free(cfg.v);
	sec_free(&cfg.global);
	sec_free(&cfg.scratch);
	free(cfg.def);
	return r;
}

int kj_lilo_scan_info(const struct kj_root *root, struct kj_entry_list *out,
		      struct kj_warnings *warn, struct kj_lilo_info *info)
{
	static const char *const paths[] = { "/etc/lilo.conf",
					     "/boot/lilo.conf" };

	if (info)
		memset(info, 0, sizeof(*info));
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (kj_root_exists(root, paths[i]))
			return kj_lilo_parse(root, paths[i], out, warn, info);
	return 0;
}

int kj_lilo_scan(const struct kj_root *root, struct kj_entry_list *out,
		 struct kj_warnings *warn)
{
	return kj_lilo_scan_info(root, out, warn, NULL);
}
