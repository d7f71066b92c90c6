"""Build the boot-loader image: build/bootloader/vmlinuz (Debian's generic
amd64 kernel, which has the USB drivers the cloud kernel lacks) and
build/bootloader/initrd.img: static kjump, busybox-static, the kernel
modules for disks (USB, AHCI, NVMe, virtio) and filesystems (ext4, vfat,
isofs) with everything they depend on, and an init that runs `kjump menu`.

usage: mkbootloader.py KERNEL_PACKAGE_DIR KJUMP OUTDIR
"""
import os
import shutil
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests",
                                "vm"))
import vmlib  # noqa: E402

# What the boot loader must see disks and files through. Names as
# modinfo spells them (underscores); their depends= are added.
WANTED = [
    # USB host controllers, storage, keyboards
    "xhci_pci", "ehci_pci", "uhci_hcd", "ohci_pci", "usb_storage", "uas",
    "usbhid", "hid_generic",
    # SCSI disks and CD-ROMs, SATA, IDE (QEMU's -cdrom), NVMe, virtio
    "sd_mod", "sr_mod", "ahci", "ata_piix", "nvme", "virtio_pci",
    "virtio_blk", "virtio_scsi",
    # filesystems and what they need (ext4's crc32c is a soft dependency)
    "ext4", "crc32c_generic", "vfat", "nls_cp437", "nls_ascii",
    "nls_utf8", "nls_iso8859_1", "isofs",
    # EFI variables (LoaderEntryOneShot) when booted through UEFI
    "efivarfs",
]

INIT = r"""#!/bin/busybox sh
# kjump boot loader: find the systems on every disk and kexec the chosen.
/bin/busybox --install -s /bin
mkdir -p /proc /sys /dev /run /tmp
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
while read -r m; do
    insmod "/lib/modules/$m" 2>/dev/null
done </lib/modules/load-order
if [ -d /sys/firmware/efi/efivars ]; then
    mount -t efivarfs efivarfs /sys/firmware/efi/efivars 2>/dev/null
fi
[ -x /etc/kjump.rc ] && . /etc/kjump.rc
kjump menu
echo "kjump menu has ended; here is a shell (kjump menu starts it again)"
exec setsid cttyhack sh
"""


def modinfo(path):
    """The key=value strings of a .ko's .modinfo section."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF" or data[4] != 2:
        raise ValueError(path + ": not a 64-bit ELF file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3a)

    def section(i):
        name, _, _, _, off, size = struct.unpack_from(
            "<IIQQQQ", data, shoff + i * shentsize)
        return name, off, size

    _, stroff, _ = section(shstrndx)
    for i in range(shnum):
        name, off, size = section(i)
        end = data.index(b"\0", stroff + name)
        if data[stroff + name:end] == b".modinfo":
            raw = data[off:off + size]
            return [s.decode("utf-8", "replace") for s in raw.split(b"\0")
                    if s]
    return []


def module_index(moddir):
    """name (underscores) -> path relative to the version directory."""
    index = {}
    for dirpath, _, files in os.walk(os.path.join(moddir, "kernel")):
        for f in files:
            if f.endswith(".ko"):
                name = f[:-3].replace("-", "_")
                index[name] = os.path.relpath(os.path.join(dirpath, f),
                                              moddir)
    return index


def builtin_names(moddir):
    names = set()
    path = os.path.join(moddir, "modules.builtin")
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                names.add(os.path.basename(line.strip())[:-3]
                          .replace("-", "_"))
    return names


def resolve(moddir, wanted):
    """The modules to load, each after everything it depends on."""
    index = module_index(moddir)
    builtin = builtin_names(moddir)
    order, seen = [], set()

    def visit(name, chain):
        name = name.replace("-", "_")
        if name in seen or name in builtin:
            return
        if name not in index:
            raise SystemExit("mkbootloader: module %s (wanted by %s) is "
                             "not in the kernel package" %
                             (name, " <- ".join(chain) or "the list"))
        seen.add(name)
        for kv in modinfo(os.path.join(moddir, index[name])):
            if kv.startswith("depends="):
                for dep in filter(None, kv[len("depends="):].split(",")):
                    visit(dep, chain + [name])
        order.append(index[name])

    for w in wanted:
        visit(w, [])
    return order


def build(pkgdir, kjump, outdir):
    kernel = vmlib.find_vmlinuz(pkgdir)
    moddir_root = os.path.join(pkgdir, "lib", "modules")
    version = sorted(os.listdir(moddir_root))[-1]
    moddir = os.path.join(moddir_root, version)
    mods = resolve(moddir, WANTED)

    c = vmlib.Cpio()
    for d in ("proc", "sys", "dev", "run", "tmp", "etc", "root"):
        c.mkdir(d)
    c.host_file("bin/busybox", vmlib.BUSYBOX, 0o755)
    c.symlink("bin/sh", "busybox")
    c.host_file("bin/kjump", kjump, 0o755)
    c.symlink("sbin/kexec", "/bin/kjump")
    c.file("init", INIT, 0o755)
    c.file("etc/kjump.conf",
           "# kjump menu settings: set-arg NAME=VALUE, remove-arg NAME,\n"
           "# timeout S, wait S, default ID|TITLE, state DEV|FILE\n")
    for m in mods:
        c.host_file("lib/modules/" + m, os.path.join(moddir, m), 0o644)
    c.file("lib/modules/load-order", "".join(m + "\n" for m in mods))

    os.makedirs(outdir, exist_ok=True)
    shutil.copy(kernel, os.path.join(outdir, "vmlinuz"))
    tmp = os.path.join(outdir, "initrd.img.tmp")
    with open(tmp, "wb") as f:
        f.write(c.finish())
    os.replace(tmp, os.path.join(outdir, "initrd.img"))
    with open(os.path.join(outdir, "modules.txt"), "w") as f:
        f.write("".join(m + "\n" for m in mods))
    print("bootloader: %s (%s), initrd.img with %d modules" %
          (os.path.join(outdir, "vmlinuz"), version, len(mods)))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    build(*sys.argv[1:])
