"""Plain ELF kernels (no Multiboot header) through kjump's kexec_load
path: the Debian cloud kernel's own vmlinux (ELF64, entered in 64-bit
mode with RSI = boot_params) and the probe with its Multiboot header
wiped (ELF32, entered in 32-bit protected mode with nothing in EAX/EBX).
Each test asserts on what the kexec'd kernel printed."""
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import probe_report  # noqa: E402
import vmlib  # noqa: E402
from vmlib import said


def vmlinux_of(bzimage):
    """The ELF inside a bzImage: its payload, decompressed with the
    matching command line tool (Debian's kernels use LZ4)."""
    data = Path(bzimage).read_bytes()
    setup = (data[0x1f1] or 4) + 1
    off, length = struct.unpack_from("<II", data, 0x248)
    payload = data[setup * 512 + off:setup * 512 + off + length]
    tools = {b"\x02\x21\x4c\x18": ["lz4", "-dc"],
             b"\xfd7zXZ": ["xz", "-dc"], b"\x1f\x8b": ["gzip", "-dc"],
             b"\x28\xb5\x2f\xfd": ["zstd", "-dc"]}
    for magic, cmd in tools.items():
        if payload.startswith(magic):
            if not shutil.which(cmd[0]):
                pytest.skip("%s not installed" % cmd[0])
            out = subprocess.run(cmd, input=payload, capture_output=True)
            if out.stdout[:4] == b"\x7fELF":
                return out.stdout
    pytest.skip("cannot unpack the kernel's payload")


def test_vmlinux_elf64_args_linux(guest):
    vmlinux = vmlinux_of(guest.kernel)
    r = guest.run("elf-vmlinux", """
kjump inspect /boot/vmlinux
kjump load /boot/vmlinux --syscall load --initrd /boot/stage2.cpio.gz \
    --append "console=ttyS0 quiet panic=-1 kj_stage=2 scenario=vmlinux"
echo "LOAD rc=$?"
kjump exec
""", timeout=150, memory=1536, extra_files={"boot/vmlinux": vmlinux})
    assert said(r, "LOAD") == ["0"]
    # inspect: an ELF64 for x86_64 (EM_X86_64 = 62), entry at 16 MiB.
    assert re.search(r"^class +64$", r.output, re.M)
    assert re.search(r"^machine +62$", r.output, re.M)
    assert re.search(r"^entry +0x1000000 \(physical\)$", r.output, re.M)
    cmd = r.lines("KJ-SECOND-CMDLINE")
    assert cmd and "scenario=vmlinux" in cmd[-1], \
        "the vmlinux never reached its initrd (see %s)" % r.log
    assert "stage2" in r.lines("KJ-MARKER")


def test_elf32_plain(guest):
    data = bytearray((Path(vmlib.BUILD) / "probe" / "probe.elf").read_bytes())
    at = data.find(struct.pack("<I", 0x1BADB002))
    data[at:at + 4] = b"\0\0\0\0"
    r = guest.run("elf-elf32", """
kjump load /boot/plain.elf --syscall load --args-none
echo "LOAD rc=$?"
kjump exec
""", timeout=60, extra_files={"boot/plain.elf": bytes(data)})
    assert said(r, "LOAD") == ["0"]
    rep = probe_report.parse(r.output)
    assert rep.complete, "no probe report (see %s)" % r.log
    # No Multiboot: EAX holds no magic, so the probe reads nothing more.
    assert rep["entry"]["magic"] == 0
    assert rep.errors == ["bad_magic"]
    cpu = rep["cpu"]
    assert cpu["cr0"] & 1 and not cpu["cr0"] & 0x80000000
    assert rep["self"]["bss_clean"] == 1
