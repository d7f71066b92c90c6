"""UKIs and EFI zboot images built from Debian parts, unwrapped by kjump's
src/image code (through the test tool build/tests/tools/kj-unwrap, and
`kjump inspect`, which the load step's unwrapping shares): the kernel
that comes out is byte for byte the Debian kernel that went in, the
initrd is .ucode + .initrd as systemd-stub joins them, the command line
is trimmed as systemd-stub trims it, and the selected profile's sections
win. No QEMU here; the boots through kexec are test_uki_boot.py.
"""
import hashlib
import json
import os
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import images  # noqa: E402
import vmlib  # noqa: E402

TOOL = os.path.join(vmlib.BUILD, "tests", "tools", "kj-unwrap")


@pytest.fixture(scope="module", autouse=True)
def tool():
    vmlib.make("test-tools")


@pytest.fixture(scope="module")
def vmlinuz(cloud_kernel):
    with open(cloud_kernel, "rb") as f:
        return f.read()


def unwrap(path, tmp_path, *args):
    """(report dict, kernel bytes, initrd bytes) from kj-unwrap."""
    k, i = tmp_path / "k.out", tmp_path / "i.out"
    p = subprocess.run([TOOL, str(path), "--json", "--kernel-out", str(k),
                        "--initrd-out", str(i)] + list(args),
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout), k.read_bytes(), i.read_bytes()


def unwrap_error(path, *args):
    p = subprocess.run([TOOL, str(path)] + list(args), capture_output=True,
                       text=True)
    assert p.returncode == 1
    return p.stderr.strip()


def sha(b):
    return hashlib.sha256(b).hexdigest()


@pytest.mark.skipif(not os.path.exists(images.STUB),
                    reason="systemd-boot-efi not installed")
def test_uki_from_debian_parts(tmp_path, vmlinuz):
    initrd = vmlib.stage2_initrd("uki")
    ucode = b"\x30\x37\x30\x37\x30\x31" + b"U" * 1001  # odd length: padded
    osrel = b'ID=debian\nVERSION_ID=12\nPRETTY_NAME="kjump test UKI"\n'
    uki = images.make_uki(str(tmp_path / "test.efi"), [
        (".osrel", osrel),
        (".cmdline", b"  console=ttyS0\tpanic=-1 kj_stage=2 \n"),
        (".uname", b"6.1.0-57-cloud-amd64"),
        (".ucode", ucode),
        (".initrd", initrd),
        (".linux", vmlinuz),
    ])
    rep, kernel, ird = unwrap(uki, tmp_path)
    assert rep["wrapper"] == "UKI"
    u = rep["uki"]
    names = [s["name"] for s in u["sections"]]
    # Debian's stub sections, untouched, then ours in order.
    assert names[:2] == [".text", ".reloc"] and ".sdmagic" in names
    assert names[-6:] == [".osrel", ".cmdline", ".uname", ".ucode",
                          ".initrd", ".linux"]
    assert u["machine"] == "x86_64" and u["profiles"] == 0
    assert u["cmdline"] == "console=ttyS0 panic=-1 kj_stage=2"
    assert u["uname"] == "6.1.0-57-cloud-amd64"
    assert u["osrel"] == osrel.decode()
    assert rep["kernel_size"] == len(vmlinuz)
    assert sha(kernel) == sha(vmlinuz)
    assert ird == images.align4(ucode) + images.align4(initrd)


@pytest.mark.skipif(not os.path.exists(images.STUB),
                    reason="systemd-boot-efi not installed")
