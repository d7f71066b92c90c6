/* SYSLINUX-family configs -> boot entries. See syslinux.h for the rules.
 *
 * A main config and its INCLUDEs are parsed into a list of labels first
 * (syslinux's keywords act on "the current label" until the next LABEL),
 * then the default is resolved and the labels become entries. CONFIG
 * labels start a new, independent parse, as syslinux restarts with a new
 * config. */
#include "boot/syslinux.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SL_MAX_DEPTH 16     /* INCLUDE nesting, as syslinux documents */
#define SL_MAX_FILES 256    /* config files read per scan */
#define SL_MAX_CONFIGS 16   /* main configs (CONFIG follows) per scan */
#define SL_MAX_LABELS 2048  /* labels per main config, repeats included */
#define SL_MAX_MENU_DEPTH 64
#define SL_MAX_BYTES (8u << 20) /* config bytes read per scan */
#define SL_MAX_LINE 4096	/* syslinux's own line buffer */
#define SL_NONE SIZE_MAX

/* How a label's image is run: KERNEL guesses from the extension, the
 * other keywords force a type. */
enum sl_type {
	SL_AUTO,
	SL_LINUX,
	SL_BOOT,
	SL_BSS,
	SL_PXE,
	SL_FDIMAGE,
	SL_COMBOOT,
	SL_COM32,
	SL_CONFIG,
	SL_LOCALBOOT,
};

static const struct {
	const char *kw;
	enum sl_type type;
} kernel_kws[] = {
	{ "kernel", SL_AUTO },	   { "linux", SL_LINUX },
	{ "boot", SL_BOOT },	   { "bss", SL_BSS },
	{ "pxe", SL_PXE },	   { "fdimage", SL_FDIMAGE },
	{ "comboot", SL_COMBOOT }, { "com32", SL_COM32 },
	{ "config", SL_CONFIG },   { "localboot", SL_LOCALBOOT },
};

struct sl_label {
	char *name;
	char *line;   /* the whole LABEL argument, for the menu modules */
	char *title;  /* MENU LABEL, NULL if none */
	char *kernel; /* the KERNEL line: image and extra words */
	char *append; /* NULL: use the global APPEND */
	char *initrd; /* INITRD value */
	char *fdt;
	char *file;
	unsigned lineno;
	enum sl_type type;
	unsigned depth; /* MENU BEGIN nesting it was defined at */
	bool hide, menu_default, nav;
};

/* State shared by every config of one scan. */
struct sl_scan {
	const struct kj_root *root;
	struct kj_entry_list *out;
	struct kj_warnings *warn;
	size_t first; /* out->v index where this scan started */
	unsigned files;
	size_t bytes;
	char *configs[SL_MAX_CONFIGS];
	size_t n_configs;
	bool have_default;
	bool img_is_kernel; /* extlinux: U-Boot does not look at extensions */
	bool full;	    /* entry list full, warned once */
	bool too_many_files; /* warned once */
	bool too_many_bytes; /* warned once */
};

/* One main config with its includes. */
struct sl_ctx {
	struct sl_scan *s;
	char *base;
	char *append, *def, *ontimeout, *ui;
	char *def_file, *ont_file;
	unsigned def_line, ont_line;
	bool implicit;
	int timeout, totaltimeout;
	bool prompt;
	struct sl_label *v;
	size_t n, cap, cur;
	unsigned menu_depth;
	unsigned menu_over; /* MENU BEGINs past SL_MAX_MENU_DEPTH */
};

static bool is_sp(char c)
{
	/* syslinux treats every control character as a blank */
	return c && (unsigned char)c <= ' ';
}

static char *skip_sp(char *p)
{
	while (is_sp(*p))
		p++;
	return p;
}

static const char *skip_sp_c(const char *p)
{
	while (is_sp(*p))
		p++;
	return p;
}

/* p starts with the keyword (any case) followed by a blank or the end:
 * return what follows, else NULL. */
static char *kw(char *p, const char *word)
{
	size_t n = strlen(word);

	if (strncasecmp(p, word, n) != 0)
		return NULL;
	if (p[n] && !is_sp(p[n]))
		return NULL;
	return p + n;
}

static size_t word_len(const char *p)
{
	size_t n = 0;

	while (p[n] && !is_sp(p[n]))
		n++;
	return n;
}

static char *dup_word(const char *p)
{
	return strndup(p, word_len(p));
}

static bool ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len >= n && strncasecmp(s + len - n, suffix, n) == 0;
}

/* Does the first word of cmd name a file whose base name is module? */
static bool names_module(const char *cmd, const char *module)
{
	size_t len = word_len(cmd), n = strlen(module);

	if (!ends_with(cmd, len, module))
		return false;
	return len == n || cmd[len - n - 1] == '/' || cmd[len - n - 1] == ':';
}

static bool is_menu_module(const char *cmd)
{
	return cmd && (names_module(cmd, "menu.c32") ||
		       names_module(cmd, "vesamenu.c32"));
}

