"""What the kexec compatibility tests add to the usual guest: kexec-tools
itself (Debian 12's 2.0.25, /sbin/kexec on the host, with its libraries)
to compare answers with, `nofileload` (a seccomp wrapper that makes
kexec_file_load fail with ENOSYS, as on a kernel built without it), and a
fake shutdown(8)."""
import os
import re
import subprocess

import vmlib

KEXEC_TOOLS = "/usr/sbin/kexec"
HELPERS = os.path.join(os.path.dirname(__file__), "helpers")

# A stand-in for the init system's `shutdown -r now`: it records its
# arguments and then does what systemd does when a kernel is loaded
# (systemd 255+: `systemctl reboot` becomes a kexec; systemd-shutdown
# runs "/sbin/kexec -e", src/shutdown/shutdown.c) or, with nothing
# loaded, a plain reboot.
FAKE_SHUTDOWN = r"""#!/bin/sh
echo "KJ-SHUTDOWN-ARGS $*"
if [ "$(cat /sys/kernel/kexec_loaded)" = 1 ]; then
    echo "KJ-SHUTDOWN kexec -e"
    exec /sbin/kexec -e
fi
echo "KJ-SHUTDOWN reboot"
exec reboot -f
"""


def host_libs(binary):
    out = subprocess.run(["ldd", binary], capture_output=True, text=True,
                         check=True).stdout
    return sorted(set(re.findall(r"(/\S+\.so[.\d]*)", out)))


def nofileload():
    """The static seccomp wrapper, built once into build/vm/."""
    out = os.path.join(vmlib.BUILD, "vm", "nofileload")
    src = os.path.join(HELPERS, "nofileload.c")
    if not os.path.exists(out) or \
            os.path.getmtime(out) < os.path.getmtime(src):
        os.makedirs(os.path.dirname(out), exist_ok=True)
        subprocess.run(["cc", "-static", "-O2", "-Wall", "-Werror", "-o",
                        out, src], check=True)
    return out


def extra_files(with_kexec_tools=True):
    """Files for run(): path -> (data, mode)."""
    files = {"bin/nofileload": (open(nofileload(), "rb").read(), 0o755),
             "sbin/fake-shutdown": (FAKE_SHUTDOWN, 0o755)}
    if with_kexec_tools:
        files["bin/kexec-tools"] = (open(KEXEC_TOOLS, "rb").read(), 0o755)
        # The dynamic loader must be executable for the kernel to map it.
        for lib in host_libs(KEXEC_TOOLS):
            files[lib.lstrip("/")] = (open(os.path.realpath(lib),
                                           "rb").read(), 0o755)
    return files


SETUP = ""


def run(guest, name, script, files=None, append="console=ttyS0 quiet "
        "panic=-1", timeout=180, memory=1024, qemu=None, until=None):
    """Guest.run with executable files: files maps a path to data or to
    (data, mode). Stops when `until` appears, if given."""
    c = vmlib.Cpio()
    c.file("scenario.sh", "set -x\n" + SETUP + script, 0o755)
    for path, data in (files or {}).items():
        mode = 0o644
        if isinstance(data, tuple):
            data, mode = data
        c.file(path, data, mode)
    initrd = os.path.join(guest.workdir, name + ".cpio.gz")
    with open(initrd, "wb") as f:
        f.write(guest.base + c.finish())
    return vmlib.run_qemu(name, guest.accel, guest.kernel, initrd, append,
                          timeout=timeout, memory=memory, extra=qemu,
                          until=until)
