"""kjump itself on arm64, the checks around a boot: the purgatory's
digests (a corrupted segment halts it) and progress lines at EL2 with
VHE, crash kernels (--panic, a forced crash, /proc/vmcore), status and
unload without kexec_file_load, and an unprivileged --dry-run. Debian's
arm64 cloud kernel under qemu-system-aarch64 -M virt (TCG); each scenario
asserts on what the second kernel, the purgatory or the plan printed.
Run: /usr/bin/python3 -m pytest -v tests/vm/test_kjump_arm64_checks.py
"""
import json
import re

import pytest

import arm64lib
from arm64lib import SECOND, plan_segments, plan_then
from vmlib import assert_plan_digests, said, second_cmdline

INITRD = "/boot/stage2.cpio.gz"
LOAD = "kjump load /boot/vmlinuz --initrd " + INITRD
CRASH_MB = 256


@pytest.fixture(scope="module")
def guest(tmp_path_factory):
    return arm64lib.Guest(str(tmp_path_factory.mktemp("a64checks")),
                          kjump=arm64lib.kjump(), with_kexec_tools=False)


def test_corrupt_segment_halts(guest):
    """The digest recorded for the initrd (segment 1) is made wrong
    (the test-only KJUMP_TEST_CORRUPT_SEGMENT): the purgatory says which
    segment failed, on the console even without --console-serial, and
    halts instead of entering the next kernel. (That it then stays
    halted is test_purgatory_arm64.py's to watch: here the run ends at
    its last word.)"""
    r = guest.run("a64-kjump-corrupt", f"""
KJUMP_TEST_CORRUPT_SEGMENT=1 {LOAD} --append "{SECOND} scenario=corrupt" \
    --verbose
echo "LOAD rc=$?"
kjump exec
""", timeout=60, until="kjump purgatory: halted")
    assert said(r, "LOAD") == ["0"]
    assert not r.timed_out, "the purgatory never said it halted"
    initrd = plan_segments(r.output)["initrd"][0]
    assert ("kjump purgatory: segment 1 at 0x%x mismatch (xxh64)"
            % initrd) in r.output
    assert re.search(r"kjump purgatory:   expected [0-9a-f]{16}\n",
                     r.output)
    assert "kjump purgatory: halted" in r.output
    assert "KJ-SECOND" not in r.output


def test_console_serial_el2_vhe(guest, capsys):
    """--console-serial (the device tree's stdout-path) at EL2 with VHE
    (-cpu max, virtualization=on: the kernel runs at EL2 with E2H): the
    purgatory runs there, hashes with its MMU and D-cache on (here with
    --checks=sha256, the chunk-list SHA-256), and enters the next kernel
    at EL2 with x0 = the tree."""
    r = guest.run("a64-kjump-serial-el2", f"""
{LOAD} --console-serial --checks=sha256 --append "{SECOND} scenario=serial" \
    --verbose
echo "LOAD rc=$?"
echo "EXEC-NOW"
kjump exec
""", el2=True, timeout=180)
    assert said(r, "LOAD") == ["0"]
    segs = plan_segments(r.output)
    pc, x0 = plan_then(r.output)
    assert x0 == segs["dtb"][0] and pc == segs["kernel"][0]
    out = r.output
    assert ("kjump purgatory: running at 0x%x, EL2 (VHE)"
            % segs["purgatory"][0]) in out
    assert re.search(r"kjump purgatory: verifying 3 segments \(sha256\), "
                     r"MMU and D-cache on \(SCTLR_EL2 ", out)
    for i, what in enumerate(("kernel", "initrd", "dtb")):
        assert ("kjump purgatory: segment %d ok (len %d at 0x%x)"
                % (i, segs[what][1] - segs[what][0], segs[what][0])
                in out) or re.search(
                    r"kjump purgatory: segment %d ok \(len \d+ at 0x%x\)"
                    % (i, segs[what][0]), out), what
    assert ("kjump purgatory: entering 0x%x (arm64 linux, EL2) x0=0x%x "
            "x1=0x0 x2=0x0 x3=0x0" % (pc, x0)) in out
    assert "scenario=serial" in second_cmdline(r).split()
    assert "KJ-MARKER stage2" in out
    t0, t1 = r.when("EXEC-NOW"), r.when("KJ-SECOND-CMDLINE")
    with capsys.disabled():
        print("\nEL2 VHE, verified, --console-serial: exec to the second "
              "kernel's /init %.1f s, %.1f s in all" % (t1 - t0, r.seconds))


