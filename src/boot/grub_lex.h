/* The GRUB script lexer: grub.cfg text -> tokens.
 *
 * Words keep their variable references unexpanded, because GRUB expands
 * `$var` when a command runs, not when it is read. A word is a list of
 * parts: literal text, `$var` outside quotes (split into several words on
 * whitespace when expanded) and `$var` inside double quotes (one word).
 * Quoting rules follow GRUB: '...' is literal, "..." expands variables and
 * takes \ before $ " \ and newline (any other backslash stays, "\x20" is
 * those four bytes), a backslash outside quotes takes the next character
 * literally except in \xHH (two hex digits), which stays as it is, as in
 * the GRUB of Red Hat, Fedora and CentOS, whose installer configs write
 * LABEL=CentOS\x207\x20x86_64 for dracut to decode; backslash-newline
 * continues the line, '#' starting a word runs to the end of the line,
 * ';' and newline end a command, and '{' and '}' outside quotes are
 * tokens of their own even when attached to a word ("'boot'{",
 * "{linux", "/v}"), while ${name} stays a variable. */
#ifndef KJ_BOOT_GRUB_LEX_H
#define KJ_BOOT_GRUB_LEX_H

#include <stdbool.h>
#include <stddef.h>

#include "boot/entry.h"

#define KJ_GRUB_MAX_TOKENS 100000

enum kj_gtok_type {
	KJ_GTOK_WORD,
	KJ_GTOK_SEP, /* ';' or newline */
	KJ_GTOK_LBRACE,
	KJ_GTOK_RBRACE,
	KJ_GTOK_EOF, /* always the last token */
};

enum kj_gpart_kind {
	KJ_GPART_LIT,
	KJ_GPART_VAR,  /* unquoted $name: field-split when expanded */
	KJ_GPART_QVAR, /* "$name": one field */
};

struct kj_gpart {
	enum kj_gpart_kind kind;
	char *text; /* literal text or variable name */
};

struct kj_gtok {
	enum kj_gtok_type type;
	unsigned line;
	bool quoted; /* had quotes or escapes: never a keyword, "" is a word */
	struct kj_gpart *parts;
	size_t n_parts;
};

struct kj_gscript {
	char *path; /* within its root, for warnings */
	struct kj_gtok *t;
	size_t n;
};

/* Tokenise src (len bytes, need not be NUL-terminated). Problems
 * (unterminated quote, too many tokens) are warned about as "path:line:"
 * and lexing goes on or stops cleanly; the script always ends with an EOF
 * token. Returns 0 or -ENOMEM. */
int kj_grub_lex(const char *src, size_t len, const char *path,
		struct kj_gscript *out, struct kj_warnings *warn);
void kj_grub_script_free(struct kj_gscript *s);

/* Is tok an unquoted literal word equal to kw? */
bool kj_gtok_is(const struct kj_gtok *tok, const char *kw);

#endif
