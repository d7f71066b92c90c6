#include "sys/secure_boot.h"

#include <stdlib.h>

#include "core/err.h"
#include "sys/sysroot.h"

#define SECURE_BOOT_VAR              \
	"/sys/firmware/efi/efivars/" \
	"SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c"

enum kj_secure_boot kj_secure_boot_state(void)
{
	struct kj_err ignored;
	size_t len = 0;
	char *data;
	enum kj_secure_boot sb;

	if (!kj_sys_exists("/sys/firmware/efi"))
		return KJ_SB_NOT_EFI;
	if (kj_sys_read(SECURE_BOOT_VAR, 64, &data, &len, &ignored) < 0)
		return KJ_SB_UNKNOWN;
	/* 4 bytes of attributes, then the value. */
	sb = len < 5 ? KJ_SB_UNKNOWN : data[4] == 1 ? KJ_SB_ON : KJ_SB_OFF;
	free(data);
	return sb;
}

const char *kj_secure_boot_text(enum kj_secure_boot sb)
{
	switch (sb) {
	case KJ_SB_NOT_EFI:
		return "the machine booted without EFI (no Secure Boot)";
	case KJ_SB_OFF:
		return "Secure Boot is off";
	case KJ_SB_ON:
		return "Secure Boot is on";
	default:
		return "the Secure Boot state is unknown (efivarfs not "
		       "mounted?)";
	}
}
