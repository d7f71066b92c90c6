"""Unified Kernel Images and EFI zboot images kexec'd by kjump: the load
step unwraps them, so the Debian kernel inside boots with the UKI's own
.cmdline and .initrd (systemd-stub's rules), through kexec_file_load
(the unwrapped kernel and initrd in memfds) and through kexec_load. Each
test asserts on what the second kernel reported: its command line and
its initrd marker. The images are built here from Debian parts
(images.py: systemd-boot-efi's stub and objcopy; zboot after the
kernel's zboot-header.S).

Logs: build/vm-logs/uki-*.log.
"""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import images  # noqa: E402
import vmlib  # noqa: E402
from vmlib import said  # noqa: E402

ARGS = "console=ttyS0 quiet panic=-1 kj_stage=2"
OSREL = b'ID=debian\nVERSION_ID=12\nPRETTY_NAME="kjump test UKI"\n'

pytestmark = pytest.mark.skipif(not os.path.exists(images.STUB),
                                reason="systemd-boot-efi not installed")


@pytest.fixture(scope="module")
def uki(cloud_kernel, tmp_path_factory):
    """Two profiles: 0 keeps the base .cmdline, 1 replaces it."""
    with open(cloud_kernel, "rb") as f:
        kernel = f.read()
    out = str(tmp_path_factory.mktemp("uki") / "debian.efi")
    images.make_uki(out, [
        (".osrel", OSREL),
        (".cmdline", (" %s kj_uki=base \n" % ARGS).encode()),
        (".initrd", vmlib.stage2_initrd("uki")),
        (".linux", kernel),
        (".profile", b"ID=default\nTITLE=Default\n"),
        (".profile", b"ID=alt\nTITLE=Alternative\n"),
        (".cmdline", ("%s kj_uki=alt" % ARGS).encode()),
    ])
    with open(out, "rb") as f:
        return f.read()


def test_uki_kexec_file_load(guest, uki):
    """kjump's spelling, -s: the kernel reads memfds holding .linux and
    .initrd; no command line given, so .cmdline (trimmed as
    systemd-stub trims it) is the command line."""
    r = guest.run("uki-file", """
kjump load /boot/debian.efi --syscall file --verbose
echo "LOAD rc=$?"
kjump exec
""", extra_files={"boot/debian.efi": uki}, timeout=240)
    assert said(r, "LOAD") == ["0"], r.log
    assert "command line from the UKI's .cmdline" in r.output
    assert vmlib.second_cmdline(r) == ARGS + " kj_uki=base"
    assert "KJ-MARKER uki" in r.output
    assert "KJ-MARKER stage2" not in r.output


def test_uki_kexec_load_profile(guest, uki):
    """kexec-tools' spelling, -c (kexec_load: the planner reads the
    unwrapped kernel), profile 1's .cmdline over the base one."""
    r = guest.run("uki-load", """
kexec -l /boot/debian.efi -c --uki-profile 1
echo "LOAD rc=$?"
kexec -e
""", extra_files={"boot/debian.efi": uki}, timeout=240)
    assert said(r, "LOAD") == ["0"], r.log
    assert vmlib.second_cmdline(r) == ARGS + " kj_uki=alt"
    assert "KJ-MARKER uki" in r.output


def test_uki_given_cmdline_and_initrd_win(guest, uki):
    """--append and --initrd replace .cmdline and .initrd."""
    r = guest.run("uki-given", f"""
kjump load /boot/debian.efi --append "{ARGS} kj_uki=given" \\
    --initrd /boot/stage2.cpio.gz --syscall load
echo "LOAD rc=$?"
kjump exec
""", extra_files={"boot/debian.efi": uki}, timeout=240)
    assert said(r, "LOAD") == ["0"], r.log
    assert vmlib.second_cmdline(r) == ARGS + " kj_uki=given"
    assert "KJ-MARKER stage2" in r.output
    assert "KJ-MARKER uki" not in r.output


def test_zboot_debian_kernel(guest, cloud_kernel, tmp_path):
    """The Debian kernel in an EFI zboot wrapper (gzip payload), through
    --syscall auto: kexec_file_load of the unpacked kernel."""
    with open(cloud_kernel, "rb") as f:
        kernel = f.read()
    z = images.make_zboot(str(tmp_path / "vmlinuz.efi"), kernel,
                          comp="gzip", machine="x86_64")
    with open(z, "rb") as f:
        data = f.read()
    r = guest.run("uki-zboot", f"""
kjump load /boot/vmlinuz.efi --initrd /boot/stage2.cpio.gz \\
    --append "{ARGS} kj_zboot=1" --verbose
echo "LOAD rc=$?"
kjump exec
""", extra_files={"boot/vmlinuz.efi": data}, timeout=240)
    assert said(r, "LOAD") == ["0"], r.log
    assert "EFI zboot, gzip payload" in r.output
    assert "via kexec_file_load" in r.output
    assert "kj_zboot=1" in vmlib.second_cmdline(r)
    assert "KJ-MARKER stage2" in r.output
