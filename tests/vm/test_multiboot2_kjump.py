"""kjump's Multiboot 2 loader against GRUB's, on the same probe.

The probe (probe-mb2.elf) is kexec'd by kjump with the arguments and
modules test_probe_grub.py gives GRUB, from the Debian cloud kernel
booted under SeaBIOS and under OVMF; the report must carry the same tags
with the same meaning as GRUB's handover under the same firmware
(GRUB_TAGS; addresses may differ). Tags kjump cannot hand over are
listed in NOT_FROM_KJUMP, each with why; the one it passes and GRUB 2.06
does not is in EXTRA_FROM_KJUMP. Where kjump passes firmware bytes, the
test compares them with what the first kernel saw.

One deliberate difference in meaning: GRUB's strings are the arguments
only, kjump's are "PATH ARGS" (the kernel's and each module's), as
kexec-tools' and kjump's own Multiboot 1 loaders give them: Xen drops the
first word of both unless the boot loader calls itself GRUB 2, so
GRUB's form would cost Xen its first argument (test_multiboot2_xen.py).

Logs: build/vm-logs/mb2-kjump-probe-{seabios,ovmf}.log.
"""
import os
import random
import sys
import zlib

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import probe_report  # noqa: E402
import vmlib  # noqa: E402
from test_probe_grub import GRUB_TAGS  # noqa: E402

PROBE = os.path.join(vmlib.BUILD, "probe", "probe-mb2.elf")
OVMF = "/usr/share/ovmf/OVMF.fd"

# What GRUB gives and kjump does not, and why.
NOT_FROM_KJUMP = {
    "seabios": {
        5: "BIOS boot device: unknown after kexec (no BIOS disk was "
           "booted)",
        8: "framebuffer: passed only when the header asks (this one "
           "does not) and the console is a linear framebuffer (here an "
           "EGA text console)",
        9: "ELF sections: kjump does not load section headers",
        10: "APM: a BIOS interface kjump cannot query from Linux",
    },
    "ovmf": {
        9: "ELF sections: kjump does not load section headers",
        14: "ACPI old RSDP: its bytes sit in 'ACPI Tables', which "
            "/dev/mem refuses (IO_STRICT_DEVMEM) unless iomem=relaxed",
        15: "ACPI new RSDP: the same",
    },
}
# What kjump gives and GRUB 2.06 does not.
EXTRA_FROM_KJUMP = {13: "SMBIOS: the tables the running kernel exports "
                        "(/sys/firmware/dmi/tables); GRUB passes none"}

FIRMWARE = r"""
echo "FW-DMI $(wc -c </sys/firmware/dmi/tables/DMI)"
echo "FW-DMI-FIRST $(od -An -tu1 -N1 /sys/firmware/dmi/tables/DMI | tr -d ' ')"
echo "FW-SMBIOS-ENTRY $(od -An -c -N5 /sys/firmware/dmi/tables/smbios_entry_point | tr -d ' ')"
echo "FW-EFI-SYSTAB $(od -An -tx4 -j 452 -N 4 /sys/kernel/boot_params/data | tr -d ' ')"
echo "FW-EFI-RUNTIME $(ls /sys/firmware/efi/runtime-map 2>/dev/null | wc -l)"
"""


@pytest.fixture(scope="module", autouse=True)
def probe(kjump_static):
    vmlib.make("probe")


@pytest.fixture(scope="module")
def mods():
    rng = random.Random(2024)
    return {n: bytes(rng.getrandbits(8) for _ in range(s))
            for n, s in (("modA", 5000), ("modB", 12345))}


def first(result, key):
    lines = result.lines(key)
    assert lines, "no %s line (see %s)" % (key, result.log)
    return lines[0]


