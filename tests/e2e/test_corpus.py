#!/usr/bin/env python3
"""Every file of the shared corpus of malformed and edge-case inputs
(CS_SHARED/corpus: ~1,370 files; the vendored synthetic part when the
shared folder is absent) through `certscope show --long --json`: exit 0
or 2, valid JSON on stdout, no sanitizer report, within 10 s each.

CS_CORPUS_BATCH=N gives N files to each process instead of one (for runs
under valgrind, where starting 1,370 processes costs 15 CPU minutes): the
exit code is then the worst of the batch, and every file of the batch
must appear in the JSON as the origin of a certificate, CRL or error.

Environment: CERTSCOPE, CS_SHARED, CS_CORPUS_BATCH.
"""
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

CERTSCOPE = os.environ.get("CERTSCOPE", "certscope")
CORPUS = os.path.join(os.environ.get("CS_SHARED", "../shared"), "corpus")
LIMIT_S = 10
BATCH = int(os.environ.get("CS_CORPUS_BATCH", "1") or 1)


def inputs():
    for top, _, files in os.walk(CORPUS):
        if top == CORPUS:
            continue  # README and licences sit at the top
        for f in sorted(files):
            yield os.path.join(top, f)


def check(paths):
    path = paths[0] if len(paths) == 1 else \
        f"{paths[0]} (batch of {len(paths)})"
    try:
        p = subprocess.run([CERTSCOPE, "show", "--long", "--json",
                            "--at", "2026-06-01"] + paths,
                           capture_output=True,
                           timeout=LIMIT_S * len(paths))
    except subprocess.TimeoutExpired:
        return f"{path}: no answer within {LIMIT_S} s"
    if p.returncode not in (0, 2):
        return f"{path}: exit {p.returncode}: {p.stderr[-300:]!r}"
    err = p.stderr.decode("utf-8", "replace")
    if "Sanitizer" in err or "runtime error" in err:
        return f"{path}: sanitizer report: {err[-500:]}"
    try:
        doc = json.loads(p.stdout.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        return f"{path}: invalid JSON: {e}"
    for key in ("certificates", "crls", "errors"):
        if not isinstance(doc.get(key), list):
            return f"{path}: no '{key}' list"
    if p.returncode == 2 and not doc["errors"]:
        return f"{path}: exit 2 without an error in the JSON"
    if p.returncode == 0 and doc["errors"]:
        return f"{path}: exit 0 with errors in the JSON"
    seen = {e["origin"]["file"] for key in ("certificates", "crls", "errors")
            for e in doc[key]}
    missing = [f for f in paths if f not in seen]
    if len(paths) > 1 and missing:
        return f"{path}: not reported: {missing[:3]}"
    return None


def main():
    files = list(inputs())
    if len(files) < 50:
        print(f"only {len(files)} files under {CORPUS}")
        return 1
    batches = [files[i:i + BATCH] for i in range(0, len(files), BATCH)]
    with ThreadPoolExecutor(max_workers=2) as ex:
        problems = [r for r in ex.map(check, batches) if r]
    for p in problems:
        print(p)
    print(f"{len(batches) - len(problems)} passed, {len(problems)} failed"
          f" ({len(files)} files{f', {BATCH} per process' if BATCH > 1 else ''})")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
