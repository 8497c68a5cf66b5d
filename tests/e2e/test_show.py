#!/usr/bin/env python3
"""End-to-end tests of `certscope show`.

Every [load:NAME] section of testcerts/manifest.ini is shown with --json
and its certificate, CRL and error counts checked; then text output,
every format, --pem round trips, stdin, directories, bad inputs next to
good ones, hostile names, colour and the CLI contract.  Fixed time
2026-06-01T00:00:00Z.

Environment: CERTSCOPE (the executable), CS_TESTCERTS (testcerts/),
CS_SHARED (../shared).
"""
import configparser
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

# Seconds one certscope run may take; scripts/valgrind.sh scales it (a
# PKCS#12 key derivation under valgrind on a busy machine takes minutes).
TIMEOUT = 60 * float(os.environ.get("CS_TIMEOUT_SCALE", "1"))
CERTSCOPE = os.environ.get("CERTSCOPE", "certscope")
TESTCERTS = os.environ.get("CS_TESTCERTS", "testcerts")
SHARED = os.environ.get("CS_SHARED", "../shared")
SYNTH = os.path.join(SHARED, "corpus", "certscope-synthetic")
AT = "2026-06-01T00:00:00Z"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def tc(rel):
    return os.path.join(TESTCERTS, rel)


def run(*args, stdin=None, env_extra=None, env_drop=(), timeout=TIMEOUT):
    env = dict(os.environ)
    env["NO_COLOR"] = "1"
    env.pop("CERTSCOPE_PASSWORD", None)
    for k in env_drop:
        env.pop(k, None)
    if env_extra:
        env.update(env_extra)
    p = subprocess.run([CERTSCOPE, *args], input=stdin, capture_output=True,
                       env=env, timeout=timeout)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def show_json(*args, **kw):
    rc, out, err = run("show", "--json", "--at", AT, *args, **kw)
    return rc, json.loads(out), err


def load_sections():
    cp = configparser.ConfigParser(interpolation=None,
                                   inline_comment_prefixes=None)
    with open(tc("manifest.ini"), encoding="utf-8") as f:
        cp.read_file(f)
    return [(n[5:], cp[n]) for n in cp.sections() if n.startswith("load:")]


class Manifest(unittest.TestCase):
    """One test per [load:NAME] section (added below)."""


def make_load_test(name, sec):
    def test(self):
        args = []
        env = {}
        if "password_file" in sec:
            args += ["--password-file", tc(sec["password_file"])]
        if "password" in sec:
            env["CERTSCOPE_PASSWORD"] = sec["password"]
        rc, doc, err = show_json(*args, tc(sec["file"]), env_extra=env)
        want = (int(sec["certs"]), int(sec["crls"]), int(sec["errors"]))
        got = (len(doc["certificates"]), len(doc["crls"]),
               len(doc["errors"]))
        self.assertEqual(got, want, f"[load:{name}] {err}")
        self.assertEqual(rc, 2 if want[2] else 0, f"[load:{name}] {err}")
        if want[2]:
            # every error names the file on stderr
            self.assertIn(tc(sec["file"]), err)
    return test


for _n, _s in load_sections():
    setattr(Manifest, "test_load_" + re.sub(r"\W", "_", _n),
            make_load_test(_n, _s))


