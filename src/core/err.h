/* One-line, human-readable errors that travel up to the CLI.
 *
 * Every fallible function returns 0 or a negative errno and, on failure,
 * fills a struct kj_err with a message that names the file and the reason
 * ("vmlinuz: setup header version 2.02 is too old for 64-bit entry").
 * Only the CLI prints it; nothing below the CLI calls exit(). */
#ifndef KJ_CORE_ERR_H
#define KJ_CORE_ERR_H

#include <stddef.h>

#define KJ_ERR_MSG_MAX 1024

struct kj_err {
	int code;                 /* positive errno of the failure, 0 if none */
	char msg[KJ_ERR_MSG_MAX]; /* one line, no trailing newline */
};

/* Record a failure and return -code, so callers can write
 * `return kj_fail(err, EINVAL, "%s: bad magic", path);`.
 * A NULL err is allowed (the message is dropped). */
int kj_fail(struct kj_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Clear an error before reuse. */
void kj_err_clear(struct kj_err *err);

#endif
