#!/usr/bin/env python3
"""`meson install` into a temporary directory, then what a user gets:
the installed binary runs and verifies a chain, `man -l` renders the
installed page without a warning, and each completion lands where its
shell looks (bash-completion's completionsdir and fish's from pkg-config,
relative to their prefix; zsh's site-functions) and that shell, pointed at
the installed tree, completes a command from it.  A shell or tool that is
not installed is reported as skipped.

usage: check_install.py BUILDDIR   (CS_TESTCERTS: testcerts/)"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

build = sys.argv[1]
results = {"passed": 0, "failed": 0, "skipped": 0}


def report(kind, what):
    results[kind] += 1
    print(f"{ {'passed': 'ok', 'failed': 'FAIL', 'skipped': 'skip'}[kind]}:"
          f" {what}")


def check(cond, what, detail=""):
    report("passed" if cond else "failed", what + ("" if cond else
                                                   f": {detail}"))
    return cond


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, timeout=60,
                          **kw)


def pc_relative(package, default):
    """pkg-config's completionsdir of package, relative to its prefix."""
    if not shutil.which("pkg-config"):
        return default
    d = run(["pkg-config", "--variable=completionsdir", package]).stdout
    p = run(["pkg-config", "--variable=prefix", package]).stdout
    d, p = d.strip(), p.strip()
    if not d or not p or not d.startswith(p + "/"):
        return default
    return os.path.relpath(d, p)


def option(opts, name):
    return [o["value"] for o in opts if o["name"] == name][0]


def main():
    opts = json.loads(run(["meson", "introspect", build,
                           "--buildoptions"]).stdout)
    prefix = option(opts, "prefix")
    with tempfile.TemporaryDirectory() as dest:
        p = run(["meson", "install", "-C", build, "--destdir", dest,
                 "--no-rebuild", "--quiet"])
        if not check(p.returncode == 0, "meson install", p.stderr):
            return
        root = dest + prefix
        exe = os.path.join(root, "bin", "certscope")
        tc = os.environ.get("CS_TESTCERTS", "testcerts")

        p = run([exe, "--version"])
        check(p.returncode == 0 and p.stdout.startswith("certscope "),
              "the installed binary runs: " + p.stdout.strip(), p.stderr)
        p = run([exe, "verify", "--at", "2026-06-01", "--trust",
                 os.path.join(tc, "pki", "root-rsa.pem"),
                 os.path.join(tc, "pki", "chain-rsa.pem")])
        check(p.returncode == 0 and "trusted" in p.stdout.lower(),
              "the installed binary verifies the test chain", p.stderr)
        check(os.path.exists(os.path.join(
            root, option(opts, "datadir"), "certscope", "ca-bundle.pem")),
            "bundled trust store installed")

        page = os.path.join(root, option(opts, "mandir"), "man1",
                            "certscope.1")
        if not shutil.which("scdoc"):
            report("skipped", "man page (scdoc not installed)")
        elif not shutil.which("man"):
            check(os.path.exists(page), "man page installed")
            report("skipped", "man -l (man-db not installed)")
        else:
            p = run(["man", "--warnings", "-l", page],
                    env=dict(os.environ, MANWIDTH="80", MANPAGER="cat",
                             LC_ALL="C.UTF-8"))
            check(p.returncode == 0 and p.stderr == "",
                  "man -l renders the installed page without warnings",
                  p.stderr[:500])
            check("SYNOPSIS" in p.stdout and "--max-depth" in p.stdout and
                  "certscope completion" in p.stdout,
                  "the rendered page has the SYNOPSIS and the options")

        shells = [
            ("bash", pc_relative("bash-completion",
                                 "share/bash-completion/completions"),
             "certscope", bash_finds),
            ("zsh", "share/zsh/site-functions", "_certscope", zsh_finds),
            ("fish", pc_relative("fish", "share/fish/vendor_completions.d"),
             "certscope.fish", fish_finds),
        ]
        for shell, rel, name, finds in shells:
            path = os.path.join(root, rel, name)
            if not check(os.path.exists(path),
                         f"{shell} completion in {prefix}/{rel}", path):
                continue
            with open(path) as f:
                check(f.read() == run([exe, "completion", shell]).stdout,
                      f"the installed {shell} completion is what "
                      "'certscope completion' prints")
            if not shutil.which(shell):
                report("skipped", f"{shell} not installed")
                continue
            check(finds(root, rel), f"{shell} finds the installed "
                  "completion and completes a command from it")
    print(f"{results['passed']} passed, {results['failed']} failed, "
          f"{results['skipped']} skipped")


def bash_finds(root, rel):
    """bash-completion's on-demand loader, looking in XDG_DATA_DIRS."""
    fw = "/usr/share/bash-completion/bash_completion"
    if not os.path.exists(fw):
        return False
    script = ('source "$1"; __load_completion certscope || exit 1; '
              'COMP_WORDS=(certscope ver); COMP_CWORD=1; '
              'COMP_LINE="certscope ver"; COMP_POINT=13; '
              '_certscope certscope ver certscope; '
              'printf "%s\\n" "${COMPREPLY[@]}"')
    share = os.path.join(root, rel.split("/bash-completion/")[0])
    p = run(["bash", "--norc", "--noprofile", "-c", script, "bash", fw],
            env=dict(os.environ, XDG_DATA_DIRS=share))
    return p.stdout.split() == ["verify"]


def zsh_finds(root, rel):
    """compinit with the installed site-functions in $fpath."""
    p = run(["zsh", "-fc", 'fpath=("$1" $fpath); autoload -U compinit; '
             'compinit -u -D; print -r -- $_comps[certscope]', "zsh",
             os.path.join(root, rel)])
    return p.stdout.strip() == "_certscope"


def fish_finds(root, rel):
    """fish's vendor completion directories come from XDG_DATA_DIRS; it
    loads a command's completions when the command is on PATH."""
    with tempfile.TemporaryDirectory() as home:
        share = os.path.join(root, rel.split("/fish/")[0])
        path = os.path.join(root, "bin") + ":" + os.environ["PATH"]
        p = run(["fish", "-c", "complete -C 'certscope ver'"],
                env=dict(os.environ, PATH=path, HOME=home,
                         XDG_CONFIG_HOME=home,
                         XDG_DATA_HOME=home,
                         XDG_DATA_DIRS=share + ":/usr/share"))
    return [ln.split("\t")[0] for ln in p.stdout.splitlines()] == ["verify"]


if __name__ == "__main__":
    main()
    sys.exit(1 if results["failed"] or not results["passed"] else 0)
