"""Disks for the boot-loader scenarios and the demo, and QEMU runs of the
boot-loader image (build/bootloader) driven over its serial console.

Every entry on these disks boots a Debian kernel with a small initrd whose
init prints, as its first line, which entry it is and the command line it
got ("KJ-BOOTED <entry> cmdline: ..."), then powers off."""
import os
import shutil
import subprocess

import vmlib

# The payload's init. The entry's name comes from kj_entry= on the
# command line the menu passed.
PAYLOAD_INIT = r"""#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
c=$(/bin/busybox cat /proc/cmdline)
e=${c##*kj_entry=}; e=${e%% *}
echo "KJ-BOOTED $e cmdline: $c"
/bin/busybox --install -s /bin
[ -x /payload.sh ] && . /payload.sh
poweroff -f
"""

BASE = "console=ttyS0 quiet panic=-1"


def payload_initrd(script=None):
    c = vmlib.Cpio()
    for d in ("proc", "sys", "dev", "tmp"):
        c.mkdir(d)
    c.host_file("bin/busybox", vmlib.BUSYBOX, 0o755)
    c.symlink("bin/sh", "busybox")
    c.file("init", PAYLOAD_INIT, 0o755)
    if script:
        c.file("payload.sh", script, 0o755)
    return c.finish()


def _write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)


def _boot_files(dest, kernel, payload):
    os.makedirs(dest, exist_ok=True)
    shutil.copy(kernel, os.path.join(dest, "vmlinuz"))
    _write(os.path.join(dest, "payload.cpio.gz"), payload)


def grub_cfg(timeout=3):
    return f"""# A GRUB config as update-grub writes it, trimmed.
set default="0"
set timeout={timeout}
menuentry 'Debian GNU/Linux' --class debian --id debian {{
	linux	/boot/vmlinuz {BASE} root=LABEL=KJEXT4 ro kj_entry=grub-debian
	initrd	/boot/payload.cpio.gz
}}
menuentry 'Debian GNU/Linux (recovery mode)' --id debian-recovery {{
	linux	/boot/vmlinuz {BASE} ro single kj_entry=grub-recovery
	initrd	/boot/payload.cpio.gz
}}
"""


BLS_ENTRY = f"""title BLS entry
version 6.1.0
linux /boot/vmlinuz
initrd /boot/payload.cpio.gz
options {BASE} kj_entry=bls
"""

SYSLINUX_CFG = f"""DEFAULT live
TIMEOUT 50
LABEL live
  MENU LABEL Live system
  KERNEL /live/vmlinuz
  APPEND initrd=/live/payload.cpio.gz {BASE} kj_entry=syslinux-live
LABEL broken
  MENU LABEL Missing kernel
  KERNEL /live/no-such-vmlinuz
  APPEND {BASE} kj_entry=broken
"""

ISOLINUX_CFG = f"""default install
label install
  menu label Install from CD
  kernel /install/vmlinuz
  append initrd=/install/payload.cpio.gz {BASE} kj_entry=isolinux-install
"""


def ext4_grub_disk(workdir, kernel, name="ext4", timeout=3, bls=False,
                   payload=None, extra_cfg=""):
    src = os.path.join(workdir, name)
    shutil.rmtree(src, ignore_errors=True)
    _boot_files(os.path.join(src, "boot"), kernel,
                payload or payload_initrd())
    _write(os.path.join(src, "boot/grub/grub.cfg"),
           grub_cfg(timeout) + extra_cfg + ("blscfg\n" if bls else ""))
    if bls:
        _write(os.path.join(src, "boot/loader/entries/bls-6.1.0.conf"),
               BLS_ENTRY)
    img = os.path.join(workdir, name + ".img")
    vmlib.make_ext4(src, img)
    return img


def vfat_syslinux_disk(workdir, kernel, name="vfat", cfg=SYSLINUX_CFG,
                       label="KJVFAT"):
    src = os.path.join(workdir, name)
    shutil.rmtree(src, ignore_errors=True)
    _boot_files(os.path.join(src, "live"), kernel, payload_initrd())
    _write(os.path.join(src, "syslinux/syslinux.cfg"), cfg)
    img = os.path.join(workdir, name + ".img")
    vmlib.make_vfat(src, img)
    if label != "KJVFAT":
        subprocess.run(["fatlabel", img, label], check=True,
                       capture_output=True)
    return img


def iso_disk(workdir, kernel, name="cd"):
    src = os.path.join(workdir, name)
    shutil.rmtree(src, ignore_errors=True)
    _boot_files(os.path.join(src, "install"), kernel, payload_initrd())
    _write(os.path.join(src, "isolinux/isolinux.cfg"), ISOLINUX_CFG)
    img = os.path.join(workdir, name + ".iso")
    vmlib.make_iso(src, img)
    return img


def empty_vfat(workdir, name, label, size_mb=8):
    img = os.path.join(workdir, name + ".img")
    if os.path.exists(img):
        os.unlink(img)
    subprocess.run(["mkfs.vfat", "-n", label, "-C", img,
                    str(size_mb * 1024)], check=True, capture_output=True)
    return img


_built = []


def bootloader():
    """build/bootloader/{vmlinuz,initrd.img}, built by `make bootloader`
    (once per process)."""
    if not _built:
        vmlib.make("bootloader")
        out = os.path.join(vmlib.BUILD, "bootloader")
        _built.append((os.path.join(out, "vmlinuz"),
                       os.path.join(out, "initrd.img")))
    return _built[0]


def overlay_initrd(workdir, name, files):
    """The boot-loader initrd with extra files (e.g. etc/kjump.conf)
    appended as a second archive."""
    _, base = bootloader()
    c = vmlib.Cpio()
    for path, data in files.items():
        c.file(path, data, 0o755 if path.endswith(".rc") else 0o644)
    path = os.path.join(workdir, name + "-initrd.img")
    with open(base, "rb") as f, open(path, "wb") as out:
        out.write(f.read())
        out.write(c.finish())
    return path


def qemu_cmd(accel, initrd=None, disks=(), append="", memory=1024,
             extra=(), reboot=False, writable=()):
    """QEMU running the boot loader with disks on NVMe (serials kj0..),
    serial console on stdio."""
    kernel, base_initrd = bootloader()
    cmd = ["qemu-system-x86_64", "-accel", accel, "-m", str(memory),
           "-smp", "1", "-nographic", "-nodefaults", "-serial", "stdio",
           "-kernel", kernel, "-initrd", initrd or base_initrd,
           "-append", ("console=ttyS0 panic=-1 " + append).strip()]
    cmd += ["-cpu", "max" if accel == "tcg" else "host"]
    if not reboot:
        cmd.append("-no-reboot")
    for i, img in enumerate(disks):
        ro = "" if img in writable else ",readonly=on"
        cmd += ["-drive", "file=%s,if=none,id=disk%d,format=raw%s"
                % (img, i, ro),
                "-device", "nvme,drive=disk%d,serial=kj%d" % (i, i)]
    return cmd + list(extra)


def spawn(name, cmd, timeout=120):
    """pexpect over QEMU's serial console; everything it prints goes to
    build/vm-logs/NAME.log."""
    import pexpect
    log = open(vmlib.log_path(name), "w")
    log.write("# " + " ".join(cmd) + "\n")
    log.flush()
    child = pexpect.spawn(cmd[0], cmd[1:], timeout=timeout,
                          encoding="utf-8", codec_errors="replace",
                          dimensions=(50, 200))
    child.logfile_read = log
    return child
