"""Boot the probe payload with QEMU's own -kernel Multiboot loader.

QEMU is the reference peer: what it hands the probe is what a Multiboot
loader should hand over. Each run has a hard timeout and keeps its
serial log in build/vm-logs/<test>.log.

What QEMU 7.2's loader accepts: probe.elf (ELF32) and probe-aout.bin
(a.out kludge). It refuses ELF64 ("Cannot load x86-64 image, give a 32bit
one.") and does not decompress probe.elf.gz; for those two we check the
files themselves and skip the boot.
"""

import gzip
import random
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import probe_report  # noqa: E402
import vmlib  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
PROBE = ROOT / "build" / "probe"
LOGS = ROOT / "build" / "vm-logs"
TIMEOUT = 30
AOUT_LOAD = 0x20100
APPEND = "foo=bar baz"


@pytest.fixture(scope="module", autouse=True)
def built_probe():
    vmlib.make("probe")


@pytest.fixture
def modules(tmp_path):
    """Two modules of pseudo-random bytes; the second has no arguments."""
    rng = random.Random(1234)
    a = tmp_path / "modA"
    b = tmp_path / "modB"
    a.write_bytes(bytes(rng.getrandbits(8) for _ in range(5000)))
    b.write_bytes(bytes(rng.getrandbits(8) for _ in range(12345)))
    return [(a, "arg1"), (b, None)]


def boot(name, kernel, modules, parse=probe_report.parse):
    """Boot kernel with QEMU's loader; return (returncode, stderr, report)
    where report is what parse makes of the serial log."""
    LOGS.mkdir(parents=True, exist_ok=True)
    log = LOGS / (name + ".log")
    if log.exists():
        log.unlink()
    # QEMU's multiboot modules: a comma list, "file args" each.
    initrd = ",".join(str(p) + (" " + a if a else "") for p, a in modules)
    cmd = [
        "qemu-system-x86_64", "-accel", "tcg", "-m", "512", "-nographic",
        "-no-reboot", "-monitor", "none", "-kernel", str(kernel),
        "-append", APPEND,
    ] + (["-initrd", initrd] if modules else []) + [
        "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
        "-serial", "file:" + str(log),
    ]
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail("%s: QEMU did not exit within %d s (log %s)"
                    % (name, TIMEOUT, log))
    text = log.read_bytes() if log.exists() else b""
    return p.returncode, p.stderr.decode(errors="replace"), parse(text)


def check_report(rc, stderr, rep, kernel, modules, page_aligned=True):
    assert rc == probe_report.QEMU_EXIT_OK, \
        "QEMU exit %d (stderr: %s)" % (rc, stderr.strip())
    assert rep.complete, "no complete KJPROBE report"
    assert rep.errors == []
    assert rep.magic == probe_report.MAGIC_OK
    assert rep["end"]["errors"] == 0
    assert rep.cmdline == "%s %s" % (kernel, APPEND)

    # The Multiboot machine state: protected mode, no paging, IF clear.
    cpu = rep["cpu"]
    assert cpu["cr0"] & 1 and not cpu["cr0"] & 0x80000000
    assert not cpu["eflags"] & 0x200
    assert cpu["a20"] == 1
    assert rep["self"]["bss_clean"] == 1

    mods = rep.modules
    assert rep["mods"]["count"] == len(modules) == len(mods)
    for i, (m, (path, args)) in enumerate(zip(mods, modules)):
        data = path.read_bytes()
        assert m["index"] == i
        assert m["size"] == len(data) == m["end"] - m["start"]
        assert m["crc32"] == zlib.crc32(data)
        assert m["cmdline"] == str(path) + (" " + args if args else "")
        if page_aligned:
            assert m["start"] % 4096 == 0

    assert rep.mmap, "empty memory map"
    ram = rep.ram_bytes()
    assert 500 << 20 <= ram <= 512 << 20, "RAM %#x" % ram
    assert rep.boot_loader_name == "qemu"
    assert rep["mem"]["lower"] >= 600


def test_probe_elf(modules):
    kernel = PROBE / "probe.elf"
    rc, err, rep = boot("test_probe_elf", kernel, modules)
    check_report(rc, err, rep, kernel, modules)
    assert rep["self"]["variant"] == "elf"
    assert rep["self"]["start"] == 0x100000


def test_probe_aout(modules):
    kernel = PROBE / "probe-aout.bin"
    rc, err, rep = boot("test_probe_aout", kernel, modules)
    # QEMU places a.out-kludge modules at page offsets from the (unaligned)
    # load address, ignoring the header's page-align flag.
    check_report(rc, err, rep, kernel, modules, page_aligned=False)
    assert rep["self"]["variant"] == "aout"
    assert rep["self"]["start"] == AOUT_LOAD


