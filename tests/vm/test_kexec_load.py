"""kjump through the classic kexec_load: kjump lays out every segment
(kernel, initrd, boot_params, our purgatory) and the purgatory checks
their digests (XXH64, or SHA-256 with --checks=sha256) before entering
the second kernel. Each test asserts on what the *second* kernel
reports, or on the purgatory refusing."""
import hashlib
import json
import os
import re
import subprocess
import tempfile

import pytest

import vmlib
from vmlib import said, second_cmdline

LOAD = "kjump load /boot/vmlinuz --syscall load --initrd /boot/stage2.cpio.gz"
SECOND = "console=ttyS0 quiet panic=-1 kj_stage=2"


def test_kexec_load_boots_second_kernel(guest):
    r = guest.run("kload-exec", f"""
{LOAD} --append "{SECOND} scenario=kload"
echo "LOAD rc=$?"
kjump exec
""")
    assert said(r, "LOAD") == ["0"]
    assert "scenario=kload" in second_cmdline(r)
    assert "stage2" in r.lines("KJ-MARKER")


def test_kexec_tools_spelling_c(guest):
    r = guest.run("kload-kexec-c", f"""
kexec -c -l /boot/vmlinuz --initrd=/boot/stage2.cpio.gz \
    --initrd=/boot/extra.cpio.gz --append="{SECOND} scenario=kexec-c"
kexec -e
""")
    assert "scenario=kexec-c" in second_cmdline(r)
    markers = r.lines("KJ-MARKER")
    assert "stage2" in markers and "extra" in markers


def test_dry_run_json_loads_nothing(guest):
    r = guest.run("kload-dry-run", f"""
{LOAD} --append "{SECOND}" --dry-run --json > /tmp/plan.json
echo "DRY rc=$?"
echo "PLAN-JSON $(cat /tmp/plan.json)"
{LOAD} --append "{SECOND}" --dry-run
kjump status; echo "STATUS rc=$?"
""")
    assert said(r, "DRY") == ["0"]
    dry = json.loads(r.lines("PLAN-JSON")[-1])
    assert dry["syscall"] == "kexec_load" and dry["format"] == "bzImage"
    plan = dry["plan"]
    seg = {s["what"]: s for s in plan["segments"]}
    # The loader's segments in order, then the arch's purgatory.
    assert [s["what"] for s in plan["segments"]] == \
        ["kernel", "initrd", "boot_params", "purgatory"]
    assert plan["registers"]["entry"] == seg["kernel"]["mem"] + 0x200
    assert seg["purgatory"]["mem"] <= plan["entry"] < seg["purgatory"]["end"]
    assert plan["registers"]["rsi"] == seg["boot_params"]["mem"]
    assert "kj_stage=2" in plan["cmdline"]
    # The default check, one XXH64 per segment but the purgatory's own;
    # the initrd's is what Debian's xxhsum (tools/deps installs it) says
    # about the file.
    vmlib.assert_plan_digests(plan, "xxh64")
    with tempfile.NamedTemporaryFile() as f:
        f.write(vmlib.stage2_initrd("stage2"))
        f.flush()
        want = subprocess.run(["xxhsum", "-H1", f.name], check=True,
                              capture_output=True,
                              text=True).stdout.split()[0]
    assert seg["initrd"]["digest"] == want
    # The text form names every segment; nothing reached the kernel.
    assert any(l.split()[-1] == "boot_params" for l in r.output.splitlines()
               if l.strip().startswith("2 "))
    assert said(r, "STATUS") == ["1"]
    assert not r.lines("KJ-SECOND-CMDLINE")


