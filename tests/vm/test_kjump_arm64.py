"""kjump itself on arm64, the boots: build/arm64/kjump (and `kexec`, a
symlink to it) in Debian's arm64 cloud kernel under qemu-system-aarch64
-M virt (TCG). That kernel has no kexec_file_load, so every load is
kexec_load with our device tree and purgatory. Each scenario asserts on
what the second kernel printed. (test_kjump_arm64_checks.py: the
purgatory's checks and progress, crash kernels, status and dry runs.)
Run: /usr/bin/python3 -m pytest -v tests/vm/test_kjump_arm64.py
"""
import gzip
import os
import re
import subprocess

import pytest

import arm64lib
import vmlib
from arm64lib import SECOND
from vmlib import said, second_cmdline

INITRD = "/boot/stage2.cpio.gz"
DT_TEST = "from-dtb-file"


def modified_dtb(workdir):
    """QEMU virt's own tree for the guest's machine (dumpdtb), with a
    root property no running tree has."""
    raw, dts, out = (os.path.join(workdir, n)
                     for n in ("virt.dtb", "virt.dts", "test.dtb"))
    subprocess.run(["qemu-system-aarch64", "-M", "virt,dumpdtb=" + raw,
                    "-cpu", vmlib.AARCH64_CPU, "-m", "1024", "-smp", "1",
                    "-nographic", "-nodefaults"], check=True,
                   capture_output=True, timeout=60)
    subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", "-o", dts, raw],
                   check=True)
    with open(dts) as f:
        text = f.read()
    text = text.replace("/ {\n", '/ {\n\tkjump,test = "%s";\n' % DT_TEST, 1)
    with open(dts, "w") as f:
        f.write(text)
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", out, dts],
                   check=True)
    return out


@pytest.fixture(scope="module")
def guest(tmp_path_factory):
    workdir = str(tmp_path_factory.mktemp("a64kjump"))
    kernel = arm64lib.kernel()
    gz = os.path.join(workdir, "vmlinuz.gz")
    with open(kernel, "rb") as f, open(gz, "wb") as out:
        out.write(gzip.compress(f.read(), compresslevel=1, mtime=0))
    return arm64lib.Guest(workdir, kjump=arm64lib.kjump(),
                          with_kexec_tools=False,
                          extra_files={"boot/vmlinuz.gz": gz,
                                       "boot/test.dtb":
                                       modified_dtb(workdir)})


def assert_second(r, scenario, acpi=False):
    """The second kernel booted with our command line and initrd, and
    took the device tree's fresh seeds and initrd range (with ACPI it has
    no /proc/device-tree to show them)."""
    assert "scenario=%s" % scenario in second_cmdline(r).split()
    assert "KJ-MARKER stage2" in r.output
    chosen = r.lines("KJ-SECOND-CHOSEN")
    if acpi:
        return r
    assert chosen, "the second kernel showed no /chosen (see %s)" % r.log
    assert "linux,initrd-start" in chosen[-1].split()
    assert "kaslr-seed" in chosen[-1].split()
    return r


def report(capsys, name, r, start="EXEC-NOW"):
    t0, t1 = r.when(start), r.when("KJ-SECOND-CMDLINE")
    with capsys.disabled():
        print("\n%s: exec to the second kernel's /init %s s, %.1f s in all"
              % (name, "%.1f" % (t1 - t0) if t0 and t1 else "?", r.seconds))


@pytest.mark.parametrize("image", ["vmlinuz", "vmlinuz.gz"])
def test_load_exec(guest, image, capsys):
    """kjump load + exec: the Image as Debian ships it, and gzip'd (the
    load step unpacks it)."""
    name = image.replace(".", "-")
    r = guest.run("a64-kjump-" + name, f"""
kjump load /boot/{image} --initrd {INITRD} --append "{SECOND} scenario={name}"
echo "LOAD rc=$?"
kjump status; echo "STATUS rc=$?"
echo "EXEC-NOW"
kjump exec
""", timeout=180)
    assert said(r, "LOAD") == ["0"], r.output[-2000:]
    assert said(r, "STATUS") == ["0"]
    assert r.lines("kexec_loaded") == ["1"]
    assert_second(r, name)
    assert r.lines("KJ-SECOND-KERNEL")[-1].endswith("-cloud-arm64")
    report(capsys, name, r)


