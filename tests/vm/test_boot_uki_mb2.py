"""Boot entries of issue 12 from real disk images, through `kjump list`
and `kjump boot`: a GRUB `multiboot2`/`module2` entry on an ext4 disk
(booted by kjump's Multiboot 2 loader: the probe reports the Multiboot 2
magic and what it was handed), and a Boot Loader Spec Type #2 entry, a
UKI in /EFI/Linux on a vfat ESP (listed with its .osrel title and
.cmdline; booted, the second kernel shows .cmdline and the .initrd
marker).

Logs: build/vm-logs/boot-mb2-*.log, boot-uki-*.log.
"""
import json
import os
import shutil
import sys
import zlib

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import images  # noqa: E402
import probe_report  # noqa: E402
import vmlib  # noqa: E402

MODULES = ["fs/nls/nls_cp437.ko", "fs/nls/nls_ascii.ko", "fs/nls/nls_utf8.ko",
           "fs/fat/fat.ko", "fs/fat/vfat.ko"]
SECOND = "console=ttyS0 quiet panic=-1 kj_stage=2"
PROBE_MODULE = b"a Multiboot 2 module handed over by kjump boot\n"
GRUB_CFG = """set default=0
set timeout=3
menuentry 'Probe (Multiboot 2)' --id probe-mb2 {
	multiboot2	/boot/probe-mb2.elf probe_arg=1
	module2	/boot/probe-module.txt modarg=2
}
"""
OSREL = b'ID=debian\nVERSION_ID=12\nPRETTY_NAME="Debian GNU/Linux 12 UKI"\n'
UNAME = b"6.1.0-57-cloud-amd64"
UKI_CMDLINE = SECOND + " kj_uki=entry"


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)


@pytest.fixture(scope="module")
def disks(workdir, cloud_kernel):
    vmlib.make("probe")
    ext = os.path.join(workdir, "mb2-ext4")
    shutil.rmtree(ext, ignore_errors=True)
    write(os.path.join(ext, "boot/grub/grub.cfg"), GRUB_CFG)
    shutil.copy(os.path.join(vmlib.BUILD, "probe", "probe-mb2.elf"),
                os.path.join(ext, "boot", "probe-mb2.elf"))
    write(os.path.join(ext, "boot/probe-module.txt"), PROBE_MODULE)
    ext_img = os.path.join(workdir, "mb2-ext4.img")
    vmlib.make_ext4(ext, ext_img, size_mb=16)

    esp = os.path.join(workdir, "uki-esp")
    shutil.rmtree(esp, ignore_errors=True)
    os.makedirs(os.path.join(esp, "EFI", "Linux"))
    with open(cloud_kernel, "rb") as f:
        kernel = f.read()
    images.make_uki(os.path.join(esp, "EFI", "Linux", "debian.efi"), [
        (".osrel", OSREL), (".uname", UNAME),
        (".cmdline", UKI_CMDLINE.encode()),
        (".initrd", vmlib.stage2_initrd("uki")), (".linux", kernel)],
        workdir=workdir)
    esp_img = os.path.join(workdir, "uki-esp.img")
    vmlib.make_vfat(esp, esp_img, size_mb=48)
    return [ext_img, esp_img]


@pytest.fixture(scope="module")
def disk_guest(workdir, accel, cloud_kernel, kjump_static):
    mods = vmlib.kernel_modules(cloud_kernel, MODULES)
    return vmlib.Guest(workdir, accel, cloud_kernel, kjump_static,
                       modules=mods)


def listed(result):
    lines = result.lines("KJ-LIST")
    assert lines, "no kjump list output (see %s)" % result.log
    return json.loads(lines[0])


def test_boot_grub_multiboot2_entry(disk_guest, disks):
    r = disk_guest.run("boot-mb2-grub", """
echo "KJ-LIST $(kjump list $(disk kj0) --json)"
kjump boot $(disk kj0) --entry probe-mb2 --exec
""", disks=disks, timeout=120)
    e, = listed(r)
    assert (e["id"], e["type"], e["kernel"]) == \
        ("probe-mb2", "multiboot2", "/boot/probe-mb2.elf")
    rep = probe_report.parse(r.output)
    assert rep.complete and rep.errors == [], r.log
    # The type hint chose the Multiboot 2 loader (the probe carries
    # only that header, but the entry named it, too).
    assert rep.magic == probe_report.MAGIC2_OK
    assert rep.cmdline == "/boot/probe-mb2.elf probe_arg=1"
    m, = rep.modules
    assert m["cmdline"] == "/boot/probe-module.txt modarg=2"
    assert m["crc32"] == zlib.crc32(PROBE_MODULE)
    assert rep.boot_loader_name.startswith("kjump ")


@pytest.mark.skipif(not os.path.exists(images.STUB),
                    reason="systemd-boot-efi not installed")
def test_list_and_boot_uki_entry(disk_guest, disks):
    r = disk_guest.run("boot-uki-entry", """
echo "KJ-LIST $(kjump list $(disk kj1) --json)"
kjump boot $(disk kj1) --entry debian.efi --exec
""", disks=disks, timeout=180)
    e, = listed(r)
    assert e["id"] == "debian.efi" and e["source"] == "bls"
    assert e["title"] == "Debian GNU/Linux 12 UKI (6.1.0-57-cloud-amd64)"
    assert e["kernel"] == "/EFI/Linux/debian.efi"
    assert e["cmdline"] == UKI_CMDLINE and e["initrd"] == []
    assert vmlib.second_cmdline(r) == UKI_CMDLINE
    assert "KJ-MARKER uki" in r.output
