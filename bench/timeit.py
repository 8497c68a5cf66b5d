#!/usr/bin/env python3
"""timeit.py - time commands against each other in one run.

Usage: timeit.py [--runs N] [--warmup N] [--ratio A/B ...] SPEC

SPEC is a file of lines "NAME<TAB>COMMAND" (COMMAND split with shlex, run
without a shell, stdin /dev/null, stdout and stderr discarded).  The
commands are run interleaved (one run of each, RUNS times over) so that
load from elsewhere on a shared machine falls on all of them alike; each
run is timed with time.perf_counter around spawn and wait4, which also
gives its CPU time (user + system).  Peak RSS is then measured apart,
three runs each with /usr/bin/time -f %M (wait4's ru_maxrss when
/usr/bin/time is missing), and the median taken.

Prints a Markdown table: median and minimum wall time, median CPU time,
median peak RSS, exit status; then for every --ratio A/B the ratios B / A
of the median wall and the median CPU times of the commands named A and
B (above 1: A is faster).
"""
import argparse
import os
import shlex
import statistics
import subprocess
import sys
import time


def run_once(argv):
    """(wall seconds, cpu seconds, maxrss KiB, exit status) of one run"""
    with open(os.devnull, "rb") as i, open(os.devnull, "wb") as o:
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, stdin=i, stdout=o, stderr=o)
        _, status, ru = os.wait4(p.pid, 0)
        t1 = time.perf_counter()
    p.returncode = os.waitstatus_to_exitcode(status)
    return t1 - t0, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, p.returncode


def rss_kib(argv, fallback):
    """median peak RSS of three runs under /usr/bin/time -f %M"""
    if not os.access("/usr/bin/time", os.X_OK):
        return fallback
    vals = []
    for _ in range(3):
        r = subprocess.run(["/usr/bin/time", "-f", "%M"] + argv,
                           stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True)
        last = r.stderr.strip().splitlines()[-1:]
        if last and last[0].isdigit():
            vals.append(int(last[0]))
    return statistics.median(vals) if vals else fallback


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=21)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--ratio", action="append", default=[])
    ap.add_argument("spec")
    a = ap.parse_args()

    cmds = []
    with open(a.spec) as f:
        for line in f:
            line = line.rstrip("\n")
            if line and not line.startswith("#"):
                name, cmd = line.split("\t", 1)
                cmds.append((name, shlex.split(cmd)))
    res = {name: [] for name, _ in cmds}
    for r in range(a.warmup + a.runs):
        for name, argv in cmds:
            m = run_once(argv)
            if r >= a.warmup:
                res[name].append(m)

    med, cpu_med = {}, {}
    print("| command | median wall ms | min wall ms | median CPU ms "
          "| peak RSS MB | exit |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, argv in cmds:
        v = res[name]
        wall = statistics.median(x[0] for x in v) * 1e3
        cpu = statistics.median(x[1] for x in v) * 1e3
        rss = rss_kib(argv, statistics.median(x[2] for x in v))
        med[name], cpu_med[name] = wall, cpu
        print("| `%s` | %.2f | %.2f | %.2f | %.1f | %d |"
              % (name, wall, min(x[0] for x in v) * 1e3, cpu, rss / 1024,
                 v[-1][3]))
    print()
    for spec in a.ratio:
        x, y = spec.split("/", 1)
        if x not in med or y not in med:
            sys.exit("--ratio %s: no such command" % spec)
        print("- `%s` / `%s`: %.2f (median wall), %.2f (median CPU)"
              % (y, x, med[y] / med[x], cpu_med[y] / cpu_med[x]))

if __name__ == "__main__":
    main()
