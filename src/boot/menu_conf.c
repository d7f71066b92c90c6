#include "boot/menu_conf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image/open.h"

static void init(struct kj_menu_conf *conf)
{
	memset(conf, 0, sizeof(*conf));
	conf->timeout = -1;
	conf->wait = -1;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* A non-negative number of seconds, at most a day. */
static bool parse_seconds(const char *v, long *out)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < 0 || n > 86400)
		return false;
	*out = n;
	return true;
}

static int replace(char **field, const char *value)
{
	char *s = strdup(value);

	if (!s)
		return -ENOMEM;
	free(*field);
	*field = s;
	return 0;
}

static int parse_line(struct kj_menu_conf *conf, const char *name,
		      unsigned lineno, char *key, struct kj_warnings *w)
{
	char *val = key;

	while (*val && !is_space(*val))
		val++;
	if (*val)
		*val++ = '\0';
	while (is_space(*val))
		val++;
	for (char *end = val + strlen(val); end > val && is_space(end[-1]);)
		*--end = '\0';

	if (!strcmp(key, "set-arg") || !strcmp(key, "remove-arg")) {
		struct kj_conf_rule *r;

		if (!*val || *val == '=' || strpbrk(val, " \t")) {
			kj_warn(w, name, lineno, "%s needs one NAME[=VALUE]",
				key);
			return 0;
		}
		if (conf->n_rules >= KJ_CONF_MAX_RULES) {
			kj_warn(w, name, lineno, "more than %d rules",
				KJ_CONF_MAX_RULES);
			return 0;
		}
		r = &conf->rules[conf->n_rules];
		r->set = key[0] == 's';
		r->arg = strdup(val);
		if (!r->arg)
			return -ENOMEM;
		conf->n_rules++;
		return 0;
	}
	if (!strcmp(key, "timeout") || !strcmp(key, "wait")) {
		long *field = key[0] == 't' ? &conf->timeout : &conf->wait;

		if (!parse_seconds(val, field))
			kj_warn(w, name, lineno,
				"%s takes seconds (0 to 86400), not '%s'", key,
				val);
		return 0;
	}
	if (!strcmp(key, "default") || !strcmp(key, "state")) {
		if (!*val) {
			kj_warn(w, name, lineno, "%s needs a value", key);
			return 0;
		}
		return replace(key[0] == 'd' ? &conf->default_entry
					     : &conf->state,
			       val);
	}
	kj_warn(w, name, lineno, "unknown setting '%s'", key);
	return 0;
}

int kj_menu_conf_parse(struct kj_menu_conf *conf, const char *name,
		       const char *text, size_t len, struct kj_warnings *w,
		       struct kj_err *err)
{
	unsigned lineno = 0;
	size_t pos = 0;

	init(conf);
	if (len > KJ_CONF_MAX_SIZE) {
		kj_warn(w, name, 0, "larger than %u bytes, ignored",
			KJ_CONF_MAX_SIZE);
		return 0;
	}
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
		char *line = strndup(text + pos, n), *p;
		int r = 0;

		if (!line) {
			kj_menu_conf_free(conf);
			return kj_fail(err, ENOMEM, "%s: out of memory", name);
		}
		pos += n + 1;
		lineno++;
		p = line;
		while (is_space(*p))
			p++;
		if (strlen(line) != n)
			kj_warn(w, name, lineno, "NUL byte in line, ignored");
		else if (*p && *p != '#')
			r = parse_line(conf, name, lineno, p, w);
		free(line);
		if (r < 0) {
			kj_menu_conf_free(conf);
			return kj_fail(err, ENOMEM, "%s: out of memory", name);
		}
	}
	return 0;
}

int kj_menu_conf_load(struct kj_menu_conf *conf, const char *path,
		      struct kj_warnings *w, struct kj_err *err)
{
	char *buf;
	ssize_t n;
	size_t len = 0;
	int fd, r;

	init(conf);
	fd = kj_open_file(-1, path); /* never blocks on a FIFO */
	if (fd < 0) {
		if (fd == -ENOENT)
			return 0;
		kj_warn(w, path, 0, "cannot read: %s",
			fd == -EINVAL || fd == -EISDIR ? "not a regular file"
						       : strerror(-fd));
		return 0;
	}
	buf = malloc(KJ_CONF_MAX_SIZE + 1);
	if (!buf) {
		close(fd);
		return kj_fail(err, ENOMEM, "%s: out of memory", path);
	}
	while (len <= KJ_CONF_MAX_SIZE &&
	       (n = read(fd, buf + len, KJ_CONF_MAX_SIZE + 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	r = kj_menu_conf_parse(conf, path, buf, len, w, err);
	free(buf);
	return r;
}

void kj_menu_conf_free(struct kj_menu_conf *conf)
{
	for (size_t i = 0; i < conf->n_rules; i++)
		free(conf->rules[i].arg);
	free(conf->default_entry);
	free(conf->state);
	init(conf);
}
