"""kjump against kexec-tools, the same files, in the same kind of VM run.

Measured (Debian cloud kernel + a ~200 MiB initrd, QEMU):
  * load time and anonymous memory peak, kexec_load (-c) and
    kexec_file_load (-s), both tools, in one VM (median of REPEAT runs);
  * exec latency, from host-side timestamps: the serial line printed just
    before exec to the second kernel's first user-space line, with the
    purgatory's SHA-256 verification on, and with -i for both tools
    (median of EXEC_REPEAT fresh VMs each, the tools taking turns).
Prints a table of kjump/kexec-tools ratios and writes it to
build/bench/results.md. Timings under TCG are slow in absolute terms;
the ratios are what the targets are about.
"""
import os
import random
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "vm"))
import vmlib  # noqa: E402

REPEAT = int(os.environ.get("KJ_BENCH_REPEAT", "3"))
EXEC_REPEAT = int(os.environ.get("KJ_BENCH_EXEC_REPEAT", "3"))
INITRD_MIB = int(os.environ.get("KJ_BENCH_INITRD_MIB", "200"))
OUT = os.path.join(vmlib.BUILD, "bench")
SECOND = "console=ttyS0 quiet panic=-1 kj_stage=2"
LOAD_ARGS = ("-l /boot/vmlinuz --initrd=/boot/big.cpio "
             "--append='%s bench=1'" % SECOND)


def host_libs(binary):
    """The shared libraries a host binary needs (ldd), loader included."""
    out = subprocess.run(["ldd", binary], capture_output=True, text=True,
                         check=True).stdout
    return sorted(set(re.findall(r"(/\S+\.so[.\d]*)", out)))


def big_initrd():
    """The second kernel's initrd: busybox, init, a marker, and a payload
    of INITRD_MIB MiB of pseudo-random bytes (deterministic, so every run
    moves the same data). Uncompressed: both tools copy it as it is."""
    c = vmlib.Cpio()
    vmlib.busybox_base(c)
    c.file("markers/big", "big\n")
    rng = random.Random(1)
    c.file("payload.bin", rng.randbytes(INITRD_MIB << 20))
    return c.finish(compress=False)


def guest_initramfs(kernel, kjump, runner, big, script):
    c = vmlib.Cpio()
    vmlib.busybox_base(c)
    c.host_file("bin/kjump", kjump, 0o755)
    c.symlink("sbin/kexec", "/bin/kjump")
    c.host_file("bin/kjbench-run", runner, 0o755)
    kexec_tools = "/usr/sbin/kexec"
    c.host_file("bin/kexec-tools", kexec_tools, 0o755)
    for lib in host_libs(kexec_tools):
        c.host_file(lib.lstrip("/"), os.path.realpath(lib), 0o755)
    c.host_file("boot/vmlinuz", kernel, 0o644)
    c.file("boot/big.cpio", big)
    c.file("scenario.sh", script, 0o755)
    return c.finish(compress=False)


def boot(name, accel, kernel, initramfs, timeout=900, stamps=()):
    """Boot and return (output, {marker: host monotonic time of the first
    line containing it})."""
    path = os.path.join(OUT, name + ".cpio")
    with open(path, "wb") as f:
        f.write(initramfs)
    cmd = vmlib.qemu_command(accel, kernel, path, "console=ttyS0 quiet "
                             "panic=-1", memory=2048)
    log = vmlib.log_path("bench-" + name)
    seen = {}
    lines = []
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + timeout
    for raw in proc.stdout:
        t = time.monotonic()
        line = raw.decode("utf-8", "replace").rstrip("\r\n")
        lines.append(line)
        for m in stamps:
            if m in line and m not in seen:
                seen[m] = t
        if t > deadline:
            break
    proc.kill()
    proc.wait()
    with open(log, "w") as f:
        f.write("\n".join(lines) + "\n")
    return "\n".join(lines), seen


def load_script():
    lines = []
    tools = (("kjump", "kexec"), ("kexec-tools", "kexec-tools"))
    for i in range(REPEAT):
        # Take turns going first: the kernel's page allocator state (which
        # decides how much extra work kexec_load does) drifts over a run.
        for tool, prog in (tools if i % 2 == 0 else tools[::-1]):
            for mode in ("c", "s"):
                lines.append("kjbench-run %s-%s %s -%s %s" %
                             (tool, mode, prog, mode, LOAD_ARGS))
                lines.append("kjump status >/dev/null || echo LOAD-FAILED "
                             "%s-%s" % (tool, mode))
                lines.append("kjump unload")
    return "\n".join(lines) + "\n"


