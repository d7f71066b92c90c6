/* What the firmware says about Secure Boot, through the sysroot: the EFI
 * global variable SecureBoot (8be4df61-93ca-11d2-aa0d-00e098032b8c) in
 * efivarfs, whose data after the 4 attribute bytes is one byte, 1 = on. */
#ifndef KJ_SYS_SECURE_BOOT_H
#define KJ_SYS_SECURE_BOOT_H

enum kj_secure_boot {
	KJ_SB_NOT_EFI,  /* no /sys/firmware/efi: a BIOS boot, no Secure Boot */
	KJ_SB_UNKNOWN,  /* EFI, but the variable cannot be read (efivarfs not
			   mounted, or the firmware has none) */
	KJ_SB_OFF,
	KJ_SB_ON,
};

enum kj_secure_boot kj_secure_boot_state(void);

/* "Secure Boot is on", "... off", "the machine booted without EFI (no
 * Secure Boot)", "the Secure Boot state is unknown (efivarfs not
 * mounted?)". */
const char *kj_secure_boot_text(enum kj_secure_boot sb);

#endif