class Text(unittest.TestCase):

    def test_chain_two_blocks(self):
        rc, out, _ = run("show", "--at", AT, tc("pki/chain-rsa.pem"))
        self.assertEqual(rc, 0)
        out = out.decode()
        self.assertEqual(out.count("\ncertificate ") + 1, 2)
        self.assertRegex(out, r"(?m)^  subject +CN=www\.example\.test")
        self.assertRegex(out, r"(?m)^  subject +CN=certscope Test "
                              r"Intermediate RSA")
        self.assertIn("(expires in 578 days)", out)
        self.assertRegex(out, r"(?m)^  type +leaf$")
        self.assertRegex(out, r"(?m)^  type +CA, path length 0$")

    def test_expired_phrase(self):
        rc, out, _ = run("show", "--at", AT, tc("pki/ee-expired.pem"))
        self.assertEqual(rc, 0)
        self.assertRegex(out.decode(), r"\(expired \d+ days ago\)")

    def test_not_yet_valid_phrase(self):
        rc, out, _ = run("show", "--at", AT, tc("pki/ee-notyet.pem"))
        self.assertEqual(rc, 0)
        self.assertRegex(out.decode(),
                         r"\(not yet valid, starts in \d+ days\)")

    def test_block_layout(self):
        # every line of a block is the header or "  label  value"
        rc, out, _ = run("show", "--at", AT, tc("pki/chain-rsa.pem"))
        self.assertEqual(rc, 0)
        blocks = out.decode().split("\n\n")
        self.assertEqual(len(blocks), 2)
        for b in blocks:
            lines = b.strip("\n").split("\n")
            self.assertRegex(lines[0], r"^certificate .*chain-rsa\.pem #\d "
                                       r"\(PEM, line \d+\)$")
            labels = [ln[:15] for ln in lines[1:]]
            for lab in labels:
                self.assertRegex(lab, r"^  [a-z0-9-]+ +$")
            self.assertEqual([x.strip() for x in labels],
                             ["subject", "issuer", "serial", "valid",
                              "names", "key", "signature", "sha256",
                              "type"])

    def test_long_extensions(self):
        rc, out, _ = run("show", "--long", "--at", AT, tc("pki/ee-full.pem"))
        self.assertEqual(rc, 0)
        out = out.decode()
        for want in ("SCT", "OCSP", "CA issuers", "CRL", "policies",
                     "key usage", "ext key use", "pin-sha256", "sha1",
                     "subject kid", "author. kid"):
            self.assertRegex(out, r"(?m)^  " + re.escape(want) + " ",
                             want)
        rc, short, _ = run("show", "--at", AT, tc("pki/ee-full.pem"))
        self.assertNotIn(b"pin-sha256", short)

    def test_color_only_when_asked(self):
        _, plain, _ = run("show", "--at", AT, tc("pki/ee-expired.pem"))
        self.assertNotIn(b"\x1b", plain)
        _, col, _ = run("show", "--color=always", "--at", AT,
                        tc("pki/ee-expired.pem"))
        self.assertIn(b"\x1b[1;31mexpired", col)
        _, col, _ = run("--color=always", "show", "--at", AT,
                        tc("pki/ee-expired.pem"))
        self.assertIn(b"\x1b[", col)


# A large tree under ASan with full unwinding on every malloc takes half a
# minute on a loaded machine.
LARGE_TIMEOUT = 5 * TIMEOUT
BAD_PEM = (b"-----BEGIN CERTIFICATE-----\nMIIBAAAA\n"
           b"-----END CERTIFICATE-----\n")


