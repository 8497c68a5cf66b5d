#!/usr/bin/env python3
"""End-to-end tests of `certscope connect --trace`: the handshake step by
step against tests/tls_server.c and `openssl s_server` on 127.0.0.1.

Each test starts its own server (port chosen by the OS, or a free one for
openssl), runs certscope with --trace and checks that the steps come in
order with the right names, directions and details, and, on failure, what
the last line says.  Timings are not checked.  Every server is killed in
tearDown.  Nothing but 127.0.0.1 is contacted.

Env: CERTSCOPE, CS_TESTCERTS, CS_TLS_SERVER (set by meson).
"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest

from test_connect import CERTSCOPE, PKI, SERVER, main, pki

OPENSSL = shutil.which("openssl")
TIMEOUT = 3
AT = "2026-06-01"
HOST = "www.example.test"
# "    12 ms  -> ClientHello          TLS1.3 ... offered, ..."
STEP = re.compile(r"^ *(\d+) ms  (?:(->|<-) )?(\S+)(?: +(.*))?$")
# The steps of whole handshakes, in order: (direction, name)
TLS13 = [("", "resolve"), ("", "connect"), ("->", "ClientHello"),
         ("<-", "ServerHello"), ("<-", "EncryptedExtensions"),
         ("<-", "Certificate"), ("<-", "CertificateVerify"),
         ("<-", "Finished"), ("->", "Finished")]
TLS12 = [("", "resolve"), ("", "connect"), ("->", "ClientHello"),
         ("<-", "ServerHello"), ("<-", "Certificate"),
         ("<-", "ServerKeyExchange"), ("<-", "ServerHelloDone"),
         ("->", "ClientKeyExchange"), ("->", "ChangeCipherSpec"),
         ("->", "Finished"), ("<-", "ChangeCipherSpec"), ("<-", "Finished")]
JSON_DIRECTION = {"": "local", "->": "sent", "<-": "received"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TraceTest(unittest.TestCase):
    def setUp(self):
        self.procs = []

    def tearDown(self):
        for p in self.procs:
            p.kill()
            p.wait()
            for f in (p.stdin, p.stdout, p.stderr):
                if f:
                    f.close()

    # -- servers ---------------------------------------------------------
    def start(self, mode="normal", *extra, cert="chain-rsa.pem",
              key="ee-rsa.key"):
        """tests/tls_server.c; returns its port."""
        p = subprocess.Popen([SERVER, "--cert", pki(cert), "--key",
                              pki(key), "--mode", mode] + list(extra),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.procs.append(p)
        line = p.stdout.readline()
        if not line.strip().isdigit():
            self.fail("server did not print a port: %r" % line)
        return int(line)

    def start_openssl(self, *extra):
        """openssl s_server with the ECDSA chain; returns its port."""
        if not OPENSSL:
            self.skipTest("openssl not installed")
        port = free_port()
        p = subprocess.Popen([OPENSSL, "s_server", "-accept",
                              "127.0.0.1:%d" % port, "-cert",
                              pki("ee-ec.pem"), "-key", pki("ee-ec.key"),
                              "-cert_chain", pki("ica-ec.pem"), "-quiet",
                              "-naccept", "1"] + list(extra),
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        self.procs.append(p)
        end = time.monotonic() + 10
        while time.monotonic() < end:
            # listening?  (a probe that connects would use up -naccept)
            if ":%04X " % port in self.listening():
                return port
            if p.poll() is not None:
                self.fail("openssl s_server exited: %r" % p.stderr.read())
            time.sleep(0.05)
        self.fail("openssl s_server did not listen on %d" % port)

    @staticmethod
    def listening():
        with open("/proc/net/tcp") as f:
            return " ".join(l.split()[1] + " " for l in f
                            if l.split()[3] == "0A")

    def start_script(self, greeting):
        """A plaintext server that sends greeting, reads one line and
        closes; returns its port."""
        code = ("import socket,sys\n"
                "s=socket.socket();s.bind(('127.0.0.1',0));s.listen(1)\n"
                "print(s.getsockname()[1],flush=True)\n"
                "c,_=s.accept();c.sendall(sys.stdin.buffer.read())\n"
                "c.settimeout(5);c.recv(4096);c.close()\n")
        p = subprocess.Popen([sys.executable, "-c", code],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        self.procs.append(p)
        p.stdin.write(greeting)
        p.stdin.close()
        return int(p.stdout.readline())

    # -- certscope -------------------------------------------------------
    def trace(self, target, *extra, rc=0, trust="root-rsa.pem"):
        """Run connect --trace; returns ([(dir, name, details)], out,
        err).  dir is "->", "<-" or "" for the local steps; no steps with
        --json."""
        args = [CERTSCOPE, "connect", target, "--trace", "--trust",
                pki(trust), "--host", HOST, "--at", AT, "--timeout",
                str(TIMEOUT)] + list(extra)
        p = subprocess.run(args, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=TIMEOUT + 30)
        out = p.stdout.decode(errors="replace")
        err = p.stderr.decode(errors="replace")
        self.assertNotIn("Sanitizer", err)
        self.assertEqual(p.returncode, rc, "stdout: %s\nstderr: %s" %
                         (out, err))
        steps = []
        for line in [] if "--json" in extra else out.splitlines():
            if not line:
                break  # the report follows the trace after a blank line
            m = STEP.match(line)
            self.assertIsNotNone(m, "not a trace line: %r" % line)
            steps.append((m.group(2) or "", m.group(3), m.group(4) or ""))
        return steps, out, err

    def assertSteps(self, steps, want):
        """want: [(dir, name)] exactly, in order."""
        self.assertEqual([(d, n) for d, n, _ in steps], want,
                         "\n".join("%s %s %s" % s for s in steps))

    def details(self, steps, direction, name):
        found = [x for d, n, x in steps if (d, n) == (direction, name)]
        self.assertTrue(found, "no %s %s step" % (direction, name))
        return found[0]

    # -- TLS 1.3 and 1.2 -------------------------------------------------
    def test_tls13(self):
        port = self.start()
        steps, out, _ = self.trace("127.0.0.1:%d" % port, "--sni", HOST,
                                   "--alpn", "h2,http/1.1")
        self.assertSteps(steps, TLS13)
        self.assertIn("127.0.0.1 (an IP address: no lookup)", steps[0][2])
        self.assertEqual(steps[1][2], "127.0.0.1:%d (TCP)" % port)
        hello = self.details(steps, "->", "ClientHello")
        self.assertRegex(hello, r"^TLS1\.3 TLS1\.2.* offered, SNI "
                         r"www\.example\.test, ALPN h2,http/1\.1, \d+ "
                         r"groups, \d+ cipher suites, status_request$")
        self.assertRegex(self.details(steps, "<-", "ServerHello"),
                         r"^TLS1\.3, TLS_AES_\w+, group \w+$")
        self.assertEqual(self.details(steps, "<-", "Certificate"),
                         "2 certificates: www.example.test, certscope "
                         "Test Intermediate RSA")
        self.assertRegex(self.details(steps, "<-", "CertificateVerify"),
                         r"^RSA-PSS-\S+$")
        self.assertIn("\n\nConnected to 127.0.0.1", out)

    def test_tls12(self):
        port = self.start("normal", "--tls12")
        steps, _, _ = self.trace("127.0.0.1:%d" % port)
        self.assertSteps(steps, TLS12)
        self.assertRegex(self.details(steps, "<-", "ServerHello"),
                         r"^TLS1\.2, TLS_ECDHE_RSA_WITH_\w+$")
        self.assertRegex(self.details(steps, "<-", "ServerKeyExchange"),
                         r"^ECDHE-RSA, group \w+, RSA-\S+$")

    def test_ocsp_staple(self):
        staple = os.path.join(os.path.dirname(PKI), "ocsp", "good.der")
        size = os.path.getsize(staple)
        # TLS 1.3: in the Certificate message; TLS 1.2: CertificateStatus
        steps, _, _ = self.trace("127.0.0.1:%d" % self.start(
            "normal", "--ocsp", staple))
        self.assertTrue(self.details(steps, "<-", "Certificate").endswith(
            "; OCSP staple %d bytes" % size))
        steps, _, _ = self.trace("127.0.0.1:%d" % self.start(
            "normal", "--ocsp", staple, "--tls12"))
        self.assertEqual(self.details(steps, "<-", "CertificateStatus"),
                         "OCSP staple %d bytes" % size)

    def test_json(self):
        port = self.start()
        steps, out, _ = self.trace("127.0.0.1:%d" % port, "--json")
        trace = json.loads(out)["results"][0]["trace"]
        self.assertEqual([(s["direction"], s["message"]) for s in trace],
                         [(JSON_DIRECTION[d], n) for d, n in TLS13])
        for s in trace:
            self.assertIsInstance(s["time_ms"], int)
            self.assertIsInstance(s["details"], dict)
        self.assertEqual(trace[0]["details"], {
            "host": "127.0.0.1", "how": "literal",
            "addresses": ["127.0.0.1"]})
        hello = trace[2]["details"]
        self.assertEqual(hello["versions"][0], "TLS1.3")
        self.assertTrue(hello["status_request"])
        self.assertGreater(hello["cipher_suites"], 0)
        self.assertEqual(trace[3]["details"]["version"], "TLS1.3")
        self.assertEqual(trace[5]["details"], {
            "certificates": 2, "subjects": [
                "www.example.test", "certscope Test Intermediate RSA"]})

    def test_json_failure(self):
        port = self.start("alert")
        _, out, _ = self.trace("127.0.0.1:%d" % port, "--json", rc=2)
        r = json.loads(out)["results"][0]
        self.assertEqual(r["verdict"], "error")
        last = r["trace"][-1]
        self.assertEqual(last["message"], "stopped")
        self.assertEqual(last["details"]["after"], "ClientHello")
        self.assertEqual(last["details"]["after_direction"], "sent")
        self.assertEqual(r["trace"][-2]["details"], {
            "alert": "handshake_failure", "code": 40, "level": "fatal"})

    # -- openssl s_server ------------------------------------------------
    def test_openssl_tls13(self):
        # X448 is offered but no key share is sent for it: the server
        # asks again (HelloRetryRequest)
        port = self.start_openssl("-alpn", "h2", "-groups", "X448")
        steps, _, _ = self.trace("127.0.0.1:%d" % port, "--alpn",
                                 "h2,http/1.1", trust="root-ec.pem")
        self.assertSteps(steps, TLS13[:3] + [("<-", "HelloRetryRequest"),
                                             ("->", "ClientHello")] +
                         TLS13[3:])
        self.assertEqual(self.details(steps, "<-", "HelloRetryRequest"),
                         "group X448")
        self.assertRegex(self.details(steps, "<-", "ServerHello"),
                         r"^TLS1\.3, TLS_\w+, group X448$")
        self.assertEqual(self.details(steps, "<-", "EncryptedExtensions"),
                         "ALPN h2")
        self.assertEqual(self.details(steps, "<-", "Certificate"),
                         "2 certificates: www.example.test, certscope Test "
                         "Intermediate ECDSA P-256")
        self.assertRegex(self.details(steps, "<-", "CertificateVerify"),
                         r"^ECDSA-\S+$")

    def test_openssl_tls12(self):
        port = self.start_openssl("-alpn", "h2", "-tls1_2")
        steps, _, _ = self.trace("127.0.0.1:%d" % port, "--alpn", "h2",
                                 trust="root-ec.pem")
        names = [(d, n) for d, n, _ in steps]
        # the ticket is the server's choice: not asserted
        if ("<-", "NewSessionTicket") in names:
            names.remove(("<-", "NewSessionTicket"))
        self.assertEqual(names, TLS12)
        self.assertRegex(self.details(steps, "<-", "ServerHello"),
                         r"^TLS1\.2, TLS_ECDHE_ECDSA_WITH_\w+, ALPN h2$")
        self.assertRegex(self.details(steps, "<-", "ServerKeyExchange"),
                         r"^ECDHE-ECDSA, group \w+, ECDSA-\S+$")

    # -- STARTTLS --------------------------------------------------------
    def test_starttls_smtp(self):
        port = self.start("normal", "--starttls", "smtp")
        steps, _, _ = self.trace("smtp://127.0.0.1:%d" % port)
        self.assertEqual(steps[2:9], [
            ("<-", "SMTP", "220 test.example ESMTP ready"),
            ("->", "SMTP", "EHLO certscope.invalid"),
            ("<-", "SMTP", "250-test.example"),
            ("<-", "SMTP", "250-PIPELINING"),
            ("<-", "SMTP", "250 STARTTLS"),
            ("->", "SMTP", "STARTTLS"),
            ("<-", "SMTP", "220 2.0.0 go ahead")])
        self.assertEqual(steps[9][:2], ("->", "ClientHello"))
        self.assertEqual(steps[-1][:2], ("->", "Finished"))

    def test_starttls_binary(self):
        # PostgreSQL: 8 bytes sent, one byte back, escaped
        port = self.start("normal", "--starttls", "postgres")
        steps, _, _ = self.trace("postgres://127.0.0.1:%d" % port)
        self.assertEqual(steps[2:4], [
            ("->", "PostgreSQL", "\\x00\\x00\\x00\\x08\\x04\\xd2\\x16/ "
             "(8 bytes)"),
            ("<-", "PostgreSQL", "S (1 byte)")])

    def test_starttls_hostile_lines(self):
        # 40 greeting lines of 200 bytes with terminal escapes, then the
        # server hangs up: lines cut and escaped, the rest counted
        line = b"220-\x1b[31m" + b"x" * 191 + b"\r\n"
        port = self.start_script(line * 40 + b"220 ok\r\n")
        steps, out, _ = self.trace("smtp://127.0.0.1:%d" % port, rc=2)
        self.assertNotIn("\x1b", out)
        greeting = [x for d, n, x in steps if (d, n) == ("<-", "SMTP")]
        self.assertEqual(len(greeting), 24)
        self.assertEqual(greeting[0], "220-\\x1b[31m" + "x" * 111 +
                         "... (cut at 120 bytes)")
        # counted at the end of the dialogue
        self.assertEqual(steps[-3:-1], [
            ("->", "SMTP", "EHLO certscope.invalid"),
            ("", "SMTP", "... 17 more lines received, not shown (limit "
             "24)")])
        self.assertRegex(steps[-1][2], r"^after -> SMTP: server closed the "
                         r"connection during the SMTP dialogue$")

    # -- where it stopped ------------------------------------------------
    def test_alert_received(self):
        port = self.start("alert")
        steps, _, err = self.trace("127.0.0.1:%d" % port, rc=2)
        self.assertSteps(steps, TLS13[:3] + [("<-", "Alert"),
                                             ("", "stopped")])
        self.assertEqual(steps[3][2], "handshake_failure (40), fatal")
        self.assertEqual(steps[4][2], "after -> ClientHello: TLS handshake "
                         "failure: the server sent alert handshake_failure "
                         "(40)")
        self.assertIn("alert handshake_failure", err)

    def test_alert_sent(self):
        # a ServerHello too short to read: we tell the server
        port = self.start("bad-hello")
        steps, _, _ = self.trace("127.0.0.1:%d" % port, rc=2)
        self.assertSteps(steps, TLS13[:3] + [("->", "Alert"),
                                             ("", "stopped")])
        self.assertEqual(steps[3][2], "decode_error (50), fatal")
        self.assertTrue(steps[4][2].startswith("after -> ClientHello: TLS "
                                               "handshake failure: "))

    def test_stops_after_server_hello(self):
        port = self.start("hello-only")
        steps, _, _ = self.trace("127.0.0.1:%d" % port, rc=2)
        self.assertSteps(steps, TLS13[:4] + [("", "stopped")])
        self.assertRegex(steps[3][2], r"^TLS1\.3, cipher [\w-]+, group "
                         r"\w+$")
        self.assertRegex(steps[4][2], r"^after <- ServerHello: (connection "
                         r"reset by the server|the server closed the "
                         r"connection) during the TLS handshake")

    def test_timeout(self):
        port = self.start("silent")
        steps, _, _ = self.trace("127.0.0.1:%d" % port, "--timeout", "1",
                                 rc=2)
        self.assertEqual(steps[-1][1:], (
            "stopped", "after -> ClientHello: timed out during the TLS "
            "handshake (0 bytes received)"))

    def test_refused(self):
        port = free_port()
        steps, _, _ = self.trace("127.0.0.1:%d" % port, rc=2)
        self.assertEqual(steps[-1][1:], (
            "stopped", "127.0.0.1:%d: connection refused" % port))

    # -- client certificates ---------------------------------------------
    def test_client_cert_requested_none_given(self):
        port = self.start("normal", "--client-ca", pki("root-rsa.pem"))
        # the chain had arrived: it is validated (trusted, exit 0) and
        # the trace ends with the server's alert, not a "stopped" step
        steps, _, _ = self.trace("127.0.0.1:%d" % port, rc=0)
        self.assertSteps(steps, TLS13[:5] + [("<-", "CertificateRequest")] +
                         TLS13[5:8] + [("->", "Certificate"),
                                       ("->", "Finished"), ("<-", "Alert")])
        self.assertEqual(self.details(steps, "->", "Certificate"),
                         "no certificate")
        self.assertEqual(self.details(steps, "<-", "Alert"),
                         "certificate_required (116), fatal")

    def test_client_cert_sent(self):
        port = self.start("normal", "--client-ca", pki("root-rsa.pem"))
        with tempfile.TemporaryDirectory() as d:
            chain = os.path.join(d, "client-chain.pem")
            with open(chain, "w") as out:
                for name in ("ee-client.pem", "ica-rsa.pem"):
                    with open(pki(name)) as fh:
                        out.write(fh.read())
            steps, _, _ = self.trace("127.0.0.1:%d" % port, "--cert", chain,
                                     "--key", pki("ee-client.key"))
        names = [(d, n) for d, n, _ in steps]
        i = names.index(("->", "Certificate"))
        self.assertEqual(names[i - 1:i + 3], [
            ("<-", "Finished"), ("->", "Certificate"),
            ("->", "CertificateVerify"), ("->", "Finished")])
        self.assertEqual(steps[i][2], "CN=client.example.test,O=certscope "
                         "test PKI")
        # the server's close_notify said it accepted the certificate
        self.assertEqual(steps[-1], ("<-", "Alert",
                                     "close_notify (0), warning"))


if __name__ == "__main__":
    main()
