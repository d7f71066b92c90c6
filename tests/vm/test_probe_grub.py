"""GRUB's own Multiboot 2 loader hands the probe its boot information.

The reference peer for kjump's Multiboot 2 loader: Debian's GRUB
(grub-pc-bin for BIOS, grub-efi-amd64-bin for EFI) on an ISO made with
grub-mkrescue, whose grub.cfg does `multiboot2 /probe-mb2.elf ...` and
two `module2` lines, booted under SeaBIOS and under OVMF. The probe
prints every tag it gets; these tests pin down what GRUB 2.06 hands over
(which tags, in which order, with which meaning). kjump's loader must
hand the same tags with the same meaning (addresses may differ):
GRUB_TAGS below is that reference.

Serial logs: build/vm-logs/test_grub_mb2_<firmware>.log.
"""
import os
import random
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import probe_report  # noqa: E402
import vmlib  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
PROBE = ROOT / "build" / "probe" / "probe-mb2.elf"
LOGS = ROOT / "build" / "vm-logs"
OVMF = "/usr/share/ovmf/OVMF.fd"
TIMEOUT = 120

# What GRUB 2.06-13+deb12u2 hands over, tag types in order (probe/README.md
# "GRUB's Multiboot 2 handover"): load base, cmdline, boot loader name,
# [APM], modules, memory map, ELF sections, basic meminfo, then BIOS:
# boot device, EGA text framebuffer, ACPI old RSDP; EFI: EFI 64-bit
# system table, ACPI old and new RSDP, EFI memory map; end.
GRUB_TAGS = {
    "seabios": [21, 1, 2, 10, 3, 3, 6, 9, 4, 5, 8, 14, 0],
    "ovmf": [21, 1, 2, 3, 3, 6, 9, 4, 12, 14, 15, 17, 0],
}

GRUB_CFG = """set timeout=0
serial --unit=0 --speed=115200
terminal_input serial
terminal_output serial
menuentry probe {
	multiboot2 /probe-mb2.elf foo=bar baz
	module2 /modA arg1 arg2
	module2 /modB
	boot
}
"""


@pytest.fixture(scope="module")
def iso(tmp_path_factory):
    """One ISO for both firmwares (grub-mkrescue puts in every platform
    installed: i386-pc always, x86_64-efi when grub-efi-amd64-bin is)."""
    for tool in ("grub-mkrescue", "xorriso", "mformat"):
        if subprocess.run(["which", tool], capture_output=True).returncode:
            pytest.skip("%s not installed" % tool)
    vmlib.make("probe")
    d = tmp_path_factory.mktemp("grub-mb2")
    src = d / "iso"
    (src / "boot" / "grub").mkdir(parents=True)
    (src / "boot" / "grub" / "grub.cfg").write_text(GRUB_CFG)
    (src / "probe-mb2.elf").write_bytes(PROBE.read_bytes())
    rng = random.Random(2024)
    mods = {}
    for name, size in (("modA", 5000), ("modB", 12345)):
        data = bytes(rng.getrandbits(8) for _ in range(size))
        (src / name).write_bytes(data)
        mods[name] = data
    out = d / "grub.iso"
    subprocess.run(["grub-mkrescue", "-o", str(out), str(src)], check=True,
                   capture_output=True)
    return out, mods