def test_uki_profiles(tmp_path, vmlinuz):
    base_initrd = vmlib.marker_initrd("base")
    uki = images.make_uki(str(tmp_path / "multi.efi"), [
        (".linux", vmlinuz),
        (".cmdline", b"profile=base"),
        (".initrd", base_initrd),
        (".profile", b"ID=default\nTITLE=Default"),
        (".profile", b"ID=rescue\nTITLE=Rescue"),
        (".cmdline", b"profile=rescue systemd.unit=rescue.target"),
        (".profile", b"ID=alt"),
        (".initrd", vmlib.marker_initrd("alt")),
    ])
    rep, kernel, ird = unwrap(uki, tmp_path)  # profile 0: the default
    assert rep["uki"]["profiles"] == 3 and rep["uki"]["profile"] == 0
    assert rep["uki"]["cmdline"] == "profile=base"
    assert rep["uki"]["profile_info"] == "ID=default\nTITLE=Default"
    assert sha(kernel) == sha(vmlinuz) and ird == base_initrd
    rep, _, ird = unwrap(uki, tmp_path, "--profile", "1")
    assert rep["uki"]["cmdline"] == \
        "profile=rescue systemd.unit=rescue.target"
    assert ird == base_initrd
    rep, _, ird = unwrap(uki, tmp_path, "--profile", "2")
    assert rep["uki"]["cmdline"] == "profile=base"
    assert ird == vmlib.marker_initrd("alt")
    assert unwrap_error(uki, "--profile", "3") == \
        "kj-unwrap: %s: UKI has no profile 3 (it has 3)" % uki


@pytest.mark.parametrize("comp", ["gzip", "xzkern", "zstd22"])
def test_zboot_wrapped_debian_kernel(tmp_path, vmlinuz, comp):
    img = images.make_zboot(str(tmp_path / ("vmlinuz." + comp)), vmlinuz,
                            comp, machine="x86_64")
    rep, kernel, ird = unwrap(img, tmp_path)
    assert rep["wrapper"] == "zboot"
    assert rep["zboot"]["compression"] == comp
    assert rep["zboot"]["machine"] == "x86_64"
    assert rep["zboot"]["payload_offset"] == 0x2000
    assert rep["kernel_size"] == len(vmlinuz)
    assert sha(kernel) == sha(vmlinuz) and ird == b""


def test_zboot_lz4_refused_by_name(tmp_path):
    if not vmlib.have("lz4"):
        pytest.skip("lz4 not installed")
    img = images.make_zboot(str(tmp_path / "lz4.efi"), b"x" * 5000, "lz4")
    assert unwrap_error(img) == (
        "kj-unwrap: %s: EFI zboot payload is lz4-compressed, which kjump "
        "cannot unpack (gzip, xz and zstd only)" % img)


@pytest.mark.skipif(not os.path.exists(images.STUB),
                    reason="systemd-boot-efi not installed")
def test_uki_with_zboot_linux(tmp_path, vmlinuz):
    """How arm64 UKIs carry a zboot kernel: one more level unwrapped."""
    z = images.make_zboot(str(tmp_path / "z.efi"), vmlinuz, "zstd22",
                          machine="x86_64")
    with open(z, "rb") as f:
        zdata = f.read()
    uki = images.make_uki(str(tmp_path / "nested.efi"), [
        (".cmdline", b"nested=1"), (".linux", zdata)])
    rep, kernel, _ = unwrap(uki, tmp_path)
    assert rep["wrapper"] == "UKI" and rep["zboot"]["compression"] == \
        "zstd22"
    assert rep["uki"]["cmdline"] == "nested=1"
    assert sha(kernel) == sha(vmlinuz)


@pytest.mark.skipif(not os.path.exists(images.STUB),
                    reason="systemd-boot-efi not installed")
def test_inspect_shows_wrapper_then_kernel(tmp_path, vmlinuz):
    """kjump inspect: the wrapper's fields, then the kernel inside as its
    loader reports it (here the bzImage's setup header)."""
    vmlib.make()
    kjump = os.path.join(vmlib.BUILD, "kjump")
    uki = images.make_uki(str(tmp_path / "i.efi"), [
        (".cmdline", b"inspect=1"), (".linux", vmlinuz)])
    p = subprocess.run([kjump, "inspect", uki, "--json"],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    rep = json.loads(p.stdout)
    assert rep["wrapper"] == "UKI" and rep["uki"]["cmdline"] == "inspect=1"
    assert rep["format"] == "bzImage" and rep["size"] == len(vmlinuz)
    assert rep["kernel_version"].startswith("6.1.0-")
    z = images.make_zboot(str(tmp_path / "z.efi"), vmlinuz, "gzip",
                          machine="x86_64")
    p = subprocess.run([kjump, "inspect", z], capture_output=True,
                       text=True)
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert lines[2].startswith("wrapper             EFI zboot (x86_64)")
    assert "format              bzImage" in lines
