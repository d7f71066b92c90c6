"""The real targets of 32-bit and real-mode entry, booted by QEMU's own
Linux loader (the reference, as for the probe): what each needs and
prints, so kjump's --entry-32bit and --real-mode loads (issue 12, wired
with the loader table) can be asserted against the same output.

* syslinux's memdisk (syslinux-common): a Linux boot protocol 2.03 image
  whose setup runs in real mode and calls the BIOS; syssize is 0 (the
  rest of the file is its protected-mode part, loaded at 0x100000), so a
  loader must take the file size, not syssize. Given a floppy image as
  initrd and "floppy" as command line, it hooks INT 13h and boots the
  image's boot sector, which here writes a marker to COM1 by port I/O.
* Debian's ipxe.lkrn (package ipxe): protocol 2.07 with code32_start 0:
  no 32-bit entry to use, real mode only. It prints nothing on the
  serial port (Debian's build has no serial console), only on VGA: the
  banner is read back from VGA text memory (0xB8000) through the QEMU
  monitor.
* Debian's i386 kernel (linux-image-686 from the i386 archive, never
  installed, tools/fetch-deb PKG:i386): XLF_KERNEL_64 clear, so no 64-bit
  entry; with an initrd of busybox-static:i386 it reports its command line
  and the initrd marker like the amd64 second kernel.

Logs: build/vm-logs/legacy-*.log.
"""
import os
import re
import struct
import subprocess
import sys
import tempfile
import time

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vmlib  # noqa: E402

MEMDISK = "/usr/lib/syslinux/memdisk"
MARKER = "KJ-MEMDISK-BOOTSECTOR-OK"

# A boot sector: DS/SS zero, then MARKER on COM1 by port I/O, then QEMU's
# isa-debug-exit. Assembled here (binutils), 512 bytes with 55 AA.
BOOT_SECTOR = r"""
	.code16
	.text
_start:	cli
	xor	%%ax, %%ax
	mov	%%ax, %%ds
	mov	%%ax, %%ss
	mov	$0x7c00, %%sp
	mov	$msg - _start + 0x7c00, %%si
1:	lodsb
	test	%%al, %%al
	jz	2f
	mov	%%al, %%ah
	mov	$0x3fd, %%dx
3:	in	%%dx, %%al
	test	$0x20, %%al
	jz	3b
	mov	%%ah, %%al
	mov	$0x3f8, %%dx
	out	%%al, %%dx
	jmp	1b
2:	mov	$0xf4, %%dx
	mov	$0x10, %%al
	out	%%al, %%dx
4:	hlt
	jmp	4b
msg:	.asciz	"%s\r\n"
	.org	510
	.byte	0x55, 0xaa
""" % MARKER


def header(path):
    """The setup header fields the real-mode and 32-bit loads need."""
    with open(path, "rb") as f:
        d = f.read()
    version = struct.unpack_from("<H", d, 0x206)[0]
    h = {
        "size": len(d),
        "setup_sects": d[0x1F1],
        "syssize": struct.unpack_from("<I", d, 0x1F4)[0],
        "boot_flag": struct.unpack_from("<H", d, 0x1FE)[0],
        "magic": d[0x202:0x206],
        "version": version,
        "loadflags": d[0x211],
        "code32_start": struct.unpack_from("<I", d, 0x214)[0],
        "xloadflags": struct.unpack_from("<H", d, 0x236)[0]
        if version >= 0x20C else 0,
    }
    kv = struct.unpack_from("<H", d, 0x20E)[0]
    h["kernel_version"] = d[0x200 + kv:0x200 + kv + 64].split(b"\0")[0]
    return h


def floppy(tmp_path):
    src = tmp_path / "bs.S"
    src.write_text(BOOT_SECTOR)
    obj, bs = tmp_path / "bs.o", tmp_path / "bs.bin"
    subprocess.run(["as", "--32", "-o", str(obj), str(src)], check=True)
    subprocess.run(["objcopy", "-O", "binary", "-j", ".text", str(obj),
                    str(bs)], check=True)
    data = bs.read_bytes()
    assert len(data) == 512 and data[510:] == b"\x55\xaa"
    img = tmp_path / "floppy.img"
    img.write_bytes(data + b"\0" * (1440 * 1024 - 512))
    return img


def qemu(name, args, timeout=60, monitor=None):
    """Run QEMU; monitor: (delay, [commands]) fed to a monitor on stdio.
    Returns (exit status, serial text, monitor output)."""
    log = vmlib.log_path("legacy-" + name)
    if os.path.exists(log):
        os.unlink(log)
    cmd = ["qemu-system-x86_64", "-accel", "tcg", "-m", "256",
           "-display", "none", "-no-reboot", "-serial", "file:" + log,
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"] + args
    if monitor:
        cmd += ["-monitor", "stdio"]
        p = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True)
        delay, commands = monitor
        time.sleep(delay)
        out, _ = p.communicate("\n".join(commands + ["quit"]) + "\n",
                               timeout=timeout)
        rc = p.returncode
    else:
        cmd += ["-monitor", "none"]
        try:
            rc = subprocess.run(cmd, stdin=subprocess.DEVNULL,
                                capture_output=True,
                                timeout=timeout).returncode
        except subprocess.TimeoutExpired:
            pytest.fail("%s: QEMU timed out, log %s" % (name, log))
        out = ""
    with open(log, "rb") as f:
        serial = f.read().decode("latin-1")
    return rc, serial, out


