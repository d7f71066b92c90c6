"""The x86_64 purgatory behind a real relocate_kernel.

A Debian cloud kernel boots in QEMU with an initramfs holding busybox,
tests/purgatory/kexec_smoke (static) and the harness's segments; the
smoke program kexec_load()s the segments, the harness's target block and
a filled purgatory, then reboots into them. The assertions are on what
the purgatory and the target print after the old kernel is gone.
Run: /usr/bin/python3 -m pytest tests/vm/test_purgatory_kexec.py
"""
import glob
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

import vmlib

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / os.environ.get("BUILD", "build")
T = BUILD / "purgatory" / "tests"
LOGS = BUILD / "vm-logs"
TIMEOUT = 180  # a TCG boot of the Debian kernel plus the kexec
DEBUG_EXIT_STATUS = 33

INIT = r"""#!/bin/busybox sh
/bin/busybox mkdir -p /proc
/bin/busybox mount -t proc proc /proc
mode=pm32
rmflags=
checks=xxh64
for a in $(/bin/busybox cat /proc/cmdline); do
    case "$a" in
    kj_mode=*) mode=${a#kj_mode=} ;;
    kj_rmflags=*) rmflags=rmflags=${a#kj_rmflags=} ;;
    kj_checks=*) checks=${a#kj_checks=} ;;
    kj_corrupt=*) export KJUMP_TEST_CORRUPT_SEGMENT=${a#kj_corrupt=} ;;
    esac
done
echo "KEXEC-SMOKE mode=$mode"
/kexec_smoke /data mode=$mode $rmflags checks=$checks
echo "KEXEC-SMOKE-FAILED $?"
/bin/busybox poweroff -f
"""


def kernel():
    caches = [os.environ.get("KJ_CACHE"), str(BUILD / "cache")]
    for c in filter(None, caches):
        found = sorted(glob.glob(
            f"{c}/linux-image-cloud-amd64/boot/vmlinuz-*"))
        if found:
            return found[-1]
    try:
        out = subprocess.run([str(ROOT / "tools" / "fetch-deb"),
                              "linux-image-cloud-amd64"], cwd=ROOT,
                             check=True, capture_output=True, text=True,
                             timeout=600).stdout.strip().splitlines()[-1]
    except (subprocess.SubprocessError, IndexError) as e:
        pytest.skip(f"no Debian cloud kernel: {e}")
    found = sorted(glob.glob(f"{out}/boot/vmlinuz-*"))
    if not found:
        pytest.skip("no Debian cloud kernel")
    return found[-1]


@pytest.fixture(scope="module")
def initrd(tmp_path_factory):
    vmlib.make("purgatory-harness")
    stage = tmp_path_factory.mktemp("kexec-smoke")
    root = stage / "root"
    (root / "bin").mkdir(parents=True)
    (root / "data").mkdir()
    shutil.copy("/bin/busybox", root / "bin" / "busybox")
    shutil.copy(T / "kexec_smoke", root / "kexec_smoke")
    for f in ("seg0.bin", "seg1.bin", "target.bin", "target16.bin"):
        shutil.copy(T / f, root / "data" / f)
    (root / "init").write_text(INIT)
    (root / "init").chmod(0o755)
    out = stage / "initrd.cpio"
    files = subprocess.run(["find", "."], cwd=root, check=True,
                           capture_output=True).stdout
    with open(out, "wb") as f:
        subprocess.run(["cpio", "-o", "-H", "newc", "--quiet"], cwd=root,
                       input=files, stdout=f, check=True)
    return out


