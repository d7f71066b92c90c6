/* The --type names kexec-tools 2.0.32 knows (x86_64 and arm64) that no
 * loader in the table answers to yet: refused by name, with the reason,
 * never "unknown". A loader that comes to take a name wins over its
 * entry here (kj_loader_by_type asks the table first). */
#include "loaders/loader.h"

const struct kj_unsupported_type kj_unsupported_types[] = {
	{ "nbi-x86",
	  "Etherboot NBI network boot images: not supported (an obsolete "
	  "16-bit real-mode format; kjump's purgatory has no real-mode "
	  "entry)" },
	{ "beoboot-x86",
	  "Beowulf/BProc boot images: not supported (obsolete; the image "
	  "wraps a bzImage and an initrd: load those with -t bzImage)" },
	{ "vmlinux",
	  "arm64 ELF vmlinux: not yet supported (the arm64 loaders are being "
	  "written; on x86 an ELF vmlinux is -t elf-x86_64)" },
	{ "uImage",
	  "arm64 U-Boot legacy image: not yet supported (the arm64 loaders "
	  "are being written)" },
	{ NULL, NULL },
};