def test_kexec_spelling(guest, capsys):
    """kexec-tools' spelling: -l with --initrd= --append=, then -e; -i
    (no checks) and its arm64 --serial=TTY: the purgatory announces
    itself and the jump, and verifies nothing."""
    r = guest.run("a64-kjump-kexec", f"""
kexec -i -l /boot/vmlinuz --initrd={INITRD} --serial=ttyAMA0 \
    --append="{SECOND} scenario=kexec"
echo "LOAD rc=$?"
echo "EXEC-NOW"
kexec -e
""", timeout=180)
    assert said(r, "LOAD") == ["0"]
    assert_second(r, "kexec")
    assert re.search(r"^kjump purgatory: running at 0x[0-9a-f]+, EL1$",
                     r.output, re.M)
    assert "kjump purgatory: verifying" not in r.output
    assert re.search(r"^kjump purgatory: entering 0x[0-9a-f]+ \(arm64 "
                     r"linux, EL1\) x0=0x[0-9a-f]+ x1=0x0 x2=0x0 x3=0x0$",
                     r.output, re.M)
    report(capsys, "kexec -i", r)


def test_generic_kernel(guest, capsys):
    """Debian's generic arm64 kernel (linux-image-arm64) as the second
    kernel, from the cloud one."""
    generic = arm64lib.generic_kernel()
    with open(generic, "rb") as f:
        data = f.read()
    r = guest.run("a64-kjump-generic", f"""
kjump load /boot/generic --initrd {INITRD} --append "{SECOND} scenario=generic"
echo "LOAD rc=$?"
echo "EXEC-NOW"
kjump exec
""", extra_files={"boot/generic": data}, timeout=300)
    assert said(r, "LOAD") == ["0"]
    assert_second(r, "generic")
    release = os.path.basename(generic)[len("vmlinuz-"):]
    assert r.lines("KJ-SECOND-KERNEL") == [release]
    assert release.endswith("-arm64") and "cloud" not in release
    report(capsys, "generic", r)


def test_uefi_acpi(guest, capsys):
    """Under UEFI (AAVMF) with ACPI: the running tree is the EFI stub's
    (/chosen only); the second kernel still finds EFI and the ACPI
    tables through the UEFI properties our tree kept. A bare
    --console-serial finds the UART in the ACPI SPCR table (the tree
    has no stdout-path)."""
    r = guest.run("a64-kjump-uefi", f"""
echo "KJ-FIRST-EFI $(ls /sys/firmware/efi/systab)"
kjump load /boot/vmlinuz --initrd {INITRD} --console-serial \
    --append "{SECOND} scenario=uefi"
echo "LOAD rc=$?"
echo "EXEC-NOW"
kjump exec
""", uefi=True, timeout=300)
    assert r.lines("KJ-FIRST-EFI") == ["/sys/firmware/efi/systab"]
    assert said(r, "LOAD") == ["0"]
    assert_second(r, "uefi", acpi=True)
    assert r.lines("KJ-SECOND-EFI")[-1] == "yes"
    assert r.lines("KJ-SECOND-ACPI")[-1] == "yes"
    # The progress lines came out of the PL011 that SPCR names.
    assert re.search(r"^kjump purgatory: verified \d+ MiB in \d+ ms",
                     r.output, re.M)
    report(capsys, "uefi", r)


def test_dtb_file(guest, capsys):
    """--dtb FILE (kexec-tools' meaning: the tree to start from): a
    property only that file has reaches /proc/device-tree, with our
    /chosen edits on top."""
    r = guest.run("a64-kjump-dtb", f"""
[ -e /proc/device-tree/kjump,test ] && echo "KJ-FIRST-DT-TEST present"
kjump load /boot/vmlinuz --dtb /boot/test.dtb --initrd {INITRD} \
    --append "{SECOND} scenario=dtb"
echo "LOAD rc=$?"
echo "EXEC-NOW"
kjump exec
""", timeout=180)
    assert not r.lines("KJ-FIRST-DT-TEST")
    assert said(r, "LOAD") == ["0"]
    assert_second(r, "dtb")
    assert r.lines("KJ-SECOND-DT-TEST") == [DT_TEST]
    report(capsys, "dtb", r)