/* Is the config read by menu.c32/vesamenu.c32 (UI, or DEFAULT without
 * UI) rather than by the core alone? Their parser keeps the whole LABEL
 * line as the name, the core's takes the first word. */
static bool menu_parser(const struct sl_ctx *c)
{
	return c->ui ? is_menu_module(c->ui) : is_menu_module(c->def);
}

static int set_str(char **field, const char *value)
{
	char *copy = strdup(value);

	if (!copy)
		return -ENOMEM;
	free(*field);
	*field = copy;
	return 0;
}

static int parse_int(const char *p)
{
	long v = strtol(skip_sp_c(p), NULL, 10);

	if (v < 0)
		return 0;
	return v > INT_MAX ? INT_MAX : (int)v;
}

static void label_free(struct sl_label *l)
{
	free(l->name);
	free(l->line);
	free(l->title);
	free(l->kernel);
	free(l->append);
	free(l->initrd);
	free(l->fdt);
	free(l->file);
}

static void ctx_free(struct sl_ctx *c)
{
	for (size_t i = 0; i < c->n; i++)
		label_free(&c->v[i]);
	free(c->v);
	free(c->base);
	free(c->append);
	free(c->def);
	free(c->ontimeout);
	free(c->ui);
	free(c->def_file);
	free(c->ont_file);
}

static struct sl_label *cur_label(struct sl_ctx *c)
{
	return c->cur == SL_NONE ? NULL : &c->v[c->cur];
}

static int new_label(struct sl_ctx *c, const char *file, unsigned line,
		     const char *arg)
{
	struct sl_label *l;

	c->cur = SL_NONE;
	if (c->n >= SL_MAX_LABELS) {
		kj_warn(c->s->warn, file, line, "more than %d labels, ignored",
			SL_MAX_LABELS);
		return 0;
	}
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		struct sl_label *v = realloc(c->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		c->v = v;
		c->cap = cap;
	}
	l = &c->v[c->n];
	memset(l, 0, sizeof(*l));
	l->name = dup_word(arg);
	l->line = strdup(arg);
	l->kernel = dup_word(arg); /* a label boots its own name by default */
	l->file = strdup(file);
	l->lineno = line;
	l->depth = c->menu_depth;
	if (!l->name || !l->line || !l->kernel || !l->file) {
		label_free(l);
		return -ENOMEM;
	}
	if (!l->name[0]) {
		kj_warn(c->s->warn, file, line, "LABEL without a name");
		l->nav = true; /* keep the lines that follow off other labels */
	}
	c->cur = c->n++;
	return 0;
}

/* MENU BEGIN (or a submenu INCLUDE): one level deeper, up to the cap;
 * past it the labels count as being at the deepest level. */
static void menu_begin(struct sl_ctx *c, const char *file, unsigned line)
{
	if (c->menu_depth < SL_MAX_MENU_DEPTH) {
		c->menu_depth++;
		return;
	}
	if (!c->menu_over++)
		kj_warn(c->s->warn, file, line,
			"submenus nested deeper than %d, flattened there",
			SL_MAX_MENU_DEPTH);
}

static void menu_end(struct sl_ctx *c)
{
	if (c->menu_over)
		c->menu_over--;
	else if (c->menu_depth > 0)
		c->menu_depth--;
}

static int parse_file(struct sl_ctx *c, const char *path, unsigned depth,
		      const char *from, unsigned from_line);
static int resolve(const struct sl_ctx *c, const char *word, char **out);

static int do_include(struct sl_ctx *c, const char *arg, unsigned depth,
		      const char *file, unsigned line, bool submenu)
{
	char *word, *path;
	int r;

	if (!*arg) {
		kj_warn(c->s->warn, file, line, "INCLUDE without a file name");
		return 0;
	}
	if (depth + 1 > SL_MAX_DEPTH) {
		kj_warn(c->s->warn, file, line,
			"INCLUDE nested deeper than %d, ignored", SL_MAX_DEPTH);
		return 0;
	}
	word = dup_word(arg);
	if (!word)
		return -ENOMEM;
	r = resolve(c, word, &path);
	free(word);
	if (r == 1) {
		kj_warn(c->s->warn, file, line,
			"INCLUDE from the network is not followed");
		return 0;
	}
	if (r < 0)
		return r;
	if (submenu) {
		c->cur = SL_NONE;
		menu_begin(c, file, line);
	}
	r = parse_file(c, path, depth + 1, file, line);
	if (submenu) {
		c->cur = SL_NONE;
		menu_end(c);
	}
	free(path);
	return r;
}

