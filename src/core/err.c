#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int kj_fail(struct kj_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (code < 0)
		code = -code;
	if (!err)
		return -code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	/* Keep the promise of one line even if a path held a newline. */
	for (char *p = err->msg; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	return -code;
}

void kj_err_clear(struct kj_err *err)
{
	if (!err)
		return;
	err->code = 0;
	err->msg[0] = '\0';
}
