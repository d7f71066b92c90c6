"""How user space on a running Linux gets the ACPI RSDP's bytes.

Multiboot 2 wants copies of the RSDP (tags 14 and 15), and Linux shows
no file holding them: /sys/firmware/acpi/tables has the tables the RSDP
leads to (FACP, DSDT, APIC, ...), not the RSDP nor the RSDT/XSDT. This
boots the Debian cloud kernel (CONFIG_STRICT_DEVMEM=y,
CONFIG_IO_STRICT_DEVMEM=y, no lockdown) under SeaBIOS and OVMF and has a
busybox script try every source; the assertions pin down what works, for
the arch layer's system description reader:

* BIOS: /sys/kernel/boot_params/data holds the address at 0x70
  (acpi_rsdp_addr: the kernel's decompressor stores the one it found by
  scanning), and /dev/mem reads it: the first MiB is open to /dev/mem
  except System RAM pages (read as zeros), and the RSDP sits in the BIOS
  area (0xE0000-0xFFFFF, "Reserved"). Scanning that area for "RSD PTR "
  on 16-byte boundaries, as the kernel and GRUB do, finds the same.
* EFI: /sys/firmware/efi/systab names both RSDPs (ACPI20=, ACPI=; OVMF
  has a revision 0 and a revision 2 one, separate structures, as GRUB
  passes them), boot_params.acpi_rsdp_addr is 0, and /dev/mem REFUSES
  them (EPERM): they sit in "ACPI Tables", a busy iomem range, which
  IO_STRICT_DEVMEM closes. Booted with iomem=relaxed, /dev/mem reads
  them. The kernel log ("ACPI: RSDP 0x... 000024 (v02 OEMID)", "ACPI:
  XSDT 0x...") gives address, length, revision, OEM ID and the XSDT, but
  not a revision 2 RSDP's RSDT address, so it cannot rebuild the bytes
  exactly.
"""
import os
import re
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vmlib  # noqa: E402

OVMF = "/usr/share/ovmf/OVMF.fd"

SCRIPT = r"""
mem() { dd if=/dev/mem bs=1 skip=$(($1)) count=$2 2>/dev/null | od -An -tx1 -v | tr -d ' \n'; }
echo "RSDP-SYSTAB $(tr '\n' ' ' </sys/firmware/efi/systab 2>/dev/null)"
echo "RSDP-DMESG $(dmesg | grep -o 'ACPI: RSDP 0x[0-9A-Fa-f]*' | head -1)"
echo "RSDP-BOOTPARAMS $(od -An -tx8 -j 112 -N 8 /sys/kernel/boot_params/data | tr -d ' ')"
echo "RSDP-TABLES $(ls /sys/firmware/acpi/tables | tr '\n' ' ')"
scan=$(dd if=/dev/mem bs=65536 skip=14 count=2 2>/dev/null | od -Ax -tx1 -w16 -v | grep ' 52 53 44 20 50 54 52 20' | head -1 | cut -d' ' -f1)
[ -n "$scan" ] && scan=$((0xe0000 + 0x$scan))
echo "RSDP-SCAN ${scan:-none}"
dmesg | grep -o 'ACPI: [A-Z]*[A-Z] 0x[0-9A-F]* [0-9A-F]* (v.*' | sed 's/^/RSDP-LOG /'
a=$(sed -n 's/^ACPI20=//p' /sys/firmware/efi/systab 2>/dev/null)
[ -n "$a" ] && echo "RSDP-DDERR $(dd if=/dev/mem bs=1 skip=$(($a)) count=36 2>&1 >/dev/null | head -1)"
for a in $(sed -n 's/^ACPI20=//p;s/^ACPI=//p' /sys/firmware/efi/systab 2>/dev/null) $(dmesg | grep -o 'ACPI: RSDP 0x[0-9A-Fa-f]*' | head -1 | cut -d' ' -f3) $scan; do
    echo "RSDP-MEM $(printf 0x%x $a) $(mem $a 36)"
done
grep -i -e 'acpi' -e '^000[0-9a-f]*-000f' /proc/iomem | sed 's/^/RSDP-IOMEM /'
"""


def rsdp_ok(hexbytes):
    """(revision, 20-byte checksum ok, extended checksum ok or None)."""
    b = bytes.fromhex(hexbytes)
    assert len(b) == 36, hexbytes
    assert b[:8] == b"RSD PTR ", hexbytes
    rev = b[15]
    ext = None
    if rev >= 2:
        ext = sum(b[:int.from_bytes(b[20:24], "little")]) % 256 == 0
    return rev, sum(b[:20]) % 256 == 0, ext


