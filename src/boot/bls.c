#include "boot/bls.h"

#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
#define HOST_ARCH "x64"
#elif defined(__i386__)
#define HOST_ARCH "ia32"
#elif defined(__aarch64__)
#define HOST_ARCH "aa64"
#elif defined(__arm__)
#define HOST_ARCH "arm"
#elif defined(__riscv) && __riscv_xlen == 64
#define HOST_ARCH "riscv64"
#else
#define HOST_ARCH "unknown"
#endif

#define EXPAND_MAX 16384 /* bytes of a value after $var expansion */

static const char *const entry_dirs[] = { "/loader/entries",
					  "/boot/loader/entries" };
static const char *const loader_confs[] = { "/loader/loader.conf",
					    "/boot/loader/loader.conf" };
static const char *const grubenvs[] = { "/boot/grub2/grubenv", "/grub2/grubenv",
					"/boot/grub/grubenv", "/grub/grubenv" };

/* An entry being read, before it becomes a kj_entry. */
struct bls {
	struct kj_entry e; /* kernel, initrd, devicetree, id, config */
	char *version, *machine_id, *sort_key;
	char *stem; /* file name without ".conf", counter included */
	unsigned dir;
	bool bad; /* boot counting: no tries left */
};

/* What one scan has read so far, for the caps. */
struct bls_read {
	struct bls *v;
	size_t n;
	size_t bytes;
	bool too_many_bytes; /* warned once */
};

static bool is_ver_sep(char c)
{
	return c == '~' || c == '-' || c == '^' || c == '.';
}

/* Characters that are neither alphanumerics nor one of ~-^. are only
 * separators and are skipped (UAPI version format). */
static const char *skip_junk(const char *s)
{
	while (*s && !isalnum((unsigned char)*s) && !is_ver_sep(*s))
		s++;
	return s;
}

int kj_bls_version_cmp(const char *a, const char *b)
{
	/* After '~' and the end of the string: a side with '-' (release
	 * suffix) or '^' (patch) sorts first, one with '.' sorts last
	 * ("1.0^1" < "1.0.1", "123a" < "123.a"). */
	static const char order[] = "-^.";

	for (;;) {
		size_t la, lb;
		int r;

		a = skip_junk(a);
		b = skip_junk(b);
		/* '~' sorts before everything, even the end: 1.0~rc1 < 1.0 */
		if (*a == '~' || *b == '~') {
			if (*a != '~')
				return 1;
			if (*b != '~')
				return -1;
			a++, b++;
			continue;
		}
		if (!*a || !*b)
			return (*a != 0) - (*b != 0);
		for (const char *o = order; *o; o++) {
			int older = *o == '.' ? 1 : -1;

			if (*a == *o || *b == *o) {
				if (*a != *o)
					return -older;
				if (*b != *o)
					return older;
				a++, b++;
				goto next;
			}
		}
		if (isdigit((unsigned char)*a) != isdigit((unsigned char)*b))
			return isdigit((unsigned char)*a) ? 1 : -1;
		if (isdigit((unsigned char)*a)) {
			while (*a == '0')
				a++;
			while (*b == '0')
				b++;
			for (la = 0; isdigit((unsigned char)a[la]); la++)
				;
			for (lb = 0; isdigit((unsigned char)b[lb]); lb++)
				;
			/* A number beats letters; the longer number wins. */
			if (la != lb)
				return la < lb ? -1 : 1;
			r = memcmp(a, b, la);
			if (r)
				return r < 0 ? -1 : 1;
		} else {
			for (la = 0; isalpha((unsigned char)a[la]); la++)
				;
			for (lb = 0; isalpha((unsigned char)b[lb]); lb++)
				;
			r = memcmp(a, b, la < lb ? la : lb);
			if (r)
				return r < 0 ? -1 : 1;
			if (la != lb)
				return la < lb ? -1 : 1;
		}
		a += la;
		b += lb;
	next:;
	}
}

