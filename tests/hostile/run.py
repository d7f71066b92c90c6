#!/usr/bin/python3
"""Run kjump (the ASan+UBSan build) over the hostile corpus that
tests/hostile/corpus.py made, and tally what happened.

Every run must end within 5 seconds, without a sanitizer report or a
signal, and either succeed or fail with exactly one line on stderr,
"kjump: ...", that names the file it is about. Memory maps that hold
reserved ranges must give a plan whose segments avoid them. Usage:
  run.py KJUMP CORPUS KERNEL    (prints the tally; exit 1 on any problem)
"""
import json
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURE = os.path.join(ROOT, "tests", "unit", "fixtures", "memmap-qemu")
LIMIT = 5.0     # seconds a run may take
KILL = 15.0     # seconds after which it counts as hung
SANITIZER = ("AddressSanitizer", "LeakSanitizer", "runtime error:",
             "UndefinedBehaviorSanitizer")


def run(argv, env):
    start = time.monotonic()
    try:
        p = subprocess.run(argv, env=env, capture_output=True, text=True,
                           errors="replace", timeout=KILL,
                           stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return "hang", KILL, "", ""
    secs = time.monotonic() - start
    if any(s in p.stderr for s in SANITIZER) or p.returncode < 0:
        return "crash", secs, p.stdout, p.stderr
    if secs > LIMIT:
        return "slow", secs, p.stdout, p.stderr
    if p.returncode == 0:
        return "accepted", secs, p.stdout, p.stderr
    return "error", secs, p.stdout, p.stderr


def one_line_naming(stderr, names):
    lines = [l for l in stderr.splitlines() if l.strip()]
    return (len(lines) == 1 and lines[0].startswith("kjump: ") and
            any(n in lines[0] for n in names))


def check(kind, name, names, result, problems, tally):
    verdict, secs, out, err = result
    if verdict == "error" and not one_line_naming(err, names):
        verdict = "bad-message"
    tally[verdict] = tally.get(verdict, 0) + 1
    if verdict not in ("error", "accepted"):
        problems.append("%s %s: %s (%.1f s): %s" %
                        (kind, name, verdict, secs,
                         (err.strip().splitlines() or ["(no output)"])[-1]
                         [:300]))
    return verdict


def env_with(sysroot):
    env = dict(os.environ, KJUMP_SYSROOT=sysroot,
               ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1",
               UBSAN_OPTIONS="print_stacktrace=1")
    return env


def image_runs(kjump, corpus):
    for sub in ("images", "special"):
        d = os.path.join(corpus, sub)
        for name in sorted(os.listdir(d)):
            path = os.path.join(d, name)
            yield ("inspect", path, [kjump, "inspect", path])
            yield ("load-c", path, [kjump, "load", path, "--dry-run",
                                    "--syscall", "load"])
            yield ("load-auto", path, [kjump, "load", path, "--dry-run",
                                       "--json"])


def segments_avoid(out, reserved):
    plan = json.loads(out).get("plan") or {}
    for s in plan.get("segments", []):
        for lo, hi in reserved:
            if s["mem"] < hi and lo < s["end"]:
                return "segment %s at 0x%x overlaps 0x%x-0x%x" % (
                    s["what"], s["mem"], lo, hi)
    return None


# The reserved ranges map cases hold (must stay free), [lo, hi).
RESERVED = {"overlap-reserved": [(0x800000, 0x20000000)],
            "nested-reserved": [(0x800000, 0x3ff01000)]}


def shrinking_run(kjump, kernel, tmp):
    """The issue's reproducer: a big initrd truncated mid-load."""
    big = os.path.join(tmp, "shrinking-initrd")
    with open(big, "wb") as f:
        f.truncate(1400 << 20)
    argv = [kjump, "load", kernel, "--initrd", big, "--dry-run",
            "--syscall", "load"]
    timer = threading.Timer(0.3, lambda: os.truncate(big, 4096))
    timer.start()
    result = run(argv, env_with(FIXTURE))
    timer.join()
    os.unlink(big)
    return big, result


def main():
    kjump, corpus, kernel = sys.argv[1:4]
    problems, tally = [], {}
    jobs = list(image_runs(kjump, corpus))
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = pool.map(lambda j: (j, run(j[2], env_with(FIXTURE))),
                           jobs)
        for (kind, path, _), res in results:
            check(kind, path, [path, os.path.basename(path)], res,
                  problems, tally)
    maps = os.path.join(corpus, "maps")
    for name in sorted(os.listdir(maps)):
        res = run([kjump, "load", kernel, "--dry-run", "--json",
                   "--syscall", "load"], env_with(os.path.join(maps, name)))
        v = check("map", name, ["/proc/iomem", "/sys/firmware/memmap",
                                kernel], res, problems, tally)
        if v == "accepted" and name in RESERVED:
            bad = segments_avoid(res[2], RESERVED[name])
            if bad:
                problems.append("map %s: %s" % (name, bad))
    big, res = shrinking_run(kjump, kernel, corpus)
    v = check("shrink", big, [big], res, problems, tally)
    if v != "error" or "changed size while being read" not in res[3]:
        problems.append("shrink: expected 'changed size while being "
                        "read', got %s: %s" % (v, res[3].strip()[:200]))
    total = sum(tally.values())
    print("hostile inputs: %d runs: %s" % (
        total, ", ".join("%s %d" % kv for kv in sorted(tally.items()))))
    for p in problems:
        print("hostile: " + p)
    ok = total - len(problems)
    print("hostile: %d passed, %d failed" % (ok, len(problems)))
    if os.environ.get("KJ_RESULTS"):
        with open(os.environ["KJ_RESULTS"], "a") as f:
            f.write("hostile %d %d\n" % (ok, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
