#include "boot/ro_mount.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "sys/sysroot.h"

#define MOUNTINFO_MAX (4u << 20)

static const struct {
	const char *type, *data, *fallback;
} no_recovery[] = {
	{ "ext3", "noload", NULL },
	{ "ext4", "noload", NULL },
	{ "xfs", "norecovery", NULL },
	{ "f2fs", "norecovery", NULL },
	/* rescue= since Linux 5.9; the old spelling before that */
	{ "btrfs", "rescue=nologreplay", "nologreplay" },
};

static int find_type(const char *type)
{
	for (size_t i = 0; i < sizeof(no_recovery) / sizeof(*no_recovery); i++)
		if (type && !strcmp(type, no_recovery[i].type))
			return (int)i;
	return -1;
}

const char *kj_ro_mount_data(const char *type)
{
	int i = find_type(type);

	return i < 0 ? NULL : no_recovery[i].data;
}

/* Is the block device rdev mounted anywhere (mountinfo's MAJ:MIN)? When
 * that cannot be read the answer is yes: leave the flag alone. */
static bool mounted(dev_t rdev)
{
	char *text, *line, *sp, want[32];
	bool found = false;

	if (kj_sys_read("/proc/self/mountinfo", MOUNTINFO_MAX, &text, NULL,
			NULL) < 0)
		return true;
	snprintf(want, sizeof(want), "%u:%u", major(rdev), minor(rdev));
	for (line = strtok_r(text, "\n", &sp); line && !found;
	     line = strtok_r(NULL, "\n", &sp)) {
		char id[32];

		/* ID PARENT MAJ:MIN ROOT MOUNTPOINT ... */
		if (sscanf(line, "%*s %*s %31s", id) == 1)
			found = !strcmp(id, want);
	}
	free(text);
	return found;
}

/* Take the device's read-only flag (m->dev_fd set), unless it is not a
 * block device, is mounted already, or refuses (warned). */
static void hold_read_only(const char *dev, struct kj_ro_mount *m,
			   struct kj_warnings *warn)
{
	struct stat st;
	int fd, ro = 1;

	m->dev_fd = -1;
	if (stat(dev, &st) < 0 || !S_ISBLK(st.st_mode) || mounted(st.st_rdev))
		return;
	fd = open(dev, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		kj_warn(warn, dev, 0, "cannot open to set it read-only: %s",
			strerror(errno));
		return;
	}
	if (ioctl(fd, BLKROGET, &m->old_ro) < 0 ||
	    ioctl(fd, BLKROSET, &ro) < 0) {
		kj_warn(warn, dev, 0, "cannot set it read-only (BLKROSET): %s",
			strerror(errno));
		close(fd);
		return;
	}
	m->dev_fd = fd;
}

static void release_read_only(struct kj_ro_mount *m)
{
	if (m->dev_fd < 0)
		return;
	ioctl(m->dev_fd, BLKROSET, &m->old_ro);
	close(m->dev_fd);
	m->dev_fd = -1;
}

int kj_ro_mount(const char *dev, const char *type, const char *parent,
		struct kj_ro_mount *m, struct kj_warnings *warn,
		struct kj_err *err)
{
	const unsigned long flags =
		MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC;
	int t = find_type(type), r, e;
	char tmpl[128];

	memset(m, 0, sizeof(*m));
	m->dev_fd = -1;
	snprintf(tmpl, sizeof(tmpl), "%s/kjump-XXXXXX", parent);
	m->dir = strdup(tmpl);
	if (!m->dir || !mkdtemp(m->dir)) {
		e = m->dir ? errno : ENOMEM;
		free(m->dir);
		m->dir = NULL;
		return kj_fail(err, e, "%s: cannot make a mount point: %s", dev,
			       strerror(e));
	}
	hold_read_only(dev, m, warn);
	r = mount(dev, m->dir, type, flags, t < 0 ? NULL : no_recovery[t].data);
	if (r < 0 && errno == EINVAL && t >= 0 && no_recovery[t].fallback)
		r = mount(dev, m->dir, type, flags, no_recovery[t].fallback);
	if (r < 0) {
		e = errno;
		release_read_only(m);
		rmdir(m->dir);
		free(m->dir);
		m->dir = NULL;
		return kj_fail(err, e, "%s: cannot mount %s read-only%s%s: %s",
			       dev, type, t < 0 ? "" : " with ",
			       t < 0 ? "" : no_recovery[t].data, strerror(e));
	}
	return 0;
}

void kj_ro_umount(struct kj_ro_mount *m)
{
	if (m->dir) {
		umount2(m->dir, MNT_DETACH);
		rmdir(m->dir);
		free(m->dir);
		m->dir = NULL;
	}
	release_read_only(m);
}
