#!/usr/bin/env python3
"""The committed completions (completions/) in the real shells: for a few
command lines each (a command, an option prefix, a global option after the
command, a --starttls and a --color value, a file argument, a file
operand), bash (with bash-completion), zsh (compsys, through a pseudo
terminal) and fish are asked for their completions and the answer is
checked.  A shell that is not installed is skipped, never passed.

Environment: none needed; the scripts are found beside this file.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
COMPLETIONS = os.path.join(ROOT, "completions")
BASH_COMPLETION = "/usr/share/bash-completion/bash_completion"

# (command line, what must be offered, what must not be)
CASES = [
    ("certscope ver", {"verify"}, set()),
    ("certscope verify --pur", {"--purpose"}, set()),
    ("certscope show --col", {"--color"}, set()),
    ("certscope connect --starttls sm", {"smtp"}, {"imap"}),
    ("certscope verify --color=al", {"always"}, {"never"}),
    ("certscope verify --trust ", {"ca.pem", "chain.pem"}, set()),
    ("certscope show ch", {"chain.pem"}, {"ca.pem"}),
    ("certscope completion ", {"bash", "zsh", "fish"}, set()),
]

# bash: bash-completion's framework and the script, the words as readline
# splits them ('=' is a word of its own), then the function's COMPREPLY.
BASH_HARNESS = r'''
script=$1; shift
source "$BASH_COMPLETION"
source "$script"
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
COMP_LINE=$CAP_LINE
COMP_POINT=${#COMP_LINE}
_certscope certscope "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"
'''

# zsh: an interactive zsh -f in a pseudo terminal with compinit and the
# script's directory first in $fpath; compadd is wrapped to write the
# matches it is given to a file; the line is typed with a TAB, and a
# comppostfuncs hook says when completion is over.
ZSH_HARNESS = r'''
zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "PS1=''; fpath=(${(q)1} \$fpath); autoload -U compinit; compinit -u -D"
zpty -w z "compadd() { if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\\ * ]]; then builtin compadd \"\$@\"; return; fi; local -a __hits; builtin compadd -A __hits \"\$@\"; (( \$#__hits )) && print -r -l -- \$__hits >> ${(q)2}; builtin compadd \"\$@\"; }"
zpty -w z "_cap_done() { print -n 'DONE''MARK' >/dev/tty; }; comppostfuncs=(_cap_done)"
zpty -w z "bindkey '^I' complete-word"
zpty -w z "print -r -- READY\$((1+1))"
local line
while zpty -r z line; do [[ $line == *READY2* ]] && break; done
zpty -w -n z "$3"$'\t'
zpty -r z line '*DONEMARK'
zpty -d z
'''


def bash_words(line):
    """COMP_WORDS as readline gives them: '=' splits a word."""
    words = []
    for w in line.split(" "):
        if w.startswith("--") and "=" in w:
            opt, val = w.split("=", 1)
            words += [opt, "=", val]
        else:
            words.append(w)
    return words


class Shells(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.dir = os.path.join(cls.tmp.name, "files")
        os.mkdir(cls.dir)
        for name in ("ca.pem", "chain.pem"):
            open(os.path.join(cls.dir, name), "w").close()
        os.mkdir(os.path.join(cls.dir, "sub"))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def run_shell(self, args, env=None):
        p = subprocess.run(args, cwd=self.dir, capture_output=True,
                           text=True, timeout=60,
                           env=dict(os.environ, **(env or {})))
        self.assertEqual(p.returncode, 0, p.stderr)
        return p.stdout

    def check(self, shell, line, got, want, unwanted):
        got = {g.rstrip("/") for g in got if g}
        self.assertTrue(want <= got, "%s: '%s' offered %s, not %s" %
                        (shell, line, sorted(got), sorted(want - got)))
        self.assertFalse(unwanted & got, "%s: '%s' offered %s" %
                         (shell, line, sorted(unwanted & got)))

    def test_bash(self):
        if not shutil.which("bash") or not os.path.exists(BASH_COMPLETION):
            self.skipTest("bash or bash-completion not installed")
        script = os.path.join(COMPLETIONS, "certscope.bash")
        for line, want, unwanted in CASES:
            with self.subTest(line=line):
                out = self.run_shell(
                    ["bash", "--norc", "--noprofile", "-c", BASH_HARNESS,
                     "harness", script, *bash_words(line)],
                    env={"CAP_LINE": line,
                         "BASH_COMPLETION": BASH_COMPLETION})
                self.check("bash", line, out.splitlines(), want, unwanted)

    def test_zsh(self):
        if not shutil.which("zsh"):
            self.skipTest("zsh not installed")
        out_file = os.path.join(self.tmp.name, "zsh-matches")
        for line, want, unwanted in CASES:
            with self.subTest(line=line):
                if os.path.exists(out_file):
                    os.unlink(out_file)
                self.run_shell(["zsh", "-f", "-c", ZSH_HARNESS, "harness",
                                COMPLETIONS, out_file, line])
                got = []
                if os.path.exists(out_file):
                    with open(out_file) as f:
                        got = f.read().splitlines()
                self.check("zsh", line, got, want, unwanted)

    def test_fish(self):
        if not shutil.which("fish"):
            self.skipTest("fish not installed")
        script = os.path.join(COMPLETIONS, "certscope.fish")
        for line, want, unwanted in CASES:
            with self.subTest(line=line):
                out = self.run_shell(
                    ["fish", "--no-config", "-c",
                     "source $argv[1]; complete -C $argv[2]",
                     script, line])
                # "--color=always<TAB>description": the value alone
                got = [g.split("\t")[0] for g in out.splitlines()]
                if "=" in line.split(" ")[-1]:
                    got = [g.split("=", 1)[1] for g in got]
                self.check("fish", line, got, want, unwanted)


if __name__ == "__main__":
    suite = unittest.TestLoader().loadTestsFromTestCase(Shells)
    res = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    failed = len(res.failures) + len(res.errors)
    skipped = len(res.skipped)
    passed = res.testsRun - failed - skipped
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    if failed:
        sys.exit(1)
    sys.exit(77 if passed == 0 else 0)
