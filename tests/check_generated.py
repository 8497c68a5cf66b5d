#!/usr/bin/env python3
"""The files written from the option table (src/cli/opts.c) are what the
built binary prints: completions/certscope.bash, _certscope and
certscope.fish are `certscope completion bash|zsh|fish`, and the parts of
doc/certscope.1.scd between `; BEGIN GENERATED NAME` and `; END GENERATED
NAME` are those of `certscope --dump-man-options`.

usage: check_generated.py [--write] SOURCE_ROOT   (CERTSCOPE: the binary)
--write refreshes the files instead (scripts/gen-docs.sh)."""
import difflib
import os
import re
import subprocess
import sys

COMPLETIONS = {"bash": "certscope.bash", "zsh": "_certscope",
               "fish": "certscope.fish"}
REGION = re.compile(r"^; BEGIN GENERATED (\w+).*?^; END GENERATED \1\n",
                    re.M | re.S)


def run(*args):
    p = subprocess.run([os.environ["CERTSCOPE"], *args], capture_output=True,
                       text=True, timeout=30)
    if p.returncode != 0 or p.stderr:
        sys.exit(f"certscope {' '.join(args)}: exit {p.returncode}: "
                 f"{p.stderr}")
    return p.stdout


def splice(page, dump):
    """page with each generated region replaced by the dump's."""
    regions = {m.group(1): m.group(0) for m in REGION.finditer(dump)}
    if not regions:
        sys.exit("--dump-man-options printed no generated region")
    seen = set()

    def repl(m):
        seen.add(m.group(1))
        return regions.get(m.group(1), m.group(0))
    out = REGION.sub(repl, page)
    missing = set(regions) - seen
    if missing:
        sys.exit("the man page has no region " + ", ".join(sorted(missing)))
    return out


def main():
    write = "--write" in sys.argv[1:]
    root = [a for a in sys.argv[1:] if a != "--write"][0]
    want = {os.path.join("completions", f): run("completion", sh)
            for sh, f in COMPLETIONS.items()}
    page = os.path.join("doc", "certscope.1.scd")
    with open(os.path.join(root, page), encoding="utf-8") as f:
        want[page] = splice(f.read(), run("--dump-man-options"))
    stale = 0
    for rel, text in want.items():
        path = os.path.join(root, rel)
        with open(path, encoding="utf-8") as f:
            have = f.read()
        if have == text:
            print(f"ok: {rel}")
            continue
        if write:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            print(f"written: {rel}")
            continue
        stale += 1
        print(f"stale: {rel} differs from what certscope prints "
              "(run scripts/gen-docs.sh):")
        sys.stdout.writelines(difflib.unified_diff(
            have.splitlines(True), text.splitlines(True), rel,
            "certscope", n=1))
    if not write:
        print(f"{len(want) - stale} passed, {stale} failed")
    sys.exit(1 if stale else 0)


if __name__ == "__main__":
    main()
