#include "core/cmdline.h"

#include <stdio.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>


int kj_cmdline_init(struct kj_cmdline *cl, const char *text)
{
	cl->text = strdup(text ? text : "");
	if (!cl->text)
		return -ENOMEM;
	cl->len = strlen(cl->text);
	return 0;
}

void kj_cmdline_free(struct kj_cmdline *cl)
{
	free(cl->text);
	cl->text = NULL;
	cl->len = 0;
}

/* Find the next word at or after *pos; returns its start and length, or
 * NULL at the end. Quotes keep spaces inside a word. */
static const char *next_word(const char *s, size_t *pos, size_t *wlen)
{
	size_t i = *pos, start;
	bool quoted = false;

	while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n')
		i++;
	if (!s[i]) {
		*pos = i;
		return NULL;
	}
	start = i;
	while (s[i] && (quoted || (s[i] != ' ' && s[i] != '\t' && s[i] != '\n'))) {
		if (s[i] == '"')
			quoted = !quoted;
		i++;
	}
	*pos = i;
	*wlen = i - start;
	return s + start;
}

/* Does word (length wlen) name the parameter name ("name" or "name=...")?
 * A word quoted as a whole ("name=a b", as GRUB writes one with a blank)
 * names it too: the kernel skips that leading quote. */
static bool word_is(const char *word, size_t wlen, const char *name,
		    size_t nlen)
{
	if (wlen && word[0] == '"') {
		word++;
		wlen--;
	}
	return wlen >= nlen && !strncmp(word, name, nlen) &&
	       (wlen == nlen || word[nlen] == '=' ||
		(word[nlen] == '"' && wlen == nlen + 1));
}

/* Rebuild the line keeping only words for which keep() is true. */
static int filter_words(struct kj_cmdline *cl, const char *name,
			size_t nlen, const char *replacement)
{
	char *out = malloc(cl->len + (replacement ? strlen(replacement) : 0) + 2);
	size_t pos = 0, olen = 0, wlen = 0;
	bool replaced = false;
	const char *w;

	if (!out)
		return -ENOMEM;
	while ((w = next_word(cl->text, &pos, &wlen))) {
		if (word_is(w, wlen, name, nlen)) {
			if (!replacement || replaced)
				continue;
			/* The first match becomes the replacement in place. */
			w = replacement;
			wlen = strlen(replacement);
			replaced = true;
		}
		if (olen)
			out[olen++] = ' ';
		memcpy(out + olen, w, wlen);
		olen += wlen;
	}
	if (replacement && !replaced) {
		if (olen)
			out[olen++] = ' ';
		memcpy(out + olen, replacement, strlen(replacement));
		olen += strlen(replacement);
	}
	out[olen] = '\0';
	free(cl->text);
	cl->text = out;
	cl->len = olen;
	return 0;
}

int kj_cmdline_append(struct kj_cmdline *cl, const char *words)
{
	size_t wlen;
	char *grown;

	if (!words)
		return 0;
	while (*words == ' ' || *words == '\t' || *words == '\n')
		words++;
	wlen = strlen(words);
	while (wlen && (words[wlen - 1] == ' ' || words[wlen - 1] == '\n' ||
			words[wlen - 1] == '\t'))
		wlen--;
	if (!wlen)
		return 0;
	grown = realloc(cl->text, cl->len + wlen + 2);
	if (!grown)
		return -ENOMEM;
	cl->text = grown;
	if (cl->len)
		cl->text[cl->len++] = ' ';
	memcpy(cl->text + cl->len, words, wlen);
	cl->len += wlen;
	cl->text[cl->len] = '\0';
	return 0;
}

int kj_cmdline_remove_arg(struct kj_cmdline *cl, const char *name)
{
	return filter_words(cl, name, strlen(name), NULL);
}

int kj_cmdline_set_arg(struct kj_cmdline *cl, const char *name_value)
{
	const char *eq = strchr(name_value, '=');
	size_t nlen = eq ? (size_t)(eq - name_value) : strlen(name_value);

	if (nlen == 0)
		return -EINVAL;
	return filter_words(cl, name_value, nlen, name_value);
}

int kj_cmdline_reuse(struct kj_cmdline *cl, const char *running, bool panic)
{
	int r = kj_cmdline_init(cl, "");

	if (r == 0)
		r = kj_cmdline_append(cl, running);
	if (r == 0)
		r = kj_cmdline_remove_arg(cl, "BOOT_IMAGE");
	if (r == 0 && panic)
		r = kj_cmdline_remove_arg(cl, "crashkernel");
	if (r < 0)
		kj_cmdline_free(cl);
	return r;
}

char *kj_cmdline_with_path(const char *path, const char *args)
{
	char *s;

	if (asprintf(&s, "%s%s%s", path, args && *args ? " " : "",
		     args ? args : "") < 0)
		return NULL;
	return s;
}