def test_panic_crash_kernel(guest, capsys):
    """kjump load --panic, then a forced crash: the crash kernel kjump
    placed inside the crash region boots with our ELF core header
    (/chosen linux,elfcorehdr) and its memory (linux,usable-memory-
    range), and reads the old kernel's memory from /proc/vmcore: the
    notes, and pages the first kernel filled with a marker."""
    r = guest.run("a64-kjump-panic", f"""
grep "Crash kernel" /proc/iomem | sed 's/^ */KJ-CRASH-REGION /'
u=$(cat /proc/sys/kernel/random/uuid)
yes "kjmark-$u" | head -c 4096 > /tmp/mark
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14; do
    cat /tmp/mark /tmp/mark > /tmp/m2 && mv /tmp/m2 /tmp/mark
done
{LOAD} --panic --append "{SECOND} scenario=panic kj_mark=$u" --verbose
echo "LOAD rc=$?"
kjump status --json | sed 's/^/KJ-STATUS /'
echo "EXEC-NOW"
echo c > /proc/sysrq-trigger
""", append=arm64lib.CONSOLE + " quiet panic=-1 crashkernel=%dM" % CRASH_MB,
        timeout=240)
    assert said(r, "LOAD") == ["0"], r.output[-3000:]
    status = json.loads(r.lines("KJ-STATUS")[-1])
    assert status["kexec_crash_loaded"] and not status["kexec_loaded"]
    lo, hi = (int(x, 16) for x in
              r.lines("KJ-CRASH-REGION")[0].split()[0].split("-"))
    hi += 1
    segs = plan_segments(r.output)
    assert set(segs) == {"kernel", "initrd", "elfcorehdr", "dtb",
                         "purgatory"}
    for what, (start, end) in segs.items():
        assert lo <= start and end <= hi, (what, hex(start), hex(end))
    assert "scenario=panic" in second_cmdline(r).split()
    chosen = r.lines("KJ-SECOND-CHOSEN")[-1].split()
    assert "linux,elfcorehdr" in chosen
    assert "linux,usable-memory-range" in chosen
    # Its own memory is the crash region, no more.
    memtotal_kb = int(r.lines("KJ-SECOND-MEMTOTAL")[-1].split()[0])
    assert memtotal_kb * 1024 <= hi - lo
    # /proc/vmcore: an arm64 ELF core (e_machine 183) of the RAM
    # outside the crash region, with the old kernel's VMCOREINFO note.
    head = bytes.fromhex(r.lines("KJ-SECOND-VMCORE-HEAD")[-1])
    assert head[:4] == b"\x7fELF" and head[4] == 2 and head[16] == 4
    assert int.from_bytes(head[18:20], "little") == 183
    size = int(r.lines("KJ-SECOND-VMCORE-SIZE")[-1])
    assert (1024 - CRASH_MB - 64) << 20 < size < (1024 - CRASH_MB + 1) << 20
    release = r.lines("KJ-SECOND-KERNEL")[-1]
    assert r.lines("KJ-SECOND-VMCORE-NOTE") == ["OSRELEASE=" + release]
    assert int(r.lines("KJ-SECOND-VMCORE-MARK")[-1]) > 0
    t0, t1 = r.when("EXEC-NOW"), r.when("KJ-SECOND-CMDLINE")
    with capsys.disabled():
        print("\npanic: crash to the crash kernel's /init %.1f s, %.1f s "
              "in all" % (t1 - t0, r.seconds))