static int menu_line(struct sl_ctx *c, char *p, unsigned depth,
		     const char *file, unsigned line)
{
	struct sl_label *l = cur_label(c);
	char *q;

	if ((q = kw(p, "label"))) {
		/* outside a label it names a submenu: not an entry */
		if (l)
			return set_str(&l->title, skip_sp(q));
	} else if (kw(p, "default")) {
		if (l)
			l->menu_default = true;
	} else if (kw(p, "hide")) {
		if (l)
			l->hide = true;
	} else if ((q = kw(p, "include"))) {
		char *arg = skip_sp(q);
		const char *tag = skip_sp_c(arg + word_len(arg));

		return do_include(c, arg, depth, file, line, *tag != '\0');
	} else if (kw(p, "begin")) {
		c->cur = SL_NONE;
		menu_begin(c, file, line);
	} else if (kw(p, "end")) {
		c->cur = SL_NONE;
		menu_end(c);
	} else if (kw(p, "separator")) {
		c->cur = SL_NONE;
	} else if (kw(p, "exit") || kw(p, "goto") || kw(p, "quit") ||
		   kw(p, "disable") || kw(p, "disabled")) {
		if (l)
			l->nav = true;
	}
	/* colours, layout, titles, passwords: nothing to boot */
	return 0;
}

/* One line of a config, blanks at both ends already removed. */
static int config_line(struct sl_ctx *c, char *p, unsigned depth,
		       const char *file, unsigned line)
{
	struct sl_label *l = cur_label(c);
	char *q;

	if ((q = kw(p, "menu")))
		return menu_line(c, skip_sp(q), depth, file, line);
	if ((q = kw(p, "include")))
		return do_include(c, skip_sp(q), depth, file, line, false);
	if ((q = kw(p, "append"))) {
		q = skip_sp(q);
		if (l)
			return set_str(&l->append, q);
		return set_str(&c->append, q);
	}
	if ((q = kw(p, "initrd"))) {
		if (l)
			return set_str(&l->initrd, skip_sp(q));
		kj_warn(c->s->warn, file, line,
			"INITRD outside a LABEL is ignored");
		return 0;
	}
	if ((q = kw(p, "fdt")) || (q = kw(p, "devicetree"))) {
		char *w;

		if (!l) {
			kj_warn(c->s->warn, file, line,
				"FDT outside a LABEL is ignored");
			return 0;
		}
		w = dup_word(skip_sp(q));
		if (!w)
			return -ENOMEM;
		free(l->fdt);
		l->fdt = w;
		return 0;
	}
	if (kw(p, "fdtdir") || kw(p, "devicetree-dir"))
		return 0; /* see syslinux.h */
	if ((q = kw(p, "label")))
		return new_label(c, file, line, skip_sp(q));
	for (size_t i = 0; i < sizeof(kernel_kws) / sizeof(kernel_kws[0]);
	     i++) {
		if (!(q = kw(p, kernel_kws[i].kw)))
			continue;
		if (!l) {
			kj_warn(c->s->warn, file, line,
				"%s outside a LABEL is ignored",
				kernel_kws[i].kw);
			return 0;
		}
		l->type = kernel_kws[i].type;
		/* LOCALBOOT's argument is a drive, not an image */
		return set_str(&l->kernel, skip_sp(q));
	}
	if ((q = kw(p, "default"))) {
		free(c->def_file);
		c->def_file = strdup(file);
		c->def_line = line;
		if (!c->def_file)
			return -ENOMEM;
		return set_str(&c->def, skip_sp(q));
	}
	if ((q = kw(p, "ontimeout"))) {
		free(c->ont_file);
		c->ont_file = strdup(file);
		c->ont_line = line;
		if (!c->ont_file)
			return -ENOMEM;
		return set_str(&c->ontimeout, skip_sp(q));
	}
	if ((q = kw(p, "ui")))
		return set_str(&c->ui, skip_sp(q));
	if ((q = kw(p, "timeout")))
		c->timeout = parse_int(q);
	else if ((q = kw(p, "totaltimeout")))
		c->totaltimeout = parse_int(q);
	else if ((q = kw(p, "prompt")))
		c->prompt = parse_int(q) != 0;
	else if ((q = kw(p, "implicit")))
		c->implicit = parse_int(q) != 0;
	/* PATH, IPAPPEND, SERIAL, DISPLAY, F1..F12, SAY, comments, ...:
	 * nothing that changes what an entry boots. */
	return 0;
}

