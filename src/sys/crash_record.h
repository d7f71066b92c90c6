/* The command of the last crash kernel load that succeeded, kept in
 * /run/kjump/crash-load (through the sysroot), so that a later load the
 * kernel refuses can say how to get the crash kernel back: Linux unloads
 * the current crash kernel at the start of every crash load, before it
 * looks at the new one. */
#ifndef KJ_SYS_CRASH_RECORD_H
#define KJ_SYS_CRASH_RECORD_H

#include "core/err.h"

/* Record argv (shell-quoted, one line). */
int kj_crash_record_put(int argc, char *const *argv, struct kj_err *err);

/* The recorded command (malloc'd), or NULL when there is none. */
char *kj_crash_record_get(void);

#endif
