#!/usr/bin/env python3
"""End-to-end tests of `certscope asn1`: the text tree, --json parsed,
PEM with two blocks, standard input, malformed input (the tree up to the
fault, the fault on stderr, exit 2), a missing file, usage errors, hostile
strings escaped, and the shared corpus (exit 0 or 2, never a crash).

Environment: CERTSCOPE (the executable), CS_TESTCERTS (testcerts/),
CS_SHARED (../shared).
"""
import glob
import json
import os
import subprocess
import sys
import tempfile
import unittest

from der_util import tlv

TIMEOUT = 60 * float(os.environ.get("CS_TIMEOUT_SCALE", "1"))
STRIDE = int(os.environ.get("CS_CORPUS_STRIDE", "1") or 1)
CERTSCOPE = os.environ.get("CERTSCOPE", "certscope")
TESTCERTS = os.environ.get("CS_TESTCERTS", "testcerts")
SHARED = os.environ.get("CS_SHARED", "../shared")
TMP = tempfile.mkdtemp(prefix="cs-asn1-")
RAW = (b"\x1b", b"\xe2\x80\xae", b"\x00", b"\x07")


def tc(rel):
    return os.path.join(TESTCERTS, rel)


def run(*args, stdin=None):
    env = dict(os.environ, NO_COLOR="1")
    p = subprocess.run([CERTSCOPE, "asn1", *args], input=stdin,
                       capture_output=True, env=env, timeout=TIMEOUT)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def tmp(name, data):
    p = os.path.join(TMP, name)
    with open(p, "wb") as f:
        f.write(data)
    return p


class Text(unittest.TestCase):
    def test_certificate_tree(self):
        rc, out, err = run(tc("formats/ee-rsa.der"))
        self.assertEqual(rc, 0, err)
        self.assertEqual(err, "")
        lines = out.decode().splitlines()
        self.assertEqual(lines[0], "   0 4+925   SEQUENCE Certificate")
        self.assertIn("  13 2+2         INTEGER serialNumber: 4099", lines)
        self.assertTrue(lines[-1].startswith(
            " 668 4+257     BIT STRING signature: "))

    def test_pem_two_blocks(self):
        rc, out, err = run(tc("pki/chain-rsa.pem"))
        self.assertEqual(rc, 0, err)
        text = out.decode()
        self.assertEqual(text.count("SEQUENCE Certificate\n"), 2)
        self.assertIn("PEM block 'CERTIFICATE' at line 1, 929 bytes of "
                      "DER:\n", text)
        self.assertRegex(text, r"\n\nPEM block 'CERTIFICATE' at line "
                         r"\d+, \d+ bytes of DER:\n")

    def test_stdin(self):
        with open(tc("formats/crl-ica-rsa.der"), "rb") as f:
            data = f.read()
        rc, out, err = run("-", stdin=data)
        self.assertEqual(rc, 0, err)
        self.assertTrue(out.startswith(b"   0 4+472   SEQUENCE "
                                       b"CertificateList\n"))

    def test_not_pkix(self):
        data = tlv(0x30, tlv(0x02, b"\x05") + tlv(0x13, b"hi"))
        rc, out, err = run("-", stdin=data)
        self.assertEqual(rc, 0, err)
        self.assertEqual(out, b"   0 2+7     SEQUENCE\n"
                              b"   2 2+1       INTEGER: 5\n"
                              b"   5 2+2       PrintableString: \"hi\"\n")

    def test_hostile_strings_escaped(self):
        data = tlv(0x30, tlv(0x0c, b"a\x1b[31mb\xe2\x80\xaec\x00\x07"))
        rc, out, err = run("-", stdin=data)
        self.assertEqual(rc, 0, err)
        for raw in RAW:
            self.assertNotIn(raw, out)
        self.assertIn(b"\\x1b[31m", out)