def boot(guest, firmware, mods):
    files = dict(mods)
    with open(PROBE, "rb") as f:
        files["probe-mb2.elf"] = f.read()
    extra = ["-bios", OVMF] if firmware == "ovmf" else []
    r = guest.run("mb2-kjump-probe-" + firmware, FIRMWARE + """
cd /
kjump load probe-mb2.elf --type multiboot2 --append "foo=bar baz" \\
    --module "/modA arg1 arg2" --module "/modB" --syscall load --verbose
echo "LOAD rc=$?"
kjump exec
""", timeout=150, extra_files=files, extra=extra)
    assert vmlib.said(r, "LOAD") == ["0"], r.log
    rep = probe_report.parse(r.output)
    assert rep.complete and rep.errors == [], r.log
    assert rep.magic == probe_report.MAGIC2_OK
    return r, rep


def check_like_grub(rep, firmware, mods):
    grub = GRUB_TAGS[firmware]
    got = [t for t in rep.tag_types if t not in EXTRA_FROM_KJUMP]
    # Every tag kjump gives, GRUB gives too, in the same order; what is
    # missing is listed with its reason.
    assert [t for t in grub if t in got] == got, (got, grub)
    assert set(grub) - set(got) == set(NOT_FROM_KJUMP[firmware]), \
        (got, grub)
    # Strings: "PATH ARGS" where GRUB gives "ARGS" (see above); modules
    # page aligned, in order.
    assert rep.cmdline == "probe-mb2.elf foo=bar baz"
    assert rep.boot_loader_name.startswith("kjump ")
    ms = rep.modules
    assert [m["cmdline"] for m in ms] == ["/modA arg1 arg2", "/modB"]
    for m, name in zip(ms, ("modA", "modB")):
        assert m["size"] == len(mods[name]) == m["end"] - m["start"]
        assert m["crc32"] == zlib.crc32(mods[name])
        assert m["start"] % 4096 == 0
    assert rep["load_base"]["addr"] == rep["self"]["start"] == 0x100000
    table = rep["mmap_table"]
    assert table["entry_size"] == 24 and table["entry_version"] == 0
    assert table["count"] == len(rep.mmap)
    cpu = rep["cpu"]
    assert cpu["cr0"] & 1 and not cpu["cr0"] & 0x80000000
    assert not cpu["eflags"] & 0x200
    assert cpu["cs"] == 0x10 and cpu["ds"] == 0x18


def check_smbios(rep, result):
    s = rep["smbios"]
    # The structure table the first kernel exports, byte count and first
    # structure type (SeaBIOS starts with type 0, OVMF with type 1); the
    # version from its entry point ("_SM_" 2.x here, "_SM3_" 3.x).
    assert s["size"] == int(first(result, "FW-DMI"))
    assert s["first_type"] == int(first(result, "FW-DMI-FIRST"))
    v3 = first(result, "FW-SMBIOS-ENTRY") == "_SM3_"
    assert s["major"] == (3 if v3 else 2)


def test_probe_mb2_like_grub_seabios(guest, mods):
    r, rep = boot(guest, "seabios", mods)
    check_like_grub(rep, "seabios", mods)
    assert rep["mem"]["lower"] == 639
    old = rep["acpi_old"]
    # SeaBIOS's revision 0 RSDP, copied from the BIOS area.
    assert (old["size"], old["signature_ok"], old["checksum_ok"],
            old["revision"]) == (20, 1, 1, 0)
    assert old["oem"] == "BOCHS " and old["rsdt"] != 0
    check_smbios(rep, r)


@pytest.mark.skipif(not os.path.exists(OVMF), reason="ovmf not installed")
def test_probe_mb2_like_grub_ovmf(guest, mods):
    r, rep = boot(guest, "ovmf", mods)
    check_like_grub(rep, "ovmf", mods)
    assert rep["mem"]["lower"] == 640
    # The running kernel's EFI system table and its runtime map (the
    # boot-services map is gone after Linux ran).
    assert rep["efi64"]["pointer"] == int(first(r, "FW-EFI-SYSTAB"), 16)
    efi = rep["efi_mmap"]
    assert efi["desc_size"] == 48 and efi["desc_version"] == 1
    assert efi["size"] == 48 * int(first(r, "FW-EFI-RUNTIME"))
    assert "Operation not permitted" in r.output  # the RSDPs, --verbose
    check_smbios(rep, r)
