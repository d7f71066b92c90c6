"""kjump itself on arm64: build/arm64/kjump (and `kexec`, a symlink to it)
in Debian's arm64 cloud kernel under qemu-system-aarch64 -M virt (TCG).
That kernel has no kexec_file_load, so every load is kexec_load with our
device tree and purgatory. Each scenario asserts on what the second
kernel printed (or on the purgatory refusing).
Run: /usr/bin/python3 -m pytest -v tests/vm/test_kjump_arm64.py
"""
import gzip
import re

import pytest

import arm64lib
import vmlib
from vmlib import said, second_cmdline

SECOND = "console=ttyAMA0 quiet panic=-1 kj_stage=2"
INITRD = "/boot/stage2.cpio.gz"


@pytest.fixture(scope="module")
def guest(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("a64kjump")
    kernel = arm64lib.kernel()
    with open(kernel, "rb") as f:
        gz = workdir / "vmlinuz.gz"
        gz.write_bytes(gzip.compress(f.read(), compresslevel=1, mtime=0))
    return arm64lib.Guest(str(workdir), kjump=arm64lib.kjump(),
                          with_kexec_tools=False,
                          extra_files={"boot/vmlinuz.gz": str(gz)})


def assert_second(r, scenario):
    """The second kernel booted with our command line and initrd, and
    took the device tree's fresh seeds and initrd range."""
    assert "scenario=%s" % scenario in second_cmdline(r).split()
    assert "KJ-MARKER stage2" in r.output
    chosen = r.lines("KJ-SECOND-CHOSEN")[-1].split()
    assert "linux,initrd-start" in chosen and "kaslr-seed" in chosen
    return r


def timing(r, start):
    t0, t1 = r.when(start), r.when("KJ-SECOND-CMDLINE")
    assert t0 is not None and t1 is not None
    return t1 - t0


@pytest.mark.parametrize("image", ["vmlinuz", "vmlinuz.gz"])
def test_load_exec(guest, image, capsys):
    """kjump load + exec: the Image as Debian ships it, and gzip'd."""
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
    assert_second(r, name)
    with capsys.disabled():
        print("\n%s: exec to the second kernel's /init %.1f s, %.1f s in all"
              % (name, timing(r, "EXEC-NOW"), r.seconds))