static int parse_file(struct sl_ctx *c, const char *path, unsigned depth,
		      const char *from, unsigned from_line)
{
	struct kj_err err = { 0 };
	char *buf, *p, *end;
	bool in_text = false;
	unsigned line = 0;
	size_t len;
	int r = 0;

	if (c->s->files >= SL_MAX_FILES) {
		if (!c->s->too_many_files)
			kj_warn(c->s->warn, from, from_line,
				"more than %d config files, %s and later "
				"ones ignored",
				SL_MAX_FILES, path);
		c->s->too_many_files = true;
		return 0;
	}
	c->s->files++;
	r = kj_root_read(c->s->root, path, KJ_MAX_CONFIG_SIZE, &buf, &len,
			 &err);
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		/* syslinux skips a missing INCLUDE without a word */
		if (!(r == -ENOENT && depth > 0))
			kj_warn(c->s->warn, from, from_line, "%s", err.msg);
		return 0;
	}
	if (len > SL_MAX_BYTES - c->s->bytes) {
		if (!c->s->too_many_bytes)
			kj_warn(c->s->warn, from, from_line,
				"more than %u bytes of configs, %s and later "
				"ones ignored",
				SL_MAX_BYTES, path);
		c->s->too_many_bytes = true;
		free(buf);
		return 0;
	}
	c->s->bytes += len;
	p = buf;
	end = buf + len;
	while (p < end && r == 0) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *s, *e;

		if (nl)
			*nl = '\0';
		line++;
		/* like fgets() + strchr(): a CR or a NUL ends the line */
		s = strchr(p, '\r');
		if (s)
			*s = '\0';
		if (strlen(p) >= SL_MAX_LINE) {
			/* keeps every value, and so every entry, small */
			kj_warn(c->s->warn, path, line,
				"line longer than %d bytes, cut", SL_MAX_LINE);
			p[SL_MAX_LINE - 1] = '\0';
		}
		s = skip_sp(p);
		e = s + strlen(s);
		while (e > s && is_sp(e[-1]))
			*--e = '\0';
		p = nl ? nl + 1 : end;
		if (in_text) {
			/* TEXT HELP ... ENDTEXT: help text, not keywords */
			if (kw(s, "endtext"))
				in_text = false;
			continue;
		}
		if (kw(s, "text")) {
			in_text = true;
			continue;
		}
		if (*s)
			r = config_line(c, s, depth, path, line);
	}
	free(buf);
	return r;
}

/* ---- from labels to entries ---- */

/* Paths: relative to the base, "::file" absolute (pxelinux), and
 * "host::file" or "proto://..." on the network: returns 1 for those. */
static int resolve(const struct sl_ctx *c, const char *word, char **out)
{
	*out = NULL;
	if (strncmp(word, "::", 2) == 0)
		*out = kj_path_join("/", word + 2);
	else if (strstr(word, "::") || strstr(word, "://"))
		return 1;
	else
		*out = kj_path_join(c->base, word);
	return *out ? 0 : -ENOMEM;
}

/* Append len bytes of s to *buf (a growing string). */
static int cat(char **buf, size_t *blen, const char *s, size_t len)
{
	char *v = realloc(*buf, *blen + len + 2);

	if (!v)
		return -ENOMEM;
	if (*blen && len)
		v[(*blen)++] = ' ';
	memcpy(v + *blen, s, len);
	*blen += len;
	v[*blen] = '\0';
	*buf = v;
	return 0;
}

/* Next word of a command line; double quotes keep blanks inside it. */
static const char *next_word(const char *p, size_t *len)
{
	bool quoted = false;
	size_t n = 0;

	p = skip_sp_c(p);
	while (p[n] && (quoted || !is_sp(p[n]))) {
		if (p[n] == '"')
			quoted = !quoted;
		n++;
	}
	*len = n;
	return p;
}

static int warn_add(struct sl_ctx *c, const struct kj_entry *e, int r,
		    const char *what)
{
	if (r == -E2BIG) {
		kj_warn(c->s->warn, e->config, e->config_line,
			"too many %s, the rest is ignored", what);
		return 0;
	}
	return r;
}

/* Take every initrd= word out of args; the first one lists the initrds
 * (comma separated), as in syslinux's core; set e->cmdline to the rest. */
static int linux_args(struct sl_ctx *c, struct kj_entry *e, const char *args)
{
	char *rest = NULL;
	size_t rlen = 0, n;
	bool seen = false;
	const char *w;
	int r = 0;

	for (w = next_word(args, &n); n && r == 0; w = next_word(w + n, &n)) {
		const char *v, *vend;

		if (strncmp(w, "initrd=", 7) != 0) {
			r = cat(&rest, &rlen, w, n);
			continue;
		}
		if (seen) {
			kj_warn(c->s->warn, e->config, e->config_line,
				"second initrd= ignored, syslinux uses the "
				"first");
			continue;
		}
		seen = true;
		for (v = w + 7, vend = w + n; v < vend && r == 0;) {
			const char *comma = memchr(v, ',', (size_t)(vend - v));
			const char *start = v;
			size_t plen = (size_t)((comma ? comma : vend) - v);
			char *word, *path;

			v = comma ? comma + 1 : vend;
			if (!plen)
				continue;
			word = strndup(start, plen);
			r = word ? resolve(c, word, &path) : -ENOMEM;
			free(word);
			if (r == 1) {
				r = kj_entry_set(&e->unsupported,
						 "initrd on the network");
			} else if (r == 0) {
				r = kj_entry_add_initrd(e, path);
				free(path);
				if (r == -E2BIG) {
					r = warn_add(c, e, r, "initrds");
					break;
				}
			}
		}
	}
	if (r == 0)
		r = kj_entry_set(&e->cmdline, rest ? rest : "");
	free(rest);
	return r;
}

