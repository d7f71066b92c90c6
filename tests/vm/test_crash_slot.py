"""The crash slot (issue 13): Linux unloads the loaded crash kernel at the
start of every crash load, before it checks the new one. A --panic load
the kernel refuses therefore leaves none; kjump must say so and print the
command that loads the old one again, and that command must work: the
crash kernel it loads is the one a panic then boots."""
from vmlib import said, second_cmdline

SECOND = "console=ttyS0 quiet panic=-1 kj_stage=2"


def test_refused_crash_load_says_how_to_reload(guest):
    # The kernel's own bzImage64 loader refuses a kernel without
    # XLF_CAN_BE_LOADED_ABOVE_4G (ENOEXEC), after it emptied the slot;
    # kjump's checks pass it (the flag does not stop kexec_load).
    with open(guest.kernel, "rb") as f:
        img = bytearray(f.read())
    xlf = int.from_bytes(img[0x236:0x238], "little")
    img[0x236:0x238] = (xlf & ~0x2).to_bytes(2, "little")
    r = guest.run("crash-slot", f"""
kexec -p /boot/vmlinuz --initrd=/boot/stage2.cpio.gz \
    --append="{SECOND} scenario=crash-reloaded"
echo "FIRST rc=$?"
echo "LOADED-1 $(cat /sys/kernel/kexec_crash_loaded)"
kjump status --json | sed 's/^/KJ-STATUS /'
kjump load /boot/below4g --panic --syscall file \
    --initrd /boot/stage2.cpio.gz --append "{SECOND} scenario=refused" \
    2>/tmp/err
echo "REFUSED rc=$?"
sed 's/^/KJ-ERR /' /tmp/err
echo "LOADED-2 $(cat /sys/kernel/kexec_crash_loaded)"
cmd=$(sed -n 's/.*reload it with //p' /tmp/err)
eval "$cmd"
echo "RELOAD rc=$?"
echo "LOADED-3 $(cat /sys/kernel/kexec_crash_loaded)"
echo c > /proc/sysrq-trigger
""", append="console=ttyS0 quiet panic=-1 crashkernel=256M",
                  extra_files={"boot/below4g": bytes(img)}, timeout=200)
    assert said(r, "FIRST") == ["0"]
    assert r.lines("LOADED-1") == ["1"]
    status = r.lines("KJ-STATUS")[0]
    assert '"crash_reload":"kexec -p /boot/vmlinuz' in status, status
    assert said(r, "REFUSED") == ["1"]
    err = r.lines("KJ-ERR")
    assert len(err) == 1, err                 # one line
    assert "/boot/below4g" in err[0]          # names the file
    assert "the crash kernel loaded before is gone" in err[0]
    assert "reload it with kexec -p /boot/vmlinuz" in err[0]
    assert r.lines("LOADED-2") == ["0"]       # the kernel emptied the slot
    assert said(r, "RELOAD") == ["0"]
    assert r.lines("LOADED-3") == ["1"]
    # The panic boots the crash kernel the printed command loaded.
    assert "scenario=crash-reloaded" in second_cmdline(r)
