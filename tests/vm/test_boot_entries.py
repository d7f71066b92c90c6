"""The boot-entry finder on real disk images: an ext4 disk with a GRUB
config and BLS entries, a vfat disk with syslinux, an ISO with isolinux,
built without mounting and attached as NVMe disks. `kjump list` in the
guest must show all entries; `kjump boot` must boot the Debian kernel
with the entry's command line and initrd."""
import json
import os
import shutil
import subprocess
import zlib

import pytest

import probe_report
import vmlib
from vmlib import second_cmdline

MODULES = ["fs/nls/nls_cp437.ko", "fs/nls/nls_ascii.ko", "fs/nls/nls_utf8.ko",
           "fs/fat/fat.ko", "fs/fat/vfat.ko", "drivers/cdrom/cdrom.ko",
           "fs/isofs/isofs.ko"]
SECOND = "console=ttyS0 quiet panic=-1 kj_stage=2"
PROBE_MODULE = "a module handed over by kjump boot\n"

GRUB_CFG = f"""
# As update-grub writes it, trimmed.
load_env
if [ "${{next_entry}}" ] ; then
   set default="${{next_entry}}"
else
   set default="0"
fi
set timeout=5
search --no-floppy --fs-uuid --set=root %UUID%
menuentry 'Debian GNU/Linux' --class debian --id gnulinux-simple {{
	insmod ext2
	linux	/boot/vmlinuz root=UUID=%UUID% ro {SECOND} entry=grub-debian
	initrd	/boot/stage2.cpio.gz
}}
submenu 'Advanced options for Debian GNU/Linux' {{
	menuentry 'Debian GNU/Linux, recovery mode' --id gnulinux-recovery {{
		linux	($root)/boot/vmlinuz ro single {SECOND} entry=grub-recovery
		initrd	($root)/boot/stage2.cpio.gz ($root)/boot/extra.cpio.gz
	}}
}}
menuentry 'Probe (Multiboot)' --id probe-mb {{
	multiboot	/boot/probe.elf probe_arg=1
	module	/boot/probe-module.txt modarg=2
}}
blscfg
"""

BLS_ENTRY = f"""title Fedora-style BLS entry
version 6.1.0
linux /boot/vmlinuz
initrd /boot/stage2.cpio.gz
initrd /boot/extra.cpio.gz
options $kernelopts entry=bls
"""

GRUBENV = ("# GRUB Environment Block\nkernelopts=" + SECOND + "\n").ljust(
    1024, "#")

SYSLINUX_CFG = f"""DEFAULT rescue
TIMEOUT 30
UI menu.c32
LABEL live
  MENU LABEL ^Live system
  KERNEL /live/vmlinuz
  APPEND initrd=/live/stage2.cpio.gz {SECOND} entry=syslinux-live splash vga=791
LABEL rescue
  MENU LABEL Rescue
  LINUX /live/vmlinuz
  INITRD /live/stage2.cpio.gz,/live/extra.cpio.gz
  APPEND {SECOND} entry=syslinux-rescue
LABEL hdt
  COM32 hdt.c32
"""

ISOLINUX_CFG = f"""default install
label install
  menu label ^Install
  kernel /install/vmlinuz
  append vga=788 initrd=/install/stage2.cpio.gz {SECOND} entry=isolinux --- quiet
"""


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def copy_boot_files(guest, dest):
    os.makedirs(dest, exist_ok=True)
    shutil.copy(guest.kernel, os.path.join(dest, "vmlinuz"))
    with open(os.path.join(dest, "stage2.cpio.gz"), "wb") as f:
        f.write(vmlib.stage2_initrd("stage2"))
    with open(os.path.join(dest, "extra.cpio.gz"), "wb") as f:
        f.write(vmlib.marker_initrd("extra"))


@pytest.fixture(scope="module")
def disks(workdir, guest):
    uuid = "5b4e1c7a-2f6d-4a8e-9c3b-0d1e2f3a4b5c"
    ext = os.path.join(workdir, "ext4")
    copy_boot_files(guest, os.path.join(ext, "boot"))
    write(os.path.join(ext, "boot/grub/grub.cfg"),
          GRUB_CFG.replace("%UUID%", uuid))
    write(os.path.join(ext, "boot/grub/grubenv"), GRUBENV)
    # The probe payload, booted from a GRUB multiboot entry.
    vmlib.make("probe")
    shutil.copy(os.path.join(vmlib.BUILD, "probe", "probe.elf"),
                os.path.join(ext, "boot", "probe.elf"))
    write(os.path.join(ext, "boot/probe-module.txt"), PROBE_MODULE)
    write(os.path.join(ext, "boot/loader/entries/fedora-6.1.0.conf"),
          BLS_ENTRY)
    ext_img = os.path.join(workdir, "ext4.img")
    vmlib.make_ext4(ext, ext_img)
    # mkfs.ext4 -d picks a random UUID: set the one grub.cfg searches for.
    subprocess.run(["tune2fs", "-U", uuid, ext_img], check=True,
                   capture_output=True)

    fat = os.path.join(workdir, "vfat")
    copy_boot_files(guest, os.path.join(fat, "live"))
    write(os.path.join(fat, "syslinux/syslinux.cfg"), SYSLINUX_CFG)
    fat_img = os.path.join(workdir, "vfat.img")
    vmlib.make_vfat(fat, fat_img)

    iso = os.path.join(workdir, "iso")
    copy_boot_files(guest, os.path.join(iso, "install"))
    write(os.path.join(iso, "isolinux/isolinux.cfg"), ISOLINUX_CFG)
    iso_img = os.path.join(workdir, "cd.iso")
    vmlib.make_iso(iso, iso_img)
    return [ext_img, fat_img, iso_img]


