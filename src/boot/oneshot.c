#include "boot/oneshot.h"

#include <blkid/blkid.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boot/efivar.h"

#define EFI_NAME "LoaderEntryOneShot"

int kj_oneshot_file_get(const char *path, char **entry, struct kj_err *err)
{
	char buf[KJ_ONESHOT_MAX + 2];
	struct stat st;
	ssize_t n;
	int fd;

	*entry = NULL;
	/* O_NONBLOCK: a FIFO on the state volume must not hang the boot. */
	fd = open(path,
		  O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		return kj_fail(err, errno, "%s: %s", path, strerror(errno));
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return kj_fail(err, EINVAL, "%s: not a regular file", path);
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return kj_fail(err, errno, "%s: %s", path, strerror(errno));
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	if ((size_t)n > KJ_ONESHOT_MAX || strlen(buf) == 0)
		return kj_fail(err, EINVAL, "%s: not an entry id", path);
	*entry = strdup(buf);
	return *entry ? 0 : kj_fail(err, ENOMEM, "out of memory");
}

int kj_oneshot_file_set(const char *path, const char *entry, struct kj_err *err)
{
	size_t len = strlen(entry);
	char tmp[4096];
	FILE *f;
	int fd;

	if (len == 0 || len > KJ_ONESHOT_MAX || strpbrk(entry, "\r\n"))
		return kj_fail(err, EINVAL, "'%s': not an entry id", entry);
	if (snprintf(tmp, sizeof(tmp), "%s.new", path) >= (int)sizeof(tmp))
		return kj_fail(err, ENAMETOOLONG, "%s: path too long", path);
	/* Write a new file and rename it over: a reset halfway leaves the
	 * old record or the new one, never half of one. */
	/* O_NONBLOCK: a FIFO put there fails (ENXIO) instead of hanging. */
	fd = open(tmp,
		  O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW |
			  O_NOCTTY | O_NONBLOCK,
		  0644);
	if (fd < 0)
		return kj_fail(err, errno, "%s: %s", tmp, strerror(errno));
	{
		struct stat st;

		if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
			close(fd);
			return kj_fail(err, EINVAL, "%s: not a regular file",
				       tmp);
		}
	}
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return kj_fail(err, ENOMEM, "out of memory");
	}
	fprintf(f, "%s\n", entry);
	if (fflush(f) || fsync(fd) < 0) {
		int e = errno;

		fclose(f);
		unlink(tmp);
		return kj_fail(err, e, "%s: %s", tmp, strerror(e));
	}
	fclose(f);
	if (rename(tmp, path) < 0) {
		int e = errno;

		unlink(tmp);
		return kj_fail(err, e, "%s: %s", path, strerror(e));
	}
	return 0;
}

int kj_oneshot_file_clear(const char *path, struct kj_err *err)
{
	if (unlink(path) < 0 && errno != ENOENT)
		return kj_fail(err, errno, "%s: cannot delete: %s", path,
			       strerror(errno));
	return 0;
}

static bool is_device_spec(const char *state)
{
	return !strncmp(state, "/dev/", 5) || !strncmp(state, "LABEL=", 6) ||
	       !strncmp(state, "UUID=", 5);
}

/* Mount the state device read-write in a private directory. -ENODEV when
 * it is not there (no such label yet, or no filesystem). */
static int mount_state(const char *state, char *mp, size_t mpsz,
		       struct kj_err *err)
{
	char *dev = blkid_evaluate_tag(state, NULL, NULL), *type;
	int r = 0;

	if (!dev)
		return -ENODEV;
	type = blkid_get_tag_value(NULL, "TYPE", dev);
	if (!type) {
		free(dev);
		return -ENODEV;
	}
	snprintf(mp, mpsz, "/tmp/kjump-state-XXXXXX");
	if (!mkdtemp(mp)) {
		r = kj_fail(err, errno, "cannot make a mount point: %s",
			    strerror(errno));
	} else if (mount(dev, mp, type, MS_NOSUID | MS_NODEV | MS_NOEXEC,
			 NULL) < 0) {
		r = kj_fail(err, errno, "%s: cannot mount %s read-write: %s",
			    dev, type, strerror(errno));
		rmdir(mp);
	}
	free(type);
	free(dev);
	return r;
}

static void unmount_state(const char *mp)
{
	sync();
	umount2(mp, 0);
	rmdir(mp);
}

enum op { OP_PUT, OP_TAKE };

static int on_state(const char *state, enum op op, const char *entry,
		    char **out, struct kj_err *err)
{
	char mp[64], path[128];
	int r;

	if (!is_device_spec(state)) {
		if (op == OP_PUT)
			return kj_oneshot_file_set(state, entry, err);
		r = kj_oneshot_file_get(state, out, err);
		if (r == 0 && *out && kj_oneshot_file_clear(state, err) < 0) {
			free(*out);
			*out = NULL;
			return -err->code;
		}
		return r;
	}
	r = mount_state(state, mp, sizeof(mp), err);
	if (r == -ENODEV) {
		if (op == OP_TAKE)
			return 1; /* not there (yet): a USB stick is slow */
		return kj_fail(err, ENODEV,
			       "%s: no such filesystem for the "
			       "one-shot record",
			       state);
	}
	if (r < 0)
		return r;
	snprintf(path, sizeof(path), "%s%s", mp, KJ_ONESHOT_FILE);
	if (op == OP_PUT) {
		char dir[128];

		snprintf(dir, sizeof(dir), "%s/kjump", mp);
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			r = kj_fail(err, errno, "%s: %s", dir, strerror(errno));
		else
			r = kj_oneshot_file_set(path, entry, err);
	} else {
		r = kj_oneshot_file_get(path, out, err);
		if (r == 0 && *out && kj_oneshot_file_clear(path, err) < 0) {
			free(*out);
			*out = NULL;
			r = -err->code;
		}
	}
	unmount_state(mp);
	return r;
}

int kj_oneshot_put(const char *state, const char *entry, struct kj_err *err)
{
	if (kj_efivars_available())
		return kj_efivar_set(EFI_NAME, entry, err);
	return on_state(state ? state : KJ_ONESHOT_DEFAULT_STATE, OP_PUT, entry,
			NULL, err);
}

int kj_oneshot_take(const char *state, char **entry, struct kj_err *err)
{
	int r;

	*entry = NULL;
	if (kj_efivars_available()) {
		r = kj_efivar_get(EFI_NAME, entry, err);
		if (r == -ENOENT)
			return 0;
		if (r < 0)
			return r;
		r = kj_efivar_clear(EFI_NAME, err);
		if (r < 0) {
			free(*entry);
			*entry = NULL;
		}
		return r;
	}
	return on_state(state ? state : KJ_ONESHOT_DEFAULT_STATE, OP_TAKE, NULL,
			entry, err);
}
