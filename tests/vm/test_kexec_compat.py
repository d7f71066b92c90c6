"""kjump as `kexec` means what kexec-tools means (issue 11), checked in a
VM against the second (or crash) kernel's own report and, for -S and
--print-ckr-size, against kexec-tools itself (Debian 12's 2.0.25) run in
the same guest."""
import kexec_guest
from vmlib import said, second_cmdline

SECOND = "console=ttyS0 quiet panic=-1 kj_stage=2"
STAGE2 = "--initrd=/boot/stage2.cpio.gz"


def same_answers(r, *names):
    """kjump's and kexec-tools' exit codes for each KJ-/KT- pair."""
    for n in names:
        kj, kt = said(r, "KJ-" + n), said(r, "KT-" + n)
        assert kj and kj == kt, "%s: kjump %s, kexec-tools %s (see %s)" % (
            n, kj, kt, r.log)
        yield kj[0]


def test_no_action_shuts_down_and_dry_run_does_nothing(guest):
    r = kexec_guest.run(guest, "compat-shutdown", f"""
ln -s /sbin/fake-shutdown /sbin/shutdown
kexec -S; echo "KJ-S-EMPTY rc=$?"
kexec-tools -S; echo "KT-S-EMPTY rc=$?"
kexec -S -l; echo "KJ-S-L-EMPTY rc=$?"
kexec-tools -S -l; echo "KT-S-L-EMPTY rc=$?"
# --dry-run: the plan and what would follow, nothing loaded or run
kexec --dry-run /boot/vmlinuz {STAGE2} --append="{SECOND} scenario=dry"
echo "DRY-LOAD rc=$?"
kexec -S -l; echo "KJ-S-AFTER-DRY rc=$?"
kexec -l /boot/vmlinuz {STAGE2} --append="{SECOND} scenario=loaded-first"
kexec -S -l; echo "KJ-S-L-LOADED rc=$?"
kexec-tools -S -l; echo "KT-S-L-LOADED rc=$?"
kexec -S; echo "KJ-S-LOADED rc=$?"
kexec-tools -S; echo "KT-S-LOADED rc=$?"
kexec -u --dry-run; echo "DRY-UNLOAD rc=$?"
kexec -S -l; echo "KJ-S-AFTER-DRY-UNLOAD rc=$?"
kexec -e --dry-run; echo "DRY-EXEC rc=$?"
kexec -f --dry-run /boot/vmlinuz --append=x; echo "DRY-FORCE rc=$?"
echo "KJ-DRY-DONE"
# No action: load, then `shutdown -r now`, which starts it.
kexec /boot/vmlinuz {STAGE2} --append="{SECOND} scenario=no-action"
echo "NOT-REACHED rc=$?"
""", files=kexec_guest.extra_files())
    out = r.output
    empty, l_empty, l_loaded, loaded = same_answers(
        r, "S-EMPTY", "S-L-EMPTY", "S-L-LOADED", "S-LOADED")
    # 1 = loaded; the crash slot unless -l
    assert (empty, l_empty, l_loaded, loaded) == ("0", "0", "1", "0")
    assert said(r, "DRY-LOAD") == ["0"]
    assert "dry run: would run /sbin/shutdown -r now" in out
    assert said(r, "KJ-S-AFTER-DRY") == ["0"]
    assert said(r, "DRY-UNLOAD") == ["0"]
    assert "dry run: would unload the loaded kernel" in out
    assert said(r, "KJ-S-AFTER-DRY-UNLOAD") == ["1"]
    assert said(r, "DRY-EXEC") == ["0"] and said(r, "DRY-FORCE") == ["0"]
    assert "dry run: would sync the filesystems, take the network " \
        "interfaces down, and start the loaded kernel" in out
    # Nothing was shut down or started before the real no-action load.
    dry_done = out.index("\nKJ-DRY-DONE")
    assert "KJ-SHUTDOWN-ARGS" not in out[:dry_done]
    assert r.lines("KJ-SHUTDOWN-ARGS") == ["-r now"]
    assert "KJ-SHUTDOWN kexec -e" in out
    assert not said(r, "NOT-REACHED")
    cmdline = second_cmdline(r)
    assert "scenario=no-action" in cmdline
    assert "scenario=loaded-first" not in cmdline


