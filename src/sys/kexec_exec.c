#include "sys/kexec_exec.h"

#include <errno.h>
#include <linux/reboot.h>
#include <net/if.h>
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
	reboot(LINUX_REBOOT_CMD_KEXEC);
	return kj_kexec_explain(errno, KJ_OP_EXEC, "kexec", false, err);
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