/* Replace $name and ${name} from vars. */
static char *expand(const char *s, const struct kj_vars *vars, const char *cfg,
		    unsigned line, struct kj_warnings *warn)
{
	char *out = malloc(EXPAND_MAX);
	size_t n = 0;
	bool cut = false;

	if (!out)
		return NULL;
	while (*s) {
		const char *name = NULL, *val;
		size_t nlen = 0;
		char nb[KJ_VAR_NAME_MAX];

		if (s[0] == '$' && s[1] == '{') {
			const char *close = strchr(s + 2, '}');

			if (close) {
				name = s + 2;
				nlen = (size_t)(close - name);
				s = close + 1;
			}
		} else if (s[0] == '$' &&
			   (isalnum((unsigned char)s[1]) || s[1] == '_')) {
			name = s + 1;
			while (isalnum((unsigned char)name[nlen]) ||
			       name[nlen] == '_')
				nlen++;
			s = name + nlen;
		}
		if (!name) {
			if (n + 1 < EXPAND_MAX)
				out[n++] = *s;
			else
				cut = true;
			s++;
			continue;
		}
		if (nlen >= sizeof(nb)) {
			kj_warn(warn, cfg, line,
				"$%.32s...: name longer than %zu "
				"bytes",
				name, sizeof(nb) - 1);
			continue;
		}
		memcpy(nb, name, nlen);
		nb[nlen] = '\0';
		val = kj_vars_get(vars, nb);
		if (!val) {
			kj_warn(warn, cfg, line, "$%s is not set", nb);
			continue;
		}
		for (; *val && n + 1 < EXPAND_MAX; val++)
			out[n++] = *val;
		cut |= *val != '\0';
	}
	out[n] = '\0';
	if (cut)
		kj_warn(warn, cfg, line, "value longer than %d bytes, cut",
			EXPAND_MAX - 1);
	return out;
}

static int append_opts(struct kj_entry *e, const char *opts)
{
	size_t a = strlen(e->cmdline), b;
	char *c;

	/* An empty $var leaves blanks at the ends. */
	opts += strspn(opts, " \t");
	b = strlen(opts);
	while (b && (opts[b - 1] == ' ' || opts[b - 1] == '\t'))
		b--;

	if (b == 0)
		return 0;
	if (a + (a ? 1 : 0) + b + 1 > EXPAND_MAX)
		return -E2BIG;
	c = realloc(e->cmdline, a + b + 2);
	if (!c)
		return -ENOMEM;
	if (a)
		c[a++] = ' ';
	memcpy(c + a, opts, b);
	c[a + b] = '\0';
	e->cmdline = c;
	return 0;
}

/* Make a path absolute within the root (BLS paths are relative to $BOOT). */
static int set_path(char **field, const char *p)
{
	char *abs = kj_path_join("/", p);

	if (!abs)
		return -ENOMEM;
	free(*field);
	*field = abs;
	return 0;
}

static int add_initrds(struct bls *b, char *list, const char *cfg,
		       unsigned line, struct kj_warnings *warn)
{
	for (char *sp, *tok = strtok_r(list, " \t", &sp); tok;
	     tok = strtok_r(NULL, " \t", &sp)) {
		char *abs = kj_path_join("/", tok);
		int r;

		if (!abs)
			return -ENOMEM;
		r = kj_entry_add_initrd(&b->e, abs);
		free(abs);
		if (r == -E2BIG) {
			kj_warn(warn, cfg, line, "more than %d initrds",
				KJ_MAX_INITRDS);
			return 0;
		}
		if (r < 0)
			return r;
	}
	return 0;
}

static void bls_free(struct bls *b)
{
	kj_entry_free(&b->e);
	free(b->version);
	free(b->machine_id);
	free(b->sort_key);
	free(b->stem);
}

/* Boot counting (the spec's "+LEFT[-DONE]" right before ".conf"): the
 * length of the id without it, and whether LEFT is 0 ("bad"). A name
 * without a counter is its own id. */
static size_t count_suffix(const char *stem, bool *bad)
{
	const char *plus = strrchr(stem, '+'), *p;
	unsigned long left;

	*bad = false;
	if (!plus || plus == stem || !isdigit((unsigned char)plus[1]))
		return strlen(stem);
	left = strtoul(plus + 1, (char **)&p, 10);
	if (*p == '-' && isdigit((unsigned char)p[1]))
		for (p++; isdigit((unsigned char)*p); p++)
			;
	if (*p)
		return strlen(stem);
	*bad = left == 0;
	return (size_t)(plus - stem);
}

/* Parse one .conf file. Returns 1 when the entry is kept, 0 when it is
 * skipped (warned), -ENOMEM. */
