#include "boot/efivar.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "sys/sysroot.h"

/* EFI_VARIABLE_NON_VOLATILE | BOOTSERVICE_ACCESS | RUNTIME_ACCESS */
#define EFI_ATTRS 0x7u

bool kj_efivars_available(void)
{
	const char *fixture = getenv("KJUMP_SYSROOT");
	char path[4096];
	struct statfs st;

	if (kj_sys_exists(KJ_EFIVARS_DIR) != 1)
		return false;
	if (fixture && *fixture)
		return true; /* a test's tree, not a mount */
	if (kj_sys_path(KJ_EFIVARS_DIR, path, sizeof(path)) < 0)
		return false;
	if (statfs(path, &st) == 0 && st.f_type == EFIVARFS_MAGIC)
		return true;
	/* Booted through EFI (the directory exists) but nobody mounted
	 * efivarfs: a boot loader's initramfs may not have. */
	return mount("efivarfs", path, "efivarfs",
		     MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) == 0;
}

static int var_path(const char *name, char *buf, size_t n)
{
	char sys[256];

	if (snprintf(sys, sizeof(sys), "%s/%s-%s", KJ_EFIVARS_DIR, name,
		     KJ_LOADER_GUID) >= (int)sizeof(sys))
		return -ENAMETOOLONG;
	return kj_sys_path(sys, buf, n);
}

static void put_utf8(char **o, unsigned cp)
{
	unsigned char *p = (unsigned char *)*o;

	if (cp < 0x80) {
		*p++ = (unsigned char)cp;
	} else if (cp < 0x800) {
		*p++ = (unsigned char)(0xc0 | cp >> 6);
		*p++ = (unsigned char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*p++ = (unsigned char)(0xe0 | cp >> 12);
		*p++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		*p++ = (unsigned char)(0x80 | (cp & 0x3f));
	} else {
		*p++ = (unsigned char)(0xf0 | cp >> 18);
		*p++ = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		*p++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		*p++ = (unsigned char)(0x80 | (cp & 0x3f));
	}
	*o = (char *)p;
}

char *kj_utf16le_to_utf8(const unsigned char *s, size_t n)
{
	size_t units = n / 2;
	/* At most 3 bytes per unit (a pair makes 4 from 2 units). */
	char *out = malloc(units * 3 + 1), *o = out;

	if (!out)
		return NULL;
	for (size_t i = 0; i < units; i++) {
		unsigned cp = s[2 * i] | (unsigned)s[2 * i + 1] << 8;

		if (cp == 0)
			break;
		if (cp >= 0xd800 && cp < 0xdc00 && i + 1 < units) {
			unsigned lo = s[2 * i + 2] | (unsigned)s[2 * i + 3]
							     << 8;

			if (lo >= 0xdc00 && lo < 0xe000) {
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				     (lo - 0xdc00);
				i++;
			} else {
				cp = 0xfffd;
			}
		} else if (cp >= 0xd800 && cp < 0xe000) {
			cp = 0xfffd;
		}
		put_utf8(&o, cp);
	}
	*o = '\0';
	return out;
}

int kj_efivar_get(const char *name, char **out, struct kj_err *err)
{
	unsigned char buf[4 + KJ_EFIVAR_MAX];
	char path[4096];
	struct stat st;
	ssize_t n;
	int fd, r;

	*out = NULL;
	r = var_path(name, path, sizeof(path));
	if (r < 0)
		return kj_fail(err, -r, "%s: path too long", name);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT)
			return -ENOENT;
		return kj_fail(err, errno, "%s: %s", path, strerror(errno));
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return kj_fail(err, EINVAL, "%s: not a regular file", path);
	}
	/* efivarfs wants the whole variable in one read. */
	n = read(fd, buf, sizeof(buf));
	r = errno;
	close(fd);
	if (n < 0)
		return kj_fail(err, r, "%s: %s", path, strerror(r));
	if (n < 4)
		return kj_fail(err, EINVAL, "%s: shorter than its attributes",
			       path);
	*out = kj_utf16le_to_utf8(buf + 4, (size_t)n - 4);
	if (!*out)
		return kj_fail(err, ENOMEM, "%s: out of memory", path);
	return 0;
}

/* efivarfs files are immutable unless someone clears the flag; on other
 * filesystems (fixtures) the ioctl may not exist, which is fine. */
static void make_mutable(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK), flags;

	if (fd < 0)
		return;
	if (ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0 &&
	    (flags & FS_IMMUTABLE_FL)) {
		flags &= ~FS_IMMUTABLE_FL;
		ioctl(fd, FS_IOC_SETFLAGS, &flags);
	}
	close(fd);
}

static int utf8_next(const unsigned char **s, unsigned *cp)
{
	const unsigned char *p = *s;
	unsigned c = *p, extra;

	if (c < 0x80) {
		*cp = c;
		*s = p + 1;
		return 0;
	}
	if ((c & 0xe0) == 0xc0)
		extra = 1, c &= 0x1f;
	else if ((c & 0xf0) == 0xe0)
		extra = 2, c &= 0x0f;
	else
		return -EINVAL;
	for (unsigned i = 1; i <= extra; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return -EINVAL;
		c = c << 6 | (p[i] & 0x3f);
	}
	*cp = c;
	*s = p + 1 + extra;
	return 0;
}

int kj_efivar_set(const char *name, const char *value, struct kj_err *err)
{
	unsigned char buf[4 + KJ_EFIVAR_MAX];
	const unsigned char *s = (const unsigned char *)value;
	size_t n = 4;
	char path[4096];
	ssize_t w;
	int fd, r;

	r = var_path(name, path, sizeof(path));
	if (r < 0)
		return kj_fail(err, -r, "%s: path too long", name);
	buf[0] = EFI_ATTRS;
	buf[1] = buf[2] = buf[3] = 0;
	while (*s) {
		unsigned cp;

		if (utf8_next(&s, &cp) < 0 || (cp >= 0xd800 && cp < 0xe000))
			return kj_fail(err, EINVAL,
				       "%s: value is not valid UTF-8 of the "
				       "Basic Multilingual Plane",
				       name);
		if (n + 4 > sizeof(buf))
			return kj_fail(err, E2BIG, "%s: value too long", name);
		buf[n++] = (unsigned char)(cp & 0xff);
		buf[n++] = (unsigned char)(cp >> 8);
	}
	buf[n++] = 0; /* the terminating NUL, as other tools write it */
	buf[n++] = 0;
	/* Delete, then create: efivarfs does not truncate a variable. */
	make_mutable(path);
	if (unlink(path) < 0 && errno != ENOENT)
		return kj_fail(err, errno, "%s: cannot replace: %s", path,
			       strerror(errno));
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return kj_fail(err, errno, "%s: %s", path, strerror(errno));
	/* One write: efivarfs sets the variable from a single buffer. */
	w = write(fd, buf, n);
	r = errno;
	if (close(fd) < 0 && w == (ssize_t)n) {
		r = errno;
		w = -1;
	}
	if (w != (ssize_t)n)
		return kj_fail(err, w < 0 ? r : EIO, "%s: cannot write: %s",
			       path, strerror(w < 0 ? r : EIO));
	return 0;
}

int kj_efivar_clear(const char *name, struct kj_err *err)
{
	char path[4096];
	int r;

	r = var_path(name, path, sizeof(path));
	if (r < 0)
		return kj_fail(err, -r, "%s: path too long", name);
	make_mutable(path);
	if (unlink(path) < 0 && errno != ENOENT)
		return kj_fail(err, errno, "%s: cannot delete: %s", path,
			       strerror(errno));
	return 0;
}
