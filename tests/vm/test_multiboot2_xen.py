"""Xen 4.17 (Debian's xen-hypervisor-4.17-amd64) through kjump's
Multiboot 2 loader (--type multiboot2: Xen carries both headers and
boots by Multiboot 1 otherwise), kexec'd from the Debian cloud kernel.
Each asserts on what Xen printed.

Under SeaBIOS, without and with a dom0: its banner, the boot loader and
command line it echoes (Xen drops the first word, the path, for boot
loaders other than GRUB 2), and for dom0 the Linux banner and /init.

Under OVMF Xen cannot run after kexec, with kjump or anyone: its
Multiboot 2 code takes an EFI system table tag to mean EFI boot services
(which only its EFI entry can use, and which are gone once Linux ran)
and stops with its own message; without the tag it would take the BIOS
path, which reads the BIOS data area and scans for an ACPI RSDP, and
OVMF has neither (tests/vm/test_rsdp_access.py), so it dies silently.
The OVMF test pins down the message, with a dom0 module given.

smap=0 smep=0 for dom0, as in test_multiboot.py: under QEMU TCG with
SMAP on, Xen faults delivering dom0's first exception; QEMU's own loader
shows the same.

Logs: build/vm-logs/mb2-xen-*.log.
"""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vmlib  # noqa: E402
from test_multiboot import XEN_ARGS, xen_gz  # noqa: E402,F401
from vmlib import said  # noqa: E402

OVMF = "/usr/share/ovmf/OVMF.fd"


def test_xen_mb2_banner(guest, xen_gz):  # noqa: F811
    """No dom0: Xen starts, names its boot loader, echoes its command
    line without the path kjump put first (Xen drops the first word for
    boot loaders other than GRUB 2) and stops for want of a dom0
    kernel."""
    r = guest.run("mb2-xen-seabios", f"""
kjump load /boot/xen.gz --type multiboot2 --append "{XEN_ARGS}" \\
    --syscall load --verbose --console-serial
echo "LOAD rc=$?"
kjump exec
""", timeout=180, memory=2048, extra_files={"boot/xen.gz": xen_gz},
                  until="Panic on CPU")
    assert said(r, "LOAD") == ["0"], r.log
    assert "Xen version 4.17" in r.output, "no Xen banner (see %s)" % r.log
    assert "(XEN) Bootloader: kjump " in r.output
    assert "(XEN) Command line: " + XEN_ARGS + "\n" in r.output
    assert "dom0 kernel not specified" in r.output


def test_xen_mb2_dom0_linux(guest, xen_gz):  # noqa: F811
    """Xen with the Debian cloud kernel as dom0 and an initrd module;
    Xen hands dom0 its module string without the path."""
    r = guest.run("mb2-xen-dom0-seabios", f"""
kjump load /boot/xen.gz --type multiboot2 \\
    --append "{XEN_ARGS} dom0_mem=512M smap=0 smep=0" \\
    --module "/boot/vmlinuz console=hvc0 earlyprintk=xen panic=-1 kj_stage=2" \\
    --module "/boot/stage2.cpio.gz" --syscall load
echo "LOAD rc=$?"
kjump exec
""", timeout=600, memory=2048, extra_files={"boot/xen.gz": xen_gz},
                  until="Run /init as init process")
    assert said(r, "LOAD") == ["0"], r.log
    assert "Xen version 4.17" in r.output, "no Xen banner (see %s)" % r.log
    assert "*** Building a PV Dom0 ***" in r.output or \
        "Dom0 kernel" in r.output, "Xen did not build dom0 (see %s)" % r.log
    assert "Linux version" in r.output.split("Dom0 kernel")[-1], \
        "no Linux banner after dom0 was built (see %s)" % r.log
    assert "Command line: console=hvc0 earlyprintk=xen" in r.output
    assert "Run /init as init process" in r.output


@pytest.mark.skipif(not os.path.exists(OVMF), reason="ovmf not installed")
def test_xen_mb2_ovmf_needs_boot_services(guest, xen_gz):  # noqa: F811
    """After an EFI boot kjump passes the EFI system table and runtime
    map, as GRUB does; Xen's 32-bit Multiboot 2 entry then says it needs
    boot services, and stops before its banner."""
    r = guest.run("mb2-xen-dom0-ovmf", f"""
kjump load /boot/xen.gz --type multiboot2 --append "{XEN_ARGS}" \\
    --module "/boot/vmlinuz console=hvc0 panic=-1 kj_stage=2" \\
    --module "/boot/stage2.cpio.gz" --syscall load --verbose \\
    --console-serial
echo "LOAD rc=$?"
kjump exec
""", timeout=180, memory=2048, extra_files={"boot/xen.gz": xen_gz},
                  extra=["-bios", OVMF],
                  until="Bootloader shutdown EFI x64 boot services")
    assert said(r, "LOAD") == ["0"], r.log
    assert "entering 0x" in r.output and "(32-bit protected mode)" in r.output
    assert "ERR: Bootloader shutdown EFI x64 boot services!" in r.output
    assert "Xen version" not in r.output
