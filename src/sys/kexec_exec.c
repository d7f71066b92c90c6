#include "sys/kexec_exec.h"

#include <errno.h>
#include <linux/reboot.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sys/kexec_errors.h"

int kj_kexec_reboot(bool no_sync, struct kj_err *err)
{
	if (!no_sync)
		sync();
	/* Kexec jump: the jumped-to kernel came back. */
	if (reboot(LINUX_REBOOT_CMD_KEXEC) == 0)
		return 0;
	return kj_kexec_explain(errno, KJ_OP_EXEC, "kexec", false, err);
}

static const char *const shutdowns[] = { "/sbin/shutdown", "/etc/shutdown",
					 "/bin/shutdown" };

const char *kj_shutdown_path(void)
{
	for (size_t i = 0; i < sizeof(shutdowns) / sizeof(shutdowns[0]); i++)
		if (access(shutdowns[i], X_OK) == 0)
			return shutdowns[i];
	return shutdowns[0];
}

int kj_shutdown_reboot(struct kj_err *err)
{
	char *const argv[] = { "shutdown", "-r", "now", NULL };
	int e = ENOENT;

	fflush(NULL);
	for (size_t i = 0; i < sizeof(shutdowns) / sizeof(shutdowns[0]); i++) {
		execv(shutdowns[i], argv);
		if (errno != ENOENT)
			e = errno;
	}
	return kj_fail(err, e,
		       "shutdown -r now: cannot run /sbin/shutdown, "
		       "/etc/shutdown or /bin/shutdown: %s; the kernel stays "
		       "loaded (kexec -e starts it)",
		       strerror(e));
}

void kj_ifdown_all(void)
{
	struct if_nameindex *ifs, *i;
	int sock;

	sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0)
		return;
	ifs = if_nameindex();
	for (i = ifs; i && i->if_index; i++) {
		struct ifreq req;

		memset(&req, 0, sizeof(req));
		strncpy(req.ifr_name, i->if_name, IFNAMSIZ - 1);
		if (ioctl(sock, SIOCGIFFLAGS, &req) < 0)
			continue;
		if (req.ifr_flags & IFF_LOOPBACK || !(req.ifr_flags & IFF_UP))
			continue;
		req.ifr_flags &= ~IFF_UP;
		ioctl(sock, SIOCSIFFLAGS, &req);
	}
	if (ifs)
		if_freenameindex(ifs);
	close(sock);
}
