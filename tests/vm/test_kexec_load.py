"""kjump through the classic kexec_load: kjump lays out every segment
(kernel, initrd, boot_params, our purgatory) and the purgatory checks
their SHA-256 before entering the second kernel. Each test asserts on
what the *second* kernel reports, or on the purgatory refusing."""
import json

LOAD = "kjump load /boot/vmlinuz --syscall load --initrd /boot/stage2.cpio.gz"
SECOND = "console=ttyS0 quiet panic=-1 kj_stage=2"


def said(result, key):
    return [l.split("rc=")[1].strip() for l in result.output.splitlines()
            if l.startswith(key + " rc=")]


def second_cmdline(result):
    lines = result.lines("KJ-SECOND-CMDLINE")
    assert lines, "the second kernel never reported (see %s)" % result.log
    return lines[-1]


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
    plan = json.loads(r.lines("PLAN-JSON")[-1])
    what = [s["what"] for s in plan["segments"]]
    assert what == ["kernel", "initrd", "purgatory", "boot_params"]
    kernel = plan["segments"][0]
    assert plan["registers"]["entry"] == kernel["mem"] + 0x200
    purg = plan["segments"][2]
    assert purg["mem"] <= plan["entry"] < purg["end"]
    assert plan["registers"]["rsi"] == plan["segments"][3]["mem"]
    assert "kj_stage=2" in plan["cmdline"]
    # The text form names every segment; nothing reached the kernel.
    assert any(l.split()[-1] == "boot_params" for l in r.output.splitlines()
               if l.strip().startswith("3 "))
    assert said(r, "STATUS") == ["1"]
    assert not r.lines("KJ-SECOND-CMDLINE")


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
    assert "SHA-256 mismatch" in r.output
    assert not r.lines("KJ-SECOND-CMDLINE")