def run(name, accel, kernel, workdir, extra, append):
    c = vmlib.Cpio()
    vmlib.busybox_base(c)
    c.file("scenario.sh", SCRIPT, 0o755)
    initrd = os.path.join(workdir, name + ".cpio.gz")
    with open(initrd, "wb") as f:
        f.write(c.finish())
    r = vmlib.run_qemu(name, accel, kernel, initrd,
                       "console=ttyS0 quiet panic=-1" + append, timeout=180,
                       memory=512, extra=extra)
    assert not r.timed_out, "timed out, log %s" % r.log
    assert "KJ-SCENARIO-EXIT" in r, "scenario did not finish: %s" % r.log
    return r


def one(result, prefix):
    lines = result.lines(prefix)
    assert lines, "no %s line in %s" % (prefix, result.log)
    return lines[0]


def mem_reads(result):
    out = {}
    for line in result.lines("RSDP-MEM"):
        parts = line.split()
        out[int(parts[0], 16)] = parts[1] if len(parts) > 1 else ""
    return out


LOG_RE = re.compile(r"ACPI: (\w+) 0x([0-9A-F]+) ([0-9A-F]+) \(v(\d+) (.{6})")


def log_tables(result):
    """{signature: (address, length, revision, oem)} from the kernel log."""
    out = {}
    for line in result.lines("RSDP-LOG"):
        m = LOG_RE.match(line)
        if m:
            out[m.group(1)] = (int(m.group(2), 16), int(m.group(3), 16),
                               int(m.group(4)), m.group(5))
    return out


def test_rsdp_bios(accel, cloud_kernel, workdir):
    r = run("rsdp-seabios", accel, cloud_kernel, workdir, [], "")
    assert one(r, "RSDP-SYSTAB") == ""  # not an EFI boot
    addr = int(one(r, "RSDP-BOOTPARAMS"), 16)
    tables = one(r, "RSDP-TABLES").split()
    assert "FACP" in tables and "RSDP" not in tables
    assert "XSDT" not in tables and "RSDT" not in tables
    log = log_tables(r)
    assert log["RSDP"][0] == addr and int(one(r, "RSDP-SCAN")) == addr
    assert 0xE0000 <= addr < 0x100000
    b = mem_reads(r)[addr]
    rev, ok, ext = rsdp_ok(b)
    assert (rev, ok, ext) == (0, True, None)  # SeaBIOS: ACPI 1.0 RSDP
    raw = bytes.fromhex(b)
    assert raw[9:15].decode() == log["RSDP"][3]
    assert int.from_bytes(raw[16:20], "little") == log["RSDT"][0]


def test_rsdp_efi_devmem_refused(accel, cloud_kernel, workdir):
    if not os.path.exists(OVMF):
        pytest.skip("ovmf not installed")
    r = run("rsdp-ovmf", accel, cloud_kernel, workdir, ["-bios", OVMF], "")
    systab = dict(re.findall(r"(\w+)=(0x[0-9a-f]+)", one(r, "RSDP-SYSTAB")))
    a20, a10 = int(systab["ACPI20"], 16), int(systab["ACPI"], 16)
    assert a20 != a10
    assert int(one(r, "RSDP-BOOTPARAMS"), 16) == 0
    log = log_tables(r)
    assert log["RSDP"][:3] == (a20, 36, 2) and "XSDT" in log
    assert "RSDT" not in log  # so the v2 RSDP's rsdt field is unknown
    assert one(r, "RSDP-DDERR") == "dd: /dev/mem: Operation not permitted"
    reads = mem_reads(r)
    assert reads[a20] == "" and reads[a10] == ""
    assert "ACPI Tables" in " ".join(r.lines("RSDP-IOMEM"))


def test_rsdp_efi_iomem_relaxed(accel, cloud_kernel, workdir):
    if not os.path.exists(OVMF):
        pytest.skip("ovmf not installed")
    r = run("rsdp-ovmf-relaxed", accel, cloud_kernel, workdir,
            ["-bios", OVMF], " iomem=relaxed")
    systab = dict(re.findall(r"(\w+)=(0x[0-9a-f]+)", one(r, "RSDP-SYSTAB")))
    a20, a10 = int(systab["ACPI20"], 16), int(systab["ACPI"], 16)
    reads = mem_reads(r)
    assert rsdp_ok(reads[a20]) == (2, True, True)
    assert rsdp_ok(reads[a10])[:2] == (0, True)
    raw = bytes.fromhex(reads[a20])
    log = log_tables(r)
    assert int.from_bytes(raw[24:32], "little") == log["XSDT"][0]
    assert raw[9:15].decode() == log["RSDP"][3]
