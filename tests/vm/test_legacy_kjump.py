"""32-bit and real-mode entry through kjump: the real targets of
test_legacy_targets.py (booted there by QEMU's own loader, the
reference), now kexec'd from the Debian cloud kernel under SeaBIOS with
kexec_load, each asserting on what the target printed:

* Debian's i386 kernel (XLF_KERNEL_64 clear): chosen by content for its
  32-bit entry, it reports its command line and initrd marker;
* the Debian amd64 kernel forced with --real-mode: its own setup runs in
  real mode (BIOS E820, video, ...), then it reports like any second
  kernel;
* syslinux's memdisk (syssize 0, real mode by content) with a floppy
  image whose boot sector writes a marker to COM1 by port I/O;
* Debian's ipxe.lkrn (code32_start 0, real mode by content): its banner
  on the VGA text screen, read through the QEMU monitor.

Logs: build/vm-logs/legacy-kjump-*.log.
"""
import os
import re
import socket
import subprocess
import sys
import threading
import time

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vmlib  # noqa: E402
from test_legacy_targets import (MARKER, MEMDISK, floppy,  # noqa: E402
                                 vga_text)
from vmlib import said  # noqa: E402

FETCH = os.path.join(vmlib.ROOT, "tools", "fetch-deb")
ARGS = "console=ttyS0 quiet panic=-1 kj_stage=2"
DEBUG_EXIT = ["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]


def fetch(package):
    p = subprocess.run([FETCH, package], capture_output=True, text=True,
                       cwd=vmlib.ROOT)
    if p.returncode:
        pytest.skip("cannot fetch %s: %s" % (package, p.stderr.strip()))
    return p.stdout.strip().splitlines()[-1]


def second_cmdline(result):
    """The second kernel's /proc/cmdline. A kernel started through its
    real-mode setup prints a terminal reset first (ESC c ...), like the
    first one QEMU's loader started, so the report may not start its
    line."""
    m = re.findall(r"KJ-SECOND-CMDLINE (.*)", result.output)
    assert m, "the second kernel never reported (see %s)" % result.log
    return m[-1]


def run(guest, name, script, files, until=None, extra=(), timeout=150,
        monitor=None):
    """Guest.run with QEMU arguments added, stopping at `until`;
    monitor: (socket path, callback(result_so_far_path)) run in a
    thread while the guest runs."""
    c = vmlib.Cpio()
    c.file("scenario.sh", "set -x\n" + script, 0o755)
    for path, data in files.items():
        c.file(path, data)
    initrd = os.path.join(guest.workdir, name + ".cpio.gz")
    with open(initrd, "wb") as f:
        f.write(guest.base + c.finish())
    return vmlib.run_qemu("legacy-kjump-" + name, guest.accel, guest.kernel,
                          initrd, "console=ttyS0 quiet panic=-1",
                          timeout=timeout, extra=list(extra), until=until)


@pytest.fixture(scope="module")
def i386_parts(tmp_path_factory):
    kpkg = fetch("linux-image-686:i386")
    bpkg = fetch("busybox-static:i386")
    kernel = vmlib.find_vmlinuz(kpkg)
    c = vmlib.Cpio()
    for d in ("proc", "sys", "dev", "tmp"):
        c.mkdir(d)
    c.host_file("bin/busybox", os.path.join(bpkg, "bin", "busybox"), 0o755)
    c.symlink("bin/sh", "busybox")
    c.file("init", vmlib.INIT, 0o755)
    c.file("markers/i386", "i386\n")
    with open(kernel, "rb") as f:
        return f.read(), c.finish()


def test_i386_kernel_32bit_entry(guest, i386_parts):
    """By content: no 64-bit entry, so the 32-bit one (ESI =
    boot_params); --syscall auto says why it goes to kexec_load."""
    kernel, initrd = i386_parts
    r = run(guest, "i386", f"""
kjump load /boot/vmlinuz-686 --initrd /boot/i386.cpio.gz \\
    --append "{ARGS} kj_i386=1" --verbose
echo "LOAD rc=$?"
kjump exec
""", {"boot/vmlinuz-686": kernel, "boot/i386.cpio.gz": initrd},
            timeout=300)
    assert said(r, "LOAD") == ["0"], r.log
    assert "no 64-bit entry (protocol 2.15, xloadflags 0x4): 32-bit " \
        "entry" in r.output
    assert "the 32-bit entry needs kexec_load" in r.output
    cmdline = second_cmdline(r)
    assert "kj_i386=1" in cmdline
    assert re.search(r"KJ-SECOND-KERNEL \S+-686$", r.output, re.M), r.log
    assert "KJ-MARKER i386" in r.output


def test_debian_kernel_real_mode(guest):
    """--real-mode: the amd64 kernel's own setup runs in real mode after
    Linux ran (BIOS calls, the legacy PIC and PIT put back), then
    decompresses at its pref_address as from any BIOS boot loader."""
    r = run(guest, "real-mode", f"""
kjump load /boot/vmlinuz --real-mode --initrd /boot/stage2.cpio.gz \\
    --append "{ARGS} kj_real=1" --console-serial --verbose
echo "LOAD rc=$?"
kjump exec
""", {}, timeout=240)
    assert said(r, "LOAD") == ["0"], r.log
    assert re.search(r"kjump purgatory: entering [0-9a-f]{4}:0000 "
                     r"\(real mode\)", r.output), r.log
    assert "kj_real=1" in second_cmdline(r)
    assert "KJ-MARKER stage2" in r.output


@pytest.mark.skipif(not os.path.exists(MEMDISK),
                    reason="syslinux-common not installed")
def test_memdisk_boot_sector(guest, tmp_path):
    """memdisk by content (syssize 0: real mode), a floppy image as its
    initrd: it hooks INT 13h and boots the image, whose boot sector
    writes the marker by port I/O and exits QEMU."""
    with open(MEMDISK, "rb") as f:
        md = f.read()
    r = run(guest, "memdisk", """
kjump load /boot/memdisk --initrd /boot/floppy.img --append floppy \\
    --verbose
echo "LOAD rc=$?"
kjump exec
""", {"boot/memdisk": md,
      "boot/floppy.img": floppy(tmp_path).read_bytes()},
            extra=DEBUG_EXIT, until=MARKER, timeout=180)
    assert said(r, "LOAD") == ["0"], r.log
    assert "no 64-bit entry (protocol 2.03, xloadflags 0x0): real-mode " \
        "entry" in r.output
    # memdisk's own banner, then the boot sector's marker.
    assert "MEMDISK 6.04" in r.output, r.log
    assert MARKER in r.output


class Monitor(threading.Thread):
    """Once `trigger` shows in the serial log, wait `delay` seconds and
    read VGA text memory through the QEMU monitor socket."""

    def __init__(self, path, log, trigger, delay, timeout):
        super().__init__(daemon=True)
        self.path, self.log, self.trigger = path, log, trigger
        self.delay, self.timeout = delay, timeout
        self.out = ""

    def run(self):
        end = time.monotonic() + self.timeout
        while time.monotonic() < end:
            try:
                with open(self.log, "rb") as f:
                    if self.trigger.encode() in f.read():
                        break
            except FileNotFoundError:
                pass
            time.sleep(0.5)
        else:
            return
        time.sleep(self.delay)
        s = socket.socket(socket.AF_UNIX)
        s.connect(self.path)
        s.settimeout(10)
        s.sendall(b"xp /2000hx 0xb8000\nquit\n")
        data = b""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        except socket.timeout:
            pass
        s.close()
        self.out = data.decode("latin-1").replace("\r", "")


def test_ipxe_banner(guest, tmp_path):
    """ipxe.lkrn by content (code32_start 0: real mode); it writes only
    to the VGA screen, so the guest has a VGA card and the screen is read
    from 0xB8000 a few seconds after the purgatory jumped."""
    lkrn = os.path.join(fetch("ipxe"), "boot", "ipxe.lkrn")
    with open(lkrn, "rb") as f:
        data = f.read()
    sock = str(tmp_path / "mon.sock")
    log = vmlib.log_path("legacy-kjump-ipxe")
    if os.path.exists(log):
        os.unlink(log)
    mon = Monitor(sock, log, "(real mode)", 15, 200)
    mon.start()
    r = run(guest, "ipxe", """
kjump load /boot/ipxe.lkrn --console-serial --verbose
echo "LOAD rc=$?"
kjump exec
""", {"boot/ipxe.lkrn": data},
            extra=["-device", "VGA", "-monitor",
                   "unix:%s,server,nowait" % sock], timeout=220)
    mon.join(5)
    assert said(r, "LOAD") == ["0"], r.log
    assert "real-mode entry" in r.output
    screen = "\n".join(vga_text(mon.out))
    assert "iPXE initialising devices...ok" in screen, (screen, r.log)
    assert re.search(r"iPXE 1\.0\.0\+git\S* -- Open Source Network Boot "
                     r"Firmware", screen), screen
    # It found no network card, gave up and handed back to the BIOS,
    # which then tries the next boot device on serial.
    assert "No more network devices" in screen, screen
