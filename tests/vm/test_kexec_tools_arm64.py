"""Debian's arm64 kexec-tools kexecs Debian's arm64 cloud kernel into
itself under qemu-system-aarch64 -M virt (TCG): the proof that arm64
kexec works here, and the reference the arm64 kjump is measured against.
The cloud kernel has CONFIG_KEXEC but not CONFIG_KEXEC_FILE, so this is
kexec_load with kexec-tools' own purgatory (which hashes with the MMU
off; -i skips it). Run: /usr/bin/python3 -m pytest tests/vm/test_kexec_tools_arm64.py
"""
import pytest

import arm64lib
import vmlib

CMDLINE = "console=ttyAMA0 quiet kj_stage=2 panic=-1"


@pytest.fixture(scope="module")
def guest(tmp_path_factory):
    return arm64lib.Guest(str(tmp_path_factory.mktemp("a64kt")))


@pytest.mark.parametrize("checks,uefi", [(True, False), (False, False),
                                         (True, True)])
def test_kexec_tools_kexecs_the_cloud_kernel(guest, checks, uefi, capsys):
    name = "a64-kexec-tools%s%s" % ("" if checks else "-i",
                                    "-uefi" if uefi else "")
    r = guest.run(name, """
echo "KJ-T-LOAD-START"
kexec %s -l /boot/vmlinuz --initrd=/boot/stage2.cpio.gz --append="%s"
echo "KJ-LOAD rc=$?"
kexec -e
echo "KJ-EXEC rc=$?"
""" % ("" if checks else "-i", CMDLINE), uefi=uefi, timeout=240)
    assert vmlib.said(r, "KJ-LOAD") == ["0"], r.output[-2000:]
    assert vmlib.second_cmdline(r) == CMDLINE
    assert "KJ-MARKER stage2" in r.output
    assert r.lines("KJ-SECOND-KERNEL")[-1].endswith("-cloud-arm64")
    if uefi:
        assert r.lines("KJ-SECOND-EFI")[-1] == "yes"
        assert r.lines("KJ-SECOND-ACPI")[-1] == "yes"
    boot = r.when("KJ-FIRST-START")
    t0 = r.when("KJ-LOAD rc=")
    t1 = r.when("KJ-SECOND-CMDLINE")
    with capsys.disabled():
        print("\n%s: first kernel to /init %.1f s, kexec -e to the second "
              "kernel's /init %.1f s, %.1f s in all"
              % (name, boot, t1 - t0, r.seconds))
