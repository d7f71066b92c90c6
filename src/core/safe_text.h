/* Text from a disk, made safe to print on a terminal.
 *
 * Titles, paths, labels and warnings come from configs on untrusted
 * disks; printed as they are, an ESC could drive the terminal (move the
 * cursor, retitle the window, rewrite what the menu shows) and a BEL ring.
 * Everything printed for people goes through here; JSON has its own
 * escaping (core/json.h).
 *
 * What passes unchanged: printable ASCII (0x20-0x7e) and well-formed
 * UTF-8 sequences of printable characters. Everything else is shown as
 * \xHH, one per byte: the C0 controls (ESC, BEL, CR, LF, TAB, ...), DEL,
 * the C1 controls U+0080-U+009F (0x9b is CSI to some terminals), the
 * bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069),
 * and any byte that is not part of valid UTF-8 (stray continuation
 * bytes, overlong forms, surrogates, truncated sequences). A backslash
 * stays a backslash: the output is for people, not for parsing back.
 * A printed character is one column, an escape four. */
#ifndef KJ_CORE_SAFE_TEXT_H
#define KJ_CORE_SAFE_TEXT_H

#include <stddef.h>
#include <stdio.h>

/* Print s[0..n) escaped, at most max_cols columns (SIZE_MAX: all of it),
 * never splitting a character or an escape. Returns the bytes of s used;
 * *cols (may be NULL) gets the columns printed. */
size_t kj_safe_write(FILE *out, const char *s, size_t n, size_t max_cols,
		     size_t *cols);

/* All of the string s (NULL prints nothing). */
void kj_safe_fputs(FILE *out, const char *s);

/* Columns s takes once escaped. */
size_t kj_safe_width(const char *s);

/* Write s escaped into buf (always NUL-terminated when size > 0), cut at
 * max_cols columns or where buf is full. Returns the columns written. */
size_t kj_safe_copy(char *buf, size_t size, const char *s, size_t max_cols);

/* A malloc'd escaped copy of s, or NULL when memory runs out. */
char *kj_safe_strdup(const char *s);

#endif
