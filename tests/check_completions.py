#!/usr/bin/env python3
"""Every command and every long option that `certscope CMD --help` lists is
offered by the bash, zsh and fish completions (so they never fall behind
the program).  usage: check_completions.py COMPLETIONS_DIR (CERTSCOPE env)"""
import os
import re
import subprocess
import sys

COMMANDS = ["show", "verify", "connect"]
exe = os.environ["CERTSCOPE"]
cdir = sys.argv[1]
bash = open(os.path.join(cdir, "certscope.bash")).read()
zsh = open(os.path.join(cdir, "_certscope")).read()
fish = open(os.path.join(cdir, "certscope.fish")).read()
errors = []


def options(cmd):
    out = subprocess.run([exe, cmd, "--help"], capture_output=True,
                         text=True, timeout=10)
    if out.returncode != 0:
        errors.append(f"{cmd} --help exited {out.returncode}")
    opts = set(re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", out.stdout))
    opts.discard("--help")
    return sorted(opts)


def bash_block(cmd):
    m = re.search(r"^\s*" + cmd + r"\)\s*\n?\s*opts=\"(.*?)\"", bash,
                  re.M | re.S)
    return m.group(1) if m else ""


def zsh_block(cmd):
    m = re.search(r"_certscope_" + cmd + r"\(\) \{(.*?)\n\}", zsh, re.S)
    return m.group(1) if m else ""


def fish_has(cmd, opt):
    for line in fish.splitlines():
        m = re.search(r'__fish_seen_subcommand_from ([a-z ]+)"', line)
        # a line with no subcommand condition applies everywhere
        anywhere = line.startswith("complete") and "-n " not in line
        if (anywhere or (m and cmd in m.group(1).split())) and \
                re.search(r"-l " + re.escape(opt[2:]) + r"(\s|$)", line):
            return True
    return False


checked = 0
for cmd in COMMANDS:
    if not re.search(r"commands=\"[^\"]*\b" + cmd + r"\b", bash):
        errors.append(f"bash: command {cmd} missing")
    if f"'{cmd}:" not in zsh:
        errors.append(f"zsh: command {cmd} missing")
    if not re.search(r"set -l cmds .*\b" + cmd + r"\b", fish):
        errors.append(f"fish: command {cmd} missing")
    b, z = bash_block(cmd), zsh_block(cmd)
    for opt in options(cmd):
        checked += 1
        if not re.search(re.escape(opt) + r"(?![a-z0-9-])", b):
            errors.append(f"bash: {cmd} {opt} missing")
        if not re.search(re.escape(opt) + r"(?![a-z0-9-])", z):
            errors.append(f"zsh: {cmd} {opt} missing")
        if not fish_has(cmd, opt):
            errors.append(f"fish: {cmd} {opt} missing")
for e in errors:
    print(e)
print(f"{checked} options checked, {len(errors)} missing")
sys.exit(1 if errors or checked == 0 else 0)
