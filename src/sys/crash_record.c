#include "sys/crash_record.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys/sysroot.h"

#define RECORD "/run/kjump/crash-load"
#define RUN_DIR "/run" /* absent in a bare initramfs: made then */
#define RECORD_DIR "/run/kjump"
#define RECORD_MAX 8192

/* 'it'\''s' quoting: safe to paste into any POSIX shell. */
static size_t quote(char *out, size_t cap, size_t at, const char *arg)
{
	bool plain = *arg != '\0';

	for (const char *p = arg; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789-_=./,:+@%", *p))
			plain = false;
	if (plain)
		return at + (size_t)snprintf(out + at, at < cap ? cap - at : 0,
					     "%s", arg);
	at += (size_t)snprintf(out + at, at < cap ? cap - at : 0, "'");
	for (const char *p = arg; *p; p++)
		at += (size_t)snprintf(out + at, at < cap ? cap - at : 0,
				       *p == '\'' ? "'\\''" : "%c", *p);
	return at + (size_t)snprintf(out + at, at < cap ? cap - at : 0, "'");
}

int kj_crash_record_put(int argc, char *const *argv, struct kj_err *err)
{
	char path[4096], run[4096], dir[4096], line[RECORD_MAX];
	size_t at = 0;
	int fd;

	for (int i = 0; i < argc; i++) {
		if (i)
			at += (size_t)snprintf(line + at,
					       at < sizeof(line) ? sizeof(line) - at
								 : 0,
					       " ");
		at = quote(line, sizeof(line), at, argv[i]);
	}
	if (at + 1 >= sizeof(line))
		return kj_fail(err, E2BIG, RECORD ": command over %d bytes",
			       RECORD_MAX);
	if (kj_sys_path(RUN_DIR, run, sizeof(run)) < 0 ||
	    kj_sys_path(RECORD_DIR, dir, sizeof(dir)) < 0 ||
	    kj_sys_path(RECORD, path, sizeof(path)) < 0)
		return kj_fail(err, ENAMETOOLONG, RECORD ": path too long");
	if (mkdir(run, 0755) < 0 && errno != EEXIST)
		return kj_fail(err, errno, RUN_DIR ": %s", strerror(errno));
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return kj_fail(err, errno, RECORD_DIR ": %s", strerror(errno));
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
		  0600);
	if (fd < 0)
		return kj_fail(err, errno, RECORD ": %s", strerror(errno));
	line[at++] = '\n';
	if (write(fd, line, at) != (ssize_t)at) {
		int e = errno ? errno : EIO;

		close(fd);
		return kj_fail(err, e, RECORD ": %s", strerror(e));
	}
	close(fd);
	return 0;
}

char *kj_crash_record_get(void)
{
	char *text;
	size_t len;

	if (kj_sys_read(RECORD, RECORD_MAX, &text, &len, NULL) < 0)
		return NULL;
	while (len && text[len - 1] == '\n')
		text[--len] = '\0';
	if (!len) {
		free(text);
		return NULL;
	}
	return text;
}