/* Set e->kernel from the first word of s; the rest goes to *args. */
static int take_kernel(struct sl_ctx *c, struct kj_entry *e, const char *s,
		       const char **args)
{
	char *word = dup_word(skip_sp_c(s)), *path;
	int r;

	if (!word)
		return -ENOMEM;
	s = skip_sp_c(s);
	*args = skip_sp_c(s + word_len(s));
	if (!*word) {
		free(word);
		return kj_entry_set(&e->unsupported, "no kernel named");
	}
	r = resolve(c, word, &path);
	free(word);
	if (r == 1)
		return kj_entry_set(&e->unsupported, "kernel on the network");
	if (r < 0)
		return r;
	free(e->kernel);
	e->kernel = path;
	return 0;
}

/* mboot.c32 kernel args --- module args --- module args ... */
static int multiboot_args(struct sl_ctx *c, struct kj_entry *e,
			  const char *args)
{
	const char *p = args;
	int part = 0, r = 0;

	e->type = KJ_ENTRY_MULTIBOOT;
	while (r == 0) {
		const char *w, *start = skip_sp_c(p), *stop = NULL;
		char *seg, *path;
		const char *sargs;
		size_t n;

		for (w = next_word(start, &n); n; w = next_word(w + n, &n))
			if (n == 3 && strncmp(w, "---", 3) == 0) {
				stop = w;
				break;
			}
		seg = strndup(start, stop ? (size_t)(stop - start)
					  : strlen(start));
		if (!seg)
			return -ENOMEM;
		for (size_t k = strlen(seg); k && is_sp(seg[k - 1]); k--)
			seg[k - 1] = '\0';
		if (part == 0) {
			r = take_kernel(c, e, seg, &sargs);
			if (r == 0)
				r = kj_entry_set(&e->cmdline, sargs);
		} else if (*seg) {
			char *word = dup_word(seg);

			sargs = skip_sp_c(seg + word_len(seg));
			r = word ? resolve(c, word, &path) : -ENOMEM;
			free(word);
			if (r == 1)
				r = kj_entry_set(&e->unsupported,
						 "module on the network");
			else if (r == 0) {
				r = kj_entry_add_module(e, path, sargs);
				free(path);
				if (r == -E2BIG) {
					free(seg);
					return warn_add(c, e, r, "modules");
				}
			}
		} else {
			kj_warn(c->s->warn, e->config, e->config_line,
				"empty mboot.c32 module ignored");
		}
		free(seg);
		part++;
		if (!stop)
			break;
		p = stop + 3;
	}
	return r;
}

static enum sl_type guess_type(const struct sl_ctx *c, const char *kernel)
{
	size_t n = word_len(kernel);

	if (ends_with(kernel, n, ".c32"))
		return SL_COM32;
	if (ends_with(kernel, n, ".cbt") || ends_with(kernel, n, ".com"))
		return SL_COMBOOT;
	if (ends_with(kernel, n, ".bss"))
		return SL_BSS;
	if (ends_with(kernel, n, ".bs") || ends_with(kernel, n, ".bin"))
		return SL_BOOT;
	if (ends_with(kernel, n, ".0"))
		return SL_PXE;
	if (ends_with(kernel, n, ".img") && !c->s->img_is_kernel)
		return SL_FDIMAGE;
	return SL_LINUX;
}

/* Is this label something to follow rather than to list? Returns the
 * config file word (in l->kernel or its args), or NULL. */
static const char *follow_target(const struct sl_ctx *c,
				 const struct sl_label *l, const char **dir)
{
	enum sl_type t = l->type == SL_AUTO ? guess_type(c, l->kernel)
					    : l->type;
	const char *k = skip_sp_c(l->kernel), *a;

	*dir = NULL;
	if (t == SL_CONFIG) {
		/* CONFIG file [dir], or the directory as APPEND */
		a = skip_sp_c(k + word_len(k));
		*dir = *a ? a : (l->append ? skip_sp_c(l->append) : NULL);
		return k;
	}
	if (t == SL_COM32 && is_menu_module(k)) {
		a = skip_sp_c(k + word_len(k));
		if (!*a && l->append)
			a = skip_sp_c(l->append);
		return *a ? a : NULL;
	}
	return NULL;
}

static const char *type_why(enum sl_type t)
{
	switch (t) {
	case SL_BOOT:
		return "a boot sector image";
	case SL_BSS:
		return "a boot sector image (BSS)";
	case SL_PXE:
		return "a PXE network boot program";
	case SL_FDIMAGE:
		return "a floppy disk image";
	case SL_COMBOOT:
		return "a COMBOOT program";
	case SL_LOCALBOOT:
		return "LOCALBOOT: hands the boot back to the firmware";
	default:
		return "not a kernel";
	}
}

static struct kj_entry *already_listed(const struct sl_scan *s,
				       const char *file, unsigned line)
{
	for (size_t i = s->first; i < s->out->n; i++)
		if (s->out->v[i].config_line == line &&
		    strcmp(s->out->v[i].config, file) == 0)
			return &s->out->v[i];
	return NULL;
}

/* Turn one label (or a DEFAULT/ONTIMEOUT command: kernel with args) into
 * an entry. args is what follows the image on the command line. */
