"""The x86_64 purgatory on its own, without the rest of kjump.

QEMU boots tests/purgatory/harness.S (a Multiboot kernel) with a filled
purgatory blob as module 0; the harness enters long mode and jumps into
the blob, which verifies two segments and enters a target routine that
reports its CPU state on COM1. The checks run on QEMU's default CPU model
(qemu64: no AVX2, no SHA-NI) and on -cpu max (AVX2), with the default
XXH64 and with SHA-256. Run: /usr/bin/python3 -m pytest tests/vm/
"""
import os
import re
import subprocess
import time
from pathlib import Path

import pytest

import vmlib

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / os.environ.get("BUILD", "build")
T = BUILD / "purgatory" / "tests"
LOGS = BUILD / "vm-logs"
TIMEOUT = 30
DEBUG_EXIT_STATUS = 33  # the targets write 0x10 to isa-debug-exit


@pytest.fixture(scope="module", autouse=True)
def harness():
    vmlib.make("purgatory-harness")
    LOGS.mkdir(parents=True, exist_ok=True)


def make_blob(name, *args, corrupt=None):
    out = T / f"{name}.bin"
    env = dict(os.environ)
    env.pop("KJUMP_TEST_CORRUPT_SEGMENT", None)
    if corrupt is not None:
        env["KJUMP_TEST_CORRUPT_SEGMENT"] = str(corrupt)
    subprocess.run([str(T / "mkblob"), "blob", str(out), str(T), *args],
                   check=True, env=env, timeout=60)
    return out


def qemu(name, blob, cpu="max"):
    log = LOGS / f"purgatory-{name}.log"
    if log.exists():
        log.unlink()
    cmd = ["qemu-system-x86_64", "-accel", "tcg", "-cpu", cpu,
           "-m", "128", "-display", "none", "-monitor", "none",
           "-no-reboot", "-serial", f"file:{log}",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
           "-kernel", str(T / "harness.elf"), "-initrd", str(blob)]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL), log


def run_to_exit(name, blob, cpu="max"):
    proc, log = qemu(name, blob, cpu)
    try:
        rc = proc.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        pytest.fail(f"QEMU timed out, log: {log}\n{read(log)}")
    return rc, read(log)


def read(log):
    try:
        return log.read_text(errors="replace").replace("\r", "")
    except FileNotFoundError:
        return ""


def wait_for(name, blob, pattern, cpu="max"):
    """Boot, wait until pattern appears, check QEMU is still running
    (halted, not reset or exited), then kill it."""
    proc, log = qemu(name, blob, cpu)
    deadline = time.monotonic() + TIMEOUT
    try:
        while time.monotonic() < deadline:
            text = read(log)
            if re.search(pattern, text) and "halted" in text:
                time.sleep(1)  # would it reset or carry on? it must not
                assert proc.poll() is None, f"QEMU exited:\n{read(log)}"
                return read(log)
            if proc.poll() is not None:
                pytest.fail(f"QEMU exited {proc.returncode}:\n{text}")
            time.sleep(0.2)
        pytest.fail(f"no {pattern!r} within {TIMEOUT}s:\n{read(log)}")
    finally:
        proc.kill()
        proc.wait()


def fields(text, tag):
    m = re.search(rf"^{tag} (.*) end$", text, re.M)
    assert m, f"no {tag} line:\n{text}"
    return {k: int(v, 16) for k, v in re.findall(r"(\w+)=([0-9a-f]+)",
                                                  m.group(1))}


def assert_progress(text, alg="xxh64"):
    assert "kjump purgatory: running at 0x1234000" in text
    assert f"kjump purgatory: verifying 2 segments with {alg} (" in text
    assert ("kjump purgatory: segment 0 ok (len 1048576 at 0x400000)"
            in text)
    assert "kjump purgatory: segment 1 ok (len 4097 at 0x600000)" in text
    assert re.search(rf"kjump purgatory: verified 1 MiB with {alg} in "
                     r"[\d.]+ (ms|TSC)", text), text


def test_pm32_entry():
    rc, text = run_to_exit("pm32", make_blob(
        "pm32", "mode=pm32", "eax=0x2badb002", "ebx=0x0badcafe"))
    assert rc == DEBUG_EXIT_STATUS, text
    assert_progress(text)
    assert ("kjump purgatory: entering 0x700000 (32-bit protected mode) "
            "eax=0x2badb002 ebx=0xbadcafe" in text)
    f = fields(text, "TARGET32")
    assert f["eax"] == 0x2badb002
    assert f["ebx"] == 0x0badcafe
    assert f["cs"] == 0x10
    assert f["cr0"] & 0x1, "protected mode off"
    assert not f["cr0"] & 0x80000000, "paging still on"
    assert not f["cr4"] & 0x20, "PAE still on"
    assert f["efer"] == 0, "EFER not reset"
    assert (f["eflags"] & ~0x2) == 0, "EFLAGS not clean"
    assert f["others"] == 0, "ECX/EDX/EDI/EBP not zero"
    assert f["esi"] == 0, "ESI not zero for Multiboot"
    assert f["ds"] == 0x18