def make_large_tree(root, nfiles=2000, per_dir=800):
    """A tree of nfiles copies of a few inputs, in subdirectories of
    per_dir files: a leaf, a two-certificate chain, a CRL, and every
    300th file a broken certificate.  Returns [(path, kind, count)] in
    the order show reads them (directory entries sorted bytewise)."""
    srcs = [(tc("pki/ee-ec.pem"), "cert", 1),
            (tc("pki/chain-rsa.pem"), "cert", 2),
            (tc("pki/crl-ica-rsa.pem"), "crl", 1)]
    data = []
    for path, kind, n in srcs:
        with open(path, "rb") as f:
            data.append((f.read(), kind, n))
    want = []
    for i in range(nfiles):
        d = os.path.join(root, "d%02d" % (i // per_dir))
        if i % per_dir == 0:
            os.mkdir(d)
        p = os.path.join(d, "f%05d.pem" % i)
        if i % 300 == 299:
            body, kind, n = BAD_PEM, "error", 1
        else:
            body, kind, n = data[i % len(data)]
        with open(p, "wb") as f:
            f.write(body)
        want.append((p, kind, n))
    return want


class LargeTree(unittest.TestCase):
    """show streams a tree (each file shown, then freed): the output must
    still be one complete document with every input, in order."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.want = make_large_tree(cls.tmp.name)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def expected(self, kind):
        out = []
        for p, k, n in self.want:
            if k == kind:
                out += [(p, i + 1) for i in range(n)]
        return out

    def test_json_one_document_every_input_in_order(self):
        rc, out, err = run("show", "--json", "--at", AT, self.tmp.name,
                           timeout=LARGE_TIMEOUT)
        self.assertEqual(rc, 2, err)  # the broken files
        doc = json.loads(out)  # one complete, valid document
        self.assertEqual(list(doc), ["certificates", "crls", "errors"])
        for key, kind in (("certificates", "cert"), ("crls", "crl"),
                          ("errors", "error")):
            got = [(x["origin"]["file"], x["origin"]["index"])
                   for x in doc[key]]
            self.assertEqual(got, self.expected(kind), key)
        self.assertEqual(len(doc["errors"]), 6)
        # every broken file named on stderr too, the rest still shown
        for p, k, _ in self.want:
            if k == "error":
                self.assertIn(p + ": item 1: truncated DER", err)

    def test_text_every_input_in_order(self):
        rc, out, err = run("show", "--at", AT, self.tmp.name,
                           timeout=LARGE_TIMEOUT)
        self.assertEqual(rc, 2, err)
        heads = re.findall(r"(?m)^(certificate|CRL) (\S+) #(\d+) ",
                           out.decode())
        want = [("certificate" if k == "cert" else "CRL", p, str(i + 1))
                for p, k, n in self.want if k != "error"
                for i in range(n)]
        self.assertEqual(heads, want)
        self.assertEqual(err.count("truncated DER"), 6)


class EmptyTree(unittest.TestCase):

    def test_directory_without_certificates(self):
        # a tree holding nothing is an input error, as an empty file is,
        # and the other inputs of the run are still shown
        with tempfile.TemporaryDirectory() as d:
            os.mkdir(os.path.join(d, "sub"))
            for name in ("notes.txt", "sub/key.pem"):
                with open(os.path.join(d, name), "w") as f:
                    f.write("nothing here\n")
            rc, out, err = run("show", "--at", "2026-06-01", d,
                               os.path.join(TESTCERTS, "pki",
                                            "ee-rsa.pem"))
            self.assertEqual(rc, 2, err)
            self.assertIn("%s: no certificate found in this directory "
                          "(2 files skipped)" % d, err)
            self.assertIn(b"www.example.test", out)
            rc, out, err = run("show", "--json", d)
            self.assertEqual(rc, 2)
            doc = json.loads(out)
            self.assertEqual(doc["certificates"], [])
            self.assertEqual(doc["errors"][0]["kind"], "empty")
            self.assertIn("no certificate found in this directory",
                          doc["errors"][0]["error"])


class Formats(unittest.TestCase):

    def fingerprints(self, *args, **kw):
        rc, doc, err = show_json(*args, **kw)
        self.assertEqual(rc, 0, err)
        return [c["fingerprints"]["sha256"] for c in doc["certificates"]]

    def test_every_format_same_certificates(self):
        want = self.fingerprints(tc("pki/chain-rsa.pem"))
        self.assertEqual(len(want), 2)
        for f in ("formats/chain-rsa.p7b", "formats/chain-rsa.p7c",
                  "formats/chain-rsa-crlf.pem", "formats/chain-rsa-bom.pem",
                  "formats/chain-rsa-text.pem"):
            self.assertEqual(self.fingerprints(tc(f)), want, f)
        self.assertEqual(self.fingerprints(tc("formats/ee-rsa.der")),
                         want[:1])

    def test_origin_and_times(self):
        rc, doc, _ = show_json(tc("formats/chain-rsa.p7c"),
                               tc("pki/chain-rsa.pem"))
        self.assertEqual(rc, 0)
        c = doc["certificates"]
        self.assertEqual(c[0]["origin"]["format"], "PKCS#7")
        self.assertIsNone(c[0]["origin"]["line"])
        self.assertEqual(c[3]["origin"]["format"], "PEM")
        self.assertEqual(c[3]["origin"]["index"], 2)
        self.assertEqual(c[3]["origin"]["line"], 23)
        for cert in c:
            self.assertRegex(cert["not_before"], RFC3339)
            self.assertRegex(cert["not_after"], RFC3339)
            self.assertIsInstance(cert["expires_in_days"], int)
            self.assertIsInstance(cert["is_ca"], bool)
            self.assertIsInstance(cert["sans"], list)
            self.assertRegex(cert["fingerprints"]["sha256"],
                             r"^([0-9A-F]{2}:){31}[0-9A-F]{2}$")

    def test_p12_password_file_and_env(self):
        a = self.fingerprints("--password-file",
                              tc("formats/p12-password.txt"),
                              tc("formats/ee-rsa.p12"))
        with open(tc("formats/p12-password.txt")) as f:
            pw = f.read().strip()
        b = self.fingerprints(tc("formats/ee-rsa.p12"),
                              env_extra={"CERTSCOPE_PASSWORD": pw})
        self.assertEqual(a, b)
        self.assertGreaterEqual(len(a), 1)

    def test_p12_wrong_password(self):
        rc, doc, err = show_json(tc("formats/ee-rsa.p12"), tc("pki/ee-ec.pem"),
                                 env_extra={"CERTSCOPE_PASSWORD": "nope"})
        self.assertEqual(rc, 2)
        self.assertIn("ee-rsa.p12", err)
        self.assertEqual(len(doc["errors"]), 1)
        self.assertEqual(len(doc["certificates"]), 1)  # ee-ec still shown

    def test_bundle_mixed_has_crl(self):
        rc, doc, _ = show_json(tc("formats/bundle-mixed.pem"))
        self.assertEqual(rc, 0)
        self.assertEqual(len(doc["crls"]), 1)
        self.assertRegex(doc["crls"][0]["this_update"], RFC3339)
        self.assertIsInstance(doc["crls"][0]["revoked_count"], int)

    def test_pem_round_trip(self):
        rc, pem, _ = run("show", "--pem", "--password-file",
                         tc("formats/p12-password.txt"),
                         tc("formats/ee-rsa.p12"))
        self.assertEqual(rc, 0)
        self.assertTrue(pem.startswith(b"-----BEGIN CERTIFICATE-----\n"))
        want = self.fingerprints("--password-file",
                                 tc("formats/p12-password.txt"),
                                 tc("formats/ee-rsa.p12"))
        self.assertEqual(self.fingerprints("-", stdin=pem), want)

    def test_pem_keeps_crls_in_order(self):
        src = tc("formats/bundle-mixed.pem")
        rc, pem, _ = run("show", "--pem", src)
        self.assertEqual(rc, 0)
        labels = re.findall(rb"-----BEGIN ([A-Z0-9 ]+)-----", pem)
        self.assertEqual(labels, [b"CERTIFICATE", b"X509 CRL",
                                  b"CERTIFICATE"])
        self.assertNotIn(b"PRIVATE KEY", pem)
        rc, a, _ = show_json(src)
        rc2, b, _ = show_json("-", stdin=pem)
        self.assertEqual((rc, rc2), (0, 0))
        self.assertEqual([c["fingerprints"] for c in a["certificates"]],
                         [c["fingerprints"] for c in b["certificates"]])
        self.assertEqual([(c["issuer"], c["this_update"]) for c in a["crls"]],
                         [(c["issuer"], c["this_update"]) for c in b["crls"]])

    def test_stdin(self):
        with open(tc("formats/ee-rsa.der"), "rb") as f:
            data = f.read()
        rc, doc, _ = show_json("-", stdin=data)
        self.assertEqual(rc, 0)
        self.assertEqual(doc["certificates"][0]["origin"]["file"], "-")

    def test_directory_tree(self):
        rc, doc, err = run("show", "-v", "--json", "--at", AT,
                           tc("dirtree"))
        self.assertEqual(rc, 0, err)
        self.assertEqual(len(json.loads(doc)["certificates"]), 4)
        self.assertIn("skipped", err)


class BadInput(unittest.TestCase):

    def test_each_bad_file_next_to_a_good_one(self):
        # the files the manifest says hold at least one error
        bad = sorted(sec["file"][4:] for _, sec in load_sections()
                     if sec["file"].startswith("bad/")
                     and int(sec["errors"]) > 0)
        self.assertGreaterEqual(len(bad), 8)
        for b in bad:
            rc, doc, err = show_json(tc("bad/" + b), tc("pki/ee-rsa.pem"))
            self.assertEqual(rc, 2, b)
            self.assertIn("bad/" + b, err, b)
            self.assertGreaterEqual(len(doc["errors"]), 1, b)
            files = [c["origin"]["file"] for c in doc["certificates"]]
            self.assertIn(tc("pki/ee-rsa.pem"), files, b)

    def test_error_names_item_and_line(self):
        # good, truncated, good: the middle block is item 2 at its line
        f = tc("bad/truncated-in-pem.pem")
        rc, doc, err = show_json(f)
        self.assertEqual(rc, 2)
        self.assertEqual(len(doc["certificates"]), 2)
        self.assertEqual(len(doc["errors"]), 1)
        e = doc["errors"][0]
        self.assertEqual((e["file"], e["index"]), (f, 2))
        self.assertIsInstance(e["line"], int)
        self.assertIn(f"{f}: item 2", err)
        self.assertIn(f"line {e['line']}", err)

    def test_missing_file(self):
        rc, doc, err = show_json("/nonexistent/x.pem", tc("pki/ee-rsa.pem"))
        self.assertEqual(rc, 2)
        self.assertIn("/nonexistent/x.pem", err)
        self.assertEqual(len(doc["certificates"]), 1)

    def test_hostile_names_never_raw(self):
        for f in ("cn-ansi-escape.der", "cn-bidi-override.der",
                  "cn-with-nul.der", "cn-newline-pipe.der",
                  "cn-invalid-utf8.der", "san-dns-with-nul.der",
                  "cn-prometheus-injection.der"):
            p = os.path.join(SYNTH, f)
            self.assertTrue(os.path.isfile(p), p)
            rc, out, err = run("show", "--long", "--at", AT, p)
            self.assertEqual(rc, 0, f + err)
            for raw in (b"\x1b", b"\xe2\x80\xae", b"\x00", b"\x07",
                        b"\r", b"\x9b", b"\xc2\x9b"):
                self.assertNotIn(raw, out, f)
            out.decode("utf-8")  # invalid UTF-8 was escaped, not copied
            # one block, and a name cannot add lines of its own: every
            # line after the header is "  label  value"
            lines = out.decode().rstrip("\n").split("\n")
            self.assertEqual(out.count(b"\n  subject "), 1, f)
            for ln in lines[1:]:
                self.assertRegex(ln, r"^  [A-Za-z0-9. -]{13}", f)
            rc, out, _ = run("show", "--json", "--at", AT, p)
            doc = json.loads(out.decode("ascii"))  # pure-ASCII JSON
            self.assertEqual(len(doc["certificates"]), 1, f)

    def test_hostile_names_kept_as_data_in_json(self):
        # JSON carries the exact name, NUL included, as data
        _, doc, _ = show_json(os.path.join(SYNTH, "cn-with-nul.der"))
        self.assertEqual(doc["certificates"][0]["subject_cn"],
                         "www.bank.test\x00.evil.test")
        _, doc, _ = show_json(os.path.join(SYNTH, "san-dns-with-nul.der"))
        self.assertIn({"type": "DNS", "value": "www.bank.test\x00.evil.test"},
                      doc["certificates"][0]["sans"])
        _, doc, _ = show_json(os.path.join(SYNTH, "cn-bidi-override.der"))
        self.assertIn("\u202e", doc["certificates"][0]["subject_cn"])

    def test_dates_and_serials_exact(self):
        cases = {
            "utc-50-means-1950.der": ("not_after", "1950-01-01T00:00:00Z"),
            "gen-99991231235959Z.der": ("not_after", "9999-12-31T23:59:59Z"),
            "serial-negative.der": ("serial_negative", True),
            "serial-zero.der": ("serial", "00"),
        }
        for f, (key, want) in cases.items():
            rc, doc, _ = show_json(os.path.join(SYNTH, f))
            self.assertEqual(doc["certificates"][0][key], want, f)


class Cli(unittest.TestCase):

    def test_help_and_version(self):
        rc, out, _ = run("show", "--help")
        self.assertEqual(rc, 0)
        for opt in ("--json", "--pem", "--long", "--password-file", "--at"):
            self.assertIn(opt.encode(), out)
        rc, out, _ = run("--version")
        self.assertEqual(rc, 0)
        self.assertIn(b"certscope", out)

    def test_usage_errors(self):
        for args in (["--bogus", tc("pki/ee-rsa.pem")],
                     ["--json", "--pem", tc("pki/ee-rsa.pem")],
                     [],
                     ["--at", "someday", tc("pki/ee-rsa.pem")],
                     ["--color=sometimes", tc("pki/ee-rsa.pem")]):
            rc, out, err = run("show", *args)
            self.assertEqual(rc, 2, args)
            self.assertIn("--help", err, args)
            self.assertEqual(out, b"", args)


if __name__ == "__main__":
    suite = unittest.TestSuite()
    loader = unittest.TestLoader()
    for cls in (Manifest, Text, EmptyTree, LargeTree, Formats, BadInput,
                Cli):
        suite.addTests(loader.loadTestsFromTestCase(cls))
    res = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    failed = len(res.failures) + len(res.errors)
    passed = res.testsRun - failed - len(res.skipped)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
