"""The arm64 side of the VM suite: Debian's arm64 parts, fetched with
tools/fetch-deb PKG:arm64 into the cache (never installed on the host),
and a first-stage guest under `qemu-system-aarch64 -M virt` (TCG).

Uses vmlib's Cpio, INIT and run_qemu; only the parts differ: busybox and
kexec-tools for arm64, the cloud kernel (CONFIG_KEXEC but no
CONFIG_KEXEC_FILE: only kexec_load works), the PL011 console.
"""
import os
import shutil
import subprocess

import vmlib

CONSOLE = "console=ttyAMA0"
# kexec-tools' arm64 binary and the shared libraries it needs (it is
# linked against Xen's libxenctrl), by package.
KEXEC_LIB_PACKAGES = ["libc6", "zlib1g", "libxenmisc4.17", "libxentoollog1",
                      "libxencall1", "libxenevtchn1", "libxengnttab1",
                      "libxenforeignmemory1", "libxendevicemodel1",
                      "libxentoolcore1"]


# What the second arm64 kernel reports besides vmlib's INIT lines:
# firmware interfaces it found and the /chosen properties it was given.
STAGE2 = r"""#!/bin/busybox sh
[ -d /sys/firmware/efi ] && efi=yes || efi=no
[ -d /sys/firmware/acpi/tables ] && acpi=yes || acpi=no
echo "KJ-SECOND-EFI $efi"
echo "KJ-SECOND-ACPI $acpi"
echo "KJ-SECOND-MEMTOTAL $(sed -n 's/^MemTotal: *//p' /proc/meminfo)"
if [ -d /proc/device-tree/chosen ]; then
    echo "KJ-SECOND-CHOSEN $(ls /proc/device-tree/chosen | tr '\n' ' ')"
fi
# A property only a tree given with --dtb has (test_kjump_arm64.py).
if [ -e /proc/device-tree/kjump,test ]; then
    echo "KJ-SECOND-DT-TEST $(cat /proc/device-tree/kjump,test)"
fi
# A crash kernel: the old kernel's memory, as our ELF core header says.
# kj_mark=M: the first kernel filled tmpfs pages with "kjmark-M" lines;
# 64 chunks spread over the dump are searched for them (a whole scan of
# the dump takes minutes under TCG).
if [ -e /proc/vmcore ]; then
    size=$(stat -c %s /proc/vmcore)
    echo "KJ-SECOND-VMCORE-SIZE $size"
    head=$(head -c 20 /proc/vmcore | od -An -tx1 | tr -d '\n')
    echo "KJ-SECOND-VMCORE-HEAD $head"
    note=$(head -c 65536 /proc/vmcore | strings -n 8 | grep -m1 '^OSRELEASE=')
    echo "KJ-SECOND-VMCORE-NOTE $note"
    mark=$(sed -n 's/.*kj_mark=\([^ ]*\).*/\1/p' /proc/cmdline)
    if [ -n "$mark" ]; then
        step=$((size / 65536 / 64)) hits=0
        for i in $(seq 0 63); do
            dd if=/proc/vmcore bs=65536 skip=$((i * step)) count=1 \
                2>/dev/null | grep -q "kjmark-$mark" && hits=$((hits + 1))
        done
        echo "KJ-SECOND-VMCORE-MARK $hits"
    fi
fi
"""


def fetch(package):
    """tools/fetch-deb PACKAGE:arm64; the extraction directory."""
    out = subprocess.run([os.path.join(vmlib.ROOT, "tools", "fetch-deb"),
                          package + ":arm64"], check=True,
                         capture_output=True, text=True, cwd=vmlib.ROOT)
    return out.stdout.strip().splitlines()[-1]


def kernel():
    """Debian's arm64 cloud kernel (an Image with an EFI stub)."""
    return vmlib.find_vmlinuz(fetch("linux-image-cloud-arm64"))


def generic_kernel():
    """Debian's generic arm64 kernel (linux-image-arm64)."""
    return vmlib.find_vmlinuz(fetch("linux-image-arm64"))


def kjump():
    """build/arm64/kjump: the static cross build (make ARCH=arm64), with
    libfdt-dev:arm64 fetched into the cache first (tools/deps does that
    on a fresh machine; a VM file run on its own should not depend on
    it)."""
    fetch("libfdt-dev")
    vmlib.make("ARCH=arm64")
    return os.path.join(vmlib.BUILD, "arm64", "kjump")


def busybox():
    return os.path.join(fetch("busybox-static"), "bin", "busybox")


def _needed(path):
    out = subprocess.run(["aarch64-linux-gnu-readelf", "-d", path],
                         check=True, capture_output=True, text=True).stdout
    return [l.split("[")[1].split("]")[0] for l in out.splitlines()
            if "(NEEDED)" in l]


