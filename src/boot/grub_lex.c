#include "boot/grub_lex.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct lexer {
	const char *p, *end;
	unsigned line;
	const char *path;
	struct kj_warnings *warn;
	struct kj_gscript *out;
	size_t cap;
	/* the word being built */
	struct kj_gtok cur;
	size_t parts_cap;
	char *lit;
	size_t lit_len, lit_cap;
	bool have_lit;
};

static bool is_delim(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ';';
}

static int push_tok(struct lexer *lx, struct kj_gtok *tok)
{
	if (lx->out->n == lx->cap) {
		size_t cap = lx->cap ? lx->cap * 2 : 256;
		struct kj_gtok *t = realloc(lx->out->t, cap * sizeof(*t));

		if (!t)
			return -ENOMEM;
		lx->out->t = t;
		lx->cap = cap;
	}
	lx->out->t[lx->out->n++] = *tok;
	return 0;
}

static int lit_add(struct lexer *lx, char c)
{
	if (lx->lit_len + 1 >= lx->lit_cap) {
		size_t cap = lx->lit_cap ? lx->lit_cap * 2 : 64;
		char *l = realloc(lx->lit, cap);

		if (!l)
			return -ENOMEM;
		lx->lit = l;
		lx->lit_cap = cap;
	}
	lx->lit[lx->lit_len++] = c;
	lx->have_lit = true;
	return 0;
}

static int part_add(struct lexer *lx, enum kj_gpart_kind kind, char *text)
{
	struct kj_gtok *t = &lx->cur;

	if (t->n_parts == lx->parts_cap) {
		size_t cap = lx->parts_cap ? lx->parts_cap * 2 : 4;
		struct kj_gpart *p = realloc(t->parts, cap * sizeof(*p));

		if (!p) {
			free(text);
			return -ENOMEM;
		}
		t->parts = p;
		lx->parts_cap = cap;
	}
	t->parts[t->n_parts].kind = kind;
	t->parts[t->n_parts].text = text;
	t->n_parts++;
	return 0;
}

static int lit_flush(struct lexer *lx)
{
	char *text;

	if (!lx->have_lit)
		return 0;
	text = strndup(lx->lit ? lx->lit : "", lx->lit_len);
	lx->lit_len = 0;
	lx->have_lit = false;
	if (!text)
		return -ENOMEM;
	return part_add(lx, KJ_GPART_LIT, text);
}

static bool is_hex(char c)
{
	return isxdigit((unsigned char)c);
}

/* Does p (before end) start "\xHH"? */
static bool is_hex_escape(const char *p, const char *end)
{
	return end - p >= 4 && p[0] == '\\' && p[1] == 'x' && is_hex(p[2]) &&
	       is_hex(p[3]);
}

static bool is_name_start(char c)
{
	return isalpha((unsigned char)c) || c == '_';
}

