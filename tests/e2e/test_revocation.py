#!/usr/bin/env python3
"""End-to-end tests of --revocation: real OCSP responders
(`openssl ocsp -port`, an index file made from the test CA) and the
hostile HTTP server of http_fixture.py, started and stopped here, with
certificates whose AIA names them (made at test time: the ports are only
known then).

OCSP responders answer at the real time (thisUpdate is now), so these
tests validate at the clock's time; the certificates are valid from 2025
to 2030.  Cases: good (leaf and intermediate), revoked leaf (time and
reason), revoked intermediate, unknown, an expired response, a response
signed by the wrong key, a delegated responder with and without
id-kp-OCSPSigning, responder down, slow (the deadline holds), HTTP 500,
garbage, an oversized body; soft and hard; off fetches nothing; check
and connect take the same option.  CRL distribution points (CrlFetch):
fetched, cached, reused, refreshed when stale, a corrupt cache file
discarded, processes sharing the cache, revoked, wrong key, down.

Environment: CERTSCOPE, CS_TLS_SERVER (tests/tls_server).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import http_fixture  # noqa: E402
import pki_util as P  # noqa: E402
from cryptography.x509.oid import ExtendedKeyUsageOID  # noqa: E402

CERTSCOPE = os.environ.get("CERTSCOPE", "certscope")
SERVER = os.environ.get("CS_TLS_SERVER", "tls_server")
SLOW = float(os.environ.get("CS_CHECK_TIMEOUT", "1"))  # valgrind scales


def run(*args, timeout=120):
    env = dict(os.environ)
    env["NO_COLOR"] = "1"
    t0 = time.monotonic()
    p = subprocess.run([CERTSCOPE, *args], capture_output=True, env=env,
                       timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace"), \
        p.stderr.decode("utf-8", "replace"), time.monotonic() - t0


def wait_ready(log, proc, secs=10):
    """Until openssl ocsp says it listens.  Not by connecting: the
    responder serves one connection at a time and a probe that sends
    nothing holds it."""
    end = time.monotonic() + secs
    while time.monotonic() < end:
        with open(log, errors="replace") as f:
            text = f.read()
        if "waiting for OCSP client connections" in text:
            return
        if proc.poll() is not None:
            raise RuntimeError("openssl ocsp exited: %r" % text)
        time.sleep(0.05)
    raise RuntimeError("openssl ocsp did not start: %r" % text)


def index_line(c, revoked=None):
    serial = "%X" % c.cert.serial_number
    if len(serial) % 2:
        serial = "0" + serial
    dn = "/" + "/".join(a.rfc4514_string()
                        for a in reversed(list(c.cert.subject)))
    if revoked:
        return "R\t300101000000Z\t%s\t%s\tunknown\t%s\n" % (revoked, serial,
                                                            dn)
    return "V\t300101000000Z\t\t%s\tunknown\t%s\n" % (serial, dn)


class Revocation(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = d = tempfile.mkdtemp(prefix="cs-rev-")
        cls.procs = []
        cls.http = http_fixture.Server()
        h = cls.http
        ports = {k: http_fixture.free_port() for k in
                 ("ica", "root", "wrongkey", "deleg", "noeku", "down")}
        url = {k: "http://127.0.0.1:%d" % p for k, p in ports.items()}
        url["slow"] = h.route("/hang", "hang")
        url["500"] = h.route("/500", "status", 500)
        url["garbage"] = h.route("/garbage", "body", b"<html>no</html>")
        url["big"] = h.route("/big", "stream", 1024 * 1024)
        # canned answers (the same bytes whatever was asked)
        url["nonce"] = h.base + "/nonce"
        url["nononce"] = h.base + "/nononce"

        root = P.make("Rev Root", ca=True, not_before="2020-01-01",
                      not_after="2045-01-01")
        ica = P.make("Rev ICA", root, ca=True, ocsp=url["root"])
        bad_ica = P.make("Rev Bad ICA", root, ca=True, ocsp=url["root"])
        other = P.make("Other Root", ca=True)
        deleg = P.make("Rev OCSP Delegate", ica,
                       eku=[ExtendedKeyUsageOID.OCSP_SIGNING])
        noeku = P.make("Rev OCSP No EKU", ica,
                       eku=[ExtendedKeyUsageOID.SERVER_AUTH])
        cls.root = root.write(os.path.join(d, "root.pem"))
        leaves = {}
        for i, name in enumerate(("good", "revoked", "unknown", "wrongkey",
                                  "deleg", "noeku", "down", "slow", "500",
                                  "garbage", "big", "nonce", "nononce")):
            where = {"good": "ica", "revoked": "ica", "unknown": "ica"}.get(
                name, name)
            # the CN repeats a SAN name (CA/B BR 7.1.4.3: a CN naming
            # another host of the domain is cn-not-in-san)
            leaves[name] = P.make("%s.example.test" % name, ica,
                                  hosts=["%s.example.test" % name,
                                         "www.example.test"],
                                  not_before="2025-01-01",
                                  not_after="2030-01-01",
                                  serial=0x5000 + i, ocsp=url[where])
        h.route("/nonce", "body", P.make_ocsp_response(
            leaves["nonce"], ica, nonce=b"not the nonce certscope sent"))
        h.route("/nononce", "body", P.make_ocsp_response(leaves["nononce"],
                                                         ica))
        under_bad = P.make("under-bad.example.test", bad_ica,
                           hosts=["under-bad.example.test",
                                  "www.example.test"],
                           not_before="2025-01-01", not_after="2030-01-01")
        cls.chain = {}
        for name, leaf in leaves.items():
            cls.chain[name] = P.write_chain(os.path.join(d, name + ".pem"),
                                            [leaf, ica])
            leaf.write_key(os.path.join(d, name + ".key"))
        cls.chain["bad-ica"] = P.write_chain(os.path.join(d, "bad-ica.pem"),
                                             [under_bad, bad_ica])
        # the issuing CA's index: every leaf but "unknown"; one revoked
        with open(os.path.join(d, "ica.idx"), "w") as f:
            for name, leaf in leaves.items():
                if name == "unknown":
                    continue
                f.write(index_line(leaf, "260501000000Z,keyCompromise"
                                   if name == "revoked" else None))
        with open(os.path.join(d, "root.idx"), "w") as f:
            f.write(index_line(ica))
            f.write(index_line(bad_ica, "260401000000Z,cACompromise"))
        files = {}
        for name, c in (("ica", ica), ("root", root), ("other", other),
                        ("deleg", deleg), ("noeku", noeku)):
            files[name] = (c.write(os.path.join(d, name + "-signer.pem")),
                           c.write_key(os.path.join(d, name + "-signer.key")))
        ica_pem = files["ica"][0]
        for name, signer, ca, idx in (
                ("ica", "ica", ica_pem, "ica.idx"),
                ("root", "root", cls.root, "root.idx"),
                ("wrongkey", "other", ica_pem, "ica.idx"),
                ("deleg", "deleg", ica_pem, "ica.idx"),
                ("noeku", "noeku", ica_pem, "ica.idx")):
            cls.start_ocsp(ports[name], os.path.join(d, idx), files[signer],
                           ca)

    @classmethod
    def start_ocsp(cls, port, idx, signer, ca):
        log = os.path.join(cls.tmp, "ocsp-%d.log" % port)
        with open(log, "wb") as f:
            p = subprocess.Popen(
                ["openssl", "ocsp", "-index", idx, "-port", str(port),
                 "-rsigner", signer[0], "-rkey", signer[1], "-CA", ca,
                 "-nmin", "60", "-ignore_err", "-timeout", "3"],
                stdout=f, stderr=subprocess.STDOUT)
        cls.procs.append(p)
        wait_ready(log, p)

    @classmethod
    def tearDownClass(cls):
        for p in cls.procs:
            p.kill()
            p.wait()
        cls.http.stop()
        shutil.rmtree(cls.tmp)

    def verify(self, name, mode="soft", *extra):
        rc, out, err, took = run("verify", "--json", "--trust", self.root,
                                 "--revocation", mode, *extra,
                                 self.chain[name])
        doc = json.loads(out)["inputs"][0]
        return rc, [(f["code"], f["cert"], f["message"])
                    for f in doc["findings"]], err, took

    def codes(self, found, cert):
        return [c for c, i, _ in found if i == cert]

    def test_good_leaf_and_intermediate(self):
        rc, found, err, _ = self.verify("good")
        self.assertEqual(rc, 0, (found, err))
        self.assertEqual(self.codes(found, 0), ["ocsp-good"])
        self.assertEqual(self.codes(found, 1), ["ocsp-good"])

    def test_revoked_leaf(self):
        rc, found, _, _ = self.verify("revoked")
        self.assertEqual(rc, 1)
        self.assertEqual(self.codes(found, 0), ["ocsp-revoked"])
        msg = [m for c, _, m in found if c == "ocsp-revoked"][0]
        self.assertIn("revoked on 2026-05-01", msg)
        self.assertIn("keyCompromise", msg)

    def test_revoked_intermediate(self):
        rc, found, _, _ = self.verify("bad-ica")
        self.assertEqual(rc, 1)
        self.assertEqual(self.codes(found, 1), ["ocsp-revoked"])
        # its leaf names no source: said, and no failure even when hard
        self.assertEqual(self.codes(found, 0), ["revocation-no-source"])
        self.assertIn("cACompromise",
                      [m for c, _, m in found if c == "ocsp-revoked"][0])

    def test_unknown_soft_and_hard(self):
        rc, found, _, _ = self.verify("unknown")
        self.assertEqual(rc, 0)
        self.assertEqual(self.codes(found, 0), ["ocsp-unknown"])
        rc, found, _, _ = self.verify("unknown", "hard")
        self.assertEqual(rc, 1)
        self.assertEqual(self.codes(found, 0),
                         ["ocsp-unknown", "revocation-required"])

    def test_expired_response(self):
        # the responder's answers are valid for 60 minutes
        at = "@%d" % (int(time.time()) + 3 * 3600)
        rc, found, _, _ = self.verify("good", "soft", "--at", at)
        self.assertEqual(rc, 0)
        self.assertEqual(self.codes(found, 0), ["ocsp-expired"])
        rc, found, _, _ = self.verify("good", "hard", "--at", at)
        self.assertEqual(rc, 1)
        self.assertIn("revocation-required", self.codes(found, 0))

    def test_wrong_key(self):
        rc, found, _, _ = self.verify("wrongkey")
        self.assertEqual(rc, 0)
        self.assertEqual(self.codes(found, 0), ["ocsp-unverifiable"])
        self.assertIn("not signed by the issuer",
                      [m for c, _, m in found if c == "ocsp-unverifiable"][0])
        rc, found, _, _ = self.verify("wrongkey", "hard")
        self.assertEqual(rc, 1)

    def test_delegated_responder(self):
        rc, found, _, _ = self.verify("deleg")
        self.assertEqual(rc, 0)
        self.assertEqual(self.codes(found, 0), ["ocsp-good"])

    def test_delegated_responder_without_eku(self):
        rc, found, _, _ = self.verify("noeku")
        self.assertEqual(self.codes(found, 0), ["ocsp-unverifiable"])
        rc, _, _, _ = self.verify("noeku", "hard")
        self.assertEqual(rc, 1)

    def test_responder_down(self):
        rc, found, _, _ = self.verify("down")
        self.assertEqual(rc, 0)
        self.assertEqual(self.codes(found, 0), ["revocation-unavailable"])
        self.assertEqual(self.codes(found, 1), ["ocsp-good"])
        rc, found, _, _ = self.verify("down", "hard")
        self.assertEqual(rc, 1)
        self.assertEqual(self.codes(found, 0), ["revocation-required"])

    def test_slow_responder_deadline(self):
        rc, found, _, took = self.verify("slow", "soft", "--timeout",
                                         "%g" % (2 * SLOW))
        self.assertEqual(self.codes(found, 0), ["revocation-unavailable"])
        self.assertIn("timed out",
                      [m for c, i, m in found if i == 0][0])
        self.assertLess(took, 3 * SLOW + 2)

    def test_http_500_garbage_big(self):
        for name, code, words in (
                ("500", "revocation-unavailable", "HTTP status 500"),
                ("garbage", "ocsp-unverifiable", "cannot be decoded"),
                ("big", "revocation-unavailable", "cap of 64 KiB")):
            with self.subTest(name):
                rc, found, _, _ = self.verify(name)
                self.assertEqual(rc, 0)
                self.assertEqual(self.codes(found, 0), [code])
                self.assertIn(words, [m for c, i, m in found if i == 0][0])

    def test_nonce_checked_when_sent(self):
        # a response carrying another nonce is a replay: not relied on
        rc, found, _, _ = self.verify("nonce")
        self.assertEqual(self.codes(found, 0), ["ocsp-unverifiable"])
        self.assertIn("nonce other than the one sent",
                      [m for c, i, m in found if i == 0][0])
        rc, _, _, _ = self.verify("nonce", "hard")
        self.assertEqual(rc, 1)
        # a response without one (signed ahead of time) is accepted
        rc, found, _, _ = self.verify("nononce", "hard")
        self.assertEqual(rc, 0)
        self.assertEqual(self.codes(found, 0), ["ocsp-good"])

    def test_off_fetches_nothing(self):
        before = self.http.hits("/500")
        rc, found, _, _ = self.verify("500", "off")
        self.assertEqual(rc, 0)
        self.assertEqual(found, [])
        rc, out, _, _ = run("verify", "--trust", self.root, self.chain["500"])
        self.assertEqual(rc, 0)
        self.assertEqual(self.http.hits("/500"), before)

    def test_source_crl_only_skips_ocsp(self):
        rc, found, _, _ = self.verify("revoked", "hard",
                                      "--revocation-source", "crl")
        self.assertNotIn("ocsp-revoked", [c for c, _, _ in found])

    def test_check_file_and_connect(self):
        rc, out, err, _ = run("check", "--format", "json", "--trust",
                              self.root, "--revocation", "soft",
                              self.chain["revoked"])
        self.assertEqual(rc, 2, out + err)
        rec = json.loads(out.splitlines()[0])
        self.assertEqual(rec["code"], "ocsp-revoked")
        p = subprocess.Popen([SERVER, "--cert", self.chain["good"], "--key",
                              os.path.join(self.tmp, "good.key")],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.addCleanup(lambda: (p.kill(), p.wait()))
        port = int(p.stdout.readline())
        rc, out, err, _ = run("connect", "--trust", self.root, "--host",
                              "www.example.test", "--revocation", "hard",
                              "127.0.0.1:%d" % port)
        self.assertEqual(rc, 0, out + err)
        self.assertEqual(out.count("ocsp-good"), 2, out)



class CrlFetch(unittest.TestCase):
    """CRL distribution points: fetched, cached until nextUpdate, reused,
    refreshed when stale, a corrupt cache file discarded, several
    processes at once; revoked, wrong key, down."""

    @classmethod
    def setUpClass(cls):
        import datetime
        import hashlib
        cls.hashlib = hashlib
        cls.tmp = d = tempfile.mkdtemp(prefix="cs-crl-")
        cls.http = h = http_fixture.Server()
        root = P.make("Crl Root", ca=True, not_before="2020-01-01",
                      not_after="2045-01-01")
        ica = P.make("Crl ICA", root, ca=True)
        cls.root = root.write(os.path.join(d, "root.pem"))
        now = datetime.datetime.now(datetime.timezone.utc)
        cls.good_crl = P.make_crl(ica, [(0x7002, "2026-05-01")])
        cls.stale_crl = P.make_crl(
            ica, this_update=now - datetime.timedelta(days=3),
            next_update=now - datetime.timedelta(days=1))
        other = P.make("Crl Other", ca=True)
        h.route("/ica.crl", "body", cls.good_crl)
        h.route("/stale.crl", "body", cls.stale_crl)
        h.route("/wrongkey.crl", "body", P.make_crl(ica, key=other.key))
        cls.urls = {"good": h.base + "/ica.crl",
                    "stale": h.base + "/stale.crl",
                    "wrongkey": h.base + "/wrongkey.crl",
                    "down": "http://127.0.0.1:%d/x.crl" % http_fixture.free_port()}
        cls.chain = {}
        for i, (name, where) in enumerate((
                ("good", "good"), ("revoked", "good"), ("stale", "stale"),
                ("wrongkey", "wrongkey"), ("down", "down"))):
            leaf = P.make("%s.example.test" % name, ica,
                          hosts=["%s.example.test" % name,
                                 "www.example.test"],
                          not_before="2025-01-01", not_after="2030-01-01",
                          serial=0x7001 + i, crl_dp=cls.urls[where])
            cls.chain[name] = P.write_chain(os.path.join(d, name + ".pem"),
                                            [leaf, ica])

    @classmethod
    def tearDownClass(cls):
        cls.http.stop()
        shutil.rmtree(cls.tmp)

    def setUp(self):
        self.cache_home = tempfile.mkdtemp(dir=self.tmp)
        self.cache = os.path.join(self.cache_home, "certscope")

    def cache_file(self, name):
        return os.path.join(self.cache, self.hashlib.sha256(
            self.urls[name].encode()).hexdigest() + ".crl")

    def verify(self, name, mode="soft"):
        env = dict(os.environ, NO_COLOR="1", XDG_CACHE_HOME=self.cache_home)
        p = subprocess.run([CERTSCOPE, "verify", "--json", "--trust",
                            self.root, "--revocation", mode,
                            self.chain[name]], capture_output=True, env=env,
                           timeout=120)
        doc = json.loads(p.stdout)["inputs"][0]
        return p.returncode, [(f["code"], f["cert"], f["message"])
                              for f in doc["findings"]]

    def test_fetched_cached_reused(self):
        before = self.http.hits("/ica.crl")
        rc, found = self.verify("good")
        self.assertEqual(rc, 0)
        self.assertEqual([c for c, i, _ in found if i == 0], ["crl-good"])
        self.assertNotIn("(cached)", found[0][2])
        self.assertEqual(self.http.hits("/ica.crl"), before + 1)
        with open(self.cache_file("good"), "rb") as f:
            self.assertEqual(f.read(), self.good_crl)
        self.assertEqual(os.listdir(self.cache),  # no temporary left
                         [os.path.basename(self.cache_file("good"))])
        rc, found = self.verify("good")
        self.assertEqual(rc, 0)
        self.assertIn("(cached)", found[0][2])
        self.assertEqual(self.http.hits("/ica.crl"), before + 1)

    def test_revoked(self):
        rc, found = self.verify("revoked")
        self.assertEqual(rc, 1)
        self.assertEqual([c for c, i, _ in found if i == 0], ["revoked"])
        self.assertIn("revoked on 2026-05-01", found[0][2])

    def test_stale_in_cache_is_refreshed(self):
        os.makedirs(self.cache)
        with open(self.cache_file("good"), "wb") as f:
            f.write(self.stale_crl)  # nextUpdate passed
        before = self.http.hits("/ica.crl")
        rc, found = self.verify("revoked")
        self.assertEqual(rc, 1)  # the fresh CRL lists it
        self.assertEqual(self.http.hits("/ica.crl"), before + 1)
        with open(self.cache_file("good"), "rb") as f:
            self.assertEqual(f.read(), self.good_crl)

    def test_corrupt_cache_file_discarded(self):
        os.makedirs(self.cache)
        with open(self.cache_file("good"), "wb") as f:
            f.write(b"\x30\x82garbage")
        before = self.http.hits("/ica.crl")
        rc, found = self.verify("good")
        self.assertEqual(rc, 0)
        self.assertEqual(found[0][0], "crl-good")
        self.assertEqual(self.http.hits("/ica.crl"), before + 1)

    def test_expired_crl_served(self):
        rc, found = self.verify("stale")
        self.assertEqual(rc, 0)
        self.assertEqual([c for c, i, _ in found if i == 0], ["crl-expired"])
        rc, found = self.verify("stale", "hard")
        self.assertEqual(rc, 1)
        self.assertIn("revocation-required", [c for c, _, _ in found])
        # past its nextUpdate, a CRL is never taken from the cache
        before = self.http.hits("/stale.crl")
        _, found = self.verify("stale")
        self.assertNotIn("(cached)", found[0][2])
        self.assertEqual(self.http.hits("/stale.crl"), before + 1)

    def test_wrong_key(self):
        rc, found = self.verify("wrongkey")
        self.assertEqual([c for c, i, _ in found if i == 0],
                         ["crl-unverifiable"])
        self.assertIn("does not verify", found[0][2])
        rc, _ = self.verify("wrongkey", "hard")
        self.assertEqual(rc, 1)

    def test_down(self):
        rc, found = self.verify("down")
        self.assertEqual(rc, 0)
        self.assertEqual([c for c, i, _ in found if i == 0],
                         ["revocation-unavailable"])
        rc, found = self.verify("down", "hard")
        self.assertEqual(rc, 1)

    def test_several_processes_share_the_cache(self):
        env = dict(os.environ, NO_COLOR="1", XDG_CACHE_HOME=self.cache_home)
        procs = [subprocess.Popen([CERTSCOPE, "verify", "--trust", self.root,
                                   "--revocation", "hard",
                                   self.chain["good"]],
                                  stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, env=env)
                 for _ in range(6)]
        self.assertEqual([p.wait(timeout=120) for p in procs], [0] * 6)
        with open(self.cache_file("good"), "rb") as f:
            self.assertEqual(f.read(), self.good_crl)
        self.assertEqual(len(os.listdir(self.cache)), 1)


if __name__ == "__main__":
    unittest.main(verbosity=2)
