"""The arm64 purgatory on its own, without the rest of kjump.

qemu-system-aarch64 -M virt boots tests/purgatory/arm64/harness.S (a
bare-metal ELF) at EL1, at EL2, and at EL2 with E2H set (as a VHE kernel
leaves it); QEMU's generic loader puts a filled purgatory blob and two
segments at fixed addresses. The harness enters the blob the way Linux's
relocate_kernel does for kexec_load (MMU and caches off, x0 = 0, garbage
elsewhere); the purgatory verifies the segments with its own identity map
and enters a target that reports x0..x3, the EL and SCTLR on the PL011.
Run: /usr/bin/python3 -m pytest tests/vm/test_purgatory_arm64.py
"""
import os
import re
import subprocess
from pathlib import Path

import pytest

import vmlib

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / os.environ.get("BUILD", "build")
T = BUILD / "purgatory" / "arm64-tests"
PURG = BUILD / "purgatory" / "arm64" / "purgatory.bin"
TIMEOUT = 60
HALT_WAIT = 6  # a halted purgatory keeps QEMU running this long

# tests/purgatory/arm64/harness.h
H_CONFIG = 0x40180000
H_SEG0, H_SEG1 = 0x40400000, 0x40600000
H_PURG, H_BIG = 0x41234000, 0x42000000
H_TARGET, H_DTB_VALUE = 0x40210000, 0x4ffff000
SCTLR_M, SCTLR_C, SCTLR_I = 1 << 0, 1 << 2, 1 << 12


@pytest.fixture(scope="module", autouse=True)
def harness():
    vmlib.make("purgatory-arm64-harness")


def make_blob(name, *args, corrupt=None):
    out = T / f"{name}.bin"
    env = dict(os.environ)
    env.pop("KJUMP_TEST_CORRUPT_SEGMENT", None)
    if corrupt is not None:
        env["KJUMP_TEST_CORRUPT_SEGMENT"] = str(corrupt)
    subprocess.run([str(T / "mkblob64"), "blob", str(out), str(T),
                    str(PURG), *args], check=True, env=env, timeout=60)
    return out


def boot(name, blob, el2=False, vhe=False, big=False, timeout=TIMEOUT):
    loads = [(blob, H_PURG), (T / "seg0.bin", H_SEG0),
             (T / "seg1.bin", H_SEG1)]
    if big:
        loads.append((T / "big.bin", H_BIG))
    extra = []
    for path, addr in loads:
        extra += ["-device", "loader,file=%s,addr=0x%x,force-raw=on"
                  % (path, addr)]
    if vhe:
        extra += ["-device", "loader,addr=0x%x,data=1,data-len=4"
                  % H_CONFIG]
    return vmlib.run_qemu("purgatory-arm64-" + name, "tcg",
                          str(T / "harness.elf"), None, "",
                          timeout=timeout, memory=512, extra=extra,
                          arch="aarch64", el2=el2)


def target(r):
    m = re.search(r"^TARGET (.*) end$", r.output, re.M)
    assert m, "the target never reported (log %s):\n%s" % (r.log, r.output)
    return {k: int(v, 16) for k, v in re.findall(r"(\w+)=0x([0-9a-f]+)",
                                                  m.group(1))}


def verifying_sctlr(r, alg="xxh64"):
    m = re.search(r"kjump purgatory: verifying \d+ segments \(" + alg +
                  r"\), "
                  r"MMU and D-cache (on|off) \(SCTLR_EL(\d) 0x([0-9a-f]+)\)",
                  r.output)
    assert m, r.output
    return m.group(1), int(m.group(2)), int(m.group(3), 16)


def assert_handover(r, el, e2h=0, alg="xxh64"):
    assert not r.timed_out, r.output
    assert "kjump purgatory: running at 0x41234000, EL%d%s" % (
        el, " (VHE)" if e2h else "") in r.output
    assert ("kjump purgatory: segment 0 ok (len 1048576 at 0x40400000)"
            in r.output)
    assert "kjump purgatory: segment 1 ok (len 4097 at 0x40600000)" in \
        r.output
    assert re.search(r"kjump purgatory: verified 1 MiB in \d+ ms", r.output)
    # Hashing ran with the MMU and the caches on ...
    state, sel, sctlr = verifying_sctlr(r, alg)
    assert (state, sel) == ("on", el)
    assert sctlr & (SCTLR_M | SCTLR_C | SCTLR_I) == \
        SCTLR_M | SCTLR_C | SCTLR_I
    assert ("kjump purgatory: entering 0x40210000 (arm64 linux, EL%d) "
            "x0=0x4ffff000 x1=0x0 x2=0x0 x3=0x0" % el) in r.output
    # ... and the next kernel gets them off, booting.rst's registers,
    # every interrupt masked, the EL it ran at.
    f = target(r)
    assert (f["x0"], f["x1"], f["x2"], f["x3"]) == (H_DTB_VALUE, 0, 0, 0)
    assert f["others"] == 0, "x4..x30 (but x17) not zero"
    assert f["el"] == el
    assert (f["m"], f["c"], f["i"]) == (0, 0, 0), hex(f["sctlr"])
    assert f["daif"] == 0x3c0
    assert f["e2h"] == e2h


