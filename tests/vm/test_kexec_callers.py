"""Real callers of kexec, run as they are written against kjump's `kexec`
(issue 11): each scenario issues the command lines a program issues (or
runs the program's own shell code), and asserts on what the second (or
crash) kernel, or the probe payload, printed.

Sources, with the version each line was taken from:
  * systemd 252 (Debian 12's, 252.39-1~deb12u2; the same lines are in
    later releases): src/systemctl/systemctl-start-special.c
    load_kexec_kernel() runs `KEXEC --load KERNEL --append OPTIONS
    [--initrd INITRD]`, src/shutdown/shutdown.c runs `KEXEC -e` (KEXEC is
    /sbin/kexec in Debian's build).
  * Debian kexec-tools 1:2.0.25-3+deb12u3: /etc/init.d/kexec-load
    do_stop() and /etc/init.d/kexec do_stop(); the scripts themselves are
    run, from the host's installed package.
  * Debian kdump-tools 1:1.8.1: /usr/sbin/kdump-config kdump_load() and
    kdump_unload(); the functions themselves are run, from the package
    (tools/fetch-deb kdump-tools).
  * Fedora/RHEL kdump-utils v1.0.61: kdumpctl load_kdump() (bash, so
    its argv is written out here) with KEXEC_ARGS="-s" and the x86_64
    KDUMP_COMMANDLINE_APPEND of gen-kdump-sysconfig.sh; stop_kdump().
  * petitboot v1.15-14-g96063aa: discover/boot.c kexec_load() and
    kexec_reboot().
  * ZFSBootMenu v3.1.0-20-ge155032: zfsbootmenu/lib/zfsbootmenu-core.sh
    kexec_kernel().
  * Heads v0.2.1-3094-gaedae4ff: initrd/bin/kexec-boot.sh (a Linux entry,
    then a "xen" entry: a Multiboot kernel with modules)."""
import os
import random
import re
import subprocess
import zlib
from pathlib import Path

import pytest

import kexec_guest
import probe_report
import vmlib
from vmlib import said, second_cmdline

SECOND = "console=ttyS0 quiet panic=-1 kj_stage=2"
KERNEL = "/boot/vmlinuz"
INITRD = "/boot/stage2.cpio.gz"


def function(script, name):
    """The text of shell function `name()` in script, up to its "}"."""
    lines = script.splitlines()
    start = lines.index(name + "()")
    end = lines.index("}", start)
    return "\n".join(lines[start:end + 1]) + "\n"


def test_systemd_systemctl_kexec(guest):
    # systemctl kexec: load_kexec_kernel() (no kernel loaded yet), then
    # systemd-shutdown's "kexec -e".
    r = kexec_guest.run(guest, "caller-systemd", f"""
/sbin/kexec --load "{KERNEL}" --append "{SECOND} caller=systemd" \\
    --initrd "{INITRD}"
echo "LOAD rc=$?"
/sbin/kexec -e
""")
    assert said(r, "LOAD") == ["0"]
    assert "caller=systemd" in second_cmdline(r)
    assert "stage2" in r.lines("KJ-MARKER")


LSB_STUB = """log_action_begin_msg() { echo "LSB-BEGIN $*"; }
log_action_end_msg() { echo "LSB-END $1"; }
log_action_msg() { echo "LSB-MSG $*"; }
log_success_msg() { echo "LSB-OK $*"; }
log_failure_msg() { echo "LSB-FAIL $*"; }
"""


def test_debian_kexec_tools_init_scripts(guest):
    load, run = Path("/etc/init.d/kexec-load"), Path("/etc/init.d/kexec")
    if not (load.exists() and run.exists()):
        pytest.skip("Debian's kexec-tools init scripts are not installed")
    defaults = f"""LOAD_KEXEC=true
KERNEL_IMAGE="{KERNEL}"
INITRD="{INITRD}"
APPEND="{SECOND} caller=debian-init"
USE_GRUB_CONFIG=false
"""
    # As at reboot without systemd: kexec-load stop loads, kexec stop
    # starts it (runlevel 6).
    r = kexec_guest.run(guest, "caller-debian-init", """
/etc/init.d/kexec-load stop; echo "KEXEC-LOAD rc=$?"
cat /sys/kernel/kexec_loaded | sed 's/^/KJ-LOADED /'
/etc/init.d/kexec stop
""", files={"etc/init.d/kexec-load": (load.read_text(), 0o755),
            "etc/init.d/kexec": (run.read_text(), 0o755),
            "etc/default/kexec": defaults,
            "lib/lsb/init-functions": LSB_STUB})
    # /etc/init.d/kexec clears the screen (ESC [;H ESC [2J) just before
    # the jump, in front of the second kernel's first line.
    r.output = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", r.output)
    assert said(r, "KEXEC-LOAD") == ["0"]
    assert "LSB-END 0" in r.output
    assert r.lines("KJ-LOADED") == ["1"]
    assert "caller=debian-init" in second_cmdline(r)