def test_pm32_linux_entry():
    """The 32-bit Linux boot protocol: ESI = boot_params, EBP, EDI and
    EBX zero, CS 0x10 (__BOOT_CS), DS 0x18 (__BOOT_DS), paging off."""
    rc, text = run_to_exit("pm32-linux", make_blob(
        "pm32-linux", "mode=pm32", "eax=0", "ebx=0", "esi=0x7000"))
    assert rc == DEBUG_EXIT_STATUS, text
    assert_progress(text)
    assert ("kjump purgatory: entering 0x700000 (32-bit protected mode) "
            "eax=0x0 ebx=0x0 esi=0x7000" in text)
    f = fields(text, "TARGET32")
    assert f["esi"] == 0x7000
    assert f["eax"] == 0 and f["ebx"] == 0 and f["others"] == 0
    assert f["cs"] == 0x10 and f["ds"] == 0x18
    assert f["cr0"] & 0x1 and not f["cr0"] & 0x80000000
    assert f["efer"] == 0 and f["cr4"] == 0
    assert (f["eflags"] & ~0x2) == 0


def check_real16(text, f):
    assert ("kjump purgatory: entering 1020:0000 (real mode) "
            "ss:sp=1000:e000 ds=1000" in text)
    # Where a Linux real-mode setup at 0x10000 would be entered.
    assert f["cs"] == 0x1020 and f["ip"] == 0
    assert (f["ds"], f["es"], f["fs"], f["gs"]) == \
        (0x1000, 0x1234, 0x2345, 0x3456)
    assert f["ss"] == 0x1000 and f["esp"] == 0xE000
    assert [f[r] for r in ("eax", "ebx", "ecx", "edx", "esi", "edi",
                           "ebp")] == [0x11111111 * i for i in range(1, 8)]
    assert f["cr0"] & 0x80000001 == 0, "PE or PG still set"
    assert f["eflags"] == 0x2, "EFLAGS not clean (IF must be off)"
    assert f["idt_limit"] & 0xFFFF == 0x3FF and f["idt_base"] == 0


def test_real16_entry():
    """Long mode -> real mode: every register as the block says, the
    real-mode IVT, and the BIOS answering: INT 12h (640 KiB minus the
    EBDA), INT 15h E820 (the first entry), and the BIOS tick moving
    once interrupts are on."""
    rc, text = run_to_exit("real16", make_blob("real16", "mode=real16"))
    assert rc == DEBUG_EXIT_STATUS, text
    assert "HARNESS blob" in text and "bytes at 0x00020000" in text
    assert "kjump purgatory: running at 0x20000" in text
    assert "kjump purgatory: segment 1 ok (len 4097 at 0x600000)" in text
    f = fields(text, "TARGET16")
    check_real16(text, f)
    assert f["int12"] == 639
    assert f["e820_type"] == 1 and f["e820_len"] == 0x9FC00
    assert f["ticks"] >= 1


def test_real16_legacy_pic_and_timer():
    """With the BIOS-era 8259 and PIT settings put back (the state Linux
    changes), the BIOS tick still runs: the reprogramming matches what
    the BIOS set up."""
    rc, text = run_to_exit("real16-legacy", make_blob(
        "real16-legacy", "mode=real16", "rmflags=3"))
    assert rc == DEBUG_EXIT_STATUS, text
    f = fields(text, "TARGET16")
    check_real16(text, f)
    assert f["ticks"] >= 1 and f["int12"] == 639


def test_linux64_entry():
    rc, text = run_to_exit("linux64", make_blob(
        "linux64", "mode=linux64", "rsi=0x123456789abcdef0"))
    assert rc == DEBUG_EXIT_STATUS, text
    assert_progress(text)
    assert ("kjump purgatory: entering 0x701000 (64-bit linux) "
            "rsi=0x123456789abcdef0" in text)
    f = fields(text, "TARGET64")
    assert f["rsi"] == 0x123456789abcdef0
    assert f["cs"] == 0x10  # __BOOT_CS
    assert f["ds"] == 0x18  # __BOOT_DS
    assert f["cr0"] & 0x80000000
    assert "verifying 2 segments with xxh64 (portable)" in text
    assert not f["cr4"] & (1 << 18), "CR4.OSXSAVE on"
    assert (f["eflags"] & ~0x2) == 0, "EFLAGS not clean"
    assert f["others"] == 0, "GPRs other than RSI not zero"


def test_jump_back_entry_is_written_into_the_command_line():
    """Kexec jump (KJ_PURG_JUMP_BACK): after the check the purgatory puts
    the address it was called with (read at its entry stack pointer) in
    place of the zeroes of "kexec_jump_back_entry=0x0000000000000000" on
    the command line of the zero page at RSI (seg1 is made one)."""
    rc, text = run_to_exit("jumpback", make_blob(
        "jumpback", "mode=linux64", "rsi=0x600000", "jumpback=1"))
    assert rc == DEBUG_EXIT_STATUS, text
    assert_progress(text)
    m = re.search(r"kjump purgatory: jump back to 0x([0-9a-f]+)\n", text)
    assert m, text
    assert fields(text, "TARGET64")["rsi"] == 0x600000