def kexec_tools():
    """kexec-tools' arm64 /sbin/kexec and every library it needs, as
    {path in the guest: host path}: the dynamic loader at its ELF
    interpreter path, the rest in /lib/aarch64-linux-gnu."""
    exe = os.path.join(fetch("kexec-tools"), "sbin", "kexec")
    libdirs = []
    for pkg in KEXEC_LIB_PACKAGES:
        d = fetch(pkg)
        for sub in ("lib/aarch64-linux-gnu", "usr/lib/aarch64-linux-gnu"):
            if os.path.isdir(os.path.join(d, sub)):
                libdirs.append(os.path.join(d, sub))
    files = {"sbin/kexec": exe}
    todo = _needed(exe)
    while todo:
        name = todo.pop()
        dest = ("lib/ld-linux-aarch64.so.1" if name.startswith("ld-linux")
                else "lib/aarch64-linux-gnu/" + name)
        if dest in files:
            continue
        for d in libdirs:
            p = os.path.join(d, name)
            if os.path.exists(p):
                files[dest] = os.path.realpath(p)
                todo += _needed(files[dest])
                break
        else:
            raise FileNotFoundError("kexec-tools:arm64 needs %s, not in "
                                    "the fetched packages" % name)
    return files


def uefi_vars(workdir, name):
    """A fresh writable copy of AAVMF's variable store for one boot."""
    path = os.path.join(workdir, name + "-vars.fd")
    shutil.copyfile(vmlib.AAVMF_VARS, path)
    return path


class Guest:
    """A first-stage arm64 guest: busybox, kexec-tools, the cloud kernel
    at /boot/vmlinuz and the second stage's initrds (vmlib's INIT runs
    /scenario.sh, a kernel with kj_stage=2 reports and powers off).

    With kjump (a path: build/arm64/kjump) it is /bin/kjump and `kexec`
    is kjump; kexec-tools, when wanted too, is /bin/kexec-tools."""

    def __init__(self, workdir, kernel_path=None, extra_files=None,
                 kjump=None, with_kexec_tools=True):
        self.workdir = workdir
        self.kernel = kernel_path or kernel()
        bb = busybox()
        c = vmlib.Cpio()
        vmlib.busybox_base(c, bb)
        if with_kexec_tools:
            for dest, src in kexec_tools().items():
                if kjump and dest == "sbin/kexec":
                    dest = "bin/kexec-tools"
                c.host_file(dest, src, 0o755)
        if kjump:
            c.host_file("bin/kjump", kjump, 0o755)
            c.symlink("sbin/kexec", "/bin/kjump")
        c.host_file("boot/vmlinuz", self.kernel, 0o644)
        c.file("boot/stage2.cpio.gz", self._stage2(bb))
        for dest, src in (extra_files or {}).items():
            c.host_file(dest, src)
        self.base = c.finish()

    @staticmethod
    def _stage2(bb):
        c = vmlib.Cpio()
        vmlib.busybox_base(c, bb)
        c.file("markers/stage2", "stage2\n")
        c.file("stage2.sh", STAGE2, 0o755)
        return c.finish()

    def run(self, name, script, append=CONSOLE + " quiet panic=-1",
            timeout=300, memory=1024, el2=False, uefi=False,
            extra_files=None, until=None):
        c = vmlib.Cpio()
        c.file("scenario.sh", "set -x\n" + script, 0o755)
        for path, data in (extra_files or {}).items():
            c.file(path, data)
        initrd = os.path.join(self.workdir, name + ".cpio.gz")
        with open(initrd, "wb") as f:
            f.write(self.base + c.finish())
        return vmlib.run_qemu(
            name, "tcg", self.kernel, initrd, append, timeout=timeout,
            memory=memory, stamps=True, until=until, arch="aarch64", el2=el2,
            uefi_vars=uefi_vars(self.workdir, name) if uefi else None)


# The second kernel's command line in the kjump scenarios.
SECOND = CONSOLE + " quiet panic=-1 kj_stage=2"


def plan_segments(output):
    """{what: (start, end)} from a plan kjump printed (--dry-run or
    --verbose): the rows " 0  0x40000000  0x41aaffff ... kernel"."""
    import re
    segs = {}
    for m in re.finditer(r"^ *\d+  0x([0-9a-f]+)  0x([0-9a-f]+) .* (\w+)$",
                         output, re.M):
        segs[m.group(3)] = (int(m.group(1), 16), int(m.group(2), 16) + 1)
    return segs


def plan_then(output):
    """(pc, x0) from the plan's "then 0x... (arm64), x0=0x..." line."""
    import re
    m = re.search(r"^then +0x([0-9a-f]+) \(arm64\), x0=0x([0-9a-f]+) "
                  r"x1=0x0 x2=0x0 x3=0x0$", output, re.M)
    assert m, "no entry line in the plan"
    return int(m.group(1), 16), int(m.group(2), 16)
