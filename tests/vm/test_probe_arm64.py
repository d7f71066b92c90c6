"""The arm64 probe payload (probe/arm64/, probe/README.md) booted by the
reference loaders and by kjump: QEMU's own -kernel loader (Image and
Image.gz, EL1 and EL2), kexec-tools' arm64 kexec -l from Debian's arm64
cloud kernel, and build/arm64/kjump from the same kernel (our device tree
and purgatory behind the real relocate_kernel). Each run must report the
command line, the initrd (CRC computed here) and memory nodes matching
what was given.
Run: /usr/bin/python3 -m pytest tests/vm/test_probe_arm64.py
"""
import os
import random
import zlib

import pytest

import arm64lib
import probe_report
import vmlib

PROBE = os.path.join(vmlib.BUILD, "probe", "arm64", "probe.Image")
MEMORY_MB = 512
GUEST_MB = 1024
APPEND = 'kj_probe=1 "quoted words" tail=\\x'


@pytest.fixture(scope="module")
def built():
    vmlib.make("probe-arm64")
    return arm64lib.kjump()


@pytest.fixture(scope="module")
def initrd(tmp_path_factory):
    data = random.Random(1613).randbytes(300 * 1024 + 13)
    path = tmp_path_factory.mktemp("probe64") / "probe-initrd.bin"
    path.write_bytes(data)
    return str(path), data


def check(rep, initrd_data, cmdline, memory_mb, el):
    assert rep.complete, "no complete report"
    assert rep.arch == "arm64"
    assert rep.errors == []
    assert rep["dtb"]["valid"] == 1
    assert rep["entry"]["x0"] == rep["dtb"]["addr"]
    assert (rep["entry"]["x1"], rep["entry"]["x2"], rep["entry"]["x3"]) \
        == (0, 0, 0)
    cpu = rep["cpu"]
    assert cpu["el"] == el
    assert (cpu["mmu"], cpu["dcache"]) == (0, 0), "MMU or D-cache on"
    assert cpu["daif"] == 0x3c0, "interrupts not masked"
    # text_offset 0: the Image starts on a 2 MiB boundary.
    assert rep["self"]["start"] % (2 << 20) == 0
    assert rep.cmdline == cmdline
    ird = rep.initrd
    assert ird and ird["size"] == len(initrd_data)
    assert ird["crc32"] == zlib.crc32(initrd_data)
    assert rep.memory_bytes() == memory_mb << 20
    return rep


@pytest.mark.parametrize("image,el2", [("probe.Image", False),
                                       ("probe.Image", True),
                                       ("probe.Image.gz", False)])
def test_qemu_loader(built, initrd, image, el2):
    path, data = initrd
    r = vmlib.run_qemu("probe-arm64-qemu-%s%s" % (image, "-el2" * el2),
                       "tcg", os.path.join(os.path.dirname(PROBE), image),
                       path, APPEND, timeout=60, memory=MEMORY_MB,
                       arch="aarch64", el2=el2)
    assert not r.timed_out, "the probe did not power off:\n" + r.output
    rep = check(probe_report.parse(r.output), data, APPEND, MEMORY_MB,
                2 if el2 else 1)
    assert rep["psci"]["method"] == ("smc" if el2 else "hvc")
    # QEMU hands out its own seeds.
    assert rep["seeds"]["kaslr_nonzero"] == 1


@pytest.fixture(scope="module")
def guest(built, initrd, tmp_path_factory):
    return arm64lib.Guest(str(tmp_path_factory.mktemp("probe64guest")),
                          kjump=built,
                          extra_files={"boot/probe.Image": PROBE,
                                       "boot/probe-initrd.bin": initrd[0]})


def test_kexec_tools_loads_probe(guest, initrd):
    """The reference peer: Debian's arm64 kexec-tools (kexec_load and its
    own purgatory) from the cloud kernel."""
    r = guest.run("probe-arm64-kexec-tools", """
kexec-tools -l /boot/probe.Image --initrd=/boot/probe-initrd.bin --append='%s'
echo "KJ-LOAD rc=$?"
kexec-tools -e
""" % APPEND, memory=GUEST_MB)
    assert vmlib.said(r, "KJ-LOAD") == ["0"]
    check(probe_report.parse(r.output), initrd[1], APPEND, GUEST_MB, 1)


def test_kjump_loads_probe(guest, initrd):
    """kjump: the arm64 Image placement, our device tree and our
    purgatory hand the probe the same as the references, plus fresh
    seeds, at the addresses kjump's plan names."""
    r = guest.run("probe-arm64-kjump", """
kjump load /boot/probe.Image --initrd /boot/probe-initrd.bin --append '%s' \
    --console-serial --verbose
echo "KJ-LOAD rc=$?"
kjump exec
""" % APPEND, memory=GUEST_MB)
    assert vmlib.said(r, "KJ-LOAD") == ["0"]
    assert "kjump purgatory: segment 2 ok" in r.output
    rep = check(probe_report.parse(r.output), initrd[1], APPEND, GUEST_MB,
                1)
    # The load step's 32 random bytes: 8 for kaslr-seed, the rest for
    # rng-seed.
    seeds = rep["seeds"]
    assert seeds["kaslr_nonzero"] == 1 and seeds["rng_seed_len"] == 32 - 8
    segs = arm64lib.plan_segments(r.output)
    pc, x0 = arm64lib.plan_then(r.output)
    assert rep["self"]["start"] == segs["kernel"][0] == pc
    assert rep["dtb"]["addr"] == segs["dtb"][0] == x0
    assert rep.initrd["start"] == segs["initrd"][0]
