"""kjump against kexec-tools, the same files, in the same kind of VM run.

Measured (Debian cloud kernel + a ~200 MiB initrd, QEMU), once per CPU
model (KJ_BENCH_CPUS, default "qemu64 max": QEMU's default model, which
has neither AVX2 nor SHA-NI, and everything TCG can emulate):
  * load time and anonymous memory peak, kexec_load (-c) and
    kexec_file_load (-s), both tools, in one VM (REPEAT rounds, the tools
    taking turns going first);
  * exec latency, from host-side timestamps: the serial line printed just
    before exec to the second kernel's first user-space line, with each
    tool's purgatory checks on and with -i (EXEC_REPEAT fresh VMs each,
    the four variants in a different order every round).
Prints every raw sample, the medians, and one table of kjump/kexec-tools
ratios per CPU model with the targets marked met or not, plus the host's
load average around the runs (other work on the host skews TCG timings);
writes it all to build/bench/results.md. Timings under TCG are slow in
absolute terms; the ratios are what the targets are about.

Guest RAM is preallocated (-mem-prealloc; KJ_BENCH_PREALLOC=0 turns it
off). Without it QEMU backs a guest page with host memory the first time
the guest touches it, and that host page fault lands on whichever tool's
segment layout makes the second kernel write into pages the first one
never used: with kjump's low initrd the second kernel's initramfs unpack
writes 200 MiB into fresh pages and takes 0.2-0.4 s longer, with
kexec-tools' high one it does not. Under -icount (guest instructions as
the clock) both unpacks take the same time, and with -mem-prealloc the
difference goes away: it is the emulator's cost, not the tools'.

KJ_BENCH_ICOUNT=1 runs QEMU with -icount (guest time advances with the
instructions the guest executes, not with the host's clock): load times
then are guest time, and exec latency is the time stamp counter between
the first kernel's last line and the second kernel's init, calibrated
against a guest `sleep 1`. The numbers no longer depend on what else the
host runs; they leave out costs that are not guest instructions (the
emulator's TLB refills, host page faults).
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

CPUS = os.environ.get("KJ_BENCH_CPUS", "qemu64 max").split()
REPEAT = int(os.environ.get("KJ_BENCH_REPEAT", "5"))
EXEC_REPEAT = int(os.environ.get("KJ_BENCH_EXEC_REPEAT", "5"))
INITRD_MIB = int(os.environ.get("KJ_BENCH_INITRD_MIB", "200"))
PREALLOC = os.environ.get("KJ_BENCH_PREALLOC", "1") != "0"
ICOUNT = os.environ.get("KJ_BENCH_ICOUNT", "0") == "1"
OUT = os.path.join(vmlib.BUILD, "bench")
SECOND = "console=ttyS0 quiet panic=-1 kj_stage=2"
LOAD_ARGS = ("-l /boot/vmlinuz --initrd=/boot/big.cpio "
             "--append='%s bench=1'" % SECOND)
TOOLS = (("kjump", "kexec"), ("kexec-tools", "kexec-tools"))
EXEC_VARIANTS = [(tool, prog, verify, extra)
                 for tool, prog in TOOLS
                 for verify, extra in (("checks on", ""), ("-i", "-i"))]


def host_libs(binary):
    """The shared libraries a host binary needs (ldd), loader included."""
    out = subprocess.run(["ldd", binary], capture_output=True, text=True,
                         check=True).stdout
    return sorted(set(re.findall(r"(/\S+\.so[.\d]*)", out)))


def big_initrd(runner):
    """The second kernel's initrd: busybox, init, a marker, the runner (its
    init prints the time stamp counter), and a payload of INITRD_MIB MiB of
    pseudo-random bytes (deterministic, so every run moves the same data).
    Uncompressed: both tools copy it as it is."""
    c = vmlib.Cpio()
    vmlib.busybox_base(c)
    c.file("markers/big", "big\n")
    c.host_file("bin/kjbench-run", runner, 0o755)
    c.file("stage2.sh", "#!/bin/sh\n/bin/kjbench-run tsc second\n", 0o755)
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


def loadavg():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


LOADS = []  # host 1-minute load average at the start and end of each boot


def boot(name, accel, cpu, kernel, initramfs, timeout=900, stamps=(),
         append="console=ttyS0 quiet panic=-1", lines=None, extra=None):
    """Boot and return (output, {marker: host monotonic time of the first
    line containing it}); lines, if given, gets every (time, line)."""
    path = os.path.join(OUT, name + ".cpio")
    with open(path, "wb") as f:
        f.write(initramfs)
    if PREALLOC:
        extra = ["-mem-prealloc"] + (extra or [])
    if ICOUNT:
        extra = ["-icount", "shift=0,sleep=off"] + (extra or [])
    cmd = vmlib.qemu_command(accel, kernel, path, append, memory=2048,
                             extra=extra)
    cmd[cmd.index("-cpu") + 1] = cpu
    log = vmlib.log_path("bench-" + name)
    seen = {}
    timed = [] if lines is None else lines
    LOADS.append(loadavg())
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + timeout
    for raw in proc.stdout:
        t = time.monotonic()
        line = raw.decode("utf-8", "replace").rstrip("\r\n")
        timed.append((t, line))
        for m in stamps:
            if m in line and m not in seen:
                seen[m] = t
        if t > deadline:
            break
    proc.kill()
    proc.wait()
    LOADS.append(loadavg())
    text = "\n".join(line for _, line in timed)
    with open(log, "w") as f:
        f.write("# " + " ".join(cmd) + "\n" + text + "\n")
    return text, seen


def load_script():
    lines = []
    for i in range(REPEAT):
        # Take turns going first: the kernel's page allocator state (which
        # decides how much extra work kexec_load does) drifts over a run.
        for tool, prog in (TOOLS if i % 2 == 0 else TOOLS[::-1]):
            for mode in ("c", "s"):
                lines.append("kjbench-run %s-%s %s -%s %s" %
                             (tool, mode, prog, mode, LOAD_ARGS))
                lines.append("kjump status >/dev/null || echo LOAD-FAILED "
                             "%s-%s" % (tool, mode))
                lines.append("kjump unload")
    return "\n".join(lines) + "\n"


def exec_script(prog, extra):
    return ("%s -c %s %s\n"
            "kjbench-run tsc cal0; sleep 1; kjbench-run tsc cal1\n"
            "kjbench-run tsc exec\necho BENCH-EXEC-NOW\n%s -e\n" %
            (prog, extra, LOAD_ARGS, prog))


def tsc_latency(out):
    """Seconds of guest time from the first kernel's "exec" stamp to the
    second kernel's, with the counter's rate from the `sleep 1` between
    cal0 and cal1."""
    t = {m.group(1): int(m.group(2)) for m in
         re.finditer(r"^BENCH-TSC label=(\w+) tsc=(\d+)", out, re.M)}
    if len(t) != 4:
        return None
    return (t["second"] - t["exec"]) / (t["cal1"] - t["cal0"])


def measure_loads(accel, cpu, kernel, kjump, runner, big):
    out, _ = boot("load-" + cpu, accel, cpu, kernel,
                  guest_initramfs(kernel, kjump, runner, big, load_script()))
    if "LOAD-FAILED" in out:
        sys.exit("bench: a load failed, see build/vm-logs/bench-load-%s.log"
                 % cpu)
    runs = {}
    for m in re.finditer(r"^BENCH label=(\S+) ms=([\d.]+) "
                         r"anon_peak_kb=(\d+) rc=(\d+)", out, re.M):
        if m.group(4) != "0":
            sys.exit("bench: %s exited %s" % (m.group(1), m.group(4)))
        runs.setdefault(m.group(1), []).append(
            (float(m.group(2)), int(m.group(3))))
    if len(runs) != 4 or any(len(v) != REPEAT for v in runs.values()):
        sys.exit("bench: missing results, see build/vm-logs/bench-load-%s.log"
                 % cpu)
    return runs


def measure_execs(accel, cpu, kernel, kjump, runner, big):
    samples = {}
    for i in range(EXEC_REPEAT):
        # A different order each round, so that a drift in the host's
        # load does not always hit the same variant.
        order = EXEC_VARIANTS[i % 4:] + EXEC_VARIANTS[:i % 4]
        for tool, prog, verify, extra in order:
            name = "exec-%s-%s-%s-%d" % (cpu, tool, extra or "checks", i)
            out, seen = boot(
                name, accel, cpu, kernel,
                guest_initramfs(kernel, kjump, runner, big,
                                exec_script(prog, extra)),
                stamps=("BENCH-EXEC-NOW", "KJ-SECOND-CMDLINE"))
            lat = tsc_latency(out) if ICOUNT else None
            if len(seen) != 2 or (ICOUNT and lat is None):
                sys.exit("bench: exec run %s did not finish, see "
                         "build/vm-logs/bench-%s.log" % (name, name))
            samples.setdefault((tool, verify), []).append(
                lat if ICOUNT else
                seen["KJ-SECOND-CMDLINE"] - seen["BENCH-EXEC-NOW"])
    return samples


def verdict(ratio, limit):
    return "met" if ratio <= limit else "NOT met"


def report(cpu, runs, samples):
    """Raw samples and the table for one CPU model, as text lines."""
    text = ["### -cpu %s" % cpu, "", "Raw samples:", ""]
    for label in sorted(runs):
        text.append("    load %-15s ms: %s" % (label, " ".join(
            "%.1f" % r[0] for r in runs[label])))
        text.append("    load %-15s anon KiB: %s" % (label, " ".join(
            "%d" % r[1] for r in runs[label])))
    fmt = "%.4f" if ICOUNT else "%.2f"  # guest time repeats to 1 ms
    for (tool, verify), v in sorted(samples.items()):
        text.append("    exec %-11s %-9s s: %s" % (tool, verify, " ".join(
            fmt % x for x in v)))
    text.append("")

    def med(label, k):
        return statistics.median(r[k] for r in runs[label])

    rows = []
    for mode, name in (("c", "kexec_load (-c)"),
                       ("s", "kexec_file_load (-s)")):
        kj, kt = med("kjump-" + mode, 0), med("kexec-tools-" + mode, 0)
        limit = 0.5 if mode == "c" else 1.0
        rows.append(("load time, " + name, "%.0f ms" % kj, "%.0f ms" % kt,
                     "%.2f" % (kj / kt), "<= %.1f" % limit,
                     verdict(kj / kt, limit)))
    for mode, name in (("c", "kexec_load (-c)"),
                       ("s", "kexec_file_load (-s)")):
        kj, kt = med("kjump-" + mode, 1), med("kexec-tools-" + mode, 1)
        share = kj / max(kt, 1)
        rows.append(("anon peak, " + name, "%d KiB" % kj, "%d KiB" % kt,
                     "%.2f %%" % (100.0 * share), "<= 1 %",
                     verdict(share, 0.01)))
    lat = {k: statistics.median(v) for k, v in samples.items()}
    kv, ku = lat[("kjump", "checks on")], lat[("kjump", "-i")]
    tv, tu = lat[("kexec-tools", "checks on")], lat[("kexec-tools", "-i")]
    sec = fmt + " s"
    ratio = "%.3f" if ICOUNT else "%.2f"
    rows.append(("exec latency, checks on", sec % kv, sec % tv,
                 ratio % (kv / tv), "", ""))
    rows.append(("exec latency, -i", sec % ku, sec % tu,
                 ratio % (ku / tu), "<= 1.0", verdict(ku / tu, 1.0)))
    rows.append(("kjump checks on / kexec-tools -i", sec % kv,
                 sec % tu, ratio % (kv / tu), "<= 1.10",
                 verdict(kv / tu, 1.10)))
    head = ("measure", "kjump", "kexec-tools", "ratio", "target", "")
    widths = [max(len(r[i]) for r in rows + [head]) for i in range(6)]
    table = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |"
             for r in [head] + rows]
    table.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return text + table + [""]


def main():
    os.makedirs(OUT, exist_ok=True)
    kernel = vmlib.fetch_kernel("linux-image-cloud-amd64")
    kjump = os.path.join(vmlib.BUILD, "static", "kjump")
    runner = os.path.join(OUT, "kjbench-run")
    accel = vmlib.pick_accel(kernel, OUT)
    head = ("bench: %s, %d MiB initrd, accel %s%s, CPU models %s, guest "
            "RAM %s, median of %d loads and of %d execs per variant" %
            (os.path.basename(kernel), INITRD_MIB, accel,
             " -icount (times are guest time)" if ICOUNT else "",
             " ".join(CPUS),
             "preallocated" if PREALLOC else "allocated on first touch",
             REPEAT, EXEC_REPEAT))
    print(head, flush=True)
    big = big_initrd(runner)
    started = time.time()
    text = [head, ""]
    for cpu in CPUS:
        runs = measure_loads(accel, cpu, kernel, kjump, runner, big)
        samples = measure_execs(accel, cpu, kernel, kjump, runner, big)
        part = report(cpu, runs, samples)
        print("\n".join(part), flush=True)
        text += part
    tail = ("host: %d CPUs, 1-minute load average %.2f..%.2f (median %.2f) "
            "over %d boots, %.0f min" %
            (os.cpu_count(), min(LOADS), max(LOADS),
             statistics.median(LOADS), len(LOADS) // 2,
             (time.time() - started) / 60))
    print(tail)
    text.append(tail)
    with open(os.path.join(OUT, "results.md"), "w") as f:
        f.write("\n".join(text) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