def test_force_unload_fallback_and_crash_slot(guest):
    r = kexec_guest.run(guest, "compat-force", f"""
ln -s /sbin/fake-shutdown /sbin/shutdown
kexec --print-ckr-size; kexec-tools --print-ckr-size
kexec -v; kexec-tools -v
kexec -p /boot/vmlinuz {STAGE2} --append="{SECOND} scenario=crash"
echo "LOAD-P rc=$?"
kexec -S; echo "KJ-S rc=$?"
kexec-tools -S; echo "KT-S rc=$?"
kexec -S -l; echo "KJ-S-L rc=$?"
kexec-tools -S -l; echo "KT-S-L rc=$?"
kexec -S -p; echo "KJ-S-P rc=$?"
kexec-tools -S -p; echo "KT-S-P rc=$?"
# Unload on a kernel without kexec_file_load: kexec_load's unload.
nofileload kexec -d -p -u; echo "NOFILE-UNLOAD-P rc=$?"
kexec -S; echo "KJ-S-UNLOADED rc=$?"
kexec-tools -S; echo "KT-S-UNLOADED rc=$?"
kexec -l /boot/vmlinuz {STAGE2} --append="{SECOND} scenario=unloaded"
nofileload kexec -d -u; echo "NOFILE-UNLOAD rc=$?"
kexec -S -l; echo "KJ-S-L-UNLOADED rc=$?"
kexec-tools -S -l; echo "KT-S-L-UNLOADED rc=$?"
# What this kernel (Debian 6.1) cannot do is refused with the reason.
kexec -p /boot/vmlinuz --hotplug {STAGE2} --append="{SECOND}"
echo "HOTPLUG rc=$?"
kexec --load-preserve-context --mem-max=0x3fffffff /boot/vmlinuz \
    {STAGE2} --append="{SECOND}"
echo "PRESERVE rc=$?"
kexec --load-hardboot /boot/vmlinuz --append="{SECOND}"
echo "HARDBOOT rc=$?"
kexec -l -t nbi-x86 /boot/vmlinuz; echo "NBI rc=$?"
kexec -S -l; echo "KJ-S-L-REFUSED rc=$?"
# -f: load and start at once, no shutdown(8); auto falls back to
# kexec_load when the file syscall is missing, and -d says so.
nofileload kexec -d -f /boot/vmlinuz {STAGE2} \
    --append="{SECOND} scenario=force"
echo "NOT-REACHED rc=$?"
""", files=kexec_guest.extra_files(),
        append="console=ttyS0 quiet panic=-1 crashkernel=192M")
    out = r.output
    ckr = [l for l in out.splitlines() if l.strip().isdigit()]
    assert ckr[:2] == ["201326592", "201326592"], ckr
    assert "kexec-tools 2.0.32 (kjump " in out
    assert said(r, "LOAD-P") == ["0"]
    assert list(same_answers(r, "S", "S-L", "S-P")) == ["1", "0", "1"]
    assert said(r, "NOFILE-UNLOAD-P") == ["0"]
    assert "kexec_file_load unload: kexec: the running kernel was built " \
        "without kexec_file_load (CONFIG_KEXEC_FILE); using kexec_load" in out
    assert list(same_answers(r, "S-UNLOADED", "S-L-UNLOADED")) == ["0", "0"]
    assert said(r, "NOFILE-UNLOAD") == ["0"]
    assert said(r, "HOTPLUG") == ["1"]
    assert "--hotplug: the running kernel has no crash hotplug support" in out
    assert said(r, "PRESERVE") == ["1"]
    assert "CONFIG_KEXEC_JUMP" in out
    assert said(r, "HARDBOOT") == ["1"]
    assert "--load-hardboot: this kernel does not say it has the " \
        "kexec-hardboot patch" in out
    assert said(r, "NBI") == ["1"] and "Etherboot NBI" in out
    assert said(r, "KJ-S-L-REFUSED") == ["0"]
    assert "falling back to kexec_load" in out
    assert "cmdline  %s scenario=force" % SECOND in out  # -d: the plan
    assert "KJ-SHUTDOWN-ARGS" not in out
    assert not said(r, "NOT-REACHED")
    assert "scenario=force" in second_cmdline(r)


