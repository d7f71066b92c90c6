"""Multiboot 1 kernels through kjump's kexec_load path, from a running
Linux (the Debian cloud kernel). Every test asserts on what the kexec'd
kernel printed: the probe payload's report (probe/README.md), Xen's
banner. QEMU's own -kernel loader is the reference peer for the probe.

Paths are relative on both sides (the guest runs kjump in /, QEMU runs
in a directory holding the same files), so the command lines the probe
sees must be byte for byte the same."""
import gzip
import lzma
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
from vmlib import said  # noqa: E402

PROBE = Path(vmlib.BUILD) / "probe"
ARGS = "foo=bar baz"
MEMORY = 1024
# /sys/firmware/memmap type names -> Multiboot/e820 type numbers
FW_TYPES = {"System RAM": 1, "Reserved": 2, "ACPI Tables": 3,
            "ACPI Non-volatile Storage": 4, "Unusable memory": 5,
            "Persistent Memory (legacy)": 12, "Persistent Memory": 7,
            "Soft Reserved": 0xefffffff}
FWMAP = ('for d in /sys/firmware/memmap/*; do '
         'echo "KJ-FWMAP $(cat $d/start) $(cat $d/end) $(cat $d/type)"; done')


@pytest.fixture(scope="module", autouse=True)
def built_probe():
    vmlib.make("probe")


@pytest.fixture(scope="module")
def mods():
    """modA: random bytes with arguments; modB.gz: gzip'd random bytes;
    modC.xz: xz'd text."""
    rng = random.Random(4321)
    a = bytes(rng.getrandbits(8) for _ in range(5000))
    b = bytes(rng.getrandbits(8) for _ in range(30000))
    c = b"".join(b"line %d of module C\n" % i for i in range(3000))
    return {"modA": a, "modB": b, "modB.gz": gzip.compress(b, mtime=0),
            "modC": c, "modC.xz": lzma.compress(c)}


def probe_files(mods, *names):
    files = {n: mods[n] for n in ("modA", "modB.gz", "modC.xz")}
    for n in names:
        files[n] = (PROBE / n).read_bytes()
    return files


def run_until(guest, name, script, until, timeout, memory, extra_files):
    """Guest.run, but stop as soon as `until` appears on serial."""
    c = vmlib.Cpio()
    c.file("scenario.sh", "set -x\n" + script, 0o755)
    for path, data in extra_files.items():
        c.file(path, data)
    initrd = os.path.join(guest.workdir, name + ".cpio.gz")
    with open(initrd, "wb") as f:
        f.write(guest.base + c.finish())
    return vmlib.run_qemu(name, guest.accel, guest.kernel, initrd,
                          "console=ttyS0 quiet panic=-1", timeout=timeout,
                          memory=memory, until=until)


def fw_map(result):
    out = []
    for line in result.lines("KJ-FWMAP"):
        start, end, kind = line.split(" ", 2)
        out.append((int(start, 16), int(end, 16) - int(start, 16) + 1,
                    FW_TYPES.get(kind, 2)))
    return sorted(out)


def report(result):
    rep = probe_report.parse(result.output)
    assert rep.complete, "no complete probe report (see %s)" % result.log
    assert rep.errors == [] and rep["end"]["errors"] == 0
    assert rep.magic == probe_report.MAGIC_OK
    cpu = rep["cpu"]
    # 32-bit protected mode, paging off, interrupts off, A20 on.
    assert cpu["cr0"] & 1 and not cpu["cr0"] & 0x80000000
    assert not cpu["eflags"] & 0x200
    assert cpu["a20"] == 1
    assert rep["self"]["bss_clean"] == 1
    assert rep.boot_loader_name.startswith("kjump ")
    return rep


def check_mmap(rep, result):
    fw = fw_map(result)
    assert fw, "the first kernel listed no /sys/firmware/memmap"
    got = sorted((e["base"], e["len"], e["type"]) for e in rep.mmap)
    assert got == fw
    assert all(e["size"] == 20 for e in rep.mmap)


