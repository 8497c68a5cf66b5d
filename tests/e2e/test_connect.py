#!/usr/bin/env python3
"""End-to-end tests of `certscope connect` against tests/tls_server.c.

Every scenario starts its own loopback server (127.0.0.1, port chosen by
the OS), runs certscope with a 3 s deadline, and checks the exit code, a
message fragment and that the command returned within timeout + 2 s.
The server is always killed in tearDown.  Nothing but 127.0.0.1 is ever
contacted.

Name resolution is tested against tests/dns_server.py, a DNS server on
127.0.0.1 given to certscope with --dns-servers.

Env: CERTSCOPE, CS_TESTCERTS, CS_TLS_SERVER, CS_DNS_SERVER (set by meson).
"""
import configparser
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest

CERTSCOPE = os.environ.get("CERTSCOPE", "")
SERVER = os.environ.get("CS_TLS_SERVER", "")
DNS_SERVER = os.environ.get("CS_DNS_SERVER", "")
PKI = os.path.join(os.environ.get("CS_TESTCERTS", ""), "pki")
TIMEOUT = 3
# How far past --timeout the process may end: its own start and exit.
# Under valgrind (scripts/valgrind.sh) both take seconds, so it is raised.
SLACK = float(os.environ.get("CS_DEADLINE_SLACK", "2"))
# reading the generator's PKCS#12 files (many PBKDF2 rounds) before the
# network deadline starts: 0.4 s, over 30 s under valgrind (which sets
# CS_TIMEOUT_SCALE)
P12_TIMEOUT = int(90 * float(os.environ.get("CS_TIMEOUT_SCALE", "1")))
AT = "2026-06-01"
HOST = "www.example.test"


def pki(name):
    return os.path.join(PKI, name)