static int emit(struct sl_ctx *c, const char *name, const char *title,
		enum sl_type type, const char *kernel, const char *args,
		const char *fdt, const char *file, unsigned line,
		bool is_default)
{
	struct sl_scan *s = c->s;
	struct kj_entry *e;
	const char *margs;
	int r;

	if ((e = already_listed(s, file, line))) {
		e->is_default |= is_default;
		return 0;
	}
	if (s->full)
		return 0;
	if (s->out->n >= KJ_MAX_ENTRIES) {
		kj_warn(s->warn, file, line, "more than %d entries, the rest "
			"is ignored", KJ_MAX_ENTRIES);
		s->full = true;
		return 0;
	}
	e = kj_entry_list_add(s->out);
	if (!e)
		return -ENOMEM;
	e->source = KJ_SOURCE_SYSLINUX;
	e->config_line = line;
	e->is_default = is_default;
	r = kj_entry_set(&e->id, name);
	if (r == 0)
		r = kj_entry_set(&e->config, file);
	if (r == 0)
		r = kj_entry_set(&e->root_name, s->root->name);
	if (r == 0) {
		/* drop the ^ that marks a menu hotkey */
		const char *t = title && *title ? title : name;
		char *d = malloc(strlen(t) + 1), *q = d;

		if (!d)
			return -ENOMEM;
		for (; *t; t++)
			if (*t != '^')
				*q++ = *t;
		*q = '\0';
		e->title = d;
	}
	if (r < 0)
		return r;
	if (type == SL_AUTO)
		type = guess_type(c, kernel);
	switch (type) {
	case SL_LINUX:
		e->type = KJ_ENTRY_LINUX;
		r = take_kernel(c, e, kernel, &margs);
		if (r == 0)
			r = linux_args(c, e, args);
		if (r == 0 && fdt && !e->unsupported) {
			char *path;

			r = resolve(c, fdt, &path);
			if (r == 1)
				r = kj_entry_set(&e->unsupported,
						 "device tree on the network");
			else if (r == 0)
				e->devicetree = path;
		}
		break;
	case SL_COM32:
		if (names_module(kernel, "mboot.c32")) {
			r = multiboot_args(c, e, args);
		} else if (names_module(kernel, "linux.c32")) {
			e->type = KJ_ENTRY_LINUX;
			r = take_kernel(c, e, args, &margs);
			if (r == 0)
				r = linux_args(c, e, margs);
		} else {
			char *mod = dup_word(kernel);

			if (!mod)
				return -ENOMEM;
			e->type = KJ_ENTRY_UNSUPPORTED;
			if (kj_entry_set(&e->cmdline, args) < 0) {
				free(mod);
				return -ENOMEM;
			}
			free(e->unsupported);
			r = asprintf(&e->unsupported,
				     "%s: a syslinux module, not a kernel",
				     mod) < 0 ? -ENOMEM : 0;
			if (r < 0)
				e->unsupported = NULL;
			free(mod);
		}
		break;
	default:
		e->type = KJ_ENTRY_UNSUPPORTED;
		r = kj_entry_set(&e->unsupported, type_why(type));
		if (r == 0)
			r = kj_entry_set(&e->cmdline, args);
		break;
	}
	if (r == 0 && e->unsupported && e->type != KJ_ENTRY_UNSUPPORTED) {
		/* a path we cannot read makes the whole entry unbootable */
		e->type = KJ_ENTRY_UNSUPPORTED;
	}
	if (r == 0 && e->type == KJ_ENTRY_UNSUPPORTED) {
		free(e->kernel);
		e->kernel = NULL;
	}
	return r;
}

/* A label's command line: extra words on the KERNEL line, then APPEND
 * (the label's, else the global one; "-" means none), then INITRD. */
static int label_args(const struct sl_ctx *c, const struct sl_label *l,
		      char **out)
{
	const char *k = skip_sp_c(l->kernel);
	const char *a = l->append ? l->append : c->append;
	char *buf = NULL;
	size_t blen = 0;
	int r;

	k = skip_sp_c(k + word_len(k));
	if (a && strcmp(a, "-") == 0)
		a = NULL;
	r = cat(&buf, &blen, k, strlen(k));
	if (r == 0 && a && *a)
		r = cat(&buf, &blen, a, strlen(a));
	if (r == 0 && l->initrd) {
		const char *pre = "initrd=";

		r = cat(&buf, &blen, pre, strlen(pre));
		if (r == 0) {
			/* no blank between "initrd=" and the value */
			char *v = realloc(buf, blen + strlen(l->initrd) + 1);

			if (!v) {
				r = -ENOMEM;
			} else {
				buf = v;
				strcpy(buf + blen, l->initrd);
				blen += strlen(l->initrd);
			}
		}
	}
	if (r < 0) {
		free(buf);
		return r;
	}
	*out = buf;
	return 0;
}