@pytest.fixture(scope="module")
def disk_guest(workdir, accel, cloud_kernel, kjump_static):
    mods = vmlib.kernel_modules(cloud_kernel, MODULES)
    return vmlib.Guest(workdir, accel, cloud_kernel, kjump_static,
                       modules=mods)


def test_list_shows_every_disk(disk_guest, disks):
    r = disk_guest.run("list-disks", """
echo "DISKS kj0=$(disk kj0) kj1=$(disk kj1) kj2=$(disk kj2)"
kjump list
echo "JSON-BEGIN"; kjump list --json; echo "JSON-END"
""", disks=disks, timeout=120)
    dev = dict(kv.split("=") for kv in r.lines("DISKS")[-1].split())
    text = r.output.split("JSON-BEGIN\n")[-1].split("JSON-END")[0]
    start = text.index("[")
    entries = json.loads(text[start:text.rindex("]") + 1])
    by_title = {e["title"]: e for e in entries}
    grub = by_title["Debian GNU/Linux"]
    assert grub["source"] == "grub" and grub["root"] == dev["kj0"]
    assert grub["kernel"] == "/boot/vmlinuz"
    assert grub["initrd"] == ["/boot/stage2.cpio.gz"]
    assert "entry=grub-debian" in grub["cmdline"]
    assert grub["default"] is True
    rec = by_title["Advanced options for Debian GNU/Linux>"
                   "Debian GNU/Linux, recovery mode"] \
        if "Advanced options for Debian GNU/Linux>Debian GNU/Linux, " \
           "recovery mode" in by_title else \
        by_title["Debian GNU/Linux, recovery mode"]
    assert rec["initrd"] == ["/boot/stage2.cpio.gz", "/boot/extra.cpio.gz"]
    bls = by_title["Fedora-style BLS entry"]
    assert bls["source"] == "bls"
    assert bls["initrd"] == ["/boot/stage2.cpio.gz", "/boot/extra.cpio.gz"]
    assert "kj_stage=2" in bls["cmdline"] and "entry=bls" in bls["cmdline"]
    live = by_title["Live system"]
    assert live["source"] == "syslinux" and live["root"] == dev["kj1"]
    assert live["initrd"] == ["/live/stage2.cpio.gz"]
    assert by_title["Rescue"]["default"] is True
    assert any(e["type"] == "unsupported" for e in entries)  # hdt.c32
    inst = by_title["Install"]
    assert inst["root"] == dev["kj2"]
    assert inst["kernel"] == "/install/vmlinuz"
    assert "entry=isolinux" in inst["cmdline"]
    # The human table has every entry too.
    for title in ("Debian GNU/Linux", "Fedora-style BLS entry", "Rescue",
                  "Install"):
        assert title in r.output


def test_boot_grub_default(disk_guest, disks):
    r = disk_guest.run("boot-grub-default", "kjump boot --default --exec\n",
                       disks=disks)
    cmdline = second_cmdline(r)
    assert "entry=grub-debian" in cmdline
    assert "root=UUID=5b4e1c7a-2f6d-4a8e-9c3b-0d1e2f3a4b5c" in cmdline
    assert r.lines("KJ-MARKER") == ["stage2"]
    assert "Booting Debian GNU/Linux..." in r.output


def test_boot_bls_entry_two_initrds(disk_guest, disks):
    r = disk_guest.run("boot-bls", """
kjump boot $(disk kj0) --entry 'Fedora-style BLS entry' --exec
""", disks=disks)
    assert "entry=bls" in second_cmdline(r)
    assert sorted(r.lines("KJ-MARKER")) == ["extra", "stage2"]


def test_boot_syslinux_with_rewrite_rules(disk_guest, disks):
    r = disk_guest.run("boot-syslinux", """
kjump boot $(disk kj1) --entry live --set-arg vga=normal --remove-arg splash --exec
""", disks=disks)
    cmdline = second_cmdline(r)
    assert "entry=syslinux-live" in cmdline
    assert "vga=normal" in cmdline and "vga=791" not in cmdline
    assert "splash" not in cmdline
    assert r.lines("KJ-MARKER") == ["stage2"]


def test_boot_isolinux_from_iso(disk_guest, disks):
    r = disk_guest.run("boot-isolinux", """
kjump boot $(disk kj2) --entry Install --exec
""", disks=disks)
    cmdline = second_cmdline(r)
    assert "entry=isolinux" in cmdline and "vga=788" in cmdline
    assert r.lines("KJ-MARKER") == ["stage2"]


def test_boot_grub_multiboot_entry(disk_guest, disks):
    # GRUB's multiboot/module lines, booted by kjump: the probe reports
    # exactly what it was handed.
    r = disk_guest.run("boot-multiboot", """
kjump boot $(disk kj0) --entry probe-mb --exec
""", disks=disks, timeout=120)
    rep = probe_report.parse(r.output)
    assert rep is not None and rep.complete, "no probe report in " + r.log
    assert rep.magic == 0x2BADB002
    assert rep.cmdline == "/boot/probe.elf probe_arg=1"
    assert [m["cmdline"] for m in rep.modules] == \
        ["/boot/probe-module.txt modarg=2"]
    assert rep.modules[0]["crc32"] == zlib.crc32(PROBE_MODULE.encode())
    assert rep.boot_loader_name.startswith("kjump")