def test_jump_back_without_placeholder_halts():
    """No placeholder on the command line: a kexec jump could never come
    back, so the purgatory says so and stops."""
    text = wait_for("jumpback-none", make_blob(
        "jumpback-none", "mode=linux64", "rsi=0x800000", "jumpback=1"),
        r"no kexec_jump_back_entry= placeholder in the command line")
    assert "segment 1 ok" in text
    assert "TARGET64" not in text


# What runs each check: XXH64 is plain integer code everywhere; SHA-256
# takes the eight-lane AVX2 path on "max" (TCG has no SHA-NI) and the
# portable rounds on qemu64.
IMPL = {("xxh64", "qemu64"): "portable", ("xxh64", "max"): "portable",
        ("sha256", "qemu64"): "portable",
        ("sha256", "max"): "avx2, 8 chunks at once"}


@pytest.mark.parametrize("cpu", ["qemu64", "max"])
@pytest.mark.parametrize("alg", ["xxh64", "sha256"])
def test_checks_on_both_cpu_models(alg, cpu):
    """The same segments verify with either check on either CPU model,
    the report names the check and its time, and the AVX state the
    SHA-256 path turns on is off again for the next kernel."""
    name = f"linux64-{alg}-{cpu}"
    rc, text = run_to_exit(name, make_blob(
        name, "mode=linux64", "rsi=0x1", f"checks={alg}"), cpu=cpu)
    assert rc == DEBUG_EXIT_STATUS, text
    assert_progress(text, alg)
    assert (f"verifying 2 segments with {alg} ({IMPL[alg, cpu]})"
            in text), text
    f = fields(text, "TARGET64")
    assert f["rsi"] == 1
    assert not f["cr4"] & (1 << 18), "CR4.OSXSAVE left on"


@pytest.mark.parametrize("cpu", ["qemu64", "max"])
def test_corrupt_segment_caught_by_default_check(cpu):
    blob = make_blob(f"corrupt-{cpu}", "mode=pm32", corrupt=1)
    text = wait_for(f"corrupt-{cpu}", blob,
                    r"kjump purgatory: segment 1 at 0x600000 "
                    r"xxh64 mismatch", cpu=cpu)
    assert "segment 0 ok" in text
    assert re.search(r"expected [0-9a-f]{16}\n", text), text
    assert "TARGET" not in text
    assert "kjump purgatory: halted" in text


def test_corrupt_segment_caught_by_sha256():
    blob = make_blob("corrupt-sha256", "checks=sha256", corrupt=0)
    text = wait_for("corrupt-sha256", blob,
                    r"kjump purgatory: segment 0 at 0x400000 "
                    r"sha256 mismatch")
    assert re.search(r"expected [0-9a-f]{64}\n", text), text
    assert "TARGET" not in text


def test_corrupt_digest_reported_without_serial_flag():
    """Serial progress off: silence on success, but a mismatch is still
    reported on COM1."""
    blob = make_blob("quiet-corrupt", "serial=0", corrupt=0)
    text = wait_for("quiet-corrupt", blob,
                    r"kjump purgatory: segment 0 at 0x400000 "
                    r"xxh64 mismatch")
    assert "verifying" not in text
    assert "TARGET" not in text


def test_quiet_success():
    rc, text = run_to_exit("quiet", make_blob("quiet", "serial=0"))
    assert rc == DEBUG_EXIT_STATUS, text
    assert "kjump purgatory" not in text
    assert fields(text, "TARGET32")["eax"] == 0x2badb002


def test_no_verify_skips_digests():
    rc, text = run_to_exit("noverify", make_blob(
        "noverify", "verify=0", corrupt=None))
    assert rc == DEBUG_EXIT_STATUS, text
    assert "verifying" not in text
    assert "kjump purgatory: entering 0x700000" in text


def test_cpu_exception_reported():
    """A segment outside the identity map page-faults inside the
    purgatory: its own IDT reports it instead of a silent reset."""
    blob = make_blob("fault", "seg1mem=0x200000000")
    text = wait_for("fault", blob,
                    r"kjump purgatory: CPU exception 14 \(error 0x0\) "
                    r"at rip 0x[0-9a-f]+, cr2 0x200000000")
    assert "segment 0 ok" in text
    assert "TARGET" not in text


def test_purgatory_digest_build_in_user_space():
    """The purgatory's freestanding digest objects: XXH64 against xxHash's
    vectors, SHA-256 on every path the host has (TCG has no SHA-NI, so
    the VM cases cannot reach that one)."""
    out = subprocess.run([str(T / "digest_check")], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "xxh64 ok" in out.stdout
    assert "portable ok" in out.stdout