static int emit_label(struct sl_ctx *c, const struct sl_label *l,
		      bool is_default)
{
	char *args = NULL;
	int r;

	r = label_args(c, l, &args);
	if (r == 0)
		r = emit(c, l->name, l->title, l->type, skip_sp_c(l->kernel),
			 args ? args : "", l->fdt, l->file, l->lineno,
			 is_default);
	free(args);
	return r;
}

/* The label a command names: its first word, or with whole the whole
 * string (the menu modules look DEFAULT up that way). */
static const struct sl_label *find_label(const struct sl_ctx *c,
					 const char *cmd, bool whole)
{
	size_t n = whole ? strlen(cmd) : word_len(cmd);

	for (size_t i = 0; i < c->n; i++)
		if (strlen(c->v[i].name) == n &&
		    strncmp(c->v[i].name, cmd, n) == 0)
			return &c->v[i];
	return NULL;
}

/* DEFAULT or ONTIMEOUT that names no label: a kernel and its arguments,
 * after the global APPEND (which syslinux puts first). Its id is the
 * keyword ("default", "ontimeout") unless a label has that name; its
 * title is the command itself. */
static int emit_command(struct sl_ctx *c, const char *id, const char *cmd,
			const char *file, unsigned line, bool is_default)
{
	const char *a = c->append && strcmp(c->append, "-") ? c->append : "";
	const char *rest = skip_sp_c(cmd + word_len(cmd));
	char *image = dup_word(cmd), *args = NULL;
	size_t blen = 0;
	int r;

	if (!image)
		return -ENOMEM;
	r = cat(&args, &blen, a, strlen(a));
	if (r == 0)
		r = cat(&args, &blen, rest, strlen(rest));
	if (r == 0)
		r = emit(c, find_label(c, id, false) ? image : id, cmd, SL_AUTO,
			 image, args ? args : "", NULL, file, line, is_default);
	free(args);
	free(image);
	return r;
}

static bool listable(const struct sl_ctx *c, const struct sl_label *l)
{
	enum sl_type t = l->type == SL_AUTO ? guess_type(c, l->kernel)
					    : l->type;
	const char *dir;

	if (l->nav || follow_target(c, l, &dir))
		return false;
	/* a bare menu.c32 label just shows this menu again */
	return !(t == SL_COM32 && is_menu_module(skip_sp_c(l->kernel)));
}

/* Which label is the default, or which command to add as one. */
static const struct sl_label *pick_default(struct sl_ctx *c,
					   const char **cmd)
{
	const struct sl_label *l, *found = NULL;
	bool menu = c->ui || is_menu_module(c->def);

	*cmd = NULL;
	for (size_t i = 0; i < c->n; i++) {
		l = &c->v[i];
		if (l->menu_default && !l->depth && !l->hide && listable(c, l))
			found = l; /* the last one wins, as in syslinux */
	}
	if (found)
		return found;
	if (c->def && *c->def && !is_menu_module(c->def)) {
		l = find_label(c, c->def, menu_parser(c));
		if (l && listable(c, l))
			return l;
		if (!l && !c->ui && c->implicit) {
			*cmd = c->def;
			return NULL;
		}
		if (!l)
			kj_warn(c->s->warn, c->def_file, c->def_line,
				"DEFAULT %s names no label%s", c->def,
				c->ui ? "" : " and IMPLICIT is 0");
	}
	if (c->ontimeout && *c->ontimeout) {
		l = find_label(c, c->ontimeout, false);
		if (l && listable(c, l))
			return l;
		if (!l && c->implicit && !is_menu_module(c->ontimeout)) {
			*cmd = c->ontimeout;
			return NULL;
		}
	}
	if (menu)
		for (size_t i = 0; i < c->n; i++) {
			l = &c->v[i];
			if (!l->depth && !l->hide && listable(c, l))
				return l;
		}
	return NULL;
}

static int run_config(struct sl_scan *s, const char *config, const char *base,
		      struct kj_syslinux_info *info, bool primary,
		      const char *from, unsigned from_line);

static int emit_ctx(struct sl_ctx *c, bool primary)
{
	const struct sl_label *dflt = NULL;
	const char *cmd = NULL;
	bool mark = false;
	int r = 0;

	/* a followed config's default is not the disk's default; of the
	 * families, the first with a default has it */
	if (primary) {
		dflt = pick_default(c, &cmd);
		mark = !c->s->have_default;
		if (dflt || cmd)
			c->s->have_default = true;
	}
	for (size_t i = 0; i < c->n && r == 0; i++) {
		const struct sl_label *l = &c->v[i];

		if (!listable(c, l) || (l->hide && l != dflt))
			continue;
		r = emit_label(c, l, mark && l == dflt);
	}
	if (r == 0 && cmd)
		r = cmd == c->def ? emit_command(c, "default", cmd, c->def_file,
						 c->def_line, mark)
				  : emit_command(c, "ontimeout", cmd,
						 c->ont_file, c->ont_line,
						 mark);
	/* labels that load another config: list what it holds */
	for (size_t i = 0; i < c->n && r == 0; i++) {
		const struct sl_label *l = &c->v[i];
		const char *target, *dir;
		char *word, *path, *base;

		if (l->nav || !(target = follow_target(c, l, &dir)))
			continue;
		if (!*target) {
			kj_warn(c->s->warn, l->file, l->lineno,
				"CONFIG without a file name");
			continue;
		}
		word = dup_word(target);
		if (!word)
			return -ENOMEM;
		r = resolve(c, word, &path);
		free(word);
		if (r == 1) {
			kj_warn(c->s->warn, l->file, l->lineno,
				"config on the network is not followed");
			r = 0;
			continue;
		}
		if (r < 0)
			return r;
		base = NULL;
		if (dir && *dir) {
			word = dup_word(dir);
			base = word ? kj_path_join(c->base, word) : NULL;
			free(word);
			if (!base) {
				free(path);
				return -ENOMEM;
			}
		}
		r = run_config(c->s, path, base ? base : c->base, NULL, false,
			       l->file, l->lineno);
		free(base);
		free(path);
	}
	return r;
}

