"""Fixtures for the VM suite (run with Debian's /usr/bin/python3)."""
import os
import subprocess

import pytest

import vmlib


@pytest.fixture(scope="session")
def workdir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("vm"))


@pytest.fixture(scope="session")
def cloud_kernel():
    return vmlib.fetch_kernel("linux-image-cloud-amd64")


@pytest.fixture(scope="session")
def kjump_static():
    subprocess.run(["make", "-s", "STATIC=1"], cwd=vmlib.ROOT, check=True)
    path = os.path.join(vmlib.BUILD, "static", "kjump")
    assert os.path.exists(path)
    return path


@pytest.fixture(scope="session")
def accel(cloud_kernel, workdir):
    a = vmlib.pick_accel(cloud_kernel, workdir)
    print("VM accelerator:", a)
    return a


class Guest:
    """A first-stage guest: busybox, static kjump (also as `kexec`), the
    Debian kernel at /boot/vmlinuz and initrds for the second kernel. A
    scenario is a shell script; the result is the serial log of both
    kernels."""

    def __init__(self, workdir, accel, kernel, kjump):
        self.workdir = workdir
        self.accel = accel
        self.kernel = kernel
        c = vmlib.Cpio()
        vmlib.busybox_base(c)
        c.host_file("bin/kjump", kjump, 0o755)
        c.symlink("sbin/kexec", "/bin/kjump")
        c.host_file("boot/vmlinuz", kernel, 0o644)
        c.file("boot/stage2.cpio.gz", vmlib.stage2_initrd("stage2"))
        c.file("boot/extra.cpio.gz", vmlib.marker_initrd("extra"))
        self.base = c.finish()

    def run(self, name, script, append="console=ttyS0 quiet panic=-1",
            timeout=150, memory=1024, extra_files=None):
        c = vmlib.Cpio()
        c.file("scenario.sh", "set -x\n" + script, 0o755)
        for path, data in (extra_files or {}).items():
            c.file(path, data)
        initrd = os.path.join(self.workdir, name + ".cpio.gz")
        with open(initrd, "wb") as f:
            # Concatenated archives are unpacked one after the other.
            f.write(self.base + c.finish())
        return vmlib.run_qemu(name, self.accel, self.kernel, initrd, append,
                              timeout=timeout, memory=memory)


@pytest.fixture(scope="session")
def guest(workdir, accel, cloud_kernel, kjump_static):
    return Guest(workdir, accel, cloud_kernel, kjump_static)