def test_dry_run_json_other_checks(guest):
    r = guest.run("kload-dry-run-checks", f"""
echo "SHA-JSON $({LOAD} --append "{SECOND}" --checks=sha256 --dry-run --json)"
echo "NONE-JSON $({LOAD} --append "{SECOND}" --no-checks --dry-run --json)"
KX="kexec -c -l /boot/vmlinuz --initrd=/boot/stage2.cpio.gz --dry-run"
echo "KEXEC-I $($KX -i | grep ^checks)"
echo "KEXEC-SHA $($KX --checks=sha256 | grep ^checks)"
""")
    sha = json.loads(r.lines("SHA-JSON")[-1])["plan"]
    vmlib.assert_plan_digests(sha, "sha256")
    # --checks=sha256's definition (core/sha256_list.h): SHA-256 over the
    # SHA-256s of the segment's 64 KiB chunks, here of the initrd.
    data = vmlib.stage2_initrd("stage2")
    chunks = b"".join(hashlib.sha256(data[i:i + 65536]).digest()
                      for i in range(0, len(data), 65536))
    initrd = [s for s in sha["segments"] if s["what"] == "initrd"][0]
    assert initrd["digest"] == hashlib.sha256(chunks).hexdigest()
    none = json.loads(r.lines("NONE-JSON")[-1])["plan"]
    assert none["algorithm"] == "none"
    assert all(s["digest"] is None for s in none["segments"])
    # kexec-tools' spelling: -i is none, --checks as in kjump's.
    assert r.lines("KEXEC-I")[-1].split() == ["checks", "none"]
    assert r.lines("KEXEC-SHA")[-1].split() == ["checks", "sha256"]


def test_purgatory_refuses_corrupt_segment(guest):
    # The digest recorded for the initrd (segment 1) is made wrong: the
    # purgatory must stop instead of entering the second kernel.
    r = guest.run("kload-corrupt", f"""
KJUMP_TEST_CORRUPT_SEGMENT=1 {LOAD} --append "{SECOND} scenario=corrupt"
echo "LOAD rc=$?"
kjump exec
""", timeout=60)
    assert said(r, "LOAD") == ["0"]
    assert "kjump purgatory: segment 1 at" in r.output
    assert "xxh64 mismatch" in r.output
    assert not r.lines("KJ-SECOND-CMDLINE")


def test_panic_load_boots_crash_kernel(guest):
    # The first kernel reserves crash memory; a panic enters the crash
    # kernel kjump placed inside it with kexec_load. A third initrd, made
    # in the guest, has the crash kernel list the RAM it was given. (It is
    # gzipped: the kernel only finds an uncompressed archive that starts
    # 4-byte aligned, and the one before it has an arbitrary length.)
    r = guest.run("kload-panic", f"""
grep "Crash kernel" /proc/iomem | sed 's/^ */KJ-CRASH-REGION /'
mkdir -p /tmp/s2
cat > /tmp/s2/stage2.sh <<'EOS'
#!/bin/sh
grep "System RAM" /proc/iomem | sed "s/^/KJ-RAM /"
echo "KJ-VMCORE $(stat -c %s /proc/vmcore)"
echo "KJ-VMCORE-MAGIC $(head -c 4 /proc/vmcore | tail -c 3)"
EOS
chmod 755 /tmp/s2/stage2.sh
(cd /tmp/s2 && echo stage2.sh | cpio -o -H newc | gzip > /tmp/s2.cpio)
{LOAD} --initrd /tmp/s2.cpio --panic --append "{SECOND} scenario=panic"
echo "LOAD rc=$?"
echo "CRASH-LOADED $(cat /sys/kernel/kexec_crash_loaded)"
echo c > /proc/sysrq-trigger
""", append="console=ttyS0 quiet panic=-1 crashkernel=256M")
    assert said(r, "LOAD") == ["0"]
    assert r.lines("CRASH-LOADED") == ["1"]
    assert "scenario=panic" in second_cmdline(r)
    assert "stage2" in r.lines("KJ-MARKER")
    crash = r.lines("KJ-CRASH-REGION")[0].split()[0].split("-")
    lo, hi = int(crash[0], 16), int(crash[1], 16)
    ram = [l.split()[0].split("-") for l in r.lines("KJ-RAM")]
    assert ram, "the crash kernel listed no RAM (see %s)" % r.log
    for start, end in ((int(a, 16), int(b, 16)) for a, b in ram):
        # Only the low 640 KiB and the reserved region are its own.
        assert end < 0xa0000 or (lo <= start and end <= hi), (start, end)
    # The old kernel's memory, described by our ELF core header.
    assert "elfcorehdr=0x" in second_cmdline(r)
    assert r.lines("KJ-VMCORE-MAGIC") == ["ELF"]
    vmcore = int(r.lines("KJ-VMCORE")[0])
    assert vmcore > 1024 * 2**20 - (hi - lo + 1) - 64 * 2**20, vmcore