static int run_config(struct sl_scan *s, const char *config, const char *base,
		      struct kj_syslinux_info *info, bool primary,
		      const char *from, unsigned from_line)
{
	struct sl_ctx c = { .s = s, .implicit = true, .cur = SL_NONE };
	int r;

	for (size_t i = 0; i < s->n_configs; i++)
		if (strcmp(s->configs[i], config) == 0)
			return 0; /* already parsed: a loop or a repeat */
	if (s->n_configs >= SL_MAX_CONFIGS) {
		kj_warn(s->warn, from, from_line,
			"more than %d configs, %s ignored", SL_MAX_CONFIGS,
			config);
		return 0;
	}
	s->configs[s->n_configs] = strdup(config);
	if (!s->configs[s->n_configs])
		return -ENOMEM;
	s->n_configs++;
	c.base = base ? strdup(base) : kj_path_dirname(config);
	if (!c.base)
		return -ENOMEM;
	r = parse_file(&c, config, 0, from, from_line);
	if (r == 0 && menu_parser(&c)) {
		/* Known only now: UI may come after the labels. */
		for (size_t i = 0; i < c.n; i++) {
			struct sl_label *l = &c.v[i];

			if (l->name[0]) {
				free(l->name);
				l->name = l->line;
				l->line = NULL;
			}
		}
	}
	if (r == 0 && info) {
		info->config = config;
		info->timeout = c.timeout;
		info->totaltimeout = c.totaltimeout;
		info->prompt = c.prompt;
		info->menu = c.ui || is_menu_module(c.def);
	}
	if (r == 0)
		r = emit_ctx(&c, primary);
	ctx_free(&c);
	return r;
}

static void scan_free(struct sl_scan *s)
{
	for (size_t i = 0; i < s->n_configs; i++)
		free(s->configs[i]);
	s->n_configs = 0;
}

int kj_syslinux_parse(const struct kj_root *root, const char *config,
		      const char *base, struct kj_entry_list *out,
		      struct kj_warnings *warn, struct kj_syslinux_info *info)
{
	struct sl_scan s = { .root = root, .out = out, .warn = warn,
			     .first = out->n };
	char *norm = kj_path_join("/", config);
	int r;

	if (info)
		memset(info, 0, sizeof(*info));
	if (!norm)
		return -ENOMEM;
	r = run_config(&s, norm, base, info, true, norm, 0);
	if (info)
		info->config = config;
	free(norm);
	scan_free(&s);
	return r;
}

static const struct {
	const char *paths[3];
	const char *base; /* NULL: the config's directory */
	bool img_is_kernel;
} families[] = {
	{ { "/boot/syslinux/syslinux.cfg", "/syslinux/syslinux.cfg",
	    "/syslinux.cfg" },
	  NULL, false },
	{ { "/boot/extlinux/extlinux.conf", "/extlinux/extlinux.conf" },
	  NULL, true },
	{ { "/boot/isolinux/isolinux.cfg", "/isolinux/isolinux.cfg" },
	  NULL, false },
	{ { "/pxelinux.cfg/default" }, "/", false },
};

int kj_syslinux_scan_info(const struct kj_root *root,
			  struct kj_entry_list *out, struct kj_warnings *warn,
			  struct kj_syslinux_info *info)
{
	struct sl_scan s = { .root = root, .out = out, .warn = warn,
			     .first = out->n };
	bool got_info = false;
	int r = 0;

	if (info)
		memset(info, 0, sizeof(*info));
	for (size_t f = 0; f < sizeof(families) / sizeof(families[0]) && !r;
	     f++) {
		for (size_t i = 0; i < 3 && families[f].paths[i]; i++) {
			const char *path = families[f].paths[i];

			if (!kj_root_exists(root, path))
				continue;
			s.img_is_kernel = families[f].img_is_kernel;
			r = run_config(&s, path, families[f].base,
				       got_info ? NULL : info, true, path, 0);
			got_info = true;
			break;
		}
	}
	scan_free(&s);
	return r;
}