def test_el1_handover():
    assert_handover(boot("el1", make_blob("el1")), el=1)


def test_el2_handover():
    """With --checks=sha256's digest, the chunk-list SHA-256."""
    assert_handover(boot("el2", make_blob("el2", "checks=sha256"),
                         el2=True), el=2, alg="sha256")


def test_el2_vhe_handover():
    """E2H set: the purgatory's EL2 map takes the EL1 register layout."""
    r = boot("el2-vhe", make_blob("el2-vhe"), el2=True, vhe=True)
    assert "HARNESS el=0x0000000000000002 vhe=0x0000000000000001" in \
        r.output
    assert_handover(r, el=2, e2h=1)


def assert_halted(r):
    assert r.timed_out, "QEMU exited: the purgatory did not halt\n" + \
        r.output
    assert "TARGET" not in r.output
    assert "kjump purgatory: halted" in r.output


def test_corrupt_digest_halts():
    r = boot("corrupt", make_blob("corrupt", corrupt=1),
             timeout=HALT_WAIT)
    assert_halted(r)
    assert "kjump purgatory: segment 0 ok" in r.output
    assert re.search(r"^kjump purgatory: segment 1 at 0x40600000 mismatch "
                     r"\(xxh64\)$", r.output, re.M), r.output
    assert re.search(r"expected [0-9a-f]{16}\n.*computed [0-9a-f]{16}",
                     r.output)


def test_corrupt_digest_reported_without_serial_flag():
    """Progress off: silence on success, but a mismatch is still printed
    on the UART the loader named."""
    r = boot("quiet-corrupt", make_blob("quiet-corrupt", "serial=0",
                                        corrupt=0), el2=True,
             timeout=HALT_WAIT)
    assert_halted(r)
    assert "verifying" not in r.output
    assert "kjump purgatory: segment 0 at 0x40400000 mismatch" in r.output


def test_quiet_success():
    r = boot("quiet", make_blob("quiet", "serial=0"))
    assert "kjump purgatory" not in r.output
    assert target(r)["x0"] == H_DTB_VALUE


def test_no_verify_skips_digests():
    r = boot("noverify", make_blob("noverify", "verify=0", "x0=0x1234"))
    assert "verifying" not in r.output
    assert "kjump purgatory: entering 0x40210000" in r.output
    f = target(r)
    assert f["x0"] == 0x1234
    assert f["m"] == 0 and f["c"] == 0


def test_cpu_exception_reported():
    """A segment where QEMU has no RAM: the data abort is reported by the
    purgatory's own vectors instead of a silent hang."""
    r = boot("fault", make_blob("fault", "seg1mem=0x200000000"),
             timeout=HALT_WAIT)
    assert_halted(r)
    assert "segment 0 ok" in r.output
    assert re.search(r"kjump purgatory: CPU exception \(vector 4\) esr "
                     r"0x96[0-9a-f]{6} at 0x[0-9a-f]+, far 0x200000000",
                     r.output), r.output


def speed(r):
    m = re.search(r"verified (\d+) MiB in (\d+) ms \((\d+) bytes, (\d+) "
                  r"KiB/s", r.output)
    assert m, r.output
    return int(m.group(2)), int(m.group(4))


def test_hashing_speed_mmu_on_and_off(capsys):
    """64 MiB more, hashed with the identity map (MMU and D-cache on)
    and with the MMU off as kexec-tools does, with the default XXH64, and
    with SHA-256 (MMU on). TCG models no caches, so here MMU on and off
    cost the same; the numbers go into the log."""
    on = boot("speed-mmu-on", make_blob("speed-on", "big=1"), big=True)
    off = boot("speed-mmu-off", make_blob("speed-off", "big=1",
                                          "mmuoff=1"), big=True)
    sha = boot("speed-sha256", make_blob("speed-sha256", "big=1",
                                         "checks=sha256"), big=True)
    assert verifying_sctlr(on)[0] == "on"
    assert verifying_sctlr(off)[0] == "off"
    assert verifying_sctlr(sha, "sha256")[0] == "on"
    assert "no identity map: asked for" in off.output
    for r in (on, off, sha):
        assert "segment 2 ok (len 67108864 at 0x42000000)" in r.output
        assert target(r)["m"] == 0
    runs = [speed(r) for r in (on, off, sha)]
    with capsys.disabled():
        print("\narm64 purgatory, TCG, 65 MiB: xxh64 MMU on %d ms "
              "(%d KiB/s), xxh64 MMU off %d ms (%d KiB/s), sha256 MMU on "
              "%d ms (%d KiB/s)" % tuple(v for r in runs for v in r))
    assert all(kib > 0 for _, kib in runs)
