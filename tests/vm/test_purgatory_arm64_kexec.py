"""The arm64 purgatory, device tree and Image placement behind the real
relocate_kernel: Debian's arm64 cloud kernel boots under
qemu-system-aarch64 -M virt (TCG) with tests/purgatory/arm64/kexec_smoke64
in its initramfs, which kexec_loads the same kernel, an initrd, the device
tree built from /sys/firmware/fdt and the filled purgatory, and reboots
into them. The second kernel reports what it got.
Run: /usr/bin/python3 -m pytest tests/vm/test_purgatory_arm64_kexec.py
"""
import os
import re
import subprocess

import pytest

import arm64lib
import vmlib

SMOKE = os.path.join(vmlib.BUILD, "purgatory", "arm64-tests",
                     "kexec_smoke64")
CMDLINE = "console=ttyAMA0 quiet kj_stage=2 panic=-1"


@pytest.fixture(scope="module")
def guest(tmp_path_factory):
    subprocess.run(["make", "-s", "purgatory-arm64-harness"],
                   cwd=vmlib.ROOT, check=True, timeout=600)
    return arm64lib.Guest(str(tmp_path_factory.mktemp("a64kexec")),
                          extra_files={"bin/kexec_smoke64": SMOKE})


def smoke(guest, name, args="", env="", **kw):
    return guest.run(name, """
chmod +x /bin/kexec_smoke64
%s kexec_smoke64 /boot/vmlinuz /boot/stage2.cpio.gz "%s" %s
echo "KJ-SMOKE rc=$?"
""" % (env, CMDLINE, args), timeout=kw.pop("timeout", 180), **kw)


def plan(r):
    """smoke's own account: {segment: mem}, entry, kernel, x0."""
    segs = dict(re.findall(r"^smoke: (\w+) +mem=0x([0-9a-f]+)", r.output,
                           re.M))
    m = re.search(r"^smoke: entry=0x([0-9a-f]+) kernel=0x([0-9a-f]+) "
                  r"x0=0x([0-9a-f]+)", r.output, re.M)
    assert m and "smoke: loaded" in r.output, r.output[-3000:]
    return segs, m.group(1), m.group(2), m.group(3)


def assert_booted(r, el, vhe=False):
    segs, entry, kernel, x0 = plan(r)
    assert vmlib.second_cmdline(r) == CMDLINE
    assert "kjump purgatory: running at 0x%s, EL%d%s" % (
        entry, el, " (VHE)" if vhe else "") in r.output
    assert re.search(r"kjump purgatory: verifying 3 segments \(sha256\), "
                     r"MMU and D-cache on", r.output), r.output
    for i, what in enumerate(("kernel", "initrd", "dtb")):
        assert re.search(r"kjump purgatory: segment %d ok \(len \d+ at "
                         r"0x%s\)" % (i, segs[what]), r.output)
    assert ("kjump purgatory: entering 0x%s (arm64 linux, EL%d) x0=0x%s "
            "x1=0x0 x2=0x0 x3=0x0" % (kernel, el, x0)) in r.output
    # The device tree reached the kernel: the fresh seeds were taken
    # (the kernel removes rng-seed once used), the initrd was found.
    assert "KJ-MARKER stage2" in r.output
    return r


def timing(r):
    """Seconds from the load to the second kernel's first line."""
    t0, t1 = r.when("smoke: loaded"), r.when("KJ-SECOND-CMDLINE")
    assert t0 is not None and t1 is not None
    return t1 - t0


def test_kexec_load_el1(guest, capsys):
    r = assert_booted(smoke(guest, "a64-kexec-el1"), el=1)
    chosen = r.lines("KJ-SECOND-CHOSEN")[-1].split()
    assert "bootargs" in chosen and "linux,initrd-start" in chosen
    assert "kaslr-seed" in chosen
    with capsys.disabled():
        print("\narm64 kexec_load + our purgatory (EL1, verified): %.1f s "
              "from load to the second kernel, %.1f s in all"
              % (timing(r), r.seconds))


def test_kexec_load_el2_vhe(guest):
    """-cpu max has VHE: the kernel runs at EL2 with E2H, and so does the
    purgatory, and the next kernel starts there."""
    assert_booted(smoke(guest, "a64-kexec-el2", el2=True), el=2, vhe=True)


def test_kexec_load_under_uefi(guest):
    """Booted by AAVMF with ACPI: the running tree is the EFI stub's
    (/chosen only, no stdout-path: the UART is passed). The second
    kernel must find EFI and the ACPI tables again through the UEFI
    properties the device tree kept."""
    r = assert_booted(smoke(guest, "a64-kexec-uefi", args="uart=0x9000000",
                            uefi=True), el=1)
    assert r.lines("KJ-SECOND-EFI")[-1] == "yes"
    # (With ACPI the kernel does not unflatten the device tree, so
    # there is no /proc/device-tree to look at.)
    assert r.lines("KJ-SECOND-ACPI")[-1] == "yes"


def test_corrupt_segment_halts(guest):
    r = smoke(guest, "a64-kexec-corrupt", env="KJUMP_TEST_CORRUPT_SEGMENT=1",
              timeout=40)
    segs, _, _, _ = plan(r)
    assert r.timed_out, "the purgatory did not halt"
    assert ("kjump purgatory: segment 1 at 0x%s mismatch (sha256)"
            % segs["initrd"]) in r.output
    assert "kjump purgatory: halted" in r.output
    assert "KJ-SECOND" not in r.output


def test_no_verify_and_quiet(guest, capsys):
    r = smoke(guest, "a64-kexec-noverify", args="verify=0 serial=0")
    plan(r)
    assert vmlib.second_cmdline(r) == CMDLINE
    assert "kjump purgatory" not in r.output
    with capsys.disabled():
        print("\narm64 kexec_load + our purgatory (EL1, -i): %.1f s from "
              "load to the second kernel" % timing(r))
