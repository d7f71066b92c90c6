#include "boot/grubenv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define GRUBENV_HEADER "# GRUB Environment Block\n"

static struct kj_var *find(const struct kj_vars *vars, const char *name)
{
	for (size_t i = 0; i < vars->n; i++)
		if (strcmp(vars->v[i].name, name) == 0)
			return &vars->v[i];
	return NULL;
}

const char *kj_vars_get(const struct kj_vars *vars, const char *name)
{
	const struct kj_var *v = vars ? find(vars, name) : NULL;

	return v ? v->value : NULL;
}

int kj_vars_set(struct kj_vars *vars, const char *name, const char *value)
{
	struct kj_var *v = find(vars, name);
	size_t nlen = strlen(name);
	char *copy;

	if (nlen == 0 || nlen >= KJ_VAR_NAME_MAX)
		return -EINVAL;
	if (strlen(value) >= KJ_VAR_VALUE_MAX)
		return -E2BIG;
	copy = strdup(value);
	if (!copy)
		return -ENOMEM;
	if (v) {
		free(v->value);
		v->value = copy;
		return 0;
	}
	if (vars->n >= KJ_VARS_MAX) {
		free(copy);
		return -E2BIG;
	}
	v = realloc(vars->v, (vars->n + 1) * sizeof(*v));
	if (!v) {
		free(copy);
		return -ENOMEM;
	}
	vars->v = v;
	v[vars->n].value = copy;
	v[vars->n].name = strdup(name);
	if (!v[vars->n].name) {
		free(copy);
		return -ENOMEM;
	}
	vars->n++;
	return 0;
}

void kj_vars_unset(struct kj_vars *vars, const char *name)
{
	struct kj_var *v = find(vars, name);

	if (!v)
		return;
	free(v->name);
	free(v->value);
	/* Keep the order: `set` output and tests rely on it. */
	memmove(v, v + 1, (size_t)(vars->v + vars->n - (v + 1)) * sizeof(*v));
	vars->n--;
}

void kj_vars_free(struct kj_vars *vars)
{
	for (size_t i = 0; i < vars->n; i++) {
		free(vars->v[i].name);
		free(vars->v[i].value);
	}
	free(vars->v);
	vars->v = NULL;
	vars->n = 0;
}

int kj_vars_copy(struct kj_vars *dst, const struct kj_vars *src)
{
	dst->v = NULL;
	dst->n = 0;
	if (!src)
		return 0;
	for (size_t i = 0; i < src->n; i++) {
		int r = kj_vars_set(dst, src->v[i].name, src->v[i].value);

		if (r < 0) {
			kj_vars_free(dst);
			return r;
		}
	}
	return 0;
}

/* One NAME=VALUE line starting at p (bounded by end): unescape the value
 * into a fresh buffer. *next is where the following line starts. */
static int parse_line(const char *p, const char *end, const char *name,
		      unsigned line, struct kj_vars *vars,
		      struct kj_warnings *warn, const char **next)
{
	const char *eq = NULL, *q = p;
	char *val, *key;
	size_t n = 0;
	int r;

	/* Find the line end first, honouring backslash-newline. */
	while (q < end && *q != '\n') {
		if (*q == '\\' && q + 1 < end)
			q++;
		else if (*q == '=' && !eq)
			eq = q;
		q++;
	}
	*next = q < end ? q + 1 : end;
	if (!eq || eq == p) {
		kj_warn(warn, name, line, "not a NAME=VALUE line");
		return 0;
	}
	key = strndup(p, (size_t)(eq - p));
	val = malloc((size_t)(q - eq));
	if (!key || !val) {
		free(key);
		free(val);
		return -ENOMEM;
	}
	for (const char *s = eq + 1; s < q; s++) {
		if (*s == '\\' && s + 1 < q)
			s++;
		val[n++] = *s;
	}
	val[n] = '\0';
	r = kj_vars_set(vars, key, val);
	if (r == -EINVAL || r == -E2BIG) {
		kj_warn(warn, name, line, "variable %.64s: %s", key,
			r == -EINVAL ? "bad name" : "too long or too many");
		r = 0;
	}
	free(key);
	free(val);
	return r;
}

int kj_grubenv_parse(const char *data, size_t len, const char *name,
		     struct kj_vars *vars, struct kj_warnings *warn)
{
	size_t hlen = strlen(GRUBENV_HEADER);
	const char *p = data, *end = data + len;
	unsigned line = 2;

	if (len < hlen || memcmp(data, GRUBENV_HEADER, hlen) != 0) {
		kj_warn(warn, name, 1, "not a GRUB environment block");
		return -EINVAL;
	}
	p += hlen;
	while (p < end) {
		const char *next;
		int r;

		/* '#' lines are comments or the padding that fills the
		 * block; a NUL ends the data (some tools pad with zeros). */
		if (*p == '\0')
			break;
		if (*p == '#' || *p == '\n') {
			next = memchr(p, '\n', (size_t)(end - p));
			next = next ? next + 1 : end;
		} else {
			r = parse_line(p, end, name, line, vars, warn, &next);
			if (r < 0)
				return r;
		}
		for (const char *s = p; s < next; s++)
			if (*s == '\n')
				line++;
		p = next;
	}
	return 0;
}

int kj_grubenv_load(const struct kj_root *root, const char *path,
		    struct kj_vars *vars, struct kj_warnings *warn)
{
	struct kj_err err = { 0 };
	size_t len;
	char *buf;
	int r;

	if (!kj_root_exists(root, path))
		return -ENOENT;
	r = kj_root_read(root, path, KJ_GRUBENV_MAX_SIZE, &buf, &len, &err);
	if (r < 0) {
		kj_warn(warn, path, 0, "%s", kj_root_err_reason(&err, path));
		return r;
	}
	r = kj_grubenv_parse(buf, len, path, vars, warn);
	free(buf);
	return r;
}
