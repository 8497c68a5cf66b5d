#!/usr/bin/env python3
"""End-to-end tests of the repaired chain file and the valid-until line.

`verify --write-chain FILE`: the chain a server should send (leaf first,
the intermediates of the validated path in order, no anchor, duplicate
or unneeded certificate), checked with `openssl verify` and `certtool
--verify` too; refused when no trusted path was found.  The line "valid
until DATE (limited by 'NAME', certificate N)" in text and JSON, for a
path limited by the leaf, by an intermediate, and by an anchor whose
renewal in the store keeps another path valid longer; `check` does not
raise that false alarm.

Environment: CERTSCOPE (the executable), CS_TESTCERTS (testcerts/).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pki_util as P  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402

CERTSCOPE = os.environ.get("CERTSCOPE", "certscope")
TESTCERTS = os.environ.get("CS_TESTCERTS", "testcerts")
AT = "2026-06-01T00:00:00Z"
AT_UNIX = "1780272000"


def tc(rel):
    return os.path.join(TESTCERTS, rel)


def run(*args):
    env = dict(os.environ)
    env["NO_COLOR"] = "1"
    p = subprocess.run([CERTSCOPE, *args], capture_output=True, env=env,
                       timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace"), \
        p.stderr.decode("utf-8", "replace")


def pem_blocks(path):
    with open(path, encoding="ascii") as f:
        text = f.read()
    return [b for b in text.split("-----END CERTIFICATE-----\n") if b.strip()]


def subjects(path):
    out = []
    for b in pem_blocks(path):
        p = subprocess.run(["openssl", "x509", "-noout", "-subject",
                            "-nameopt", "RFC2253"],
                           input=(b + "-----END CERTIFICATE-----\n").encode(),
                           capture_output=True, check=True)
        out.append(p.stdout.decode().strip().split("=", 1)[1])
    return out


class WriteChain(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cs-chain-")
        self.out = os.path.join(self.tmp, "fixed.pem")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def write(self, presented, *extra):
        return run("verify", "--at", AT, "--trust", tc("pki/root-rsa.pem"),
                   *extra, "--write-chain", self.out, presented)

    def assert_fixed(self):
        subj = subjects(self.out)
        self.assertEqual(len(subj), 2, subj)
        self.assertIn("CN=www.example.test", subj[0])
        self.assertIn("Intermediate RSA", subj[1])
        # the peers agree: openssl at the test time ...
        p = subprocess.run(["openssl", "verify", "-attime", AT_UNIX,
                            "-CAfile", tc("pki/root-rsa.pem"),
                            "-untrusted", self.out, self.out],
                           capture_output=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        # ... and certtool, which has no --attime: the leaves are valid
        # until 2027-12-31, so the real clock is inside their validity
        if shutil.which("certtool"):
            p = subprocess.run(["certtool", "--verify",
                                "--load-ca-certificate",
                                tc("pki/root-rsa.pem"),
                                "--infile", self.out], capture_output=True)
            self.assertEqual(p.returncode, 0, p.stdout + p.stderr)

    def test_out_of_order(self):
        rc, out, err = self.write(tc("pki/chain-out-of-order.pem"))
        self.assertEqual(rc, 0, err)
        self.assertIn("chain-out-of-order", out)
        self.assertIn("--write-chain", out)  # the fix names it
        self.assert_fixed()

    def test_extra_and_duplicates(self):
        for f in ("pki/chain-with-extra.pem", "pki/chain-duplicates.pem",
                  "pki/fullchain-rsa.pem"):
            with self.subTest(f):
                rc, _, err = self.write(tc(f))
                self.assertEqual(rc, 0, err)
                self.assert_fixed()

    def test_missing_ica_from_untrusted(self):
        rc, _, err = self.write(tc("pki/chain-missing-ica.pem"),
                                "--untrusted", tc("pki/ica-rsa.pem"))
        self.assertEqual(rc, 0, err)
        self.assert_fixed()

    def test_refused_without_trusted_path(self):
        rc, out, err = self.write(tc("pki/chain-missing-ica.pem"))
        self.assertEqual(rc, 2)
        self.assertIn("not written: no trusted path was found", err)
        self.assertIn("issuer-not-found", err)
        self.assertIn("--write-chain", out)
        self.assertFalse(os.path.exists(self.out))
        self.assertEqual(os.listdir(self.tmp), [])  # no temporary left

    def test_one_certfile(self):
        rc, _, err = self.write(tc("pki/chain-rsa.pem"), tc("pki/ee-rsa.pem"))
        self.assertEqual(rc, 2)
        self.assertIn("--write-chain takes one CERTFILE", err)

    def test_connect_excludes_all_addresses(self):
        rc, _, err = run("connect", "--all-addresses", "--write-chain",
                         self.out, "127.0.0.1:1")
        self.assertEqual(rc, 2)
        self.assertIn("excludes --all-addresses", err)


class CrlUnused(unittest.TestCase):
    def test_crl_for_another_issuer_is_said(self):
        rc, out, _ = run("verify", "--json", "--at", AT, "--trust",
                         tc("pki/root-ec.pem"), "--crl",
                         tc("pki/crl-ica-rsa.pem"), tc("pki/chain-ec.pem"))
        self.assertEqual(rc, 0)  # a warning: the verdict stands
        f = json.loads(out)["inputs"][0]["findings"]
        self.assertEqual([x["code"] for x in f], ["crl-unused"])
        self.assertIn("crl-ica-rsa.pem", f[0]["message"])
        self.assertEqual(f[0]["severity"], "warning")

    def test_crl_used_is_silent(self):
        rc, out, _ = run("verify", "--json", "--at", AT, "--trust",
                         tc("pki/root-rsa.pem"), "--crl",
                         tc("pki/crl-ica-rsa.pem"), tc("pki/chain-rsa.pem"))
        self.assertEqual(rc, 0)
        self.assertEqual(json.loads(out)["inputs"][0]["findings"], [])


class ValidUntil(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="cs-until-")
        d = cls.tmp
        key = ec.generate_private_key(ec.SECP256R1())
        # one root key, an old certificate expiring 2027-03-01 and its
        # renewal until 2045 (same name, same key)
        old = P.make("Until Root", ca=True, key=key, not_before="2020-01-01",
                     not_after="2027-03-01")
        new = P.make("Until Root", ca=True, key=key, not_before="2024-01-01",
                     not_after="2045-01-01")
        ica = P.make("Until ICA", old, ca=True, not_after="2035-01-01")
        leaf = P.make("www.example.test", ica, not_before="2025-01-01",
                      not_after="2030-01-01")
        short = P.make("Short ICA", old, ca=True, not_after="2026-09-01")
        leaf2 = P.make("www.example.test", short, not_before="2025-01-01",
                       not_after="2030-01-01")
        cls.old = old.write(os.path.join(d, "old.pem"))
        cls.new = new.write(os.path.join(d, "new.pem"))
        cls.chain = P.write_chain(os.path.join(d, "chain.pem"), [leaf, ica])
        cls.short = P.write_chain(os.path.join(d, "short.pem"),
                                  [leaf2, short])

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def test_limited_by_leaf(self):
        rc, out, _ = run("verify", "--at", AT, "--trust",
                         tc("pki/root-rsa.pem"), tc("pki/chain-rsa.pem"))
        self.assertEqual(rc, 0)
        self.assertIn("  valid until 2027-12-31 (limited by "
                      "'www.example.test', certificate 0)\n", out)

    def test_limited_by_intermediate(self):
        rc, out, _ = run("verify", "--at", AT, "--trust", self.old,
                         self.short)
        self.assertEqual(rc, 0)
        self.assertIn("  valid until 2026-09-01 (limited by 'Short ICA', "
                      "certificate 1)\n", out)
        rc, out, _ = run("verify", "--json", "--at", AT, "--trust",
                         self.old, self.short)
        vu = json.loads(out)["inputs"][0]["valid_until"]
        self.assertEqual(vu, {"date": "2026-09-01T00:00:00Z", "cert": 1,
                              "subject": "CN=Short ICA",
                              "later_path": None})

    def test_limited_by_anchor_alone(self):
        rc, out, _ = run("verify", "--at", AT, "--trust", self.old,
                         self.chain)
        self.assertEqual(rc, 0)
        self.assertIn("valid until 2027-03-01 (limited by 'Until Root', "
                      "certificate 2, the trust anchor)\n", out)
        self.assertNotIn("another path", out)

    def test_rescued_by_second_anchor(self):
        # the store prefers the old root here; once it expires the
        # renewed one carries the path until the leaf expires
        args = ["--at", AT, "--trust", self.new, "--trust", self.old,
                self.chain]
        rc, out, _ = run("verify", *args)
        self.assertEqual(rc, 0)
        self.assertIn("valid until 2027-03-01 (limited by 'Until Root', "
                      "certificate 2, the trust anchor); another path, "
                      "through the trust anchor 'Until Root' (expires "
                      "2045-01-01), stays valid until 2030-01-01\n", out)
        rc, out, _ = run("verify", "--json", *args)
        vu = json.loads(out)["inputs"][0]["valid_until"]
        self.assertEqual(vu["date"], "2027-03-01T00:00:00Z")
        self.assertEqual(vu["later_path"],
                         {"date": "2030-01-01T00:00:00Z",
                          "anchor": "Until Root",
                          "anchor_not_after": "2045-01-01T00:00:00Z"})

    def test_check_no_false_alarm(self):
        # at 2027-02-25 the old root expires within --crit, but the
        # renewed root keeps the chain valid until 2030: OK
        rc, out, _ = run("check", "--format", "json", "--at", "2027-02-25",
                         "--trust", self.new, "--trust", self.old,
                         self.chain)
        self.assertEqual(rc, 0, out)
        rec = json.loads(out.splitlines()[0])
        self.assertEqual(rec["state"], "OK")
        self.assertTrue(rec["earliest_not_after"].startswith("2030-01-01"))
        self.assertIn("through 'Until Root'", rec["reason"])
        # without the renewal it is CRITICAL, naming the root
        rc, out, _ = run("check", "--format", "json", "--at", "2027-02-25",
                         "--trust", self.old, self.chain)
        self.assertEqual(rc, 2, out)


class ManyLeavesOneRun(unittest.TestCase):
    """Many leaves under one intermediate in one `verify` run, one with
    a bad signature (asked twice), a leaf sharing its issuer after it:
    each input gets the verdict it gets alone (the per-run cache of
    models and signature verdicts must not carry one input's answer to
    another)."""

    N = 40
    BAD = (17, 30)  # the same bad-signature file, given twice

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp()
        root = P.make("Many Root", ca=True)
        ica = P.make("Many ICA", root, ca=True)
        cls.root = root.write(os.path.join(cls.tmp, "root.pem"))
        cls.ica = ica.write(os.path.join(cls.tmp, "ica.pem"))
        cls.leaves, cls.chains = [], []
        for i in range(cls.N):
            leaf = P.make(f"host{i}.example.test", ica,
                          hosts=[f"host{i}.example.test"],
                          serial=0x1000 + i)
            der = bytearray(leaf.der)
            if i in cls.BAD:
                bad = P.make("host17.example.test", ica,
                             hosts=["host17.example.test"], serial=0x1011)
                der = bytearray(bad.der)
                der[-1] ^= 0x01  # a bit of the signature's s
            pem = ssl_pem(bytes(der))
            f = os.path.join(cls.tmp, f"leaf{i}.pem")
            with open(f, "wb") as o:
                o.write(pem)
            c = os.path.join(cls.tmp, f"chain{i}.pem")
            with open(c, "wb") as o:
                o.write(pem + ica.pem)
            cls.leaves.append(f)
            cls.chains.append(c)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def check(self, args, files):
        rc, out, err = run("verify", "--json", "--at", AT, "--trust",
                           self.root, *args, *files)
        self.assertEqual(rc, 1, err)
        inputs = json.loads(out)["inputs"]
        self.assertEqual([i["file"] for i in inputs], files)
        for n, inp in enumerate(inputs):
            codes = {f["code"] for f in inp["findings"]}
            if n in self.BAD:
                self.assertEqual(inp["verdict"], "rejected", n)
                self.assertIn("bad-signature", codes, n)
            else:
                self.assertEqual(inp["verdict"], "trusted", (n, codes))
                self.assertNotIn("bad-signature", codes, n)

    def test_leaves_with_untrusted_pool(self):
        self.check(["--untrusted", self.ica], self.leaves)

    def test_leaf_and_intermediate_files(self):
        self.check([], self.chains)


def ssl_pem(der):
    import base64
    b = base64.encodebytes(der).replace(b"\n", b"")
    lines = [b[i:i + 64] for i in range(0, len(b), 64)]
    return (b"-----BEGIN CERTIFICATE-----\n" + b"\n".join(lines) +
            b"\n-----END CERTIFICATE-----\n")


if __name__ == "__main__":
    unittest.main(verbosity=2)
