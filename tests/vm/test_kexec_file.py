"""kjump through kexec_file_load: a Debian kernel kexecs a second Debian
kernel, and each test asserts on what the *second* kernel reports (its
/proc/cmdline and the marker files its initrd carried)."""
from vmlib import said, second_cmdline


LOAD = "kjump load /boot/vmlinuz --initrd /boot/stage2.cpio.gz"
SECOND = "console=ttyS0 quiet panic=-1 kj_stage=2"


def test_load_exec_with_initrd_and_cmdline(guest):
    r = guest.run("load-exec", f"""
{LOAD} --append "{SECOND} scenario=load-exec"
kjump exec
""")
    cmdline = second_cmdline(r)
    assert "scenario=load-exec" in cmdline
    assert "stage2" in r.lines("KJ-MARKER")


def test_kexec_tools_spelling(guest):
    r = guest.run("kexec-name", f"""
kexec -s -l /boot/vmlinuz --initrd=/boot/stage2.cpio.gz \
    --append="{SECOND} scenario=kexec-name"
kexec -e
""")
    assert "scenario=kexec-name" in second_cmdline(r)
    assert "stage2" in r.lines("KJ-MARKER")


def test_reuse_cmdline_plus_append(guest):
    # The first kernel is booted as a boot loader would, with BOOT_IMAGE=.
    first = "BOOT_IMAGE=/boot/vmlinuz-first console=ttyS0 quiet panic=-1 " \
            "reused_word=1"
    r = guest.run("reuse-cmdline", """
kexec -l /boot/vmlinuz --initrd=/boot/stage2.cpio.gz --reuse-cmdline \
    --append="kj_stage=2 appended_word=1"
kexec -e
""", append=first)
    cmdline = second_cmdline(r)
    assert "reused_word=1" in cmdline
    assert "appended_word=1" in cmdline
    assert cmdline.index("reused_word=1") < cmdline.index("appended_word=1")
    assert "BOOT_IMAGE" not in cmdline


def test_two_initrds_both_visible(guest):
    r = guest.run("two-initrds", f"""
{LOAD} --initrd /boot/extra.cpio.gz --append "{SECOND} scenario=two"
kjump exec
""")
    assert "scenario=two" in second_cmdline(r)
    markers = r.lines("KJ-MARKER")
    assert "stage2" in markers and "extra" in markers


def test_status_and_unload(guest):
    r = guest.run("status-unload", f"""
kjump status; echo "STATUS-BEFORE rc=$?"
kexec -S -l; echo "KEXEC-S-BEFORE rc=$?"
{LOAD} --append "{SECOND} scenario=first-load"
kjump status; echo "STATUS-LOADED rc=$?"
kjump status --json
kexec -S -l; echo "KEXEC-S-LOADED rc=$?"
kexec -S; echo "KEXEC-S-CRASH rc=$?"
kjump unload; echo "UNLOAD rc=$?"
kjump status; echo "STATUS-UNLOADED rc=$?"
kjump exec; echo "EXEC-AFTER-UNLOAD rc=$?"
{LOAD} --append "{SECOND} scenario=after-unload"
kjump exec
""")
    out = r.output
    # kjump status: 0 = loaded; kexec -S as kexec-tools: 1 = loaded, and
    # without -l it asks about the crash kernel (not loaded here).
    assert said(r, "STATUS-BEFORE") == ["1"] and said(r, "KEXEC-S-BEFORE") == ["0"]
    assert said(r, "STATUS-LOADED") == ["0"] and said(r, "KEXEC-S-LOADED") == ["1"]
    assert said(r, "KEXEC-S-CRASH") == ["0"]
    assert '"kexec_loaded":true' in out
    assert said(r, "UNLOAD") == ["0"] and said(r, "STATUS-UNLOADED") == ["1"]
    assert "no kernel is loaded" in out
    assert said(r, "EXEC-AFTER-UNLOAD") == ["1"]
    # The kernel that boots is the one loaded after the unload.
    cmdline = second_cmdline(r)
    assert "scenario=after-unload" in cmdline
    assert "scenario=first-load" not in cmdline


def test_truncated_image_keeps_good_kernel(guest):
    r = guest.run("truncated", f"""
{LOAD} --append "{SECOND} scenario=good-kernel"
head -c 3000000 /boot/vmlinuz > /tmp/truncated
kjump load /tmp/truncated --initrd /boot/stage2.cpio.gz \
    --append "{SECOND} scenario=bad-kernel"
echo "BAD-LOAD rc=$?"
kjump status; echo "STATUS rc=$?"
kjump exec
""")
    out = r.output
    assert "kjump: /tmp/truncated: truncated" in out
    assert said(r, "BAD-LOAD") and said(r, "BAD-LOAD") != ["0"]
    assert said(r, "STATUS") == ["0"]
    assert "scenario=good-kernel" in second_cmdline(r)


def test_exec_with_nothing_loaded(guest):
    r = guest.run("exec-nothing", """
kjump exec; echo "EXEC rc=$?"
kexec -e; echo "KEXEC-E rc=$?"
""")
    out = r.output
    assert "kjump: no kernel is loaded" in out
    assert said(r, "EXEC") == ["1"] and said(r, "KEXEC-E") == ["1"]
    # Nothing was started: the first kernel went on with the script.
    assert "KJ-SCENARIO-EXIT" in out
    assert not r.lines("KJ-SECOND-CMDLINE")


def test_panic_kernel_catches_a_crash(guest):
    # The first kernel reserves crash memory; kexec -p loads the crash
    # kernel into it; a forced panic must start it.
    first = "console=ttyS0 quiet crashkernel=192M"
    r = guest.run("panic", f"""
kexec -p /boot/vmlinuz --initrd=/boot/stage2.cpio.gz \
    --append="{SECOND} scenario=crash nr_cpus=1 reset_devices"
echo "LOAD-PANIC rc=$?"
kjump status; echo "STATUS rc=$?"
kexec -S -p; echo "KEXEC-S-P rc=$?"
kexec -S; echo "KEXEC-S rc=$?"
echo c > /proc/sysrq-trigger
""", append=first, memory=1024)
    assert said(r, "LOAD-PANIC") == ["0"]
    assert "kexec_crash_loaded   1" in r.output
    # Nothing is loaded in the normal slot, so plain status says 1.
    assert said(r, "STATUS") == ["1"] and said(r, "KEXEC-S-P") == ["1"]
    assert said(r, "KEXEC-S") == ["1"]  # the crash kernel by default
    cmdline = second_cmdline(r)
    assert "scenario=crash" in cmdline
    # The kernel adds elfcorehdr= for a crash kernel: proof it is one.
    assert "elfcorehdr=" in cmdline