class ConnectTest(unittest.TestCase):
    server = None

    def setUp(self):
        self.others = []  # more servers, stopped in tearDown

    def spawn(self, args):
        p = subprocess.Popen(args, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        line = p.stdout.readline()
        if not line.strip().isdigit():
            p.kill()
            p.wait()
            self.fail("server did not print a port: %r %r" %
                      (line, p.stderr.read()))
        return p, int(line)

    def start(self, mode="normal", starttls=None, cert="chain-rsa.pem",
              key="ee-rsa.key", extra=()):
        args = [SERVER, "--cert", pki(cert), "--key", pki(key),
                "--mode", mode] + list(extra)
        if starttls:
            args += ["--starttls", starttls]
        if self.server:
            # a test's second server: the first is still stopped
            self.others.append(self.server)
        self.server, port = self.spawn(args)
        return port

    def start_other(self, args):
        p, port = self.spawn(args)
        self.others.append(p)
        return port

    def start_dns(self, mode="answer", a=(), aaaa=(), name=None):
        """A DNS server on 127.0.0.1; returns its --dns-servers value."""
        args = [sys.executable, DNS_SERVER, "--mode", mode]
        if name:
            args += ["--name", name]
        for x in a:
            args += ["--a", x]
        for x in aaaa:
            args += ["--aaaa", x]
        return "127.0.0.1:%d" % self.start_other(args)

    def tearDown(self):
        for p in ([self.server] if self.server else []) + self.others:
            p.kill()
            p.wait()
            p.stdout.close()
            p.stderr.close()

    def connect(self, target, *extra, trust="root-rsa.pem", timeout=TIMEOUT,
                host=HOST):
        args = [CERTSCOPE, "connect", target, "--trust", pki(trust),
                "--timeout", str(timeout), "--at", AT]
        if host:
            args += ["--host", host]
        args += list(extra)
        t0 = time.monotonic()
        p = subprocess.run(args, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=timeout + 30)
        took = time.monotonic() - t0
        self.assertLess(took, timeout + SLACK,
                        "connect took %.1f s (deadline %d s)" % (took,
                                                                 timeout))
        return p.returncode, p.stdout.decode(errors="replace"), \
            p.stderr.decode(errors="replace")

    def expect(self, port_or_target, rc, fragment, *extra, where="err",
               **kw):
        target = port_or_target if isinstance(port_or_target, str) \
            else "127.0.0.1:%d" % port_or_target
        got_rc, out, err = self.connect(target, *extra, **kw)
        text = err if where == "err" else out
        self.assertNotIn("Sanitizer", err)
        self.assertEqual(got_rc, rc, "rc %d, stderr: %s" % (got_rc, err))
        self.assertIn(fragment, text, "stdout: %s\nstderr: %s" % (out, err))
        return out, err

    # -- a good server ---------------------------------------------------
    def test_normal_trusted(self):
        out, _ = self.expect(self.start(), 0, "trusted", where="out")
        self.assertIn("Chain sent by the server (2 certificates)", out)
        self.assertIn("TLS1.3", out)

    def test_normal_json(self):
        out, _ = self.expect(self.start(), 0, '"verdict"', "--json",
                             where="out")
        doc = json.loads(out)
        r = doc["results"][0]
        self.assertEqual(len(r["chain"]), 2)
        self.assertEqual(r["verdict"], "trusted")
        self.assertEqual(r["protocol"], "TLS1.3")

    def test_untrusted_root(self):
        # the chain is fine but the anchor given is another root: exit 1
        self.expect(self.start(), 1, "NOT TRUSTED", trust="root-ec.pem",
                    where="out")

    def test_wrong_host(self):
        self.expect(self.start(cert="ee-wronghost.pem",
                               key="ee-wronghost.key"), 1, "NOT TRUSTED",
                    where="out")

    # the verify options are the same group as verify's
    def test_verify_option_max_depth(self):
        # --max-depth counts intermediates: chain-rsa has one
        out, _ = self.expect(self.start(), 1, "depth-exceeded",
                             "--max-depth", "0", "--json", where="out")
        self.assertEqual(json.loads(out)["results"][0]["verdict"],
                         "rejected")

    def test_verify_option_crl(self):
        self.expect(self.start(), 0, "CRLs: 1 from 1 files", "-v", "--crl",
                    pki("crl-ica-rsa-empty.pem"))

    def test_verify_option_email(self):
        self.expect(self.start(), 1, "NOT TRUSTED", "--email",
                    "nobody@example.test", where="out")

    def test_untrusted_fills_a_missing_intermediate(self):
        # the server sends its leaf alone: the intermediate is missing,
        # and --untrusted supplies it
        port = self.start(cert="ee-rsa.pem")
        self.expect(port, 1, "issuer-not-found", where="out")
        self.expect(port, 0, "trusted", "--untrusted", pki("ica-rsa.pem"),
                    where="out")

    def test_save_chain(self):
        port = self.start()
        with tempfile.TemporaryDirectory() as d:
            f = os.path.join(d, "chain.pem")
            self.expect(port, 0, "trusted", "--save-chain", f, where="out")
            with open(f) as fh:
                self.assertEqual(fh.read().count("BEGIN CERTIFICATE"), 2)

    def start_sni(self):
        """A server that sends chain-rsa (www.example.test) only when
        some SNI is sent, else a certificate for another name."""
        extra = ("--cert", pki("chain-rsa.pem"), "--key", pki("ee-rsa.key"))
        return self.start("sni", cert="ee-wronghost.pem",
                          key="ee-wronghost.key", extra=extra)

    def test_sni_selects_certificate(self):
        # pair 2 (the right name) only when SNI is sent
        port = self.start_sni()
        self.expect(port, 0, "(SNI www.example.test)", "--sni", HOST,
                    where="out")
        self.expect(port, 1, "(no SNI)", "--no-sni", where="out")

    # -- one name, sent and checked (as curl's --resolve) ------------------
    def test_host_is_the_sni_for_an_address(self):
        # connect 127.0.0.1:P --host NAME: NAME is sent, so a server with
        # several sites answers with that site's certificate
        out, _ = self.expect(self.start_sni(), 0, "(SNI www.example.test)",
                             where="out")
        self.assertIn("Checked for www.example.test", out)

    def test_sni_is_the_name_checked(self):
        # --sni NAME without --host: NAME is also the name checked, not
        # the address connected to
        out, _ = self.expect(self.start_sni(), 0, "trusted", "--sni", HOST,
                             host=None, where="out")
        self.assertIn("Checked for www.example.test", out)
        self.assertNotIn("127.0.0.1", out.split("Checked for")[1]
                         .split("\n")[0])

    def test_host_overrides_sni_as_the_name_checked(self):
        out, _ = self.expect(self.start_sni(), 1, "hostname-mismatch",
                             "--sni", HOST, host="other.example.test",
                             where="out")
        self.assertIn("(SNI www.example.test)", out)
        self.assertIn("Checked for other.example.test", out)

    def test_no_sni_with_host(self):
        out, _ = self.expect(self.start_sni(), 1, "(no SNI)", "--no-sni",
                             where="out")
        self.assertIn("Checked for www.example.test", out)

    def test_address_connects_there_with_the_name(self):
        # www.example.test is not resolved (no DNS server would answer):
        # --address says where, the name is sent and checked
        port = self.start_sni()
        out, _ = self.expect("%s:%d" % (HOST, port), 0, "trusted",
                             "--address", "127.0.0.1", host=None,
                             where="out")
        self.assertIn("Connected to 127.0.0.1:%d (SNI %s)" % (port, HOST),
                      out)
        self.assertIn("Checked for %s" % HOST, out)

    def test_address_usage(self):
        self.expect("%s:443" % HOST, 2, "--address takes", "--address",
                    "127.0.0.1:443", host=None)

    def test_json_checked(self):
        out, _ = self.expect(self.start_sni(), 0, '"checked"', "--json",
                             "--sni", HOST, host=None, where="out")
        r = json.loads(out)["results"][0]
        self.assertEqual(r["checked"], {
            "host": HOST, "sni": HOST, "purpose": "server",
            "time": "2026-06-01T00:00:00Z",
            "trust": {"source": "files", "anchors": 1}})
        out, _ = self.expect(self.start(), 1, '"checked"', "--json",
                             "--no-sni", "--purpose", "client", host=None,
                             where="out")
        c = json.loads(out)["results"][0]["checked"]
        self.assertIsNone(c["sni"])
        self.assertEqual(c["host"], "127.0.0.1")
        self.assertEqual(c["purpose"], "client")

    def test_alpn_offered(self):
        self.expect(self.start(), 0, "ALPN:", "--alpn", "h2,http/1.1",
                    where="out")

    def test_localhost_falls_back_to_next_address(self):
        # localhost is ::1 then 127.0.0.1 without DNS; the server only
        # listens on 127.0.0.1, so ::1 is refused and the next one answers
        port = self.start()
        self.expect("localhost:%d" % port, 0, "Connected to 127.0.0.1",
                    where="out")

    def test_all_addresses(self):
        # every address is checked: the refused ::1 makes the run fail
        port = self.start()
        out, err = self.expect("localhost:%d" % port, 2,
                               "[::1]:%d: connection refused" % port,
                               "--all-addresses")
        self.assertIn("Connected to 127.0.0.1", out)

    # -- names resolved through a DNS server on 127.0.0.1 ----------------
    def test_dns_name_resolved(self):
        port = self.start()
        dns = self.start_dns(a=["127.0.0.1"])
        self.expect("%s:%d" % (HOST, port), 0, "Connected to 127.0.0.1",
                    "--dns-servers", dns, where="out")

    def test_dns_name_with_u_labels(self):
        # DNS is asked for the A-labels (the server answers no other name)
        port = self.start()
        dns = self.start_dns(a=["127.0.0.1"], name="xn--bcher-kva.example")
        out, _ = self.expect("b\u00fccher.example:%d" % port, 0,
                             "Connected to 127.0.0.1", "--dns-servers", dns,
                             where="out")
        # a name IDNA 2008 refuses is a usage error naming it
        self.expect("\u2603.example:%d" % port, 2, "'\u2603.example' is "
                    "not a valid internationalised host name",
                    "--dns-servers", dns)

    def test_failed_address_then_answer_is_a_note(self):
        # the name's first address refuses (nothing listens on
        # 127.0.0.2), the second answers: no error line, a note under -v
        port = self.start()
        dns = self.start_dns(a=["127.0.0.2", "127.0.0.1"])
        out, err = self.expect("%s:%d" % (HOST, port), 0,
                               "Connected to 127.0.0.1", "--dns-servers",
                               dns, where="out")
        self.assertNotIn("refused", err)
        _, err = self.expect("%s:%d" % (HOST, port), 0, "note: 127.0.0.2",
                             "--dns-servers", dns, "-v")
        self.assertIn("(another address answered)", err)
        # none answers: every failure is an error
        self.server.kill()
        self.server.wait()
        _, err = self.expect("%s:%d" % (HOST, port), 2,
                             "certscope: 127.0.0.2", "--dns-servers", dns)
        self.assertIn("certscope: 127.0.0.1", err)

    def test_dns_silent_server_deadline(self):
        dns = self.start_dns("silent")
        self.expect("%s:443" % HOST, 2,
                    "timed out resolving www.example.test",
                    "--dns-servers", dns)

    def test_dns_garbage_answers_deadline(self):
        # malformed answers are dropped; the deadline still holds
        dns = self.start_dns("garbage")
        self.expect("%s:443" % HOST, 2, "timed out resolving",
                    "--dns-servers", dns)

    def test_dns_nxdomain(self):
        dns = self.start_dns("nxdomain")
        self.expect("%s:443" % HOST, 2,
                    "cannot resolve www.example.test: no such name "
                    "(NXDOMAIN)", "--dns-servers", dns)

    def test_dns_servfail(self):
        dns = self.start_dns("servfail")
        self.expect("%s:443" % HOST, 2, "no DNS server gave an answer",
                    "--dns-servers", dns)

    def test_dns_no_address(self):
        dns = self.start_dns(a=[])
        self.expect("%s:443" % HOST, 2,
                    "the name has no IPv4 or IPv6 address",
                    "--dns-servers", dns)

    def test_dns_bad_server_list(self):
        self.expect("%s:443" % HOST, 2, "--dns-servers: 'not-an-ip' is "
                    "not a list of IP[:PORT] addresses",
                    "--dns-servers", "not-an-ip")
        self.expect("%s:443" % HOST, 2, "--dns-servers needs at least one "
                    "address", "--dns-servers", "")

    def stale_backend(self, d, same=False):
        """Two backends behind one name on one port: 127.0.0.1 serves the
        current chain, 127.0.0.2 the expired leaf (or the same chain)."""
        port = self.start()
        if same:
            cert, key = pki("chain-rsa.pem"), pki("ee-rsa.key")
        else:
            cert = os.path.join(d, "stale.pem")
            with open(cert, "w") as out:
                for f in ("ee-expired.pem", "ica-rsa.pem"):
                    with open(pki(f)) as fh:
                        out.write(fh.read())
            key = pki("ee-expired.key")
        self.start_other([SERVER, "--cert", cert, "--key", key,
                          "--bind", "127.0.0.2", "--port", str(port)])
        dns = self.start_dns(a=["127.0.0.1", "127.0.0.2"])
        return "%s:%d" % (HOST, port), dns

    def test_all_addresses_stale_backend(self):
        with tempfile.TemporaryDirectory() as d:
            target, dns = self.stale_backend(d)
            out, _ = self.expect(target, 1, "Addresses compared (2):",
                                 "--dns-servers", dns, "--all-addresses",
                                 where="out")
            self.assertRegex(out, r"127\.0\.0\.1:\d+ +trusted ")
            self.assertRegex(out, r"127\.0\.0\.2:\d+ +NOT TRUSTED ")
            self.assertIn("They differ in the verdict, the leaf "
                          "certificate and the chain sent.", out)
            self.assertIn("error  expired", out)
            # without --all-addresses the first address answers alone
            out, _ = self.expect(target, 0, "trusted", "--dns-servers",
                                 dns, where="out")
            self.assertNotIn("127.0.0.2", out)
            out, _ = self.expect(target, 1, '"comparison"', "--json",
                                 "--dns-servers", dns, "--all-addresses",
                                 where="out")
        doc = json.loads(out)
        self.assertEqual(doc["comparison"], {
            "addresses": 2, "agree": False,
            "differences": ["verdict", "leaf", "chain"]})
        self.assertEqual([r["verdict"] for r in doc["results"]],
                         ["trusted", "rejected"])

    def test_all_addresses_agree(self):
        with tempfile.TemporaryDirectory() as d:
            target, dns = self.stale_backend(d, same=True)
            out, _ = self.expect(target, 0, "All 2 addresses agree",
                                 "--dns-servers", dns, "--all-addresses",
                                 where="out")

    def test_all_addresses_one_down(self):
        # 127.0.0.3 has no server: an error row, the exit code 2
        port = self.start()
        dns = self.start_dns(a=["127.0.0.1", "127.0.0.3"])
        out, err = self.expect("%s:%d" % (HOST, port), 2,
                               "127.0.0.3:%d: connection refused" % port,
                               "--dns-servers", dns, "--all-addresses")
        self.assertRegex(out, r"127\.0\.0\.3:\d+ +error +connection "
                         r"refused")
        self.assertIn("They differ in the verdict.", out)

    # -- client certificates ----------------------------------------------
    def client_server(self, *extra):
        """A server that requires a client certificate under root-rsa."""
        return self.start(extra=("--client-ca", pki("root-rsa.pem")) + extra)

    def client_chain(self, d, leaf="ee-client.pem", ica="ica-rsa.pem"):
        f = os.path.join(d, "client-chain.pem")
        with open(f, "w") as out:
            for name in (leaf, ica):
                with open(pki(name)) as fh:
                    out.write(fh.read())
        return f

    def test_client_cert_accepted_tls13(self):
        port = self.client_server()
        with tempfile.TemporaryDirectory() as d:
            out, _ = self.expect(port, 0, "trusted", "--cert",
                                 self.client_chain(d), "--key",
                                 pki("ee-client.key"), where="out")
            self.assertIn("TLS1.3", out)
            self.assertIn("Client:     the server asked for a certificate; "
                          "sent CN=client.example.test", out)
            out, _ = self.expect(port, 0, '"client_certificate"', "--json",
                                 "--cert", self.client_chain(d), "--key",
                                 pki("ee-client.key"), where="out")
        self.assertEqual(json.loads(out)["results"][0]["client_certificate"],
                         {"requested": True, "sent":
                          "CN=client.example.test,O=certscope test PKI",
                          "required": False})

    def test_client_cert_accepted_tls12(self):
        port = self.client_server("--tls12")
        with tempfile.TemporaryDirectory() as d:
            out, _ = self.expect(port, 0, "sent CN=client.example.test",
                                 "--cert", self.client_chain(d), "--key",
                                 pki("ee-client.key"), where="out")
        self.assertIn("TLS1.2", out)

    # none given: the server's chain has arrived before it ends the
    # connection, so it is shown and validated, and the refusal said
    def client_cert_missing(self, tls12, why):
        port = self.client_server(*(("--tls12",) if tls12 else ()))
        out, err = self.expect(port, 0, "trusted", where="out")
        self.assertRegex(err, "the server requires a client certificate "
                         r"and none was given \(--cert, --key\): " + why)
        self.assertIn("Chain sent by the server (2 certificates)", out)
        self.assertIn("Client:     the server requires a certificate; none "
                      "was given", out)
        self.assertIn("TLS1.2" if tls12 else "TLS1.3", out)
        out, _ = self.expect(port, 0, '"client_certificate"', "--json",
                             where="out")
        r = json.loads(out)["results"][0]
        self.assertEqual(r["client_certificate"], {
            "requested": True, "sent": None, "required": True})
        self.assertEqual(r["verdict"], "trusted")
        self.assertEqual(len(r["chain"]), 2)
        self.assertEqual(r["protocol"], "TLS1.2" if tls12 else "TLS1.3")

    def test_client_cert_missing_tls13(self):
        # TLS 1.3: the refusal comes after the client's Finished
        self.client_cert_missing(False, r"it sent alert certificate_required "
                                 r"\(116\) after the handshake")

    def test_client_cert_missing_tls12(self):
        # TLS 1.2: inside the handshake, after the server's Certificate
        # (the server's alert, or a reset when it closes first)
        self.client_cert_missing(True, "(TLS handshake failure: the server "
                                 "sent alert|connection reset)")

    def test_client_cert_other_failure_tls13(self):
        # TLS 1.3, a client certificate asked for (not required) and none
        # given, then a record that does not decrypt: an error of its own,
        # not "the server requires a client certificate"
        port = self.start("junk-after-handshake")
        _, err = self.expect(port, 2, "after the handshake: ")
        self.assertNotIn("requires a client certificate", err)
        self.assertNotIn("refused the client certificate", err)


        # an ECDSA leaf under the other root: the server says bad_certificate
        port = self.client_server()
        with tempfile.TemporaryDirectory() as d:
            self.expect(port, 2, "the server refused the client certificate: "
                        "alert bad_certificate (42)", "--cert",
                        self.client_chain(d, "ee-ec.pem", "ica-ec.pem"),
                        "--key", pki("ee-ec.key"))

    def test_client_cert_pkcs12(self):
        # The generator's PKCS#12 files use many PBKDF2 rounds: 0.4 s to
        # read, over 30 s under valgrind.  That is file reading, before the
        # network deadline starts, so the deadline given here is long.
        fmt = os.path.join(os.path.dirname(PKI), "formats")
        port = self.client_server()
        self.expect(port, 0, "sent CN=www.example.test", "--cert",
                    os.path.join(fmt, "ee-rsa.p12"), "--password-file",
                    os.path.join(fmt, "p12-password.txt"), where="out",
                    timeout=P12_TIMEOUT)
        # made with an empty password: no password needed
        self.expect(port, 0, "sent CN=www.example.test", "--cert",
                    os.path.join(fmt, "ee-rsa-nopass.p12"), where="out",
                    timeout=P12_TIMEOUT)

    def test_client_cert_not_requested(self):
        out, _ = self.expect(self.start(), 0, "Client:     the server asked "
                             "for no certificate", "--cert",
                             pki("ee-client.pem"), "--key",
                             pki("ee-client.key"), where="out")

    def test_client_cert_bad_inputs_before_network(self):
        # each is refused before any connection: port 1 is never tried
        fmt = os.path.join(os.path.dirname(PKI), "formats")
        with tempfile.TemporaryDirectory() as d:
            wrong = os.path.join(d, "pw")
            with open(wrong, "w") as fh:
                fh.write("wrong\n")
            for args, frag in [
                (["--cert", pki("ee-client.pem"), "--key", pki("ee-ec.key")],
                 "the key in %s does not belong to the certificate in %s" %
                 (pki("ee-ec.key"), pki("ee-client.pem"))),
                (["--cert", os.path.join(d, "none.pem"), "--key",
                  pki("ee-client.key")], "cannot open --cert"),
                (["--key", pki("ee-client.key")], "--key needs --cert"),
                (["--cert", d, "--key", pki("ee-client.key")],
                 "cannot open --cert %s: it is a directory" % d),
                (["--cert", pki("ee-client.pem")], "without --key must be "
                 "a PKCS#12 file"),
                (["--cert", os.path.join(fmt, "ee-rsa.p12")],
                 "the key is encrypted: give its password"),
                (["--cert", os.path.join(fmt, "ee-rsa.p12"),
                  "--password-file", wrong], "wrong password for the key"),
            ]:
                # (a long deadline: PKCS#12 reading is slow under
                # valgrind, see test_client_cert_pkcs12)
                _, err = self.expect(1, 2, frag, *args,
                                     timeout=P12_TIMEOUT)
                self.assertNotIn("connection refused", err)

    # -- hostile or broken servers --------------------------------------
    def test_refused(self):
        port = self.start()
        self.server.kill()
        self.server.wait()
        self.expect(port, 2, "connection refused")

    def test_silent(self):
        self.expect(self.start("silent"), 2, "timed out")

    def test_drip(self):
        self.expect(self.start("drip"), 2, "timed out")

    def test_http(self):
        self.expect(self.start("http"), 2, 'not TLS: the server answered "HTTP/1.1 400')

    def test_random(self):
        self.expect(self.start("random"), 2, "not TLS")

    def test_reset(self):
        _, err = self.expect(self.start("reset"), 2, "handshake")
        self.assertRegex(err, "reset|closed")

    def test_alert(self):
        self.expect(self.start("alert"), 2, "handshake_failure")

    def test_empty_chain(self):
        self.expect(self.start("empty-chain"), 2, "closed the connection")

    def test_many_certs(self):
        self.expect(self.start("many-certs"), 2, "at most 32")

    def test_huge_cert(self):
        self.expect(self.start("huge-cert"), 2, "over the limit")

    def test_oversized_record_is_invalid(self):
        # a record header claiming 18,433 bytes is the server's fault,
        # not a handshake message over certscope's limit
        _, err = self.expect(self.start("big-record"), 2,
                             "the server sent an invalid TLS record: its "
                             "header claims 18433 bytes")
        self.assertNotIn("limit", err)

    def test_oversized_plaintext_record(self):
        # 17,000 bytes in the plaintext phase: over the 2^14 a record
        # carries before encryption, under TLS 1.2's 2^14 + 2048; the
        # message quotes the limit that applied, and only that one
        _, err = self.expect(self.start("big-record-17000"), 2,
                             "its header claims 17000 bytes, more than "
                             "an unencrypted record may carry (16384)")
        self.assertNotIn("18432", err)
        self.assertNotIn("16640", err)

    def test_old_tls(self):
        # a TLS 1.0-only server: the version negotiated is reported as is
        self.expect(self.start("old-tls"), 0, "TLS1.0", where="out")

    def test_tiny_timeout_silent(self):
        self.expect(self.start("silent"), 2, "timed out", timeout=1)

    # -- STARTTLS ---------------------------------------------------------
    def starttls_ok(self, proto):
        port = self.start("starttls-ok", starttls=proto)
        self.expect(port, 0, "trusted", "--starttls", proto, where="out")

    def starttls_refuse(self, proto, frag="refused the TLS upgrade"):
        port = self.start("starttls-refuse", starttls=proto)
        self.expect(port, 2, frag, "--starttls", proto)

    def starttls_absent(self, proto, word="STARTTLS"):
        # the capabilities lack the upgrade: said at once (the server
        # would never answer the command)
        port = self.start("starttls-absent", starttls=proto)
        label = {"smtp": "SMTP", "imap": "IMAP", "pop3": "POP3", "ftp": "FTP",
                 "nntp": "NNTP", "sieve": "ManageSieve", "xmpp": "XMPP"}
        self.expect(port, 2, "the %s server does not offer %s" %
                    (label[proto], word), "--starttls", proto)

    def starttls_inject(self, proto):
        port = self.start("starttls-inject", starttls=proto)
        self.expect(port, 2, "possible injection", "--starttls", proto)

    def test_xmpp_domain_is_the_name(self):
        # the stream's to= is --host (or --sni), not the address: the
        # server (as prosody) answers host-unknown to an address
        port = self.start("starttls-ok", starttls="xmpp")
        self.expect(port, 0, "trusted", "--starttls", "xmpp", where="out")
        self.expect(port, 0, "trusted", "--starttls", "xmpp", "--sni",
                    HOST, host=None, where="out")
        self.expect(port, 2, "<stream:error> host-unknown: it serves no "
                    "domain '127.0.0.1'", "--starttls", "xmpp", host=None)

    def test_scheme_form(self):
        port = self.start("starttls-ok", starttls="smtp")
        self.expect("smtp://127.0.0.1:%d" % port, 0, "STARTTLS:   smtp",
                    where="out")

    def test_scheme_conflict(self):
        self.expect("smtp://127.0.0.1:1", 2, "conflicts", "--starttls",
                    "imap")


# Stapled OCSP responses: the [ocsp:NAME] sections of testcerts/manifest.ini
# (file, status shown, finding code, exit code), made by gen_ocsp.py.
def ocsp_cases():
    cp = configparser.ConfigParser(interpolation=None)
    cp.read(os.path.join(os.path.dirname(PKI), "manifest.ini"))
    for n in cp.sections():
        if n.startswith("ocsp:"):
            sec = cp[n]
            yield (os.path.basename(sec["file"]), int(sec["exit"]),
                   sec["status"],
                   None if sec["finding"] == "none" else sec["finding"])


OCSP_CASES = list(ocsp_cases())


def ocsp_case(self, name, rc, status, code):
    staple = os.path.join(os.path.dirname(PKI), "ocsp", name)
    port = self.start(extra=("--ocsp", staple))
    out, _ = self.expect(port, rc, '"ocsp"', "--json", where="out")
    r = json.loads(out)["results"][0]
    self.assertEqual(r["ocsp"]["status"], status, name)
    codes = [f["code"] for f in r["validation"]["findings"]]
    ocsp_codes = [c for c in codes if c.startswith("ocsp-")]
    self.assertEqual(ocsp_codes, [code] if code else [], name)
    if status in ("good", "revoked", "unknown"):
        self.assertTrue(r["ocsp"]["signature_ok"], name)
        self.assertEqual(r["ocsp"]["this_update"][:10],
                         "2026-05-01" if name == "expired.der"
                         else "2026-05-31")
    # the text report names the status too
    out, _ = self.expect(port, rc, "OCSP:       " + status, where="out")


for _f, _rc, _st, _code in OCSP_CASES:
    setattr(ConnectTest, "test_ocsp_" + _f[:-4].replace("-", "_"),
            lambda self, a=(_f, _rc, _st, _code): ocsp_case(self, *a))


def _no_staple(self):
    self.expect(self.start(), 0, "OCSP:       no stapled response",
                where="out")


ConnectTest.test_ocsp_none = _no_staple

PROTOS = ["smtp", "imap", "pop3", "ftp", "postgres", "mysql", "xmpp",
          "ldap", "nntp", "sieve"]
for _p in PROTOS:
    setattr(ConnectTest, "test_starttls_ok_" + _p,
            lambda self, p=_p: self.starttls_ok(p))
    setattr(ConnectTest, "test_starttls_refuse_" + _p,
            lambda self, p=_p: self.starttls_refuse(p))
    setattr(ConnectTest, "test_starttls_inject_" + _p,
            lambda self, p=_p: self.starttls_inject(p))
for _p in ["smtp", "imap", "pop3", "ftp", "nntp", "sieve", "xmpp"]:
    setattr(ConnectTest, "test_starttls_absent_" + _p,
            lambda self, p=_p: self.starttls_absent(
                p, {"pop3": "STLS", "ftp": "AUTH TLS"}.get(p, "STARTTLS")))
# MySQL: no CLIENT_SSL in the greeting is the server not offering TLS
ConnectTest.test_starttls_refuse_mysql = lambda self: self.starttls_refuse(
    "mysql", "the MySQL server does not offer TLS (CLIENT_SSL")


def main():
    """Run the tests of the __main__ module (this one, or test_trace.py);
    exit 77 (skipped) without the test server."""
    if not (CERTSCOPE and SERVER and os.path.isdir(PKI)):
        print("CERTSCOPE, CS_TLS_SERVER and CS_TESTCERTS are needed")
        sys.exit(77)
    res = unittest.main(exit=False, verbosity=2).result
    failed = len(res.failures) + len(res.errors)
    print("%d passed, %d failed" % (res.testsRun - failed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
