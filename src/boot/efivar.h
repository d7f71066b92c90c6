/* Boot Loader Interface EFI variables (systemd's LoaderEntryOneShot,
 * LoaderEntryDefault, ...) through efivarfs.
 *
 * An efivarfs file is NAME-GUID and holds a 4-byte attribute word then
 * the value; these variables hold a UTF-16LE string, usually with a
 * terminating NUL. efivarfs marks files immutable, so rewriting or
 * deleting one first clears that flag. Paths go through the sysroot
 * layer, so tests use a fixture directory. */
#ifndef KJ_BOOT_EFIVAR_H
#define KJ_BOOT_EFIVAR_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

#define KJ_LOADER_GUID "4a67b082-0a4c-41cf-b6c7-440b29bb8c4f"
#define KJ_EFIVARS_DIR "/sys/firmware/efi/efivars"
#define KJ_EFIVAR_MAX 1024 /* bytes of value; an entry id is short */

/* Is efivarfs mounted where the kernel puts it? When the machine booted
 * through EFI but efivarfs is not mounted, mount it there. A fixture
 * tree (KJUMP_SYSROOT) counts when the directory exists. */
bool kj_efivars_available(void);

/* Read a Boot Loader Interface variable as UTF-8. -ENOENT when unset;
 * other failures fill err. */
int kj_efivar_get(const char *name, char **out, struct kj_err *err);

/* Set it (non-volatile, boot and runtime access) to value (UTF-8; only
 * characters of the Basic Multilingual Plane). */
int kj_efivar_set(const char *name, const char *value, struct kj_err *err);

/* Delete it; 0 when it was not set. */
int kj_efivar_clear(const char *name, struct kj_err *err);

/* UTF-16LE (up to the first NUL or n bytes) to UTF-8; caller frees.
 * Lone surrogates become U+FFFD. NULL when memory runs out. */
char *kj_utf16le_to_utf8(const unsigned char *s, size_t n);

#endif
