#!/usr/bin/env python3
"""End-to-end tests of --fetch-missing and of HTTP done carefully.

A small HTTP server on 127.0.0.1 (http_fixture.py) serves a missing
intermediate as DER, PEM and PKCS#7, and misbehaves on other paths;
certificates whose AIA caIssuers names those paths are made at test
time (pki_util.py), since the port is only known then.  Checked: the
intermediate is fetched, the path validates, the finding names the
certificate and the URL and says the server should send it, and
--write-chain writes the repaired chain (openssl agrees); two missing
levels; HTTP 500, garbage, a body over the cap without Content-Length,
a slow drip and a hang (the deadline is honoured), a redirect loop and a
redirect to file:// are each an issuer-fetch-failed finding naming the
URL; without --fetch-missing nothing is fetched; connect and check take
the same option.

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

CERTSCOPE = os.environ.get("CERTSCOPE", "certscope")
SERVER = os.environ.get("CS_TLS_SERVER", "tls_server")
AT = "2026-06-01T00:00:00Z"
AT_UNIX = "1780272000"
SLOW = float(os.environ.get("CS_CHECK_TIMEOUT", "1"))  # valgrind scales


def run(*args, timeout=120):
    env = dict(os.environ)
    env["NO_COLOR"] = "1"
    # proxies are never honoured: a proxy here must change nothing
    env["http_proxy"] = env["HTTP_PROXY"] = "http://127.0.0.1:9"
    env["all_proxy"] = "http://127.0.0.1:9"
    t0 = time.monotonic()
    p = subprocess.run([CERTSCOPE, *args], capture_output=True, env=env,
                       timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace"), \
        p.stderr.decode("utf-8", "replace"), time.monotonic() - t0


def findings(out):
    return json.loads(out)["inputs"][0]["findings"]


class Fetch(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="cs-fetch-")
        cls.http = http_fixture.Server()
        h = cls.http
        root = P.make("Fetch Root", ca=True, not_before="2020-01-01",
                      not_after="2045-01-01")
        ica = P.make("Fetch ICA", root, ca=True)
        # a second level: ica2 is issued by ica and names it in its AIA
        ica2 = P.make("Fetch ICA 2", ica, ca=True,
                      ca_issuers=h.base + "/ica.der")
        cls.root = root.write(os.path.join(cls.tmp, "root.pem"))
        h.route("/ica.der", "body", ica.der)
        h.route("/ica.pem", "body", ica.pem)
        h.route("/ica.p7c", "body", P.pkcs7([ica]))
        h.route("/ica2.der", "body", ica2.der)
        h.route("/redirect", "redirect", h.base + "/ica.der")
        h.route("/500", "status", 500)
        h.route("/garbage", "body", b"\x00not a certificate" * 10)
        h.route("/big", "stream", 3 * 1024 * 1024)
        h.route("/drip", "drip", 0.2)
        h.route("/hang", "hang")
        h.route("/loop", "redirect", h.base + "/loop")
        h.route("/file", "redirect", "file:///etc/passwd")
        cls.ica, cls.ica_key = ica, ica
        cls.leaves = {}
        for name in ("ica.der", "ica.pem", "ica.p7c", "ica2.der",
                     "redirect", "500", "garbage", "big", "drip", "hang",
                     "loop", "file"):
            issuer = ica2 if name == "ica2.der" else ica
            leaf = P.make("www.example.test", issuer,
                          not_before="2025-01-01", not_after="2027-12-31",
                          ca_issuers=h.base + "/" + name)
            path = os.path.join(cls.tmp, "leaf-%s.pem" % name)
            leaf.write(path)
            leaf.write_key(path + ".key")
            cls.leaves[name] = path

    @classmethod
    def tearDownClass(cls):
        cls.http.stop()
        shutil.rmtree(cls.tmp)

    def verify(self, name, *extra):
        return run("verify", "--json", "--at", AT, "--trust", self.root,
                   "--fetch-missing", *extra, self.leaves[name])

    def assert_fetched(self, name, url_path):
        rc, out, err, _ = self.verify(name)
        self.assertEqual(rc, 0, out + err)
        f = [x for x in findings(out) if x["code"] == "issuer-fetched"]
        self.assertEqual(len(f), 1, out)
        self.assertEqual(f[0]["cert"], 1)
        self.assertEqual(f[0]["severity"], "warning")
        self.assertIn("'Fetch ICA' was missing from the chain", f[0]["message"])
        self.assertIn(self.http.base + url_path, f[0]["message"])
        self.assertIn("the server should send it", f[0]["message"])
        self.assertIn("--write-chain", f[0]["fix"])

    def test_der(self):
        self.assert_fetched("ica.der", "/ica.der")

    def test_pem(self):
        self.assert_fetched("ica.pem", "/ica.pem")

    def test_pkcs7(self):
        self.assert_fetched("ica.p7c", "/ica.p7c")

    def test_redirect_followed(self):
        # the URL answered is named: where the certificate came from
        self.assert_fetched("redirect", "/ica.der")

    def test_two_levels_and_write_chain(self):
        out_pem = os.path.join(self.tmp, "repaired.pem")
        rc, out, err, _ = self.verify("ica2.der", "--write-chain", out_pem)
        self.assertEqual(rc, 0, out + err)
        got = [x["cert"] for x in findings(out)
               if x["code"] == "issuer-fetched"]
        self.assertEqual(got, [1, 2])
        with open(out_pem) as f:
            self.assertEqual(f.read().count("BEGIN CERTIFICATE"), 3)
        p = subprocess.run(["openssl", "verify", "-attime", AT_UNIX,
                            "-CAfile", self.root, "-untrusted", out_pem,
                            out_pem], capture_output=True)
        self.assertEqual(p.returncode, 0, p.stderr)

    def test_no_fetch_without_option(self):
        before = self.http.hits("/ica.der")
        rc, out, _, _ = run("verify", "--at", AT, "--trust", self.root,
                            self.leaves["ica.der"])
        self.assertEqual(rc, 1)
        self.assertIn("issuer-not-found", out)
        self.assertIn("--fetch-missing", out)  # the fix says how
        self.assertEqual(self.http.hits("/ica.der"), before)

    def assert_failed(self, name, words, *extra):
        rc, out, err, took = self.verify(name, *extra)
        self.assertEqual(rc, 1, out + err)
        codes = [x["code"] for x in findings(out)]
        self.assertIn("issuer-not-found", codes)
        f = [x for x in findings(out) if x["code"] == "issuer-fetch-failed"]
        self.assertEqual(len(f), 1, out)
        self.assertIn(words, f[0]["message"])
        return f[0]["message"], took

    def test_http_500(self):
        msg, _ = self.assert_failed("500", "HTTP status 500")
        self.assertIn(self.http.base + "/500", msg)

    def test_garbage(self):
        self.assert_failed("garbage", "holds no certificate")

    def test_oversized_without_length(self):
        msg, _ = self.assert_failed("big", "larger than the cap of 1 MiB")
        self.assertIn("/big", msg)

    def test_redirect_loop(self):
        self.assert_failed("loop", "more than 3 redirects")

    def test_redirect_to_file(self):
        self.assert_failed("file", "only http and https URLs are fetched")

    def test_drip_deadline(self):
        _, took = self.assert_failed("drip", "timed out", "--timeout",
                                     "%g" % (2 * SLOW))
        self.assertLess(took, 3 * SLOW + 2)

    def test_hang_deadline(self):
        _, took = self.assert_failed("hang", "timed out", "--timeout",
                                     "%g" % (2 * SLOW))
        self.assertLess(took, 3 * SLOW + 2)

    def test_verify_dir_each_leaf_fetches(self):
        # verify DIR: each leaf's missing intermediates are fetched for
        # it, and its verdict (whose path holds the fetched certificates)
        # is printed before they are freed
        d = os.path.join(self.tmp, "tree")
        os.mkdir(d)
        for name in ("ica.der", "ica2.der"):
            shutil.copy(self.leaves[name], os.path.join(d, name + ".pem"))
        for args in (["--json"], []):
            rc, out, err, _ = run("verify", *args, "--at", AT, "--trust",
                                  self.root, "--fetch-missing", d)
            self.assertEqual(rc, 0, out + err)
        inputs = json.loads(run("verify", "--json", "--at", AT, "--trust",
                                self.root, "--fetch-missing", d)[1])["inputs"]
        self.assertEqual([(os.path.basename(i["file"]), i["verdict"],
                           len(i["path"])) for i in inputs],
                         [("ica.der.pem", "trusted", 3),
                          ("ica2.der.pem", "trusted", 4)])

    def test_check_file_target(self):
        rc, out, err, _ = run("check", "--format", "json", "--at", AT,
                              "--trust", self.root, "--fetch-missing",
                              self.leaves["ica.p7c"])
        self.assertEqual(rc, 0, out + err)
        self.assertEqual(json.loads(out.splitlines()[0])["state"], "OK")

    def start_tls(self, name):
        p = subprocess.Popen([SERVER, "--cert", self.leaves[name], "--key",
                              self.leaves[name] + ".key"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        line = p.stdout.readline()
        if not line.strip().isdigit():
            p.kill()
            p.wait()
            self.fail("tls_server printed no port: %r" % line)
        self.addCleanup(lambda: (p.kill(), p.wait()))
        return int(line)

    def test_connect_and_check_endpoint(self):
        port = self.start_tls("ica.der")
        out_pem = os.path.join(self.tmp, "from-connect.pem")
        rc, out, err, _ = run("connect", "--at", AT, "--trust", self.root,
                              "--host", "www.example.test", "--fetch-missing",
                              "--write-chain", out_pem,
                              "127.0.0.1:%d" % port)
        self.assertEqual(rc, 0, out + err)
        self.assertIn("issuer-fetched", out)
        self.assertIn("valid until 2027-12-31", out)
        with open(out_pem) as f:
            self.assertEqual(f.read().count("BEGIN CERTIFICATE"), 2)
        rc, out, err, _ = run("check", "--format", "json", "--at", AT,
                              "--trust", self.root, "--host",
                              "www.example.test", "--fetch-missing",
                              "127.0.0.1:%d" % port)
        self.assertEqual(rc, 0, out + err)
        # without the option the same server is not trusted
        rc, out, err, _ = run("check", "--format", "json", "--at", AT,
                              "--trust", self.root, "--host",
                              "www.example.test", "127.0.0.1:%d" % port)
        self.assertEqual(rc, 2, out + err)


if __name__ == "__main__":
    unittest.main(verbosity=2)
