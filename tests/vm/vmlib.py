"""Helpers for the VM suite: initramfs archives, QEMU runs, accelerators.

Everything a scenario needs is built from real parts: a Debian kernel
fetched with apt-get download, busybox-static, the static kjump binary.
"""
import fcntl
import gzip
import io
import os
import re
import shutil
import subprocess
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.path.join(ROOT, "build")
LOG_DIR = os.path.join(BUILD, "vm-logs")
BUSYBOX = "/bin/busybox"


class Cpio:
    """A newc cpio archive built in memory (what the kernel unpacks)."""

    def __init__(self):
        self.out = io.BytesIO()
        self.ino = 1
        self.dirs = set()

    def _entry(self, name, mode, data=b"", nlink=1):
        name_b = name.encode() + b"\0"
        hdr = "070701" + "".join("%08x" % v for v in (
            self.ino, mode, 0, 0, nlink, 0, len(data), 0, 0, 0, 0,
            len(name_b), 0))
        self.ino += 1
        self.out.write(hdr.encode() + name_b)
        self.out.write(b"\0" * ((4 - (110 + len(name_b)) % 4) % 4))
        self.out.write(data)
        self.out.write(b"\0" * ((4 - len(data) % 4) % 4))

    def mkdir(self, path):
        path = path.strip("/")
        parts = path.split("/")
        for i in range(1, len(parts) + 1):
            d = "/".join(parts[:i])
            if d and d not in self.dirs:
                self.dirs.add(d)
                self._entry(d, 0o040755, nlink=2)

    def file(self, path, data, mode=0o644):
        if isinstance(data, str):
            data = data.encode()
        path = path.strip("/")
        if "/" in path:
            self.mkdir(os.path.dirname(path))
        self._entry(path, 0o100000 | mode, data)

    def host_file(self, path, host_path, mode=None):
        with open(host_path, "rb") as f:
            data = f.read()
        if mode is None:
            mode = os.stat(host_path).st_mode & 0o777
        self.file(path, data, mode)

    def symlink(self, path, target):
        path = path.strip("/")
        if "/" in path:
            self.mkdir(os.path.dirname(path))
        self._entry(path, 0o120777, target.encode())

    def finish(self, compress=True):
        """The archive bytes (trailer added), gzip-compressed unless told
        otherwise: big incompressible payloads are faster left as is."""
        self._entry("TRAILER!!!", 0)
        data = self.out.getvalue()
        data += b"\0" * ((512 - len(data) % 512) % 512)
        if not compress:
            return data
        return gzip.compress(data, compresslevel=1, mtime=0)


# The init both kernels run. The first kernel runs /scenario.sh; a kernel
# started with kj_stage=2 reports what it received and powers off.
INIT = r"""#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
if grep -q kj_stage=2 /proc/cmdline; then
    echo "KJ-SECOND-CMDLINE $(cat /proc/cmdline)"
    echo "KJ-SECOND-KERNEL $(uname -r)"
    for f in /markers/*; do
        [ -e "$f" ] && echo "KJ-MARKER $(basename "$f")"
    done
    [ -x /stage2.sh ] && /stage2.sh
    echo "KJ-SECOND-DONE"
    poweroff -f
fi
echo "KJ-FIRST-START $(cat /proc/cmdline)"
for m in /modules/*.ko; do
    [ -e "$m" ] && insmod "$m"
done
# disk SERIAL: the /dev node of the NVMe disk QEMU gave that serial
# (namespaces are numbered in probe order, which is not stable).
disk() {
    for d in /sys/block/nvme*; do
        grep -qw "$1" "$d/device/serial" && echo "/dev/${d##*/}" && return
    done
}
if [ -f /scenario.sh ]; then
    . /scenario.sh
    echo "KJ-SCENARIO-EXIT $?"
fi
poweroff -f
"""