static bool is_name(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* At '$': add a variable part, or a literal '$' when no name follows. */
static int lex_var(struct lexer *lx, bool quoted)
{
	const char *p = lx->p + 1, *name, *end;
	int r;

	if (p < lx->end && *p == '{') {
		name = p + 1;
		end = memchr(name, '}', (size_t)(lx->end - name));
		if (!end || end == name || memchr(name, '\n', end - name)) {
			lx->p++;
			return lit_add(lx, '$');
		}
		lx->p = end + 1;
	} else if (p < lx->end && is_name_start(*p)) {
		name = p;
		for (end = p; end < lx->end && is_name(*end); end++)
			;
		lx->p = end;
	} else if (p < lx->end && isdigit((unsigned char)*p)) {
		name = p;
		for (end = p; end < lx->end && isdigit((unsigned char)*end);
		     end++)
			;
		lx->p = end;
	} else if (p < lx->end &&
		   (*p == '?' || *p == '#' || *p == '@' || *p == '*')) {
		name = p;
		end = p + 1;
		lx->p = end;
	} else {
		lx->p++;
		return lit_add(lx, '$');
	}
	r = lit_flush(lx);
	if (r < 0)
		return r;
	{
		char *text = strndup(name, (size_t)(end - name));

		if (!text)
			return -ENOMEM;
		return part_add(lx, quoted ? KJ_GPART_QVAR : KJ_GPART_VAR,
				text);
	}
}

static int lex_single(struct lexer *lx)
{
	unsigned start = lx->line;
	int r;

	lx->p++;
	while (lx->p < lx->end && *lx->p != '\'') {
		if (*lx->p == '\n')
			lx->line++;
		r = lit_add(lx, *lx->p++);
		if (r < 0)
			return r;
	}
	if (lx->p >= lx->end)
		kj_warn(lx->warn, lx->path, start, "unterminated ' quote");
	else
		lx->p++;
	lx->have_lit = true; /* '' is an empty word */
	return 0;
}

static int lex_double(struct lexer *lx)
{
	unsigned start = lx->line;
	int r = 0;

	lx->p++;
	lx->have_lit = true;
	while (lx->p < lx->end && *lx->p != '"' && r >= 0) {
		char c = *lx->p;

		if (c == '\\' && lx->p + 1 < lx->end) {
			char n = lx->p[1];

			if (n == '\n') {
				lx->line++;
				lx->p += 2;
				continue;
			}
			if (n == '$' || n == '"' || n == '\\') {
				lx->p += 2;
				r = lit_add(lx, n);
				continue;
			}
		}
		if (c == '$') {
			r = lex_var(lx, true);
			continue;
		}
		if (c == '\n')
			lx->line++;
		r = lit_add(lx, c);
		lx->p++;
	}
	if (r < 0)
		return r;
	if (lx->p >= lx->end)
		kj_warn(lx->warn, lx->path, start, "unterminated \" quote");
	else
		lx->p++;
	/* A quoted empty string must stay a word even next to a $var. */
	if (!lx->have_lit && lx->cur.n_parts == 0)
		lx->have_lit = true;
	return 0;
}

static int lex_word(struct lexer *lx)
{
	int r = 0;

	memset(&lx->cur, 0, sizeof(lx->cur));
	lx->parts_cap = 0;
	lx->cur.type = KJ_GTOK_WORD;
	lx->cur.line = lx->line;
	while (lx->p < lx->end && !is_delim(*lx->p) && r >= 0) {
		char c = *lx->p;

		if (c == '\\') {
			if (lx->p + 1 >= lx->end) {
				lx->p++;
				break;
			}
			if (lx->p[1] == '\n') {
				lx->line++;
				lx->p += 2;
				continue;
			}
			lx->cur.quoted = true;
			if (is_hex_escape(lx->p, lx->end)) {
				/* Red Hat's GRUB keeps \xHH for the kernel
				 * (dracut decodes it): all four bytes. */
				for (int i = 0; i < 4 && r >= 0; i++)
					r = lit_add(lx, *lx->p++);
				continue;
			}
			r = lit_add(lx, lx->p[1]);
			lx->p += 2;
		} else if (c == '{' || c == '}') {
			break; /* a token of its own, as in GRUB's lexer */
		} else if (c == '\'') {
			lx->cur.quoted = true;
			r = lex_single(lx);
		} else if (c == '"') {
			lx->cur.quoted = true;
			r = lex_double(lx);
		} else if (c == '$') {
			r = lex_var(lx, false);
		} else {
			r = lit_add(lx, c);
			lx->p++;
		}
	}
	if (r >= 0)
		r = lit_flush(lx);
	if (r >= 0)
		r = push_tok(lx, &lx->cur);
	if (r < 0) {
		for (size_t i = 0; i < lx->cur.n_parts; i++)
			free(lx->cur.parts[i].text);
		free(lx->cur.parts);
	}
	memset(&lx->cur, 0, sizeof(lx->cur));
	return r;
}

static int simple_tok(struct lexer *lx, enum kj_gtok_type type)
{
	struct kj_gtok t = { .type = type, .line = lx->line };

	return push_tok(lx, &t);
}

int kj_grub_lex(const char *src, size_t len, const char *path,
		struct kj_gscript *out, struct kj_warnings *warn)
{
	struct lexer lx = {
		.p = src,
		.end = src + len,
		.line = 1,
		.path = path,
		.warn = warn,
		.out = out,
	};
	int r = 0;

	memset(out, 0, sizeof(*out));
	out->path = strdup(path);
	if (!out->path)
		return -ENOMEM;
	while (lx.p < lx.end && r >= 0) {
		char c = *lx.p;

		if (out->n >= KJ_GRUB_MAX_TOKENS) {
			kj_warn(warn, path, lx.line,
				"more than %d tokens, rest ignored",
				KJ_GRUB_MAX_TOKENS);
			break;
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == '\0') {
			lx.p++;
		} else if (c == '\\' && lx.p + 1 < lx.end && lx.p[1] == '\n') {
			lx.p += 2;
			lx.line++;
		} else if (c == '\n' || c == ';') {
			r = simple_tok(&lx, KJ_GTOK_SEP);
			if (c == '\n')
				lx.line++;
			lx.p++;
		} else if (c == '#') {
			while (lx.p < lx.end && *lx.p != '\n')
				lx.p++;
		} else if (c == '{' || c == '}') {
			r = simple_tok(&lx, c == '{' ? KJ_GTOK_LBRACE
						     : KJ_GTOK_RBRACE);
			lx.p++;
		} else {
			r = lex_word(&lx);
		}
	}
	free(lx.lit);
	if (r >= 0)
		r = simple_tok(&lx, KJ_GTOK_EOF);
	if (r < 0) {
		kj_grub_script_free(out);
		return r;
	}
	return 0;
}

void kj_grub_script_free(struct kj_gscript *s)
{
	for (size_t i = 0; i < s->n; i++) {
		for (size_t j = 0; j < s->t[i].n_parts; j++)
			free(s->t[i].parts[j].text);
		free(s->t[i].parts);
	}
	free(s->t);
	free(s->path);
	memset(s, 0, sizeof(*s));
}

bool kj_gtok_is(const struct kj_gtok *tok, const char *kw)
{
	return tok->type == KJ_GTOK_WORD && !tok->quoted && tok->n_parts == 1 &&
	       tok->parts[0].kind == KJ_GPART_LIT &&
	       strcmp(tok->parts[0].text, kw) == 0;
}
