/* Minimal JSON output helpers for --json: strings are escaped, nothing
 * else is needed (callers print numbers and punctuation themselves). */
#ifndef KJ_CORE_JSON_H
#define KJ_CORE_JSON_H

#include <stdio.h>

/* Print s as a JSON string literal (with quotes); NULL prints null. */
void kj_json_string(FILE *out, const char *s);

#endif