def test_fixed_address_image_memtest(guest):
    # memtest86+ 6.x is a bzImage (protocol 2.12) that is not relocatable:
    # it must sit exactly at 0x100000 and is entered at 0x100200.
    try:
        pkg = subprocess.run([os.path.join(vmlib.ROOT, "tools", "fetch-deb"),
                              "memtest86+"], check=True, capture_output=True,
                             text=True, cwd=vmlib.ROOT).stdout.split()[-1]
    except subprocess.CalledProcessError:
        pytest.skip("memtest86+ package not downloadable")
    with open(os.path.join(pkg, "boot", "memtest86+x64.bin"), "rb") as f:
        data = f.read()
    # Loaded as shipped: its syssize rounds up 8 bytes past the end of the
    # file, which the header check allows (under 16 bytes).
    r = guest.run("kload-memtest", """
kjump load /boot/memtest.bin --syscall load --append "console=ttyS0,115200" \
    --dry-run
kjump load /boot/memtest.bin --verbose --append "console=ttyS0,115200"
echo "LOAD rc=$?"
kjump exec
""", timeout=45, extra_files={"boot/memtest.bin": data})
    assert said(r, "LOAD") == ["0"]
    # --syscall auto knew the file syscall cannot place it.
    assert "not relocatable" in r.output and "using kexec_load" in r.output
    assert "0x00100000" in r.output  # the dry run's kernel line
    assert "Memtest86+" in r.output, "memtest never spoke (see %s)" % r.log
    # It found the RAM through the e820 table in our boot_params.
    assert re.search(r"Memory\s*:\s*10[0-9][0-9]MB", r.output)


OVMF = "/usr/share/ovmf/OVMF.fd"


def test_efi_firmware_reaches_second_kernel(guest):
    # Booted by UEFI firmware (OVMF), the first kernel hands its EFI
    # system table and runtime map on through boot_params (SETUP_EFI),
    # so the second kernel still sees EFI and its runtime services.
    if not os.path.exists(OVMF):
        pytest.skip("no OVMF firmware")
    c = vmlib.Cpio()
    c.file("scenario.sh", "set -x\n" + f"""
echo "KJ-FIRST-EFI $(ls /sys/firmware/efi/runtime-map | wc -l)"
mkdir -p /tmp/s2
cat > /tmp/s2/stage2.sh <<'EOS'
#!/bin/sh
[ -e /sys/firmware/efi/systab ] && echo "KJ-EFI-SYSTAB yes"
[ -d /sys/firmware/efi/runtime-map ] && echo "KJ-EFI-RUNTIME-MAP yes"
grep -q ACPI20 /sys/firmware/efi/systab && echo "KJ-EFI-ACPI20 yes"
EOS
chmod 755 /tmp/s2/stage2.sh
(cd /tmp/s2 && echo stage2.sh | cpio -o -H newc | gzip > /tmp/s2.cpio)
{LOAD} --initrd /tmp/s2.cpio --append "{SECOND} scenario=efi" --verbose
echo "LOAD rc=$?"
kjump exec
""", 0o755)
    initrd = os.path.join(guest.workdir, "kload-efi.cpio.gz")
    with open(initrd, "wb") as f:
        f.write(guest.base + c.finish())
    r = vmlib.run_qemu("kload-efi", guest.accel, guest.kernel, initrd,
                       "console=ttyS0 quiet panic=-1", timeout=300,
                       extra=["-bios", OVMF])
    first = r.lines("KJ-FIRST-EFI")
    assert first and int(first[0]) > 0, "first kernel has no EFI runtime map"
    assert said(r, "LOAD") == ["0"]
    assert "scenario=efi" in second_cmdline(r)
    assert r.lines("KJ-EFI-SYSTAB") == ["yes"]
    assert r.lines("KJ-EFI-RUNTIME-MAP") == ["yes"]


def test_console_serial_progress(guest):
    r = guest.run("kload-console-serial", f"""
{LOAD} --console-serial --append "{SECOND} scenario=serial"
kjump exec
""")
    out = r.output
    assert re.search(r"kjump purgatory: verifying \d+ segments with xxh64",
                     out)
    assert re.search(r"kjump purgatory: verified \d+ MiB with xxh64 in "
                     r"[\d.]+ ms", out)
    assert re.search(r"kjump purgatory: entering 0x[0-9a-f]+ \(64-bit linux\) rsi=0x[0-9a-f]+",
                     out)
    assert "scenario=serial" in second_cmdline(r)


