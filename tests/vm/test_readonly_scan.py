"""Scanning a disk never writes to it (issue 15, case 14).

An ext4 image whose journal holds a committed transaction that was never
replayed (needs_recovery set) is attached writable; `kjump menu` scans it
and boots an entry from it. A read-only mount alone would replay the
journal onto the image; kjump sets the device read-only (BLKROSET) and
mounts with noload. The test checks that the second kernel booted the
entry and that the image's SHA-256 on the host is the same as before.
Serial log: build/vm-logs/readonly-dirty-ext4.log."""
import hashlib
import os
import shutil
import subprocess

import pytest

import bootdisks
import vmlib

pexpect = pytest.importorskip("pexpect")

MENU_TIMEOUT = 240
CLEAN = b"clean, as written by mkfs\n"
DIRTY = b"dirty: replayed from the journal\n"


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def debugfs(img, request, write=False):
    cmd = ["debugfs"] + (["-w"] if write else []) + ["-R", request, img]
    return subprocess.run(cmd, check=True, capture_output=True).stdout


def super_field(img, name):
    out = subprocess.run(["dumpe2fs", "-h", img], check=True,
                         capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith(name + ":"):
            return line.split(":", 1)[1].strip()
    raise AssertionError("%s: no %r in dumpe2fs -h" % (img, name))


def make_dirty_ext4(workdir, kernel):
    """The GRUB disk of the menu tests plus /boot/marker, then a journal
    transaction that rewrites the marker's block, committed but not
    replayed: what a crash between commit and checkpoint leaves."""
    img = bootdisks.ext4_grub_disk(workdir, kernel, name="dirty")
    # Add a marker file, then journal a new version of its block.
    with open(os.path.join(workdir, "marker"), "wb") as f:
        f.write(CLEAN)
    debugfs(img, "write %s /boot/marker" % os.path.join(workdir, "marker"),
            write=True)
    block = int(debugfs(img, "bmap /boot/marker 0").split()[0])
    bsize = int(super_field(img, "Block size"))
    blk = os.path.join(workdir, "dirty-block")
    with open(blk, "wb") as f:
        f.write(DIRTY.ljust(bsize, b"\0"))
    script = os.path.join(workdir, "dirty.debugfs")
    with open(script, "w") as f:
        f.write("jo\njw -b %d %s\njc\n" % (block, blk))
    subprocess.run(["debugfs", "-w", "-f", script, img], check=True,
                   capture_output=True)
    return img


def test_dirty_ext4_is_not_written(accel, workdir, cloud_kernel):
    d = os.path.join(workdir, "readonly")
    os.makedirs(d, exist_ok=True)
    img = make_dirty_ext4(d, cloud_kernel)

    # The image really is dirty: the flag is set, and replaying the
    # journal (e2fsck on a copy) changes the marker and the checksum.
    assert "needs_recovery" in super_field(img, "Filesystem features")
    assert debugfs(img, "cat /boot/marker") == CLEAN
    copy = img + ".replayed"
    shutil.copy(img, copy)
    subprocess.run(["e2fsck", "-fy", copy], capture_output=True)
    # (the file keeps its length: the replayed block's first bytes)
    assert debugfs(copy, "cat /boot/marker") == DIRTY[:len(CLEAN)]
    assert sha256(copy) != sha256(img)
    os.unlink(copy)

    before = sha256(img)
    initrd = bootdisks.overlay_initrd(d, "readonly",
                                      {"etc/kjump.conf": "timeout 2\n"})
    cmd = bootdisks.qemu_cmd(accel, initrd=initrd, disks=[img],
                             writable=[img], append="quiet TERM=dumb")
    assert not any("readonly=on" in a for a in cmd)
    child = bootdisks.spawn("readonly-dirty-ext4", cmd)
    try:
        child.expect("kjump boot menu", timeout=MENU_TIMEOUT)
        child.expect(r"Number\+Enter", timeout=60)
        menu = child.before
        assert "Debian GNU/Linux" in menu
        assert "cannot set it read-only" not in menu, menu
        assert "cannot mount" not in menu, menu
        child.expect("boots in", timeout=30)
        child.expect(r"KJ-BOOTED (\S+) cmdline: ([^\r\n]*)\r*\n",
                     timeout=180)
        entry, cmdline = child.match.group(1), child.match.group(2)
        assert entry == "grub-debian"
        assert "kj_entry=grub-debian" in cmdline
        assert "root=LABEL=KJEXT4" in cmdline
        child.expect(pexpect.EOF, timeout=60)
    finally:
        child.terminate(force=True)

    assert sha256(img) == before, "the scan wrote to the disk"
    assert "needs_recovery" in super_field(img, "Filesystem features")
    assert debugfs(img, "cat /boot/marker") == CLEAN