def test_probe_selftest_guards():
    """The self-test build reports on hostile Multiboot information after
    the real report: every guard must fire and every output stay bounded."""
    kernel = PROBE / "probe-selftest.elf"
    rc, err, reps = boot("test_probe_selftest_guards", kernel, [],
                         parse=probe_report.parse_all)
    assert rc == probe_report.QEMU_EXIT_ERRORS, err
    assert [r.complete for r in reps] == [True] * 14
    real, magic, hostile, past_end, trailing, many, noflags = reps[:7]
    assert real.errors == [] and real.magic == probe_report.MAGIC_OK

    # Wrong magic: nothing read through EBX.
    assert magic.errors == ["bad_magic"]
    assert "mbi" not in magic and magic["end"]["errors"] == 1

    assert hostile.errors == ["mods_count_capped", "module_end_before_start",
                              "syms_aout_and_elf", "mmap_entry_too_small"]
    cmd = hostile["cmdline"]
    assert cmd["truncated"] == 1
    assert cmd["value"] == ('x"\\\n\x80' * 1000)[:4096]
    mods = hostile.modules
    assert hostile["mods"]["count"] == 1000 and len(mods) == 256
    assert "size" not in mods[0]
    assert mods[1]["size"] == 100
    assert mods[1]["crc32"] == zlib.crc32(
        (b'x"\\\n\x80' * 20)[:100])
    assert mods[1]["cmdline"] == 'a"b\\c\nd\xff'
    assert len(hostile.mmap) == 1
    assert len(hostile["boot_loader_name"]["value"]) <= 8  # stops at 4 GiB
    for rec in ("syms_aout", "syms_elf", "drives", "config_table",
                "apm_table", "vbe", "framebuffer"):
        assert rec in hostile

    assert past_end.errors == ["mmap_entry_past_end"] and not past_end.mmap
    assert trailing.errors == ["mmap_trailing_bytes"]
    assert len(trailing.mmap) == 1
    assert many.errors == ["mmap_entries_capped"] and len(many.mmap) == 256

    # No flags: only the flags word is reported.
    assert [n for n, _ in noflags.records] == \
        ["begin", "entry", "cpu", "self", "mbi", "end"]

    # Multiboot 2 information, walked by probe/mb2.c.
    (misaligned, tiny, past, no_end, bad_fields, many_tags,
     early_end) = reps[7:]
    for r in reps[7:]:
        assert r.magic == probe_report.MAGIC2_OK and "mbi2" in r
    assert misaligned.errors == ["mbi2_misaligned"]
    assert misaligned.tags == [(0, 8)]
    assert tiny.errors == ["tag_too_small"] and tiny.tags == [(1, 4)]
    assert past.errors == ["tag_past_end"] and past.tags == [(1, 100)]
    assert no_end.errors == ["no_end_tag"] and no_end.tag_types == [18, 18]
    assert bad_fields.errors == ["module_end_before_start",
                                 "mmap_entry_too_small"]
    assert bad_fields["cmdline"]["value"] == "abcde"
    assert bad_fields["cmdline"]["unterminated"] == 1
    assert bad_fields.tag_types == [1, 3, 6, 0]
    assert many_tags.errors == ["tags_capped"]
    assert len(many_tags.tags) == 512
    assert early_end.errors == ["end_tag_before_total_size"]


def _mb_header(data):
    """(offset, flags) of the Multiboot 1 header in the first 8 KiB."""
    for off in range(0, min(len(data), 8192) - 11, 4):
        magic, flags, csum = struct.unpack_from("<III", data, off)
        if magic == 0x1BADB002 and (magic + flags + csum) & 0xFFFFFFFF == 0:
            return off, flags
    return None


def test_probe64_container():
    elf32 = (PROBE / "probe.elf").read_bytes()
    elf64 = (PROBE / "probe64.elf").read_bytes()
    assert elf64[:5] == b"\x7fELF\x02"
    assert struct.unpack_from("<H", elf64, 18)[0] == 62  # EM_X86_64
    # Same entry point, same header flags: entered in 32-bit mode.
    assert struct.unpack_from("<Q", elf64, 24)[0] == \
        struct.unpack_from("<I", elf32, 24)[0]
    assert _mb_header(elf64)[1] == _mb_header(elf32)[1] == 0x3


def test_probe64_qemu(modules):
    kernel = PROBE / "probe64.elf"
    rc, err, rep = boot("test_probe64_qemu", kernel, modules)
    if "Cannot load x86-64 image" in err:
        pytest.skip("QEMU's multiboot loader refuses ELF64 images")
    check_report(rc, err, rep, kernel, modules)


def test_probe_aout_header():
    data = (PROBE / "probe-aout.bin").read_bytes()
    off, flags = _mb_header(data)
    assert flags & 0x10000
    header, load, load_end, bss_end, entry = \
        struct.unpack_from("<5I", data, off + 12)
    assert load == AOUT_LOAD and load % 4096
    assert header - load == off > 0  # the offset arithmetic matters
    assert load_end - load == len(data)
    assert bss_end > load_end and load < entry < load_end


def test_probe_gz():
    raw = (PROBE / "probe.elf").read_bytes()
    gz = (PROBE / "probe.elf.gz").read_bytes()
    assert gz[:2] == b"\x1f\x8b"
    assert gzip.decompress(gz) == raw
    # -n: no name or time stamp, so the file is reproducible.
    assert struct.unpack_from("<I", gz, 4)[0] == 0 and not gz[3] & 0x08


def test_report_parser():
    text = (b"\x1b[0mBooting from ROM..KJPROBE begin version=1\r\n"
            b"KJPROBE entry magic=0x2badb002 mbi=0x00009500\r\n"
            b'KJPROBE cmdline addr=0x1 value="a \\"b\\" c\\\\d\\x01"\r\n'
            b"KJPROBE error what=mmap_entry_too_small\r\n"
            b"KJPROBE end errors=1\r\n")
    rep = probe_report.parse(text)
    assert rep.complete
    assert rep["begin"]["version"] == 1
    assert rep.magic == 0x2BADB002
    assert rep.cmdline == 'a "b" c\\d\x01'
    assert rep.errors == ["mmap_entry_too_small"]
    assert not probe_report.parse(b"KJPROBE begin version=1\n").complete
