"""The demo: a Debian kernel boots in QEMU, kjump loads a second Debian
kernel with an initrd and a command line, and kexecs into it."""
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests",
                                "vm"))
import vmlib  # noqa: E402

SCRIPT = """
echo; echo '### first kernel: kjump inspect, load, status'
kjump inspect /boot/vmlinuz | head -4
kjump load /boot/vmlinuz --initrd /boot/stage2.cpio.gz --initrd /boot/extra.cpio.gz \\
    --append "console=ttyS0 quiet panic=-1 kj_stage=2 hello=from-kjump"
kjump status
echo '### kjump exec'
kjump exec
"""


def main():
    print("fetching the Debian cloud kernel (apt-get download)...")
    kernel = vmlib.fetch_kernel("linux-image-cloud-amd64")
    kjump = os.path.join(vmlib.BUILD, "static", "kjump")
    with tempfile.TemporaryDirectory() as work:
        accel = vmlib.pick_accel(kernel, work)
        print("booting %s in QEMU (%s)..." % (os.path.basename(kernel), accel))
        guest = vmlib.Guest(work, accel, kernel, kjump)
        r = guest.run("demo", SCRIPT.replace("set -x", ""))
    for line in r.output.splitlines():
        if line.startswith(("KJ-", "###", "kjump", "file", "format",
                            "kernel_version", "version", "kexec_")) or \
                line.startswith("+ kjump"):
            print("  " + line)
    got = r.lines("KJ-SECOND-CMDLINE")
    if not got:
        print("the second kernel did not report; serial log: " + r.log)
        return 1
    print()
    print("The second kernel booted in %.1f s (both kernels, %s) and got:"
          % (r.seconds, accel))
    print("  command line: " + got[-1])
    print("  initrd files: " + ", ".join(r.lines("KJ-MARKER")))
    print("full serial log: " + r.log)
    return 0


if __name__ == "__main__":
    sys.exit(main())