def check_mods(rep, expect):
    """expect: [(cmdline, bytes)] in order."""
    assert rep["mods"]["count"] == len(expect)
    for i, (m, (cmdline, data)) in enumerate(zip(rep.modules, expect)):
        assert m["index"] == i
        assert m["start"] % 4096 == 0
        assert m["size"] == len(data) == m["end"] - m["start"]
        assert m["crc32"] == zlib.crc32(data), "module %d" % i
        assert m["cmdline"] == cmdline
    starts = [m["start"] for m in rep.modules]
    assert starts == sorted(starts)


def qemu_reference(tmp_path, files, kernel, modules):
    """Boot kernel with QEMU's own loader from a directory holding files,
    with relative paths; return the probe's report."""
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    log = Path(vmlib.log_path("mb-qemu-reference"))
    cmd = ["qemu-system-x86_64", "-accel", "tcg", "-m", str(MEMORY),
           "-nographic", "-no-reboot", "-monitor", "none",
           "-kernel", kernel, "-append", ARGS,
           "-initrd", ",".join(modules),
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
           "-serial", "file:" + str(log)]
    subprocess.run(cmd, cwd=tmp_path, stdin=subprocess.DEVNULL,
                   capture_output=True, timeout=60)
    rep = probe_report.parse(log.read_bytes())
    assert rep.complete, "QEMU's loader: no report (see %s)" % log
    return rep


def test_probe_like_qemu(guest, mods, tmp_path):
    """kjump's spelling; modB.gz is decompressed (GRUB's default)."""
    files = probe_files(mods, "probe.elf")
    r = guest.run("mb-probe-elf", f"""
{FWMAP}
cd /
kjump load probe.elf --type multiboot --append "{ARGS}" \
    --module "modA arg1" --module "modB.gz" --syscall load
echo "LOAD rc=$?"
kjump exec
""", timeout=90, extra_files=files)
    assert said(r, "LOAD") == ["0"]
    rep = report(r)
    assert rep.cmdline == "probe.elf " + ARGS
    check_mods(rep, [("modA arg1", mods["modA"]),
                     ("modB.gz", mods["modB"])])
    check_mmap(rep, r)
    assert rep["self"]["start"] == 0x100000

    ref = qemu_reference(tmp_path, files, "probe.elf",
                         ["modA arg1", "modB.gz"])
    assert ref.cmdline == rep.cmdline
    assert [m["cmdline"] for m in ref.modules] == \
        [m["cmdline"] for m in rep.modules]
    # QEMU does not decompress modules: modA is the same bytes in both.
    assert ref.modules[0]["crc32"] == rep.modules[0]["crc32"]
    assert ref.modules[1]["crc32"] == zlib.crc32(mods["modB.gz"])
    assert ref["mem"]["lower"] == rep["mem"]["lower"]
    assert ref["mem"]["upper"] == rep["mem"]["upper"]
    assert ref.ram_bytes() == rep.ram_bytes()


def test_probe_gzip_kexec_spelling(guest, mods):
    """The probe gzip-compressed, kexec-tools' spelling; --no-decompress
    keeps modB.gz as it is, as QEMU does."""
    files = probe_files(mods, "probe.elf.gz")
    r = guest.run("mb-probe-gz", f"""
{FWMAP}
cd /
kexec -l probe.elf.gz --type=multiboot-x86 --append="{ARGS}" \
    --module="modA arg1" --module="modB.gz x=1" --no-decompress -c
echo "LOAD rc=$?"
kexec -e
""", timeout=90, extra_files=files)
    assert said(r, "LOAD") == ["0"]
    rep = report(r)
    assert rep.cmdline == "probe.elf.gz " + ARGS
    check_mods(rep, [("modA arg1", mods["modA"]),
                     ("modB.gz x=1", mods["modB.gz"])])
    check_mmap(rep, r)


def test_probe64_elf(guest, mods):
    """ELF64 with a Multiboot header: still entered by Multiboot rules,
    found by content (no --type); --syscall auto goes to kexec_load."""
    files = probe_files(mods, "probe64.elf")
    r = guest.run("mb-probe64", f"""
{FWMAP}
cd /
kjump load probe64.elf --append "{ARGS}" --module "modA arg1" \
    --module "modC.xz c=3" --verbose
echo "LOAD rc=$?"
kjump exec
""", timeout=90, extra_files=files)
    assert said(r, "LOAD") == ["0"]
    assert "straight to kexec_load" in r.output
    rep = report(r)
    assert rep.cmdline == "probe64.elf " + ARGS
    assert rep["self"]["variant"] == "elf"
    check_mods(rep, [("modA arg1", mods["modA"]),
                     ("modC.xz c=3", mods["modC"])])
    check_mmap(rep, r)