class Malformed(unittest.TestCase):
    def test_truncated(self):
        with open(tc("formats/ee-rsa.der"), "rb") as f:
            data = f.read()[:300]
        p = tmp("cut.der", data)
        rc, out, err = run(p)
        self.assertEqual(rc, 2)
        self.assertEqual(out, b"error at offset 0: truncated: length says "
                              b"925 bytes, 296 present\n")
        self.assertEqual(err, "certscope: %s: offset 0: truncated: length "
                         "says 925 bytes, 296 present\n" % p)

    def test_fault_inside_shows_the_elements_before(self):
        data = tlv(0x30, tlv(0x02, b"\x01") + b"\x04\x05ab")
        rc, out, err = run("-", stdin=data)
        self.assertEqual(rc, 2)
        self.assertEqual(out, b"   0 2+7     SEQUENCE\n"
                              b"   2 2+1       INTEGER: 1\n"
                              b"error at offset 5: truncated: length says "
                              b"5 bytes, 2 present\n")
        self.assertEqual(err, "certscope: -: offset 5: truncated: length "
                         "says 5 bytes, 2 present\n")

    def test_nesting_bomb_refused(self):
        # 50,000 SEQUENCEs, each the whole contents of the one outside it
        inner = 0
        heads = []
        for _ in range(50000):
            heads.append(b"\x30\x83" + inner.to_bytes(3, "big"))
            inner += 5
        data = b"".join(reversed(heads))
        rc, out, err = run("--json", "-", stdin=data)
        self.assertEqual(rc, 2)
        doc = json.loads(out)
        s = doc["structures"][0]
        self.assertEqual(s["error"], {"offset": 160, "reason": "nested "
                                      "deeper than 32 levels (the limit)"})
        self.assertIn("nested deeper than 32 levels", err)

    def test_indefinite_and_overflow(self):
        rc, _, err = run("-", stdin=b"\x30\x80\x02\x01\x01\x00\x00")
        self.assertEqual(rc, 2)
        self.assertIn("indefinite length", err)
        rc, _, err = run("-", stdin=b"\x30\x88" + b"\xff" * 8)
        self.assertEqual(rc, 2)
        self.assertIn("length overflow", err)

    def test_pem_block_fault_names_the_block(self):
        good = open(tc("pki/ee-rsa.pem"), "rb").read()
        bad = b"-----BEGIN X-----\nMAM=\n-----END X-----\n"
        rc, out, err = run(tmp("mixed.pem", good + bad))
        self.assertEqual(rc, 2)
        self.assertIn(b"SEQUENCE Certificate\n", out)
        self.assertRegex(err, r"^certscope: .*mixed.pem: block 2 \(line "
                         r"\d+\): offset 0: truncated: length says 3 "
                         r"bytes, 0 present\n$")

    def test_empty(self):
        rc, out, err = run("-", stdin=b"")
        self.assertEqual(rc, 2)
        self.assertIn("empty", err)


class Json(unittest.TestCase):
    def test_ocsp(self):
        rc, out, err = run("--json", tc("ocsp/good.der"))
        self.assertEqual(rc, 0, err)
        doc = json.loads(out)
        self.assertEqual(doc["input"], tc("ocsp/good.der"))
        s = doc["structures"][0]
        self.assertIsNone(s["pem"])
        self.assertIsNone(s["error"])
        top = s["elements"][0]
        self.assertEqual(top["label"], "OCSPResponse")
        self.assertEqual(top["children"][0]["value"], 0)
        rb = top["children"][1]["children"][0]
        self.assertEqual(rb["children"][0]["oid_name"], "id-pkix-ocsp-basic")
        resp = rb["children"][1]
        self.assertTrue(resp["encapsulated"])
        self.assertEqual(resp["children"][0]["label"], "BasicOCSPResponse")

    def test_pem_blocks(self):
        rc, out, err = run("--json", tc("pki/chain-rsa.pem"))
        self.assertEqual(rc, 0, err)
        doc = json.loads(out)
        self.assertEqual([s["pem"]["label"] for s in doc["structures"]],
                         ["CERTIFICATE", "CERTIFICATE"])
        self.assertEqual(doc["structures"][0]["pem"]["line"], 1)


def openssl(*args, stdin=None):
    return subprocess.run(["openssl", *args], input=stdin, check=True,
                          capture_output=True, timeout=TIMEOUT).stdout


def secret_hex(der):
    """The private scalar / seed of a DER key as openssl shows it
    ('priv:' or 'privateExponent:'), as contiguous lower-case hex."""
    text = openssl("pkey", "-inform", "DER", "-noout", "-text",
                   stdin=der).decode()
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines)
                 if ln.startswith(("priv:", "privateExponent:")))
    hexpart = []
    for ln in lines[start + 1:]:
        if not ln.startswith(" "):
            break
        hexpart.append(ln.strip().replace(":", ""))
    return "".join(hexpart).lstrip("0")