def test_sha256_checks_boot_second_kernel(guest):
    """--checks=sha256 reaches the purgatory, which verifies with SHA-256
    and still enters the second kernel."""
    r = guest.run("kload-checks-sha256", f"""
{LOAD} --checks=sha256 --console-serial --append "{SECOND} scenario=sha"
echo "LOAD rc=$?"
kjump exec
""")
    assert said(r, "LOAD") == ["0"]
    assert re.search(r"kjump purgatory: verifying \d+ segments with sha256",
                     r.output)
    assert re.search(r"kjump purgatory: verified \d+ MiB with sha256 in ",
                     r.output)
    assert "scenario=sha" in second_cmdline(r)


def test_dry_run_unprivileged(guest):
    # The plan comes from world-readable files: an ordinary user can ask
    # what would be loaded, and nothing is.
    r = guest.run("kload-dry-run-user", f"""
mkdir -p /etc
echo 'nobody:x:65534:65534:nobody:/:/bin/sh' > /etc/passwd
echo 'nogroup:x:65534:' > /etc/group
su nobody -s /bin/sh -c 'id -u; kjump load /boot/vmlinuz --syscall load \
    --initrd /boot/stage2.cpio.gz --append "{SECOND}" --dry-run; \
    echo "DRY rc=$?"; \
    kjump load /boot/vmlinuz --syscall load --append "{SECOND}"; \
    echo "REAL rc=$?"'
kjump status; echo "STATUS rc=$?"
""")

    assert said(r, "DRY") == ["0"]
    lines = r.output.splitlines()
    for what in ("kernel", "initrd", "purgatory", "boot_params"):
        assert any(l.split() and l.split()[-1] == what for l in lines), what
    assert said(r, "REAL") == ["1"]
    assert "needs root" in r.output
    assert said(r, "STATUS") == ["1"]


@pytest.fixture(scope="module")
def generic_kernel():
    try:
        return vmlib.fetch_kernel("linux-image-amd64")
    except subprocess.CalledProcessError:
        pytest.skip("linux-image-amd64 not downloadable")


def test_generic_kernel_through_kexec_load(guest, generic_kernel):
    with open(generic_kernel, "rb") as f:
        data = f.read()
    r = guest.run("kload-generic", f"""
kjump load /boot/generic --syscall load --initrd /boot/stage2.cpio.gz \
    --append "{SECOND} scenario=generic"
echo "LOAD rc=$?"
kjump exec
""", extra_files={"boot/generic": data}, timeout=240)
    assert said(r, "LOAD") == ["0"]
    assert "scenario=generic" in second_cmdline(r)
    release = os.path.basename(generic_kernel)[len("vmlinuz-"):]
    assert r.lines("KJ-SECOND-KERNEL") == [release]
    assert release.endswith("-amd64") and "cloud" not in release


def test_auto_falls_back_to_kexec_load(guest):
    """--syscall auto, the default: a kernel the running kernel's file
    loader refuses is loaded through kexec_load instead, and --verbose
    says so. The refusal is real: Linux 6.1's bzImage64_probe answers
    ENOEXEC when XLF_CAN_BE_LOADED_ABOVE_4G is clear, so the test clears
    that bit in the Debian kernel (which boots fine without it)."""
    with open(guest.kernel, "rb") as f:
        img = bytearray(f.read())
    assert img[0x202:0x206] == b"HdrS"
    xlf = int.from_bytes(img[0x236:0x238], "little")
    assert xlf & 0x2, "the test kernel already lacks the flag"
    img[0x236:0x238] = (xlf & ~0x2).to_bytes(2, "little")
    r = guest.run("kload-auto-fallback", f"""
kjump load /boot/below4g --verbose --initrd /boot/stage2.cpio.gz \
    --append "{SECOND} scenario=fallback" 2>/tmp/load.err
echo "LOAD rc=$?"
cat /tmp/load.err
kjump exec
""", extra_files={"boot/below4g": bytes(img)})
    assert said(r, "LOAD") == ["0"]
    assert re.search(r"kjump: kexec_file_load failed \(.*\); falling back "
                     r"to kexec_load", r.output), r.output
    assert "scenario=fallback" in second_cmdline(r)
    assert "stage2" in r.lines("KJ-MARKER")