def test_probe_aout_low(guest, mods):
    """a.out kludge, loaded at 0x20100: below 1 MiB, not page aligned."""
    files = probe_files(mods, "probe-aout.bin")
    r = guest.run("mb-probe-aout", f"""
{FWMAP}
cd /
kjump load probe-aout.bin --append "{ARGS}" --module "modB.gz" \
    --syscall load
echo "LOAD rc=$?"
kjump exec
""", timeout=90, extra_files=files)
    assert said(r, "LOAD") == ["0"]
    rep = report(r)
    assert rep["self"]["variant"] == "aout"
    assert rep["self"]["start"] == 0x20100
    assert rep.cmdline == "probe-aout.bin " + ARGS
    check_mods(rep, [("modB.gz", mods["modB"])])
    check_mmap(rep, r)


XEN_ARGS = "console=com1 com1=115200,8n1 loglvl=all guest_loglvl=all"


@pytest.fixture(scope="module")
def xen_gz():
    try:
        out = subprocess.run([os.path.join(vmlib.ROOT, "tools", "fetch-deb"),
                              "xen-hypervisor-4.17-amd64"], check=True,
                             capture_output=True, text=True,
                             cwd=vmlib.ROOT).stdout.split()[-1]
    except subprocess.CalledProcessError:
        pytest.skip("xen-hypervisor-4.17-amd64 not downloadable")
    boot = Path(out) / "boot"
    names = sorted(p for p in boot.glob("xen-*.gz"))
    assert names, "no xen-*.gz in %s" % boot
    return names[-1].read_bytes()


def test_xen_banner(guest, xen_gz):
    """Xen 4.17 as Debian ships it (gzip'd ELF32 with a Multiboot
    header), no dom0: its banner and the echo of its command line."""
    r = guest.run("mb-xen", f"""
kjump load /boot/xen.gz --append "{XEN_ARGS}" --syscall load
echo "LOAD rc=$?"
kjump exec
""", timeout=120, memory=2048, extra_files={"boot/xen.gz": xen_gz})
    assert said(r, "LOAD") == ["0"]
    assert "Xen version 4.17" in r.output, "no Xen banner (see %s)" % r.log
    # Xen skips the first word (the image path) and echoes the rest.
    assert "(XEN) Command line: " + XEN_ARGS in r.output


def test_xen_dom0_linux(guest, xen_gz):
    """Xen with the Debian cloud kernel as dom0 and an initrd module.
    smap=0 smep=0: under QEMU TCG, with SMAP on, Xen faults delivering
    dom0's first exception (create_bounce_frame) and dom0 crashes before
    printing anything; QEMU's own loader shows the same, so it is TCG's
    and Xen's business, not the loader's."""
    r = run_until(guest, "mb-xen-dom0", f"""
kjump load /boot/xen.gz --append "{XEN_ARGS} dom0_mem=512M smap=0 smep=0" \
    --module "/boot/vmlinuz console=hvc0 earlyprintk=xen panic=-1 kj_stage=2" \
    --module "/boot/stage2.cpio.gz" --syscall load
echo "LOAD rc=$?"
kjump exec
""", until="Run /init as init process", timeout=600, memory=2048,
                  extra_files={"boot/xen.gz": xen_gz})
    assert said(r, "LOAD") == ["0"]
    assert "Xen version 4.17" in r.output, "no Xen banner (see %s)" % r.log
    assert "*** Building a PV Dom0 ***" in r.output or \
        "Dom0 kernel" in r.output, "Xen did not build dom0 (see %s)" % r.log
    assert "Linux version" in r.output.split("Dom0 kernel")[-1], \
        "no Linux banner after dom0 was built (see %s)" % r.log
    # Xen drops the module's first word (the path) and hands dom0 the
    # rest; dom0 found the second module as its initrd and starts /init.
    # (What /init then prints on hvc0 is lost when it powers off and Xen
    # halts the machine, so the test stops at "Run /init".)
    assert "Command line: console=hvc0 earlyprintk=xen" in r.output
    assert "Run /init as init process" in r.output