def boot(name, initrd, append, until=None):
    LOGS.mkdir(parents=True, exist_ok=True)
    log = LOGS / f"purgatory-kexec-{name}.log"
    if log.exists():
        log.unlink()
    cmd = ["qemu-system-x86_64", "-accel", "tcg", "-cpu", "max", "-m",
           "512", "-smp", "1", "-display", "none", "-monitor", "none",
           "-no-reboot", "-serial", f"file:{log}",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
           "-kernel", kernel(), "-initrd", str(initrd),
           "-append", f"console=ttyS0 panic=-1 {append}"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + TIMEOUT
    try:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                return proc.returncode, read(log)
            text = read(log)
            if until and re.search(until, text):
                time.sleep(1)
                assert proc.poll() is None, "QEMU left after the halt"
                return None, read(log)
            time.sleep(0.5)
        pytest.fail(f"timed out after {TIMEOUT}s, log {log}:\n"
                    f"{read(log)[-3000:]}")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def read(log):
    try:
        return log.read_text(errors="replace").replace("\r", "")
    except FileNotFoundError:
        return ""


def fields(text, tag):
    m = re.search(rf"^{tag} (.*) end$", text, re.M)
    assert m, f"no {tag} line:\n{text[-3000:]}"
    return {k: int(v, 16) for k, v in re.findall(r"(\w+)=([0-9a-f]+)",
                                                  m.group(1))}


def test_kexec_pm32(initrd):
    rc, text = boot("pm32", initrd, "kj_mode=pm32")
    assert "KEXEC-SMOKE loaded" in text, text[-3000:]
    assert rc == DEBUG_EXIT_STATUS, text[-3000:]
    assert "kjump purgatory: verifying 3 segments with xxh64" in text
    for i in range(3):
        assert f"kjump purgatory: segment {i} ok" in text
    assert "kjump purgatory: entering 0x700000 (32-bit protected mode)" \
        in text
    f = fields(text, "TARGET32")
    assert (f["eax"], f["ebx"], f["cs"]) == (0x2badb002, 0x0badcafe, 0x10)
    assert not f["cr0"] & 0x80000000
    assert f["efer"] == 0
    assert (f["eflags"] & ~0x2) == 0
    assert f["others"] == 0


def test_kexec_linux64(initrd):
    """The same with --checks=sha256's digest (pm32 above uses the
    default XXH64)."""
    rc, text = boot("linux64", initrd, "kj_mode=linux64 kj_checks=sha256")
    assert rc == DEBUG_EXIT_STATUS, text[-3000:]
    assert "kjump purgatory: verifying 3 segments with sha256" in text
    assert "kjump purgatory: entering 0x701000 (64-bit linux)" in text
    f = fields(text, "TARGET64")
    assert f["rsi"] == 0x123456789abcdef0
    assert (f["cs"], f["ds"], f["others"]) == (0x10, 0x18, 0)


def test_kexec_corrupt_halts(initrd):
    rc, text = boot("corrupt", initrd, "kj_mode=pm32 kj_corrupt=2",
                    until=r"kjump purgatory: halted")
    assert rc is None
    assert re.search(r"kjump purgatory: segment 2 at 0x700000 xxh64 "
                     r"mismatch", text), text[-3000:]
    assert "TARGET" not in text


def real16_fields(text):
    assert "KEXEC-SMOKE loaded, purgatory" in text and "at 0x20000" in text
    assert "kjump purgatory: running at 0x20000" in text
    assert ("kjump purgatory: entering 1020:0000 (real mode) "
            "ss:sp=1000:e000 ds=1000" in text)
    f = fields(text, "TARGET16")
    assert f["cs"] == 0x1020 and f["ip"] == 0
    assert (f["ss"], f["esp"], f["ds"]) == (0x1000, 0xE000, 0x1000)
    assert f["ebp"] == 0x77777777 and f["eflags"] == 0x2
    assert f["cr0"] & 0x80000001 == 0
    assert f["idt_limit"] & 0xFFFF == 0x3FF and f["idt_base"] == 0
    return f


def test_kexec_real16_bios_after_linux(initrd):
    """Real mode behind the real relocate_kernel, after Linux ran: the
    BIOS is still in memory and its services answer (INT 12h, INT 15h
    E820 from SeaBIOS), but its tick does not move: Linux reprogrammed
    the 8259s (vectors 0x30.., or masked for the I/O APIC) and stopped
    PIT channel 0, so IRQ0 never reaches the BIOS handler."""
    rc, text = boot("real16", initrd, "kj_mode=real16")
    assert rc == DEBUG_EXIT_STATUS, text[-3000:]
    f = real16_fields(text)
    assert f["int12"] == 639
    assert f["e820_type"] == 1 and f["e820_len"] == 0x9FC00
    assert f["ticks"] == 0


def test_kexec_real16_legacy_pic_timer(initrd):
    """The same with KJ_RM_LEGACY_PIC | KJ_RM_LEGACY_TIMER: the BIOS
    tick runs again, so real-mode code that waits on it (iPXE, memdisk,
    BIOS disk timeouts) can."""
    rc, text = boot("real16-legacy", initrd, "kj_mode=real16 kj_rmflags=3")
    assert rc == DEBUG_EXIT_STATUS, text[-3000:]
    f = real16_fields(text)
    assert f["int12"] == 639 and f["ticks"] >= 1