class PrivateKeys(unittest.TestCase):
    """DER private keys (PKCS#8, PKCS#1, SEC1) made at test time are
    never dumped: one skip line, no byte of the secret, exit 0."""

    def keys(self):
        p8_ec = openssl("genpkey", "-algorithm", "EC", "-pkeyopt",
                        "ec_paramgen_curve:P-256", "-outform", "DER")
        p8_ed = openssl("genpkey", "-algorithm", "ED25519", "-outform",
                        "DER")
        rsa_pem = openssl("genrsa", "2048")
        p1 = openssl("rsa", "-outform", "DER", "-traditional",
                     stdin=rsa_pem)
        sec1 = openssl("ec", "-inform", "DER", "-outform", "DER",
                       stdin=p8_ec)
        return {"pkcs8-p256": p8_ec, "pkcs8-ed25519": p8_ed,
                "pkcs1-rsa": p1, "sec1-p256": sec1}

    def test_der_keys_not_dumped(self):
        for name, der in self.keys().items():
            with self.subTest(name):
                secret = secret_hex(der)
                self.assertGreaterEqual(len(secret), 60)
                path = tmp(name + ".der", der)
                rc, out, err = run(path)
                self.assertEqual(rc, 0, err)
                self.assertEqual(out.decode(), "a private key, %d bytes of "
                                 "DER, not dumped (keys are never "
                                 "printed)\n" % len(der))
                rc, jout, err = run("--json", path)
                self.assertEqual(rc, 0, err)
                doc = json.loads(jout)
                self.assertEqual(len(doc["structures"]), 1)
                self.assertTrue(doc["structures"][0]["skipped"])
                self.assertEqual(doc["structures"][0]["elements"], [])
                for o in (out, jout):
                    flat = o.decode().replace(":", "").lower()
                    # no 8-byte run of the secret anywhere
                    for i in range(0, len(secret) - 16, 2):
                        self.assertNotIn(secret[i:i + 16], flat)


class Cli(unittest.TestCase):
    def test_missing_file(self):
        rc, out, err = run(os.path.join(TMP, "nope.der"))
        self.assertEqual(rc, 2)
        self.assertEqual(out, b"")
        self.assertRegex(err, r"^certscope: .*nope.der: No such file or "
                         r"directory\n$")

    def test_usage(self):
        rc, _, err = run()
        self.assertEqual(rc, 2)
        self.assertIn("no input", err)
        rc, _, err = run("a", "b")
        self.assertEqual(rc, 2)
        self.assertIn("one input at a time", err)

    def test_unwritable_output(self):
        with open(tc("formats/ee-rsa.der"), "rb") as f:
            data = f.read()
        p = subprocess.run([CERTSCOPE, "asn1", "-"], input=data,
                           stdout=open("/dev/full", "wb"),
                           stderr=subprocess.PIPE, timeout=TIMEOUT)
        self.assertEqual(p.returncode, 2)
        self.assertIn(b"cannot write output", p.stderr)


class Corpus(unittest.TestCase):
    def test_shared_corpus_exit_0_or_2(self):
        files = sorted(glob.glob(os.path.join(SHARED, "corpus",
                                              "certscope-synthetic", "*")) +
                       glob.glob(os.path.join(SHARED, "corpus",
                                              "gnutls-regress", "*")))
        # under valgrind (scripts/valgrind.sh) every STRIDE-th file: each
        # run there costs seconds of start-up
        for f in files[::STRIDE]:
            for extra in ([], ["--json"]):
                rc, out, err = run(*extra, f)
                self.assertIn(rc, (0, 2), (f, err))
                if extra:
                    json.loads(out)


if __name__ == "__main__":
    suite = unittest.TestSuite()
    loader = unittest.TestLoader()
    for cls in (Text, Malformed, Json, PrivateKeys, Cli, Corpus):
        suite.addTests(loader.loadTestsFromTestCase(cls))
    res = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    failed = len(res.failures) + len(res.errors)
    passed = res.testsRun - failed - len(res.skipped)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