def busybox_base(cpio, busybox=BUSYBOX):
    """The init and busybox (the host's, or another architecture's)."""
    cpio.mkdir("proc")
    cpio.mkdir("sys")
    cpio.mkdir("dev")
    cpio.mkdir("tmp")
    cpio.host_file("bin/busybox", busybox, 0o755)
    cpio.symlink("bin/sh", "busybox")
    cpio.file("init", INIT, 0o755)


def stage2_initrd(marker="stage2"):
    """The second kernel's initrd: busybox, the init, one marker file."""
    c = Cpio()
    busybox_base(c)
    c.file("markers/" + marker, marker + "\n")
    return c.finish()


def marker_initrd(marker):
    """An initrd holding only a marker file (to stack after another)."""
    c = Cpio()
    c.file("markers/" + marker, marker + "\n")
    return c.finish()


def make(*targets):
    """Run make in the tree, one at a time across pytest-xdist workers
    (two makes in one build directory would race)."""
    os.makedirs(BUILD, exist_ok=True)
    with open(os.path.join(BUILD, ".make.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        subprocess.run(["make", "-s"] + list(targets), cwd=ROOT, check=True)


def log_path(name):
    os.makedirs(LOG_DIR, exist_ok=True)
    return os.path.join(LOG_DIR, name + ".log")


class QemuResult:
    def __init__(self, output, timed_out, seconds, log, stamps=None):
        self.output = output
        self.timed_out = timed_out
        self.seconds = seconds
        self.log = log
        # With run_qemu(stamps=True): (seconds since start, line) for
        # every output line, to 0.1 s.
        self.stamps = stamps or []

    def when(self, text):
        """Seconds after start at which text first appeared, or None."""
        for t, line in self.stamps:
            if text in line:
                return t
        return None

    def lines(self, prefix):
        return [l[len(prefix):].strip() for l in self.output.splitlines()
                if l.startswith(prefix)]

    def __contains__(self, text):
        return text in self.output


# QEMU's "max" arm64 CPU with the cheap implementation-defined pointer
# authentication: the architected QARMA cipher makes TCG several times
# slower and nothing here tests it.
AARCH64_CPU = "max,pauth-impdef=on"
AAVMF_CODE = "/usr/share/AAVMF/AAVMF_CODE.fd"
AAVMF_VARS = "/usr/share/AAVMF/AAVMF_VARS.fd"


def qemu_command(accel, kernel, initrd, append, memory="1024",
                 extra=None, arch="x86_64", el2=False, uefi_vars=None):
    """The QEMU command line. arch "aarch64": `-M virt` (TCG), at EL2
    with el2 (virtualization=on), under UEFI (AAVMF) with uefi_vars, a
    writable copy of AAVMF_VARS.fd; the console is the PL011, ttyAMA0."""
    if arch == "aarch64":
        cmd = ["qemu-system-aarch64", "-accel", "tcg", "-M",
               "virt,virtualization=on" if el2 else "virt",
               "-cpu", AARCH64_CPU]
        if uefi_vars:
            cmd += ["-drive", "if=pflash,format=raw,readonly=on,file=" +
                    AAVMF_CODE,
                    "-drive", "if=pflash,format=raw,file=" + uefi_vars]
    elif accel == "tcg":
        cmd = ["qemu-system-x86_64", "-accel", accel, "-cpu", "max"]
    else:
        cmd = ["qemu-system-x86_64", "-accel", accel, "-cpu", "host"]
    cmd += ["-m", str(memory), "-smp", "1", "-nographic", "-no-reboot",
            "-nodefaults", "-serial", "stdio", "-kernel", kernel,
            "-append", append]
    if initrd:
        cmd += ["-initrd", initrd]
    return cmd + (extra or [])


def run_qemu(name, accel, kernel, initrd, append, timeout=120, memory=1024,
             extra=None, until=None, stamps=False, **machine):
    """Boot and wait for QEMU to exit (the guest powers off), or until the
    text `until` appears, or the timeout. Output is kept in build/vm-logs.
    stamps: time every output line (QemuResult.when). machine: arch, el2,
    uefi_vars (see qemu_command)."""
    log = log_path(name)
    cmd = qemu_command(accel, kernel, initrd, append, memory, extra,
                       **machine)
    start = time.monotonic()
    timed_out = False
    seen, partial, times = 0, b"", []
    with open(log, "wb") as out:
        out.write(("# " + " ".join(cmd) + "\n").encode())
        out.flush()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT)
        while True:
            try:
                proc.wait(timeout=0.1 if stamps else 0.5)
                break
            except subprocess.TimeoutExpired:
                pass
            if stamps:
                with open(log, "rb") as f:
                    f.seek(seen)
                    chunk = f.read()
                seen += len(chunk)
                *done, partial = (partial + chunk).split(b"\n")
                now = time.monotonic() - start
                times += [(now, l.decode("utf-8", "replace").rstrip("\r"))
                          for l in done]
            if until:
                with open(log, "rb") as f:
                    if until.encode() in f.read():
                        break
            if time.monotonic() - start > timeout:
                timed_out = True
                break
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    seconds = time.monotonic() - start
    with open(log, "rb") as f:
        output = f.read().decode("utf-8", "replace").replace("\r", "")
    if stamps:
        with open(log, "rb") as f:
            f.seek(seen)
            rest = partial + f.read()
        times += [(seconds, l.decode("utf-8", "replace").rstrip("\r"))
                  for l in rest.split(b"\n") if l]
    return QemuResult(output, timed_out, seconds, log, times)


def pick_accel(kernel, workdir):
    """KVM when it really boots a guest here, else TCG. A broken KVM can
    hang rather than fail, so the check boots a guest with a timeout."""
    forced = os.environ.get("KJUMP_VM_ACCEL")
    if forced:
        return forced
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        return "tcg"
    c = Cpio()
    c.mkdir("proc")
    c.host_file("bin/busybox", BUSYBOX, 0o755)
    c.file("init", "#!/bin/busybox sh\n/bin/busybox echo KVM-OK\n"
           "/bin/busybox poweroff -f\n", 0o755)
    initrd = os.path.join(workdir, "kvm-check.cpio.gz")
    with open(initrd, "wb") as f:
        f.write(c.finish())
    r = run_qemu("kvm-check", "kvm", kernel, initrd,
                 "console=ttyS0 quiet panic=-1", timeout=20, memory=256)
    return "kvm" if "KVM-OK" in r.output and not r.timed_out else "tcg"


def find_vmlinuz(pkgdir):
    boot = os.path.join(pkgdir, "boot")
    names = sorted(n for n in os.listdir(boot) if n.startswith("vmlinuz-"))
    return os.path.join(boot, names[-1])


def fetch_kernel(package="linux-image-cloud-amd64"):
    out = subprocess.run([os.path.join(ROOT, "tools", "fetch-deb"), package],
                         check=True, capture_output=True, text=True,
                         cwd=ROOT)
    return find_vmlinuz(out.stdout.strip().splitlines()[-1])


class Guest:
    """A first-stage guest: busybox, static kjump (also as `kexec`), the
    Debian kernel at /boot/vmlinuz and initrds for the second kernel. A
    scenario is a shell script; the result is the serial log of both
    kernels."""

    def __init__(self, workdir, accel, kernel, kjump, modules=()):
        self.workdir = workdir
        self.accel = accel
        self.kernel = kernel
        c = Cpio()
        busybox_base(c)
        c.host_file("bin/kjump", kjump, 0o755)
        c.symlink("sbin/kexec", "/bin/kjump")
        c.host_file("boot/vmlinuz", kernel, 0o644)
        c.file("boot/stage2.cpio.gz", stage2_initrd("stage2"))
        c.file("boot/extra.cpio.gz", marker_initrd("extra"))
        # Kernel modules, loaded by /init in name order (prefix NN-).
        for i, mod in enumerate(modules):
            c.host_file("modules/%02d-%s" % (i, os.path.basename(mod)),
                        mod, 0o644)
        self.base = c.finish()

    def run(self, name, script, append="console=ttyS0 quiet panic=-1",
            timeout=150, memory=1024, extra_files=None, disks=(),
            extra=(), until=None):
        """extra: more QEMU arguments (e.g. ["-bios", OVMF]); until:
        stop as soon as this text is on serial."""
        c = Cpio()
        c.file("scenario.sh", "set -x\n" + script, 0o755)
        for path, data in (extra_files or {}).items():
            c.file(path, data)
        initrd = os.path.join(self.workdir, name + ".cpio.gz")
        with open(initrd, "wb") as f:
            # Concatenated archives are unpacked one after the other.
            f.write(self.base + c.finish())
        return run_qemu(name, self.accel, self.kernel, initrd, append,
                        timeout=timeout, memory=memory,
                        extra=nvme_disks(disks) + list(extra), until=until)


def assert_plan_digests(plan, algorithm="xxh64"):
    """A --dry-run --json plan names the purgatory's check and carries its
    digest for every segment but the purgatory's own (which holds them)."""
    hexlen = {"xxh64": 16, "sha256": 64}[algorithm]
    assert plan["algorithm"] == algorithm, plan
    for s in plan["segments"]:
        if s["what"] == "purgatory":
            assert s["digest"] is None, s
        else:
            assert re.fullmatch("[0-9a-f]{%d}" % hexlen, s["digest"]), s


def said(result, key):
    """Values a scenario echoed as "KEY rc=N" (whole lines only, so the
    shell's own trace of the echo command never counts)."""
    return [l.split("rc=")[1].strip() for l in result.output.splitlines()
            if l.startswith(key + " rc=")]


def second_cmdline(result):
    """What the second kernel reported as its /proc/cmdline."""
    lines = result.lines("KJ-SECOND-CMDLINE")
    assert lines, "the second kernel never reported (see %s)" % result.log
    return lines[-1]


def nvme_disks(images):
    """QEMU arguments attaching each image read-only as an NVMe disk
    (built into the Debian cloud kernel), in order: nvme0n1, nvme1n1..."""
    args = []
    for i, img in enumerate(images):
        args += ["-drive", "file=%s,if=none,id=disk%d,format=raw,"
                 "readonly=on" % (img, i),
                 "-device", "nvme,drive=disk%d,serial=kj%d" % (i, i)]
    return args


def kernel_modules(kernel, names):
    """Paths of modules (e.g. "fs/fat/vfat.ko") from the kernel's package."""
    pkg = os.path.dirname(os.path.dirname(kernel))
    moddir = os.path.join(pkg, "lib", "modules")
    version = os.listdir(moddir)[0]
    return [os.path.join(moddir, version, "kernel", n) for n in names]


def make_ext4(src, img, size_mb=64):
    subprocess.run(["mkfs.ext4", "-q", "-F", "-L", "KJEXT4", "-d", src, img,
                    "%dM" % size_mb], check=True)


def make_vfat(src, img, size_mb=48):
    if os.path.exists(img):
        os.unlink(img)
    subprocess.run(["mkfs.vfat", "-n", "KJVFAT", "-C", img,
                    str(size_mb * 1024)], check=True, capture_output=True)
    for name in sorted(os.listdir(src)):
        subprocess.run(["mcopy", "-s", "-i", img, os.path.join(src, name),
                        "::/"], check=True)


def make_iso(src, img):
    subprocess.run(["xorriso", "-as", "mkisofs", "-quiet", "-R", "-J",
                    "-V", "KJISO", "-o", img, src], check=True,
                   capture_output=True)


def have(cmd):
    return shutil.which(cmd) is not None