def boot(iso_path, firmware):
    LOGS.mkdir(parents=True, exist_ok=True)
    log = LOGS / ("test_grub_mb2_%s.log" % firmware)
    if log.exists():
        log.unlink()
    cmd = ["qemu-system-x86_64", "-accel", "tcg", "-m", "512",
           "-display", "none", "-monitor", "none", "-no-reboot",
           "-cdrom", str(iso_path), "-serial", "file:%s" % log,
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    if firmware == "ovmf":
        cmd += ["-bios", OVMF]
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail("QEMU did not exit in %d s, log %s" % (TIMEOUT, log))
    return p.returncode, probe_report.parse(log.read_bytes())


def check_common(rc, rep, mods):
    assert rc == probe_report.QEMU_EXIT_OK, "QEMU exit %d" % rc
    assert rep.complete and rep.errors == []
    assert rep.magic == probe_report.MAGIC2_OK
    assert rep["mbi2"]["addr"] % 8 == 0
    assert rep["mbi2"]["reserved"] == 0
    # Multiboot 2 state: protected mode, no paging, IF clear, flat
    # segments (GRUB uses 0x10 code, 0x18 data).
    cpu = rep["cpu"]
    assert cpu["cr0"] & 1 and not cpu["cr0"] & 0x80000000
    assert not cpu["eflags"] & 0x200
    assert cpu["cs"] == 0x10 and cpu["ds"] == 0x18
    assert rep["self"]["variant"] == "mb2" and rep["self"]["bss_clean"] == 1
    # Strings: the kernel's and each module's arguments, without paths.
    assert rep.cmdline == "foo=bar baz"
    assert rep.boot_loader_name.startswith("GRUB 2.06")
    ms = rep.modules
    assert [m["cmdline"] for m in ms] == ["arg1 arg2", ""]
    for m, name in zip(ms, ("modA", "modB")):
        assert m["size"] == len(mods[name]) == m["end"] - m["start"]
        assert m["crc32"] == zlib.crc32(mods[name])
        assert m["start"] % 4096 == 0  # module alignment tag
    # The relocatable tag's window is the link address: GRUB puts the
    # image there and says so.
    assert rep["load_base"]["addr"] == rep["self"]["start"] == 0x100000
    table = rep["mmap_table"]
    assert table["entry_size"] == 24 and table["entry_version"] == 0
    assert table["count"] == len(rep.mmap)
    assert 500 << 20 <= rep.ram_bytes() <= 512 << 20
    assert rep["elf_sections"]["entsize"] == 40
    old = rep["acpi_old"]
    assert old["size"] == 20 and old["signature_ok"] == 1
    assert old["checksum_ok"] == 1 and old["revision"] == 0


def test_grub_mb2_seabios(iso):
    iso_path, mods = iso
    rc, rep = boot(iso_path, "seabios")
    check_common(rc, rep, mods)
    assert rep.tag_types == GRUB_TAGS["seabios"]
    assert rep["mem"]["lower"] == 639
    assert rep["mem"]["upper"] >= 500 << 10
    # BIOS text console as an EGA text framebuffer.
    fb = rep["framebuffer"]
    assert (fb["addr"], fb["type"], fb["width"], fb["height"],
            fb["bpp"], fb["pitch"]) == (0xB8000, 2, 80, 25, 16, 160)
    assert rep["boot_device"]["biosdev"] == 0xE0  # the CD drive
    assert rep["apm"]["version"] >= 0x0100


def test_grub_mb2_ovmf(iso):
    if not os.path.exists(OVMF):
        pytest.skip("ovmf not installed")
    if not os.path.isdir("/usr/lib/grub/x86_64-efi"):
        pytest.skip("grub-efi-amd64-bin not installed")
    iso_path, mods = iso
    rc, rep = boot(iso_path, "ovmf")
    check_common(rc, rep, mods)
    assert rep.tag_types == GRUB_TAGS["ovmf"]
    assert rep["mem"]["lower"] == 640
    assert rep["efi64"]["pointer"] != 0
    new = rep["acpi_new"]
    assert new["size"] == 36 and new["revision"] == 2
    assert new["checksum_ok"] == 1 and new["ext_checksum_ok"] == 1
    assert new["length"] == 36 and new["xsdt"] != 0
    efi = rep["efi_mmap"]
    assert efi["desc_size"] >= 40 and efi["desc_version"] == 1
    assert efi["size"] > 0 and efi["size"] % efi["desc_size"] == 0
    assert "framebuffer" not in rep  # no video mode set: nothing to pass
    # GRUB's EFI path leaves firmware state the spec does not forbid.
    assert rep["cpu"]["efer"] & 0x800  # NXE
