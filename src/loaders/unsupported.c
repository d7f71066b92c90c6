/* The --type names kexec-tools 2.0.32 knows (x86_64 and arm64) that no
 * loader in the table answers to yet: refused by name, with the reason,
 * never "unknown". A loader that comes to take a name wins over its
 * entry here (kj_loader_by_type asks the table first). */
#include "loaders/loader.h"

const struct kj_unsupported_type kj_unsupported_types[] = {
	{ "nbi-x86",
	  "Etherboot NBI network boot images: not supported (an obsolete "
	  "format Etherboot's successor iPXE no longer makes: load iPXE's "
	  ".lkrn, a bzImage, instead)" },
	{ "beoboot-x86",
	  "Beowulf/BProc boot images: not supported (obsolete; the image "
	  "wraps a bzImage and an initrd: load those with -t bzImage)" },
	{ "vmlinux",
	  "arm64 ELF vmlinux: not supported (load the Image the same kernel "
	  "build makes, arch/arm64/boot/Image, which is what distributions "
	  "ship; on x86 an ELF vmlinux is -t elf-x86_64)" },
	{ "uImage",
	  "U-Boot legacy uImage: not supported (load the Image it wraps: "
	  "u-boot-tools' dumpimage extracts it)" },
	{ NULL, NULL },
};