def exec_script(prog, extra):
    return ("%s -c %s %s\necho BENCH-EXEC-NOW\n%s -e\n" %
            (prog, extra, LOAD_ARGS, prog))


def main():
    os.makedirs(OUT, exist_ok=True)
    kernel = vmlib.fetch_kernel("linux-image-cloud-amd64")
    kjump = os.path.join(vmlib.BUILD, "static", "kjump")
    runner = os.path.join(OUT, "kjbench-run")
    accel = vmlib.pick_accel(kernel, OUT)
    print("bench: %s, %d MiB initrd, accel %s, %d repeats" %
          (os.path.basename(kernel), INITRD_MIB, accel, REPEAT))
    big = big_initrd()

    out, _ = boot("load", accel, kernel,
                  guest_initramfs(kernel, kjump, runner, big, load_script()))
    if "LOAD-FAILED" in out:
        sys.exit("bench: a load failed, see build/vm-logs/bench-load.log")
    runs = {}
    for m in re.finditer(r"^BENCH label=(\S+) ms=([\d.]+) "
                         r"anon_peak_kb=(\d+) rc=(\d+)", out, re.M):
        if m.group(4) != "0":
            sys.exit("bench: %s exited %s" % (m.group(1), m.group(4)))
        runs.setdefault(m.group(1), []).append(
            (float(m.group(2)), int(m.group(3))))
    if len(runs) != 4:
        sys.exit("bench: missing results, see build/vm-logs/bench-load.log")

    def med(label, k):
        return statistics.median(r[k] for r in runs[label])

    samples = {}
    for i in range(EXEC_REPEAT):
        for tool, prog in (("kjump", "kexec"), ("kexec-tools", "kexec-tools")):
            for verify, extra in (("verified", ""), ("unverified", "-i")):
                out, seen = boot(
                    "exec-%s-%s-%d" % (tool, verify, i), accel, kernel,
                    guest_initramfs(kernel, kjump, runner, big,
                                    exec_script(prog, extra)),
                    stamps=("BENCH-EXEC-NOW", "KJ-SECOND-CMDLINE"))
                if len(seen) != 2:
                    sys.exit("bench: exec run %s/%s did not finish" %
                             (tool, verify))
                samples.setdefault((tool, verify), []).append(
                    seen["KJ-SECOND-CMDLINE"] - seen["BENCH-EXEC-NOW"])
    latency = {k: statistics.median(v) for k, v in samples.items()}
    for (tool, verify), v in sorted(samples.items()):
        print("bench: exec %s %s: %s s" %
              (tool, verify, " ".join("%.2f" % x for x in v)))

    rows = []
    for mode, name in (("c", "kexec_load (-c)"), ("s", "kexec_file_load (-s)")):
        kj, kt = med("kjump-" + mode, 0), med("kexec-tools-" + mode, 0)
        rows.append(("load time, " + name, "%.0f ms" % kj, "%.0f ms" % kt,
                     "%.2f" % (kj / kt), "<= 0.5"))
    for mode, name in (("c", "kexec_load (-c)"), ("s", "kexec_file_load (-s)")):
        kj, kt = med("kjump-" + mode, 1), med("kexec-tools-" + mode, 1)
        rows.append(("anon peak, " + name, "%d KiB" % kj, "%d KiB" % kt,
                     "%.1f %%" % (100.0 * kj / max(kt, 1)), "<= 10 %"))
    kv = latency[("kjump", "verified")]
    ku = latency[("kjump", "unverified")]
    tv = latency[("kexec-tools", "verified")]
    tu = latency[("kexec-tools", "unverified")]
    rows.append(("exec latency, verified", "%.2f s" % kv, "%.2f s" % tv,
                 "%.2f" % (kv / tv), ""))
    rows.append(("exec latency, -i (copy only)", "%.2f s" % ku,
                 "%.2f s" % tu, "%.2f" % (ku / tu), ""))
    rows.append(("kjump verified / kexec-tools -i", "%.2f s" % kv,
                 "%.2f s" % tu, "%.2f" % (kv / tu), "<= 1.25"))

    head = ("measure", "kjump", "kexec-tools", "ratio", "target")
    widths = [max(len(r[i]) for r in rows + [head]) for i in range(5)]
    table = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |"
             for r in [head] + rows]
    table.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    text = "\n".join(table)
    print(text)
    with open(os.path.join(OUT, "results.md"), "w") as f:
        f.write("%s, %d MiB initrd, QEMU %s, median of %d loads and of %d "
                "execs\n\n%s\n" % (os.path.basename(kernel), INITRD_MIB,
                                    accel, REPEAT, EXEC_REPEAT, text))
    return 0


if __name__ == "__main__":
    sys.exit(main())
