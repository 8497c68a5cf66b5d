#!/usr/bin/env python3
"""End-to-end tests of what the option table (src/cli/opts.c) drives, for
every command: global options after the command, -q, "did you mean" for
commands and options, the one form of usage errors, each --help on one
screen ending with examples, and `certscope completion` printing the
committed completions.

Environment: CERTSCOPE (the executable), CS_TESTCERTS (testcerts/).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

CERTSCOPE = os.environ.get("CERTSCOPE", "certscope")
TESTCERTS = os.environ.get("CS_TESTCERTS", "testcerts")
ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
AT = "2026-06-01T00:00:00Z"
COMMANDS = ["show", "verify", "connect", "check", "serve", "completion", "help"]
USAGE_END = re.compile(r"\nTry 'certscope( [a-z]+)? --help'\.\n\Z")


def tc(rel):
    return os.path.join(TESTCERTS, rel)


def run(*args):
    env = dict(os.environ, NO_COLOR="1")
    p = subprocess.run([CERTSCOPE, *args], capture_output=True, env=env,
                       timeout=60)
    return p.returncode, p.stdout.decode("utf-8", "replace"), \
        p.stderr.decode("utf-8", "replace")


def verify_args():
    return ["--at", AT, "--trust", tc("pki/root-rsa.pem"), "--untrusted",
            tc("pki/ica-rsa.pem"), tc("pki/ee-rsa.pem")]


class GlobalOptions(unittest.TestCase):
    """-v, -q, --color, --help, --version before or after any command."""

    def test_version_after_each_command(self):
        for cmd in COMMANDS:
            with self.subTest(cmd=cmd):
                rc, out, err = run(cmd, "--version")
                self.assertEqual(rc, 0, err)
                self.assertTrue(out.startswith("certscope "), out)

    def test_color_after_show_and_verify(self):
        for args in (["show", "--at", AT, tc("pki/ee-rsa.pem")],
                     ["verify", *verify_args()]):
            with self.subTest(cmd=args[0]):
                rc, out, err = run(*args, "--color=always")
                self.assertEqual(rc, 0, err)
                self.assertIn("\x1b[", out)
                rc, out2, _ = run(args[0], "--color", "never", *args[1:])
                self.assertEqual(rc, 0)
                self.assertNotIn("\x1b[", out2)

    def test_globals_after_connect(self):
        # port 1 refuses at once: a network error (2), not a usage error
        rc, out, err = run("connect", "127.0.0.1:1", "--trust",
                           tc("pki/root-rsa.pem"), "--timeout", "5",
                           "--color=never", "-q")
        self.assertEqual(rc, 2)
        self.assertNotIn("Try 'certscope", err)
        self.assertIn("refused", err)

    def test_globals_after_completion_and_help(self):
        rc, out, err = run("completion", "fish", "--color=never", "-q")
        self.assertEqual(rc, 0, err)
        self.assertIn("complete -c certscope", out)
        rc, out, err = run("help", "-q", "verify", "--color=auto")
        self.assertEqual(rc, 0, err)
        self.assertIn("Usage: certscope verify", out)

    def test_help_after_command_is_its_help(self):
        for cmd in COMMANDS:
            with self.subTest(cmd=cmd):
                rc, out, _ = run(cmd, "-h")
                self.assertEqual(rc, 0)
                self.assertIn("Usage: certscope " + cmd, out)

    def test_quiet_drops_warnings_not_errors(self):
        with tempfile.TemporaryDirectory() as d:
            shutil.copy(tc("pki/root-rsa.pem"), d)
            shutil.copy(tc("bad/truncated.der"), d)
            args = ["verify", "--at", AT, "--trust", d, "--untrusted",
                    tc("pki/ica-rsa.pem"), tc("pki/ee-rsa.pem")]
            rc, _, err = run(*args)
            self.assertEqual(rc, 0, err)
            self.assertIn("warning:", err)
            for q in (["-q"], ["--quiet"]):
                rc, _, err = run(*args, *q)
                self.assertEqual(rc, 0, err)
                self.assertEqual(err, "")
                rc, _, err = run(*q, *args)
                self.assertEqual(err, "")
        rc, _, err = run("-q", "verify", *verify_args()[:-1],
                         tc("pki/no-such-file.pem"))
        self.assertEqual(rc, 2)
        self.assertIn("no-such-file.pem", err)

    def test_verbose_and_quiet_exclude(self):
        rc, out, err = run("-v", "show", "-q", tc("pki/ee-rsa.pem"))
        self.assertEqual(rc, 2)
        self.assertEqual(out, "")
        self.assertIn("-v and -q exclude each other", err)


class UsageErrors(unittest.TestCase):
    """One form: 'certscope: what went wrong', then the --help to read."""

    def usage(self, args, message, cmd=None):
        rc, out, err = run(*args)
        self.assertEqual(rc, 2, err)
        self.assertEqual(out, "")
        try_line = "Try 'certscope %s--help'." % (cmd + " " if cmd else "")
        self.assertEqual(err, "certscope: %s\n%s\n" % (message, try_line))

    def test_command_did_you_mean(self):
        self.usage(["verfy", "x.pem"], "unknown command 'verfy'; did you "
                   "mean 'verify'?")
        self.usage(["conect"], "unknown command 'conect'; did you mean "
                   "'connect'?")
        self.usage(["shwo"], "unknown command 'shwo'; did you mean "
                   "'show'?")
        self.usage(["frobnicate"], "unknown command 'frobnicate'")
        self.usage(["help", "verfy"], "unknown command 'verfy'; did you "
                   "mean 'verify'?", "help")

    def test_option_did_you_mean_each_command(self):
        for cmd, typo, meant in [("show", "--jsno", "--json"),
                                 ("show", "--lnog", "--long"),
                                 ("verify", "--hots", "--host"),
                                 ("verify", "--purpsoe", "--purpose"),
                                 ("connect", "--hots", "--host"),
                                 ("connect", "--starttsl", "--starttls"),
                                 ("completion", "--verbsoe", "--verbose"),
                                 ("help", "--quite", "--quiet")]:
            with self.subTest(cmd=cmd, typo=typo):
                self.usage([cmd, typo, "x"], "unknown option '%s'; did "
                           "you mean '%s'?" % (typo, meant), cmd)
        # with a value, and before the command
        self.usage(["verify", "--hots=www.example.test", "x.pem"],
                   "unknown option '--hots'; did you mean '--host'?",
                   "verify")
        self.usage(["--verbsoe", "show"], "unknown option '--verbsoe'; "
                   "did you mean '--verbose'?")

    def test_unknown_shell(self):
        self.usage(["completion", "bsh"], "unknown shell 'bsh'; did you "
                   "mean 'bash'?", "completion")

    def test_connect_unknown_option_one_form(self):
        self.usage(["connect", "--bogus", "example.com"],
                   "unknown option '--bogus'", "connect")
        rc, _, err = run("connect", "-x", "example.com")
        self.assertEqual(rc, 2)
        self.assertNotIn("invalid option", err)
        self.assertTrue(err.startswith("certscope: unknown option '-x'"))
        self.assertRegex(err, USAGE_END)

    def test_option_of_another_command(self):
        self.usage(["show", "--trust", "a", "b"], "option '--trust' is not "
                   "one of show (it is one of verify, connect, check)", "show")
        self.usage(["--json", "show", "x"], "option '--json' goes after "
                   "the command (show, verify, connect, check, asn1)")

    def test_ambiguous_prefix(self):
        rc, _, err = run("connect", "--s", "example.com")
        self.assertEqual(rc, 2)
        self.assertIn("option '--s' is ambiguous:", err)
        self.assertIn("--starttls", err)
        self.assertRegex(err, USAGE_END)

    def test_unique_prefix_accepted(self):
        rc, _, err = run("verify", "--ho", "www.example.test",
                         *verify_args())
        self.assertEqual(rc, 0, err)

    def test_missing_and_unwanted_values(self):
        self.usage(["verify", "x.pem", "--trust"], "option '--trust' needs "
                   "a value (FILE|DIR)", "verify")
        self.usage(["show", "--json=yes", "x"], "option '--json' takes no "
                   "value", "show")
        self.usage(["show", "x", "--color"], "option '--color' needs a "
                   "value (WHEN)", "show")

    def test_every_command_error_form(self):
        # a bad value in each command that takes values
        for args in (["show", "--at", "someday", "x"],
                     ["verify", "--max-depth", "x", "y"],
                     ["connect", "--timeout", "0", "example.com"],
                     ["check", "--warn", "soon", "x.pem"],
                     ["serve", "--listen", "nowhere"],
                     ["completion"],
                     ["help", "a", "b"]):
            with self.subTest(args=args):
                rc, out, err = run(*args)
                # check exits as a Nagios plugin: a usage error is UNKNOWN
                self.assertEqual(rc, 3 if args[0] == "check" else 2, err)
                self.assertEqual(out, "")
                self.assertTrue(err.startswith("certscope: "), err)
                self.assertEqual(err.count("\n"), 2, err)
                self.assertRegex(err, USAGE_END)


class OutputErrors(unittest.TestCase):
    """Output that cannot be written is an error: exit 2 (check: 3) with
    'cannot write output', never 0 and never death by SIGPIPE."""

    CASES = [
        ["show", "--at", AT, tc("pki/chain-rsa.pem")],
        ["show", "--json", tc("pki/chain-rsa.pem")],
        ["verify", *verify_args()],
        ["verify", "--json", *verify_args()],
        ["check", "-v", "--at", AT, "--trust", tc("pki/root-rsa.pem"),
         tc("pki/chain-rsa.pem")],
        ["completion", "bash"],
        ["help", "verify"],
        ["--help"],
    ]

    def run_to(self, args, stdout, preexec=None):
        p = subprocess.run([CERTSCOPE, *args], stdout=stdout,
                           stderr=subprocess.PIPE, timeout=60,
                           preexec_fn=preexec,
                           env=dict(os.environ, NO_COLOR="1"))
        return p.returncode, p.stderr.decode("utf-8", "replace")

    def expect(self, args, rc, err):
        want = 3 if "check" in args else 2
        self.assertEqual(rc, want, "%s: %s" % (args, err))
        self.assertIn("cannot write output", err)

    def test_full_disk(self):
        for args in self.CASES:
            with self.subTest(args=args), open("/dev/full", "w") as full:
                self.expect(args, *self.run_to(args, full))

    def test_stdout_closed(self):
        for args in self.CASES:
            with self.subTest(args=args):
                self.expect(args, *self.run_to(args, None,
                                               lambda: os.close(1)))

    def test_pipe_nobody_reads(self):
        for args in self.CASES:
            with self.subTest(args=args):
                r, w = os.pipe()
                os.close(r)
                try:
                    rc, err = self.run_to(args, w)
                finally:
                    os.close(w)
                self.assertGreaterEqual(rc, 0, "killed by a signal")
                self.expect(args, rc, err)

    def test_closed_stdout_never_reaches_a_file(self):
        # with fd 1 closed, the first file opened must not take its place
        # and receive the report: --save-chain, --output and the like
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "out.prom")
            rc, err = self.run_to(["check", "--format", "prometheus", "-o",
                                   out, "--at", AT, "--trust",
                                   tc("pki/root-rsa.pem"),
                                   tc("pki/chain-rsa.pem")], None,
                                  lambda: os.close(1))
            self.assertEqual(rc, 0, err)
            with open(out) as f:
                self.assertIn("certscope_check_state", f.read())


class Help(unittest.TestCase):

    def test_each_help_fits_one_screen_and_ends_with_examples(self):
        for cmd in COMMANDS:
            with self.subTest(cmd=cmd):
                rc, out, err = run(cmd, "--help")
                self.assertEqual(rc, 0, err)
                lines = out.rstrip("\n").split("\n")
                self.assertLessEqual(len(lines), 24, out)
                for line in lines:
                    self.assertLessEqual(len(line), 80, line)
                ex = lines.index("Examples:")
                examples = lines[ex + 1:]
                self.assertTrue(2 <= len(examples) <= 3, examples)
                for e in examples:
                    self.assertRegex(e, r"^  .*certscope " + cmd)

    def test_help_lists_each_option_of_the_command(self):
        rc, out, _ = run("connect", "--help")
        for opt in ("--starttls", "--sni", "--no-sni", "--timeout",
                    "--all-addresses", "--dns-servers",
                    "--save-chain", "--cert", "--key", "--password-file",
                    "--json", "--at", "--trust", "--untrusted", "--host",
                    "--email", "--purpose", "--max-depth", "--crl",
                    "--verbose", "--quiet", "--color", "--help"):
            self.assertIn(opt, out)

    def test_terse_options_in_page_and_completions_only(self):
        # --alpn is left out of connect's one screen, not out of the
        # man page's synopsis and options or the completions
        _, out, _ = run("connect", "--help")
        self.assertNotIn("--alpn", out)
        _, page, _ = run("--dump-man-options")
        self.assertIn("[*--alpn* _LIST_]", page)
        self.assertIn("*--alpn* _LIST_\n", page)
        _, bash, _ = run("completion", "bash")
        self.assertIn("--alpn", bash)

    def test_main_help(self):
        rc, out, _ = run("--help")
        self.assertEqual(rc, 0)
        for cmd in COMMANDS:
            self.assertIn("  " + cmd + " ", out)
        rc, out2, _ = run("help")
        self.assertEqual(out2, out)
        rc, _, err = run()
        self.assertEqual(rc, 2)
        self.assertIn("Usage: certscope", err)


class Completion(unittest.TestCase):

    def test_completion_prints_the_committed_files(self):
        for shell, name in (("bash", "certscope.bash"), ("zsh", "_certscope"),
                            ("fish", "certscope.fish")):
            with self.subTest(shell=shell):
                rc, out, err = run("completion", shell)
                self.assertEqual(rc, 0, err)
                with open(os.path.join(ROOT, "completions", name)) as f:
                    self.assertEqual(out, f.read(),
                                     "run scripts/gen-docs.sh")

    def test_dump_man_options(self):
        rc, out, err = run("--dump-man-options")
        self.assertEqual(rc, 0, err)
        for region in ("synopsis", "options"):
            self.assertIn("; BEGIN GENERATED " + region, out)
            self.assertIn("; END GENERATED " + region, out)
        self.assertNotIn("dump-man-options", out.split("\n", 1)[1])


if __name__ == "__main__":
    suite = unittest.TestSuite()
    loader = unittest.TestLoader()
    for cls in (GlobalOptions, UsageErrors, OutputErrors, Help, Completion):
        suite.addTests(loader.loadTestsFromTestCase(cls))
    res = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    failed = len(res.failures) + len(res.errors)
    passed = res.testsRun - failed - len(res.skipped)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