def vga_text(monitor_out):
    """The 80x25 text screen from `xp /2000hx 0xb8000` output."""
    words = [int(w, 16) for line in monitor_out.splitlines()
             if re.match(r"^[0-9a-f]{16}:", line)
             for w in re.findall(r"0x([0-9a-f]{4})", line)]
    chars = "".join(chr(w & 0xFF) if 32 <= (w & 0xFF) < 127 else " "
                    for w in words)
    return [chars[i:i + 80].rstrip() for i in range(0, len(chars), 80)]


@pytest.mark.skipif(not os.path.exists(MEMDISK),
                    reason="syslinux-common not installed")
def test_memdisk_reference(tmp_path):
    h = header(MEMDISK)
    assert h["magic"] == b"HdrS" and h["version"] == 0x203
    assert h["kernel_version"].startswith(b"MEMDISK 6.04")
    assert h["loadflags"] & 1 and h["code32_start"] == 0x100000
    # syssize says 0; the protected-mode part is the rest of the file.
    assert h["syssize"] == 0
    assert h["size"] > (h["setup_sects"] + 1) * 512
    rc, serial, _ = qemu("memdisk", ["-kernel", MEMDISK,
                                     "-initrd", str(floppy(tmp_path)),
                                     "-append", "floppy"])
    assert rc == 33, serial[-500:]
    assert MARKER in serial


def test_ipxe_lkrn_reference():
    pkg = subprocess.run([os.path.join(vmlib.ROOT, "tools", "fetch-deb"),
                          "ipxe"], capture_output=True, text=True,
                         cwd=vmlib.ROOT)
    if pkg.returncode:
        pytest.skip("cannot fetch ipxe: " + pkg.stderr.strip())
    lkrn = os.path.join(pkg.stdout.strip().splitlines()[-1], "boot",
                        "ipxe.lkrn")
    h = header(lkrn)
    assert h["magic"] == b"HdrS" and h["version"] == 0x207
    assert h["code32_start"] == 0  # no usable 32-bit entry
    assert h["kernel_version"].startswith(b"1.0.0+git")
    rc, serial, mon = qemu("ipxe", ["-net", "none", "-kernel", lkrn],
                           monitor=(12, ["xp /2000hx 0xb8000"]))
    screen = "\n".join(vga_text(mon))
    assert "iPXE initialising devices...ok" in screen, screen
    assert re.search(r"iPXE 1\.0\.0\+git\S* -- Open Source Network Boot "
                     r"Firmware", screen), screen
    assert "No more network devices" in screen
    assert "iPXE" not in serial  # VGA only


def test_i386_kernel_reference(tmp_path):
    fetch = os.path.join(vmlib.ROOT, "tools", "fetch-deb")
    kpkg = subprocess.run([fetch, "linux-image-686:i386"],
                          capture_output=True, text=True, cwd=vmlib.ROOT)
    bpkg = subprocess.run([fetch, "busybox-static:i386"],
                          capture_output=True, text=True, cwd=vmlib.ROOT)
    if kpkg.returncode or bpkg.returncode:
        pytest.skip("no i386 packages (dpkg --add-architecture i386 and "
                    "apt-get update): " + kpkg.stderr + bpkg.stderr)
    kernel = vmlib.find_vmlinuz(kpkg.stdout.strip().splitlines()[-1])
    busybox = os.path.join(bpkg.stdout.strip().splitlines()[-1], "bin",
                           "busybox")
    h = header(kernel)
    assert h["version"] >= 0x20F and h["loadflags"] & 1
    assert not h["xloadflags"] & 1  # XLF_KERNEL_64 clear: 32-bit only
    assert h["code32_start"] == 0x100000
    c = vmlib.Cpio()
    for d in ("proc", "sys", "dev", "tmp"):
        c.mkdir(d)
    c.host_file("bin/busybox", busybox, 0o755)
    c.symlink("bin/sh", "busybox")
    c.file("init", vmlib.INIT, 0o755)
    c.file("markers/i386", "i386\n")
    initrd = tmp_path / "i386.cpio.gz"
    initrd.write_bytes(c.finish())
    rc, serial, _ = qemu("i386", ["-kernel", kernel, "-initrd",
                                  str(initrd), "-append",
                                  "console=ttyS0 quiet panic=-1 "
                                  "kj_stage=2 kj_i386=1"], timeout=240)
    lines = serial.replace("\r", "").splitlines()
    assert any(l.startswith("KJ-SECOND-CMDLINE ") and "kj_i386=1" in l
               for l in lines), serial[-2000:]
    assert re.search(r"KJ-SECOND-KERNEL \S+-686\n", "\n".join(lines) + "\n")
    assert "KJ-MARKER i386" in serial
