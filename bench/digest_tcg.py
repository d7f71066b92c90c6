"""Run build/bench/digest_bench inside QEMU TCG, once per CPU model
(qemu64: no AVX2, no SHA-NI; max: what TCG emulates), in a Debian cloud
kernel with a busybox initramfs: the conditions of the VM tests and of
`make bench`. Prints the benchmark's lines per CPU model."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tests", "vm"))
import vmlib  # noqa: E402


def main():
    binary = sys.argv[1]
    mib = os.environ.get("KJ_DIGEST_MIB", "32")
    kernel = vmlib.fetch_kernel("linux-image-cloud-amd64")
    c = vmlib.Cpio()
    vmlib.busybox_base(c)
    c.host_file("bin/digest_bench", binary, 0o755)
    c.file("scenario.sh", "echo DIGEST-START\n/bin/digest_bench %s\n"
           "echo DIGEST-END\n" % mib, 0o755)
    out = os.path.join(vmlib.BUILD, "bench", "digest.cpio")
    with open(out, "wb") as f:
        f.write(c.finish(compress=False))
    for cpu in ("qemu64", "max"):
        cmd = vmlib.qemu_command("tcg", kernel, out,
                                 "console=ttyS0 quiet panic=-1", memory=512)
        cmd[cmd.index("-cpu") + 1] = cpu
        res = subprocess.run(cmd, stdin=subprocess.DEVNULL,
                             capture_output=True, text=True, timeout=600)
        lines = res.stdout.replace("\r", "").splitlines()
        try:
            body = lines[lines.index("DIGEST-START") + 1:
                         lines.index("DIGEST-END")]
        except ValueError:
            sys.exit("digest_tcg: no result from -cpu %s:\n%s" %
                     (cpu, "\n".join(lines[-20:])))
        print("QEMU TCG -cpu %s:" % cpu)
        for line in body:
            print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