def test_status_and_unload(guest):
    """status and unload through kexec_load alone (the kernel has no
    kexec_file_load): both slots, both spellings; then the last load
    is the one that boots."""
    r = guest.run("a64-kjump-unload", f"""
st() {{ echo "KJ-ST $1 $(cat /sys/kernel/kexec_loaded)" \
    "$(cat /sys/kernel/kexec_crash_loaded)"; }}
{LOAD} --append "{SECOND} scenario=unloaded"; st loaded
kjump status >/dev/null; echo "STATUS1 rc=$?"
kjump unload; echo "UNLOAD rc=$?"; st unloaded
kjump status >/dev/null; echo "STATUS2 rc=$?"
kexec -l /boot/vmlinuz --initrd={INITRD} --append="{SECOND} scenario=x"
kexec -u; echo "KUNLOAD rc=$?"; st kexec-unloaded
{LOAD} --panic --append "{SECOND} scenario=crash"; st crash
kjump unload --panic; echo "PUNLOAD rc=$?"; st crash-unloaded
kexec -S; echo "KSTATUS rc=$?"
{LOAD} --append "{SECOND} scenario=final"
echo "EXEC-NOW"
kjump exec
""", append=arm64lib.CONSOLE + " quiet panic=-1 crashkernel=%dM" % CRASH_MB,
        timeout=180)
    st = {l.split()[0]: l.split()[1:] for l in r.lines("KJ-ST")}
    assert st == {"loaded": ["1", "0"], "unloaded": ["0", "0"],
                  "kexec-unloaded": ["0", "0"], "crash": ["0", "1"],
                  "crash-unloaded": ["0", "0"]}, st
    assert said(r, "STATUS1") == ["0"] and said(r, "STATUS2") == ["1"]
    assert said(r, "UNLOAD") == ["0"] and said(r, "KUNLOAD") == ["0"]
    # kexec -S is kexec-tools' question: 1 when the crash kernel is
    # loaded, 0 when not (it was just unloaded).
    assert said(r, "PUNLOAD") == ["0"] and said(r, "KSTATUS") == ["0"]
    assert "scenario=final" in second_cmdline(r).split()


def test_dry_run_unprivileged(guest):
    """An ordinary user asks what would be loaded: /proc/iomem reads as
    zeros and /sys/firmware/fdt is root's, so the plan comes from the
    unflattened device tree (memory nodes, its reservations); it shows
    the segments, the tree, the entry and x0, and nothing is loaded. The
    real load is refused as needing root; a crash load cannot be
    planned without the crash region."""
    r = guest.run("a64-kjump-dry-user", f"""
mkdir -p /etc
echo 'nobody:x:65534:65534:nobody:/:/bin/sh' > /etc/passwd
echo 'nogroup:x:65534:' > /etc/group
su nobody -s /bin/sh -c '
id -u | sed "s/^/KJ-UID /"
{LOAD} --append "{SECOND}" --dry-run --verbose; echo "DRY rc=$?"
{LOAD} --append "{SECOND}" --dry-run --json | sed "s/^/KJ-JSON /"
{LOAD} --append "{SECOND}"; echo "REAL rc=$?"
{LOAD} --append "{SECOND}" --panic --dry-run; echo "PANIC rc=$?"'
kjump status >/dev/null; echo "STATUS rc=$?"
{LOAD} --append "{SECOND} scenario=root" --dry-run | sed 's/^/KJ-ROOT /'
""", timeout=120)
    assert r.lines("KJ-UID") == ["65534"]
    assert said(r, "DRY") == ["0"]
    assert "memory map from the device tree (/proc/iomem reads as 0" \
        in r.output
    assert "running tree rebuilt from /sys/firmware/devicetree/base" \
        in r.output
    segs = plan_segments(r.output)
    assert list(segs) == ["kernel", "initrd", "dtb", "purgatory"]
    pc, x0 = plan_then(r.output)
    assert pc == segs["kernel"][0] and x0 == segs["dtb"][0]
    plan = json.loads(r.lines("KJ-JSON")[-1])["plan"]
    assert [s["what"] for s in plan["segments"]] == list(segs)
    assert plan["registers"]["mode"] == "arm64"
    dtb = [s for s in plan["segments"] if s["what"] == "dtb"][0]
    assert plan["registers"]["x0"] == dtb["mem"]
    # The default check, and the digest of every segment it covers.
    assert_plan_digests(plan, "xxh64")
    assert "dry run: nothing loaded" in r.output
    assert said(r, "REAL") == ["1"] and "needs root" in r.output
    assert said(r, "PANIC") == ["1"]
    assert "cannot find the crash kernel region (run as root)" in r.output
    assert said(r, "STATUS") == ["1"]
    # Root's plan has the same segments (placed by /proc/iomem).
    root = plan_segments("\n".join(r.lines("KJ-ROOT")))
    assert list(root) == list(segs)
