"""What the benchmarks share: a VM boot whose output lines are stamped on
the host as they arrive, kjbench-run's result lines, medians with their
raw samples, and the Markdown table. (bench/bench_arm64.py uses it; the
x86 bench.py can.)"""
import os
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "vm"))
import vmlib  # noqa: E402

RUN_LINE = re.compile(r"^BENCH label=(\S+) ms=([\d.]+) anon_peak_kb=(\d+) "
                      r"rc=(\d+)", re.M)


def boot(cmd, log_name, timeout=900, stamps=()):
    """Run the QEMU command line cmd until it exits (or timeout); return
    (output, {marker: host monotonic time of the first line holding
    it}). The log is kept as build/vm-logs/LOG_NAME.log."""
    seen, lines = {}, []
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
    with open(vmlib.log_path(log_name), "w") as f:
        f.write("# " + " ".join(cmd) + "\n" + "\n".join(lines) + "\n")
    return "\n".join(lines), seen


def runs(output):
    """kjbench-run's lines: {label: [(ms, anon_peak_kb), ...]}; a run
    that failed is an error."""
    out = {}
    for m in RUN_LINE.finditer(output):
        if m.group(4) != "0":
            sys.exit("bench: %s exited %s" % (m.group(1), m.group(4)))
        out.setdefault(m.group(1), []).append((float(m.group(2)),
                                               int(m.group(3))))
    return out


def median(samples):
    return statistics.median(samples)


def raw(samples, fmt="%.2f"):
    return " ".join(fmt % s for s in samples)


def table(head, rows):
    """A Markdown table, columns padded."""
    widths = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
    text = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |"
            for r in [head] + rows]
    text.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(text)


def load_average():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])
