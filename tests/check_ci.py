#!/usr/bin/env python3
"""Check that .ci/run runs the README's test command.

The README's quick start is one fenced block of exactly two commands:
install-build-run, then run-all-tests.  .ci/run must hold the second as
a line of its own, so CI runs what a new user is told to run.
Usage: check_ci.py SOURCE_ROOT
"""
import os
import re
import sys

root = sys.argv[1]
readme = open(os.path.join(root, "README.md"), encoding="utf-8").read()
m = re.search(r"^## Quick start\n(.*?)^## ", readme, re.S | re.M)
if not m:
    sys.exit("README.md has no '## Quick start' section")
block = re.search(r"^```sh\n(.*?)^```", m.group(1), re.S | re.M)
if not block:
    sys.exit("the quick start has no ```sh block")
cmds = [line.strip() for line in block.group(1).splitlines()
        if line.strip() and not line.strip().startswith("#")]
if len(cmds) != 2:
    sys.exit("the quick start block holds %d commands, not 2: %r" %
             (len(cmds), cmds))
test_cmd = cmds[1]
ci = [line.strip() for line in
      open(os.path.join(root, ".ci", "run"), encoding="utf-8")
      if not line.strip().startswith("#")]
if test_cmd not in ci:
    sys.exit(".ci/run does not run the README's test command %r" % test_cmd)
for script in re.findall(r"\S+\.sh", " ".join(cmds)):
    if not os.path.isfile(os.path.join(root, script)):
        sys.exit("the quick start names %s, which does not exist" % script)
print("ok: .ci/run runs %r" % test_cmd)