static int parse_entry(struct bls *b, char *text, const char *cfg,
		       const struct kj_vars *vars, struct kj_warnings *warn)
{
	bool other_arch = false, efi = false;
	unsigned line = 0;
	char *next = text;
	int r = 0;

	while (next && r >= 0) {
		char *l = next, *key, *val, *end, *x = NULL;

		next = strchr(l, '\n');
		if (next)
			*next++ = '\0';
		line++;
		key = l + strspn(l, " \t\r");
		if (!*key || *key == '#')
			continue;
		val = key + strcspn(key, " \t\r");
		if (*val)
			*val++ = '\0';
		val += strspn(val, " \t");
		end = val + strlen(val);
		while (end > val && isspace((unsigned char)end[-1]))
			*--end = '\0';

		if (!strcmp(key, "title"))
			r = kj_entry_set(&b->e.title, val);
		else if (!strcmp(key, "version"))
			r = kj_entry_set(&b->version, val);
		else if (!strcmp(key, "machine-id"))
			r = kj_entry_set(&b->machine_id, val);
		else if (!strcmp(key, "sort-key"))
			r = kj_entry_set(&b->sort_key, val);
		else if (!strcmp(key, "architecture"))
			other_arch = strcasecmp(val, HOST_ARCH) != 0;
		else if (!strcmp(key, "efi"))
			efi = true;
		else if (!strcmp(key, "linux") || !strcmp(key, "initrd") ||
			 !strcmp(key, "options") ||
			 !strcmp(key, "devicetree")) {
			x = expand(val, vars, cfg, line, warn);
			if (!x)
				return -ENOMEM;
			if (key[0] == 'l' || key[0] == 'd') {
				/* One path; trailing words are junk. */
				char *p = x + strspn(x, " \t");

				p[strcspn(p, " \t")] = '\0';
				if (!*p)
					kj_warn(warn, cfg, line, "%s: no path",
						key);
				else
					r = set_path(key[0] == 'l'
							     ? &b->e.kernel
							     : &b->e.devicetree,
						     p);
			} else if (key[0] == 'i') {
				r = add_initrds(b, x, cfg, line, warn);
			} else {
				r = append_opts(&b->e, x);
				if (r == -E2BIG) {
					kj_warn(warn, cfg, line,
						"options longer than %d bytes "
						"in all, this line dropped",
						EXPAND_MAX - 1);
					r = 0;
				}
			}
			free(x);
		}
	}
	if (r < 0)
		return r;
	if (other_arch)
		return 0;
	if (!b->e.kernel) {
		if (!efi) {
			kj_warn(warn, cfg, 0, "no linux key, entry skipped");
			return 0;
		}
		b->e.type = KJ_ENTRY_UNSUPPORTED;
		r = kj_entry_set(
			&b->e.unsupported,
			"an EFI program (efi key), not a Linux kernel");
		if (r < 0)
			return r;
	}
	if (!b->e.title) {
		/* The spec falls back to the version, then the file name. */
		r = kj_entry_set(&b->e.title,
				 b->version ? b->version : b->e.id);
		if (r < 0)
			return r;
	}
	return 1;
}

