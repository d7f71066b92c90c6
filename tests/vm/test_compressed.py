"""Compressed kernels: a gzip'd bzImage is decompressed by kjump and,
for kexec_file_load (which reads a file descriptor), handed over
through an anonymous memfd; through kexec_load it becomes segments like
any other. Asserts on what the second kernel printed."""
from vmlib import said

SECOND = "console=ttyS0 quiet panic=-1 kj_stage=2"


def test_gzip_bzimage_file_syscall(guest):
    r = guest.run("gz-bzimage-file", f"""
gzip -c /boot/vmlinuz > /tmp/vmlinuz.gz
kjump inspect /tmp/vmlinuz.gz | grep -q 'kernel_version' && echo INSPECT-OK
kjump load /tmp/vmlinuz.gz --syscall file --initrd /boot/stage2.cpio.gz \
    --append "{SECOND} scenario=gz-file" --verbose
echo "LOAD rc=$?"
kjump exec
""", timeout=150)
    assert said(r, "LOAD") == ["0"]
    assert "INSPECT-OK" in r.output
    assert "gzip-compressed" in r.output
    cmd = r.lines("KJ-SECOND-CMDLINE")
    assert cmd and "scenario=gz-file" in cmd[-1], \
        "second kernel never reported (see %s)" % r.log


def test_gzip_bzimage_load_syscall(guest):
    r = guest.run("gz-bzimage-load", f"""
gzip -c /boot/vmlinuz > /tmp/vmlinuz.gz
kexec -c -l /tmp/vmlinuz.gz --initrd=/boot/stage2.cpio.gz \
    --append="{SECOND} scenario=gz-load"
echo "LOAD rc=$?"
kexec -e
""", timeout=150)
    assert said(r, "LOAD") == ["0"]
    cmd = r.lines("KJ-SECOND-CMDLINE")
    assert cmd and "scenario=gz-load" in cmd[-1], \
        "second kernel never reported (see %s)" % r.log
