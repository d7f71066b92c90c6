"""The demo: kjump as the boot loader. QEMU boots build/bootloader (Debian's
generic kernel and an initramfs running `kjump menu`) with two disks: an
ext4 disk with a GRUB config holding two entries and an ISO with an
isolinux config. The menu lists all three entries, counts down, and
kexecs the default; the booted kernel's first line says which entry it is
and what command line it got.

INTERACTIVE=1 leaves the menu on this terminal (QEMU -nographic; Ctrl-A X
quits QEMU)."""
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests",
                                "vm"))
import bootdisks  # noqa: E402
import vmlib  # noqa: E402

ANSI = re.compile(r"\x1b(\[[0-9;?]*[A-Za-z]|c)")


def main():
    interactive = os.environ.get("INTERACTIVE", "") not in ("", "0")
    print("building the boot loader (make bootloader: Debian's generic "
          "kernel + kjump menu)...")
    kernel, _ = bootdisks.bootloader()
    print("fetching the Debian kernel the disks' entries boot...")
    payload_kernel = vmlib.fetch_kernel("linux-image-cloud-amd64")
    with tempfile.TemporaryDirectory() as work:
        accel = vmlib.pick_accel(kernel, work)
        print("making the disks: ext4 with GRUB (2 entries), ISO with "
              "isolinux (1 entry)")
        disks = [bootdisks.ext4_grub_disk(work, payload_kernel, timeout=5),
                 bootdisks.iso_disk(work, payload_kernel)]
        cmd = bootdisks.qemu_cmd(accel, disks=disks,
                                 append="quiet" if interactive else
                                 "quiet TERM=dumb")
        if interactive:
            print("QEMU (%s); the menu waits for you. Ctrl-A X quits QEMU."
                  % accel)
            return subprocess.call(cmd)
        print("booting QEMU (%s) with the boot loader and both disks:\n"
              % accel)
        return run(cmd)


def run(cmd):
    log = vmlib.log_path("demo")
    start = time.monotonic()
    booted = None
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT)
        buf = b""
        pending = b""
        while True:
            chunk = proc.stdout.read1(4096)
            if not chunk:
                break
            out.write(chunk)
            buf += chunk
            # Whole lines only, escapes stripped; the countdown's
            # carriage returns become new lines (a readable transcript).
            pending = (pending + chunk).replace(b"\r\n", b"\n")
            pending = pending.replace(b"\x1bc", b"\n")  # a reset: new line
            *lines, pending = re.split(rb"[\r\n]", pending)
            for line in lines:
                text = ANSI.sub("", line.decode("utf-8", "replace"))
                if text.strip():
                    sys.stdout.write("  | " + text + "\n")
            sys.stdout.flush()
            m = re.search(rb"KJ-BOOTED [^\r\n]*\r?\n", buf)
            if m:
                booted = m.group(0).decode().strip()
                break
            if time.monotonic() - start > 300:
                break
        proc.kill()
        proc.wait()
    print()
    if not booted:
        print("the menu did not boot an entry; serial log: " + log)
        return 1
    print("The boot loader's menu booted its default entry %.0f s after "
          "QEMU started:" % (time.monotonic() - start))
    print("  " + booted)
    print("serial log: " + log)
    return 0


if __name__ == "__main__":
    sys.exit(main())