def test_lockdown_is_said_and_kexec_load_never_tried(guest):
    """lockdown=integrity without Secure Boot: kexec_file_load refuses an
    image the kernel's keyrings cannot verify, auto does not fall back
    to kexec_load (which lockdown forbids), and each message says what
    is enforced."""
    r = kexec_guest.run(guest, "compat-lockdown", f"""
mount -t securityfs none /sys/kernel/security
echo "KJ-LOCKDOWN $(cat /sys/kernel/security/lockdown)"
kexec -s -l /boot/vmlinuz {STAGE2} --append="{SECOND} scenario=signed"
echo "FILE rc=$?"
kexec -d -l /boot/vmlinuz {STAGE2} --append="{SECOND} scenario=signed"
echo "AUTO rc=$?"
kexec -c -l /boot/vmlinuz {STAGE2} --append="{SECOND}"
echo "LOAD rc=$?"
kexec -S -l; echo "KJ-S-L rc=$?"
dmesg | grep -i lockdown | sed 's/^/KJ-DMESG /'
[ "$(cat /sys/kernel/kexec_loaded)" = 1 ] && kexec -e
""", files=kexec_guest.extra_files(with_kexec_tools=False),
        append="console=ttyS0 quiet panic=-1 lockdown=integrity")
    out = r.output
    assert "[integrity]" in r.lines("KJ-LOCKDOWN")[0]
    assert said(r, "LOAD") == ["1"]
    assert "kernel lockdown (integrity; the machine booted without EFI " \
        "(no Secure Boot)) forbids kexec_load" in out
    assert "falling back to kexec_load" not in out
    if said(r, "FILE") == ["0"]:
        # The kernel's keyrings verified Debian's signature: the image
        # it loaded is the one that boots.
        assert "scenario=signed" in second_cmdline(r)
        return
    assert said(r, "FILE") == ["1"] and said(r, "AUTO") == ["1"]
    assert "lockdown (integrity; the machine booted without EFI (no " \
        "Secure Boot))" in out
    assert said(r, "KJ-S-L") == ["0"]
    assert "no kexec_load fallback after Operation not permitted" in out
    # The kernel's own word for the same refusal.
    assert any("Lockdown: kexec: kexec of unsigned images is restricted"
               in l for l in r.lines("KJ-DMESG")), r.log


VGA_DUMP = r"""#!/bin/sh
# The VGA text screen as the purgatory left it: characters at even
# offsets of 0xb8000, attribute 7 at odd ones.
dd if=/dev/mem bs=4096 skip=184 count=1 2>/dev/null | tr -d '\007' |
    fold -w 80 | sed 's/ *$//' | grep . | sed 's/^/KJ-VGA /'
"""


def test_purgatory_screen_32bit_entry_and_retained_initrd(guest):
    """kexec_load with kexec-tools' purgatory options: --console-vga,
    --reset-vga, --console-serial at --serial-baud, a bzImage entered at
    32 bits (--entry-32bit), with the initrd the first kernel retained
    (--reuseinitrd). The second kernel reads the VGA screen back."""
    r = kexec_guest.run(guest, "compat-vga", f"""
kexec -c -l /boot/vmlinuz --reuseinitrd --entry-32bit --console-vga \
    --reset-vga --serial=ttyS0 --console-serial --serial-baud=115200 \
    --append="{SECOND} scenario=vga" -d
echo "LOAD rc=$?"
kexec -e
""", files={"stage2.sh": (VGA_DUMP, 0o755),
            "markers/retained": "retained\n"},
        append="console=ttyS0 quiet panic=-1 retain_initrd",
        qemu=["-vga", "std"])
    out = r.output
    assert said(r, "LOAD") == ["0"]
    assert "kjump purgatory: VGA reset to 80x25 text mode" in out
    assert "(32-bit protected mode) eax=0x0 ebx=0x0 esi=0x" in out
    assert "scenario=vga" in second_cmdline(r)
    # The retained initrd is the one the second kernel unpacked.
    assert "retained" in r.lines("KJ-MARKER")
    vga = r.lines("KJ-VGA")
    assert any(l.startswith("kjump purgatory: running at") for l in vga), \
        "VGA screen: %r (see %s)" % (vga, r.log)
    assert any("32-bit protected mode" in l for l in vga)