static int str_cmp_null(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int bls_cmp(const void *pa, const void *pb)
{
	const struct bls *a = pa, *b = pb;
	int r;

	/* Rule 1: "bad" entries (boot counting) after all others. */
	if (a->bad != b->bad)
		return a->bad ? 1 : -1;
	if (a->sort_key && b->sort_key) {
		r = strcmp(a->sort_key, b->sort_key);
		if (!r)
			r = str_cmp_null(a->machine_id, b->machine_id);
		if (!r && a->version && b->version)
			r = -kj_bls_version_cmp(a->version, b->version);
		if (r)
			return r;
	} else if (a->sort_key || b->sort_key) {
		return a->sort_key ? -1 : 1;
	}
	/* The file name, counter included (the spec allows that, and two
	 * names that differ only there sort by it). */
	r = -kj_bls_version_cmp(a->stem, b->stem);
	if (!r)
		r = strcmp(a->stem, b->stem);
	if (!r)
		r = (a->dir > b->dir) - (a->dir < b->dir);
	return r;
}

/* Read one directory's .conf files into rd (all of them: the cap on
 * what is listed comes after sorting). */
static int read_dir(const struct kj_root *root, unsigned d,
		    const struct kj_vars *vars, struct bls_read *rd,
		    struct kj_warnings *warn)
{
	char **names;
	size_t nn;
	int r = 0;

	/* (kj_root_list on a directory without files hands qsort a NULL.) */
	if (!kj_root_exists(root, entry_dirs[d]) ||
	    kj_root_list(root, entry_dirs[d], KJ_BLS_MAX_NAMES, &names, &nn) <
		    0)
		return 0;
	if (nn >= KJ_BLS_MAX_NAMES)
		kj_warn(warn, entry_dirs[d], 0,
			"more than %d names, the rest is not read",
			KJ_BLS_MAX_NAMES);
	for (size_t i = 0; i < nn && r >= 0; i++) {
		size_t len = strlen(names[i]), idlen, flen = 0;
		struct kj_err err = { 0 };
		struct bls *nv, b = { .dir = d };
		char *cfg, *text;

		if (len <= 5 || strcmp(names[i] + len - 5, ".conf") != 0 ||
		    names[i][0] == '.')
			continue;
		cfg = kj_path_join(entry_dirs[d], names[i]);
		if (!cfg) {
			r = -ENOMEM;
			break;
		}
		if (rd->bytes >= KJ_BLS_MAX_BYTES) {
			if (!rd->too_many_bytes)
				kj_warn(warn, cfg, 0,
					"more than %u bytes of entries read, "
					"this file and later ones are not read",
					KJ_BLS_MAX_BYTES);
			rd->too_many_bytes = true;
			free(cfg);
			break;
		}
		if (kj_root_read(root, cfg, KJ_BLS_MAX_FILE_SIZE, &text, &flen,
				 &err) < 0) {
			kj_warn(warn, cfg, 0, "%s",
				kj_root_err_reason(&err, cfg));
			free(cfg);
			if (err.code == ENOMEM)
				r = -ENOMEM;
			continue;
		}
		rd->bytes += flen;
		b.e.config = cfg;
		b.e.source = KJ_SOURCE_BLS;
		b.e.type = KJ_ENTRY_LINUX;
		b.e.config_line = 1;
		b.stem = strndup(names[i], len - 5);
		idlen = b.stem ? count_suffix(b.stem, &b.bad) : 0;
		b.e.id = b.stem ? strndup(b.stem, idlen) : NULL;
		b.e.cmdline = strdup("");
		if (!b.e.id || !b.e.cmdline)
			r = -ENOMEM;
		else
			r = parse_entry(&b, text, cfg, vars, warn);
		free(text);
		if (r <= 0) {
			bls_free(&b);
			continue;
		}
		nv = realloc(rd->v, (rd->n + 1) * sizeof(*rd->v));
		if (!nv) {
			bls_free(&b);
			r = -ENOMEM;
			break;
		}
		rd->v = nv;
		nv[rd->n++] = b;
		r = 0;
	}
	kj_root_names_free(names, nn);
	return r;
}

/* The `default` glob of loader.conf, or NULL. */
static char *loader_default(const struct kj_root *root,
			    struct kj_warnings *warn)
{
	for (size_t i = 0; i < 2; i++) {
		char *text, *sp, *res = NULL;
		struct kj_err err = { 0 };

		if (!kj_root_exists(root, loader_confs[i]))
			continue;
		if (kj_root_read(root, loader_confs[i], KJ_BLS_MAX_FILE_SIZE,
				 &text, NULL, &err) < 0) {
			kj_warn(warn, loader_confs[i], 0, "%s",
				kj_root_err_reason(&err, loader_confs[i]));
			continue;
		}
		for (char *l = strtok_r(text, "\n", &sp); l;
		     l = strtok_r(NULL, "\n", &sp)) {
			char *k = l + strspn(l, " \t");

			if (strncmp(k, "default", 7) != 0 ||
			    (k[7] != ' ' && k[7] != '\t'))
				continue;
			k += 7 + strspn(k + 7, " \t");
			k[strcspn(k, " \t\r")] = '\0';
			free(res);
			res = strdup(k);
		}
		free(text);
		return res;
	}
	return NULL;
}

static bool id_matches(const char *pattern, const char *id)
{
	char with[512];

	if (fnmatch(pattern, id, 0) == 0)
		return true;
	snprintf(with, sizeof(with), "%s.conf", id);
	return fnmatch(pattern, with, 0) == 0;
}

/* May v[i] be the default? Not a "bad" entry while a good one exists. */
static bool may_default(const struct bls *v, size_t i)
{
	return !v[i].bad || v[0].bad; /* sorted: v[0] is good if any is */
}

/* The index of the default entry in v (sorted). */
static size_t pick_default(const struct kj_root *root,
			   const struct kj_vars *vars, struct bls *v, size_t n,
			   struct kj_warnings *warn)
{
	char *glob = loader_default(root, warn);
	const char *saved = kj_vars_get(vars, "saved_entry");
	const char *def = kj_vars_get(vars, "default");
	size_t pick = 0;
	bool found = false;

	if (glob)
		for (size_t i = 0; i < n && !found; i++)
			if (may_default(v, i) && id_matches(glob, v[i].e.id))
				pick = i, found = true;
	free(glob);
	if (!found && saved && *saved)
		for (size_t i = 0; i < n && !found; i++)
			if (may_default(v, i) && !strcmp(saved, v[i].e.id))
				pick = i, found = true;
	if (!found && def && *def) {
		char *end;
		unsigned long idx = strtoul(def, &end, 10);

		if (isdigit((unsigned char)*def) && !*end && idx < n &&
		    may_default(v, idx))
			pick = idx, found = true;
		for (size_t i = 0; i < n && !found; i++)
			if (may_default(v, i) && !strcmp(def, v[i].e.id))
				pick = i, found = true;
	}
	v[pick].e.is_default = true;
	return pick;
}

int kj_bls_scan(const struct kj_root *root, const struct kj_vars *vars,
		struct kj_entry_list *out, struct kj_warnings *warn)
{
	struct kj_vars own = { 0 };
	struct bls_read rd = { 0 };
	struct bls *v;
	size_t n, added = 0, def = 0;
	bool full = false;
	int r = 0;

	if (!vars) {
		for (size_t i = 0; i < 4; i++)
			if (kj_grubenv_load(root, grubenvs[i], &own, warn) !=
			    -ENOENT)
				break;
		vars = &own;
	}
	for (unsigned d = 0; d < 2 && r >= 0; d++)
		r = read_dir(root, d, vars, &rd, warn);
	v = rd.v;
	n = rd.n;
	if (r >= 0 && n) {
		qsort(v, n, sizeof(*v), bls_cmp);
		def = pick_default(root, vars, v, n, warn);
	}
	if (r >= 0 && n > KJ_BLS_MAX_FILES) {
		/* Sorted first, so what is left out is the end of the
		 * spec's order; the default stays in any case. */
		kj_warn(warn, root->name ? root->name : "bls", 0,
			"%zu boot loader entries, only the first %d in the "
			"specification's order are listed",
			n, KJ_BLS_MAX_FILES);
		if (def >= KJ_BLS_MAX_FILES) {
			struct bls t = v[KJ_BLS_MAX_FILES - 1];

			v[KJ_BLS_MAX_FILES - 1] = v[def];
			v[def] = t;
		}
	}
	for (size_t i = 0; i < n; i++) {
		struct kj_entry *e;

		if (i >= KJ_BLS_MAX_FILES) {
			bls_free(&v[i]);
			continue;
		}
		if (r >= 0 && root->name) {
			v[i].e.root_name = strdup(root->name);
			if (!v[i].e.root_name)
				r = -ENOMEM;
		}
		if (r >= 0) {
			e = kj_entry_list_add(out);
			if (e) {
				free(e->cmdline);
				*e = v[i].e; /* ownership moves to out */
				memset(&v[i].e, 0, sizeof(v[i].e));
				added++;
			} else if (out->n < KJ_MAX_ENTRIES) {
				r = -ENOMEM;
			} else if (!full) {
				kj_warn(warn, root->name ? root->name : "bls",
					0,
					"more than %d entries, the rest of "
					"the boot loader entries is ignored",
					KJ_MAX_ENTRIES);
				full = true;
			}
		}
		bls_free(&v[i]);
	}
	free(v);
	kj_vars_free(&own);
	return r < 0 ? r : (int)added;
}