KDUMPCTL_APPEND = (
    # gen-kdump-sysconfig.sh: x86_64, then _common
    "irqpoll nr_cpus=1 reset_devices cgroup_disable=memory mce=off "
    "numa=off udev.children-max=2 panic=10 acpi_no_memhotplug "
    "transparent_hugepage=never nokaslr hest_disable cma=0 "
    "pcie_ports=compat novmcoredd hugetlb_cma=0 "
    "kfence.sample_interval=0 initramfs_options=size=90%")


def test_kdump_tools_and_kdumpctl(guest):
    cfg = Path(subprocess.run(
        [os.path.join(vmlib.ROOT, "tools", "fetch-deb"), "kdump-tools"],
        check=True, capture_output=True, text=True, cwd=vmlib.ROOT)
        .stdout.strip().splitlines()[-1]) / "usr/sbin/kdump-config"
    text = cfg.read_text()
    kdump_tools = "".join(function(text, f) for f in (
        "check_securelevel", "check_secure_boot", "kdump_load",
        "kdump_unload"))
    r = kexec_guest.run(guest, "caller-kdump", LSB_STUB + f"""
apply_panic_triggers() {{ :; }}
KEXEC=/sbin/kexec
ARCH=x86_64
NAME=kdump-tools
kexec_cmd_file=/tmp/kexec_cmd
KDUMP_KERNEL={KERNEL}
KDUMP_INITRD={INITRD}
KDUMP_CMDLINE="{SECOND} caller=kdump-tools"
KDUMP_CMDLINE_APPEND="reset_devices systemd.unit=kdump-tools-dump.service nr_cpus=1 irqpoll usbcore.nousb"
{kdump_tools}
# Debian kdump-tools: load, unload
kdump_load; echo "KDUMP-TOOLS-LOAD rc=$?"
echo "KJ-CMD $(cat /tmp/kexec_cmd)"
kexec -S -p; echo "LOADED-1 rc=$?"
kdump_unload; echo "KDUMP-TOOLS-UNLOAD rc=$?"
kexec -S -p; echo "UNLOADED-1 rc=$?"
# Fedora's kdumpctl: load_kdump(), stop_kdump(), load_kdump()
KEXEC_ARGS="-s"
KDUMP_COMMANDLINE="{SECOND} caller=kdumpctl {KDUMPCTL_APPEND}"
$KEXEC $KEXEC_ARGS -p "--command-line=$KDUMP_COMMANDLINE" \\
    "--initrd={INITRD}" "{KERNEL}"
echo "KDUMPCTL-LOAD rc=$?"
$KEXEC -p -u; echo "KDUMPCTL-STOP rc=$?"
kexec -S; echo "UNLOADED-2 rc=$?"
$KEXEC $KEXEC_ARGS -p "--command-line=$KDUMP_COMMANDLINE" \\
    "--initrd={INITRD}" "{KERNEL}"
echo "KDUMPCTL-RELOAD rc=$?"
kexec -S; echo "LOADED-2 rc=$?"
echo c > /proc/sysrq-trigger
""", append="console=ttyS0 quiet panic=-1 crashkernel=192M")
    assert said(r, "KDUMP-TOOLS-LOAD") == ["0"]
    assert "LSB-OK loaded kdump kernel" in r.output
    cmd = r.lines("KJ-CMD")[0]
    assert cmd.startswith("/sbin/kexec -p --command-line=")
    assert said(r, "LOADED-1") == ["1"]
    assert said(r, "KDUMP-TOOLS-UNLOAD") == ["0"]
    assert "LSB-OK unloaded kdump kernel" in r.output
    assert said(r, "UNLOADED-1") == ["0"]
    assert said(r, "KDUMPCTL-LOAD") == ["0"]
    assert said(r, "KDUMPCTL-STOP") == ["0"] and said(r, "UNLOADED-2") == ["0"]
    assert said(r, "KDUMPCTL-RELOAD") == ["0"] and said(r, "LOADED-2") == ["1"]
    # The crash kernel is kdumpctl's, and the kernel told it where the
    # crashed system's memory is.
    cmdline = second_cmdline(r)
    assert "caller=kdumpctl" in cmdline and "pcie_ports=compat" in cmdline
    assert "elfcorehdr=" in cmdline


