#include "core/safe_text.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Where escaped text goes: a stream, or a buffer (len bytes used). */
struct sink {
	FILE *f;
	char *buf;
	size_t size, len;
};

static bool cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

/* The next unit of s (n > 0 bytes): a whole UTF-8 character, or one byte
 * that is not part of one. *ok: it may be printed as it is. */
static size_t next_unit(const unsigned char *s, size_t n, bool *ok)
{
	unsigned c = s[0];
	uint32_t cp;
	size_t len;

	*ok = false;
	if (c < 0x80) {
		*ok = c >= 0x20 && c != 0x7f;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, cp = c & 0x07;
	else
		return 1; /* continuation byte, overlong lead, beyond U+10FFFF
			   */
	if (n < len)
		return 1;
	for (size_t i = 1; i < len; i++) {
		if (!cont(s[i]))
			return 1;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 1; /* overlong, surrogate */
	/* Valid, but controls (C1) and text-direction overrides stay
	 * escaped, every byte of them. */
	*ok = !(cp < 0xa0 || (cp >= 0x202a && cp <= 0x202e) ||
		(cp >= 0x2066 && cp <= 0x2069));
	return len;
}

/* Put n bytes; a buffer keeps room for the NUL. */
static bool put(struct sink *k, const char *p, size_t n)
{
	if (k->f)
		return fwrite(p, 1, n, k->f) == n;
	if (k->len + n + 1 > k->size)
		return false;
	memcpy(k->buf + k->len, p, n);
	k->len += n;
	return true;
}

static size_t walk(struct sink *k, const char *str, size_t n, size_t max_cols,
		   size_t *cols)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t used = 0, c = 0;

	while (used < n) {
		bool ok;
		size_t len = next_unit(s + used, n - used, &ok);
		size_t w = ok ? 1 : 4 * len;

		if (w > max_cols - c)
			break;
		if (ok) {
			if (!put(k, str + used, len))
				break;
		} else {
			char esc[4 * 4 + 1];

			for (size_t i = 0; i < len; i++)
				snprintf(esc + 4 * i, 5, "\\x%02x",
					 s[used + i]);
			if (!put(k, esc, 4 * len))
				break;
		}
		used += len;
		c += w;
	}
	if (cols)
		*cols = c;
	return used;
}

size_t kj_safe_write(FILE *out, const char *s, size_t n, size_t max_cols,
		     size_t *cols)
{
	struct sink k = { .f = out };

	return walk(&k, s, n, max_cols, cols);
}

void kj_safe_fputs(FILE *out, const char *s)
{
	if (s)
		kj_safe_write(out, s, strlen(s), SIZE_MAX, NULL);
}

size_t kj_safe_width(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = s ? strlen(s) : 0, used = 0, w = 0;

	while (used < n) {
		bool ok;
		size_t len = next_unit(u + used, n - used, &ok);

		w += ok ? 1 : 4 * len;
		used += len;
	}
	return w;
}

size_t kj_safe_copy(char *buf, size_t size, const char *s, size_t max_cols)
{
	struct sink k = { .buf = buf, .size = size };
	size_t cols = 0;

	if (!size)
		return 0;
	if (s)
		walk(&k, s, strlen(s), max_cols, &cols);
	buf[k.len] = '\0';
	return cols;
}

char *kj_safe_strdup(const char *s)
{
	size_t size = 4 * (s ? strlen(s) : 0) + 1;
	char *buf = malloc(size);

	if (buf)
		kj_safe_copy(buf, size, s, SIZE_MAX);
	return buf;
}