def test_petitboot(guest):
    # kexec_load(): "-l" first ("-s" only when that fails), --debug with
    # debug logging, --initrd=, --append=ARGS, the image; kexec_reboot():
    # shutdown -r now, else "kexec -e", else "kexec -e -f".
    r = kexec_guest.run(guest, "caller-petitboot", f"""
/sbin/kexec -l --debug "--initrd={INITRD}" \\
    "--append={SECOND} caller=petitboot" "{KERNEL}" ||
/sbin/kexec -s --debug "--initrd={INITRD}" \\
    "--append={SECOND} caller=petitboot" "{KERNEL}"
echo "LOAD rc=$?"
/sbin/shutdown -r now || /sbin/kexec -e || /sbin/kexec -e -f
""")
    assert said(r, "LOAD") == ["0"]
    assert "kjump: /boot/vmlinuz: bzImage" in r.output  # --debug
    assert "caller=petitboot" in second_cmdline(r)


def test_zfsbootmenu(guest):
    # kexec_kernel(): the command line spans two source lines inside
    # double quotes, so it reaches kexec with the run of blanks the
    # continuation leaves.
    r = kexec_guest.run(guest, "caller-zfsbootmenu", f"""
mnt=""; kernel={KERNEL}; initramfs={INITRD}
root_prefix="root=zfs:"; fs="zroot/ROOT/debian"
cli_args="{SECOND} caller=zfsbootmenu"
if output="$( kexec -a -l "${{mnt}}${{kernel}}" \\
      --initrd="${{mnt}}${{initramfs}}" \\
      ${{dtb_file:+--dtb="${{dtb_file}}"}} \\
      --command-line="${{root_prefix}}${{fs}} \\
      ${{cli_args}}" 2>&1 )"
then
  echo "LOAD rc=0"
else
  echo "LOAD rc=1 $output"
fi
output="$( kexec -e -i 2>&1 )"
echo "KEXEC-E failed: $output"
""")
    assert said(r, "LOAD") == ["0"]
    cmdline = second_cmdline(r)
    assert cmdline.startswith("root=zfs:zroot/ROOT/debian ")
    assert "caller=zfsbootmenu" in cmdline
    assert "KEXEC-E failed" not in r.output


def test_heads(guest):
    """A Linux entry's line, then a "xen" entry's (Heads loads its own
    xen.gz with the OS kernel and initrd as Multiboot modules): here the
    probe payload is the Multiboot kernel and reports its modules."""
    subprocess.run(["make", "-s", "probe"], cwd=vmlib.ROOT, check=True)
    probe = (Path(vmlib.BUILD) / "probe" / "probe.elf").read_bytes()
    rng = random.Random(11)
    mod1 = bytes(rng.getrandbits(8) for _ in range(6000))
    mod2 = bytes(rng.getrandbits(8) for _ in range(9000))
    cmd1 = "root=/dev/vda1 ro intel_iommu=on"
    r = kexec_guest.run(guest, "caller-heads", f"""
kexeccmd="kexec -d"
kexeccmd="$kexeccmd -l {KERNEL}"
kexeccmd="$kexeccmd --initrd={INITRD}"
kexeccmd="$kexeccmd --append=\\"{SECOND} caller=heads\\""
eval "$kexeccmd"; echo "LINUX-LOAD rc=$?"
kexec -S -l; echo "LINUX-LOADED rc=$?"
kexeccmd="kexec -d"
kexeccmd="$kexeccmd -l /boot/xen.gz"
kexeccmd="$kexeccmd --command-line \\"no-real-mode reboot=no vga=current\\""
kexeccmd="$kexeccmd --module \\"/boot/mod1 {cmd1}\\""
kexeccmd="$kexeccmd --module \\"/boot/mod2 \\""
echo "$kexeccmd"
eval "$kexeccmd"; echo "XEN-LOAD rc=$?"
exec kexec -e
""", files={"boot/xen.gz": probe, "boot/mod1": mod1, "boot/mod2": mod2},
        until="KJPROBE end", timeout=180)
    assert said(r, "LINUX-LOAD") == ["0"] and said(r, "LINUX-LOADED") == ["1"]
    assert said(r, "XEN-LOAD") == ["0"]
    rep = probe_report.parse(r.output)
    assert rep.complete, "no probe report (see %s)" % r.log
    assert rep.magic == probe_report.MAGIC_OK
    assert rep.cmdline == "/boot/xen.gz no-real-mode reboot=no vga=current"
    mods = rep.modules
    assert [m["cmdline"] for m in mods] == ["/boot/mod1 " + cmd1,
                                           "/boot/mod2"]
    assert [m["crc32"] for m in mods] == [zlib.crc32(mod1), zlib.crc32(mod2)]
