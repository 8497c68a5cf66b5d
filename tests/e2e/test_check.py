#!/usr/bin/env python3
"""End-to-end tests of `certscope check` against live servers on 127.0.0.1.

One run mixes good, expiring (leaf and intermediate), expired, untrusted,
wrong-host, unreachable, silent and hostile endpoints (the project's
tests/tls_server.c, real gnutls-serv and openssl s_server) with files and
a directory tree, and asserts each target's state, the exit code and each
format's shape: Nagios status line and perfdata parsed, JSON Lines parsed,
Prometheus text checked by `promtool check metrics` (Debian package
prometheus).  Also: silence when every target is OK, --shard slices that
partition the list, and that silent servers cost one --timeout each in
parallel, not the run.

Certificates with short lives are made at test time by certtool with
fixed dates (the check time is always --at 2026-06-01):
  gen-root        2020-01-01 .. 2045-01-01
  ica-soon        2021-01-01 .. 2026-06-05   (4 days left: CRITICAL)
  leaf-under-soon 2025-01-01 .. 2027-12-31   (limited by ica-soon)
  ica-long        2021-01-01 .. 2040-01-01
  leaf-soon       2025-01-01 .. 2026-06-20   (19 days left: WARNING)

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

from loopback import certtool, free_port, run_main, wait_listening

CERTSCOPE = os.environ.get("CERTSCOPE", "")
SERVER = os.environ.get("CS_TLS_SERVER", "")
PKI = os.path.join(os.environ.get("CS_TESTCERTS", ""), "pki")
AT = "2026-06-01"
HOST = "www.example.test"
# Per-endpoint deadline.  Under valgrind (scripts/valgrind.sh) a
# handshake takes a hundred times longer, so it is raised there.
TIMEOUT = int(os.environ.get("CS_CHECK_TIMEOUT", "2"))
SLACK = float(os.environ.get("CS_DEADLINE_SLACK", "2"))


def pki(name):
    return os.path.join(PKI, name)


def make_pki(d):
    """The short-lived hierarchy above, in directory d."""
    def tmpl(name, body):
        path = os.path.join(d, name + ".tmpl")
        with open(path, "w") as f:
            f.write(body)
        return path

    def key(name):
        certtool("--generate-privkey", "--key-type", "ecdsa", "--curve",
                 "secp256r1", "--outfile", os.path.join(d, name + ".key"))

    def cert(name, body, issuer=None):
        key(name)
        args = ["--template", tmpl(name, body), "--load-privkey",
                os.path.join(d, name + ".key"), "--outfile",
                os.path.join(d, name + ".pem")]
        if issuer:
            certtool("--generate-certificate", "--load-ca-certificate",
                     os.path.join(d, issuer + ".pem"), "--load-ca-privkey",
                     os.path.join(d, issuer + ".key"), *args)
        else:
            certtool("--generate-self-signed", *args)

    ca = 'ca\ncert_signing_key\ncrl_signing_key\n'
    leaf = ('signing_key\ntls_www_server\ndns_name = "%s"\n' % HOST)
    cert("gen-root", 'cn = "check test root"\nserial = 1\n'
         'activation_date = "2020-01-01 00:00:00"\n'
         'expiration_date = "2045-01-01 00:00:00"\n' + ca)
    cert("ica-soon", 'cn = "check ICA soon"\nserial = 2\n'
         'activation_date = "2021-01-01 00:00:00"\n'
         'expiration_date = "2026-06-05 00:00:00"\n' + ca, "gen-root")
    cert("ica-long", 'cn = "check ICA long"\nserial = 3\n'
         'activation_date = "2021-01-01 00:00:00"\n'
         'expiration_date = "2040-01-01 00:00:00"\n' + ca, "gen-root")
    cert("leaf-under-soon", 'cn = "%s"\nserial = 4\n'
         'activation_date = "2025-01-01 00:00:00"\n'
         'expiration_date = "2027-12-31 00:00:00"\n' % HOST + leaf,
         "ica-soon")
    cert("leaf-soon", 'cn = "%s"\nserial = 5\n'
         'activation_date = "2025-01-01 00:00:00"\n'
         'expiration_date = "2026-06-20 00:00:00"\n' % HOST + leaf,
         "ica-long")

    def cat(out, *names):
        with open(os.path.join(d, out), "w") as f:
            for n in names:
                with open(n if os.path.isabs(n) else
                          os.path.join(d, n + ".pem")) as g:
                    f.write(g.read())

    cat("chain-under-soon.pem", "leaf-under-soon", "ica-soon")
    cat("chain-soon.pem", "leaf-soon", "ica-long")
    cat("chain-expired.pem", pki("ee-expired.pem"), pki("ica-rsa.pem"))
    # a tree: two leaves, their intermediates beside them
    tree = os.path.join(d, "tree")
    os.makedirs(os.path.join(tree, "cas"))
    shutil.copy(os.path.join(d, "leaf-soon.pem"), tree)
    shutil.copy(os.path.join(d, "leaf-under-soon.pem"), tree)
    shutil.copy(os.path.join(d, "ica-soon.pem"), os.path.join(tree, "cas"))
    shutil.copy(os.path.join(d, "ica-long.pem"), os.path.join(tree, "cas"))


class CheckTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="cs-check-")
        make_pki(cls.dir)
        cls.procs = []

    @classmethod
    def tearDownClass(cls):
        for p in cls.procs:
            p.kill()
            p.wait()
            for f in (p.stdout, p.stderr):
                if f:
                    f.close()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def p(self, name):
        return os.path.join(self.dir, name)

    # -- servers (started once per test, stopped in tearDownClass) -------
    def tls_server(self, cert, key, mode="normal"):
        p = subprocess.Popen([SERVER, "--cert", cert, "--key", key,
                              "--mode", mode], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        self.procs.append(p)
        line = p.stdout.readline()
        self.assertTrue(line.strip().isdigit(), line)
        return int(line)

    def gnutls_serv(self, cert, key):
        port = free_port()
        p = subprocess.Popen(["gnutls-serv", "--x509certfile", cert,
                              "--x509keyfile", key, "--port", str(port),
                              "--quiet"], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        self.procs.append(p)
        wait_listening(port, p)
        return port

    def s_server(self, cert, key, chain):
        port = free_port()
        p = subprocess.Popen(["openssl", "s_server", "-accept",
                              "127.0.0.1:%d" % port, "-cert", cert, "-key",
                              key, "-cert_chain", chain, "-quiet"],
                             stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        self.procs.append(p)
        wait_listening(port, p)
        return port

    def check(self, *args, targets=None, trust=True):
        cmd = [CERTSCOPE, "check", "--at", AT, "--timeout", str(TIMEOUT)]
        if trust:
            cmd += ["--trust", pki("root-rsa.pem"), "--trust",
                    self.p("gen-root.pem")]
        cmd += list(args)
        if targets is not None:
            path = self.p("targets-%d.txt" % len(os.listdir(self.dir)))
            with open(path, "w") as f:
                f.write(targets)
            cmd += ["--targets", path]
        t0 = time.monotonic()
        r = subprocess.run(cmd, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=120)
        took = time.monotonic() - t0
        self.assertNotIn("Sanitizer", r.stderr.decode(errors="replace"))
        return r.returncode, r.stdout.decode(), r.stderr.decode(), took

    def mixed(self):
        """The one mixed run's targets file and what each must be."""
        good = self.tls_server(pki("chain-rsa.pem"), pki("ee-rsa.key"))
        warn = self.gnutls_serv(self.p("chain-soon.pem"),
                                self.p("leaf-soon.key"))
        icasoon = self.s_server(self.p("leaf-under-soon.pem"),
                                self.p("leaf-under-soon.key"),
                                self.p("ica-soon.pem"))
        expired = self.tls_server(self.p("chain-expired.pem"),
                                  pki("ee-expired.key"))
        untrusted = self.tls_server(pki("chain-ec.pem"), pki("ee-ec.key"))
        silent = self.tls_server(pki("chain-rsa.pem"), pki("ee-rsa.key"),
                                 "silent")
        hostile = self.tls_server(pki("chain-rsa.pem"), pki("ee-rsa.key"),
                                  "random")
        closed = free_port()
        h = "host=" + HOST
        rows = [
            ("127.0.0.1:%d %s" % (good, h), "OK", None, None),
            ("127.0.0.1:%d %s" % (warn, h), "WARNING", "expires-soon", 0),
            ("127.0.0.1:%d %s" % (icasoon, h), "CRITICAL", "expires-soon",
             1),
            ("127.0.0.1:%d %s" % (expired, h), "CRITICAL", "expired", 0),
            ("127.0.0.1:%d %s" % (untrusted, h), "CRITICAL", None, None),
            ("127.0.0.1:%d host=wrong.example.test" % good, "CRITICAL",
             "hostname-mismatch", 0),
            ("127.0.0.1:%d %s" % (closed, h), "UNKNOWN", "net", None),
            ("127.0.0.1:%d %s" % (silent, h), "UNKNOWN", "timeout", None),
            ("127.0.0.1:%d %s" % (hostile, h), "UNKNOWN", "net", None),
            (pki("chain-rsa.pem"), "OK", None, None),
        ]
        text = "# the mixed run\n\n" + "\n".join(r[0] for r in rows) + \
            "\n" + self.p("tree") + "   # a tree of two leaves\n"
        return text, rows

    def test_mixed_json(self):
        targets, rows = self.mixed()
        rc, out, err, took = self.check("--format", "json", "--jobs", "16",
                                        targets=targets)
        self.assertEqual(rc, 3, err)  # UNKNOWN is the worst
        lines = [json.loads(l) for l in out.splitlines()]
        self.assertEqual(len(lines), len(rows) + 2, out)
        by_target = {}
        for j in lines:
            by_target.setdefault(j["target"], []).append(j)
        for spec, state, code, pos in rows:
            # the good server listed again for another name is named by
            # its whole line
            target = spec if "wrong.example.test" in spec else \
                spec.split()[0]
            got = by_target[target]
            self.assertEqual(len(got), 1, got)
            j = got[0]
            self.assertEqual(j["state"], state, j)
            if code:
                self.assertEqual(j["code"], code, j)
            if pos is not None:
                self.assertEqual(j["position"], pos, j)
        icasoon = [j for j in lines if j["code"] == "expires-soon" and
                   j["position"] == 1][0]
        self.assertEqual(icasoon["days_left"], 4)
        self.assertIn("ICA soon", icasoon["subject"])
        self.assertEqual(icasoon["earliest_not_after"],
                         "2026-06-05T00:00:00Z")
        # the tree: each leaf one target, the CAs no target of their own
        tree = [j for j in lines if j["target"].startswith(self.p("tree"))]
        self.assertEqual(sorted(os.path.basename(j["target"]) for j in tree),
                         ["leaf-soon.pem", "leaf-under-soon.pem"])
        states = {os.path.basename(j["target"]): j["state"] for j in tree}
        self.assertEqual(states, {"leaf-soon.pem": "WARNING",
                                  "leaf-under-soon.pem": "CRITICAL"})
        # the silent server cost one timeout, in parallel with the rest
        self.assertLess(took, TIMEOUT + SLACK + 3, "run took %.1f s" % took)

    def test_sni_is_the_name_checked(self):
        # sni= names the server and, without host=, is the name checked
        # (connect's rule, net.h cs_net_names); the server sends
        # chain-rsa only when some name is sent
        p = subprocess.Popen([SERVER, "--cert", pki("ee-wronghost.pem"),
                              "--key", pki("ee-wronghost.key"), "--cert",
                              pki("chain-rsa.pem"), "--key",
                              pki("ee-rsa.key"), "--mode", "sni"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.procs.append(p)
        port = int(p.stdout.readline())
        rc, out, err, _ = self.check(
            "--format", "json", targets="127.0.0.1:%d sni=%s\n"
            "127.0.0.1:%d sni=other.example.test\n" % (port, HOST, port))
        got = {j["host"]: j for j in map(json.loads, out.splitlines())}
        self.assertEqual(got[HOST]["state"], "OK", out)
        self.assertEqual(got["other.example.test"]["state"], "CRITICAL",
                         out)
        self.assertEqual(rc, 2, err)

    def test_client_certificate_required(self):
        # the server ends the connection for want of a client
        # certificate, but its chain had arrived: checked (OK), not
        # UNKNOWN, under TLS 1.3 and TLS 1.2
        rows = ""
        for extra in ([], ["--tls12"]):
            p = subprocess.Popen([SERVER, "--cert", pki("chain-rsa.pem"),
                                  "--key", pki("ee-rsa.key"), "--client-ca",
                                  pki("root-rsa.pem")] + extra,
                                 stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE)
            self.procs.append(p)
            rows += "127.0.0.1:%d host=%s\n" % (int(p.stdout.readline()),
                                               HOST)
        rc, out, err, _ = self.check("--format", "json", targets=rows)
        states = [json.loads(l)["state"] for l in out.splitlines()]
        self.assertEqual(states, ["OK", "OK"], out + err)
        self.assertEqual(rc, 0, err)

    def test_text_worst_first_and_quiet(self):
        targets, rows = self.mixed()
        rc, out, err, _ = self.check(targets=targets)
        self.assertEqual(rc, 3)
        states = [l.split()[0] for l in out.splitlines()]
        order = {"UNKNOWN": 3, "CRITICAL": 2, "WARNING": 1, "OK": 0}
        self.assertEqual(states, sorted(states, key=lambda s: -order[s]),
                         out)
        self.assertNotIn("OK", states)  # quiet about the good ones
        self.assertEqual(states.count("UNKNOWN"), 3)
        self.assertIn("certificate 1 (CN=check ICA soon", out)
        # state, target, days left, the certificate and why
        self.assertRegex(out, r"(?m)^WARNING  127\.0\.0\.1:\d+  19d left  "
                         r"certificate 0 \(CN=www\.example\.test\): "
                         r"expires in 19 days \(2026-06-20T00:00:00Z\)$")
        self.assertRegex(out, r"(?m)^CRITICAL 127\.0\.0\.1:\d+  expired  "
                         r"certificate 0 .*: expired: ")
        self.assertRegex(out, r"(?m)^UNKNOWN  127\.0\.0\.1:\d+  -  "
                         r"timeout: ")
        # all OK: nothing at all on stdout, exit 0
        good = self.tls_server(pki("chain-rsa.pem"), pki("ee-rsa.key"))
        rc, out, err, _ = self.check(
            "127.0.0.1:%d" % good, "--host", HOST, pki("chain-rsa.pem"))
        self.assertEqual((rc, out), (0, ""), err)
        rc, out, err, _ = self.check("-v", pki("chain-rsa.pem"))
        self.assertEqual(rc, 0)
        self.assertTrue(out.startswith("OK "), out)

    def test_nagios(self):
        targets, rows = self.mixed()
        rc, out, err, _ = self.check("--format", "nagios", "--unreachable",
                                     "critical", targets=targets)
        self.assertEqual(rc, 2, err)  # unreachable counted as CRITICAL
        first, _, rest = out.partition("\n")
        status, bar, perf = first.partition(" | ")
        self.assertTrue(bar, first)
        self.assertRegex(status, r"^CERTSCOPE CRITICAL - \d+ of 12 targets "
                         r"critical, 2 expire within 30 days")
        labels = re.findall(r"'((?:[^']|'')*)'=(-?\d+|U);30;7;;", perf)
        self.assertEqual(len(labels), 12, perf)
        days = dict(labels)
        self.assertEqual(days[pki("chain-rsa.pem")], "578")
        self.assertEqual(days[self.p("tree/leaf-soon.pem")], "19")
        self.assertEqual(rest.count("\n"), 10, rest)  # the non-OK lines

    def test_target_given_twice(self):
        # Checked once: Prometheus refuses a series given twice (a note
        # under -v says so).
        good = pki("chain-rsa.pem")
        soon = self.p("chain-soon.pem")
        targets = "%s\n%s\n%s\n" % (good, soon, good)
        rc, out, err, _ = self.check("-v", "--format", "prometheus",
                                     soon, targets=targets)
        self.assertEqual(rc, 1, err)
        self.assertEqual(out.count('certscope_check_state{target="%s"}' %
                                   good), 1, out)
        self.assertEqual(out.count('certscope_check_state{target="%s"}' %
                                   soon), 1, out)
        self.assertIn("%s: given again, checked once" % soon, err)
        self.assertIn("%s: given again, checked once" % good, err)
        promtool = shutil.which("promtool")
        if promtool:
            r = subprocess.run([promtool, "check", "metrics"],
                               input=out.encode(), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
            self.assertEqual(r.returncode, 0, r.stdout.decode() + out)
        # the same endpoint for two names: both checked, the later named
        # by its whole line
        port = free_port()
        targets = ("127.0.0.1:%d host=a.example\n"
                   "127.0.0.1:%d   host=b.example # the other site\n"
                   "127.0.0.1:%d host=a.example\n") % (port, port, port)
        rc, out, err, _ = self.check("--format", "json", targets=targets)
        self.assertEqual(rc, 3, err)
        got = [(j["target"], j["host"])
               for j in map(json.loads, out.splitlines())]
        self.assertEqual(sorted(got), [
            ("127.0.0.1:%d" % port, "a.example"),
            ("127.0.0.1:%d host=b.example" % port, "b.example")], out)

    def test_prometheus_promtool(self):
        promtool = shutil.which("promtool")
        if not promtool:
            self.skipTest("promtool not installed (Debian: prometheus)")
        targets, rows = self.mixed()
        out_file = self.p("certscope.prom")
        rc, out, err, _ = self.check("--format", "prometheus", "--output",
                                     out_file, targets=targets)
        self.assertEqual(rc, 3, err)
        self.assertEqual(out, "")
        with open(out_file) as f:
            text = f.read()
        r = subprocess.run([promtool, "check", "metrics"],
                           input=text.encode(), stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT)
        self.assertEqual(r.returncode, 0, r.stdout.decode() + text)
        self.assertIn('certscope_check_state{target="%s"} 0' %
                      pki("chain-rsa.pem"), text)
        self.assertRegex(text, r'certscope_check_earliest_expiry_timestamp_'
                         r'seconds\{target="[^"]*tree/leaf-soon.pem"\} '
                         r'1781913600\n')
        self.assertEqual(len(re.findall(r"^# TYPE ", text, re.M)), 5)
        # no temporary file left beside the output
        self.assertEqual([f for f in os.listdir(self.dir)
                          if f.startswith("certscope.prom.")], [])

    def test_shards_partition(self):
        targets = "\n".join("host%d.invalid:%d" % (i, 1000 + i)
                            for i in range(30)) + "\n"
        seen = []
        for k in (1, 2, 3):
            rc, out, err, _ = self.check("--format", "json", "--shard",
                                         "%d/3" % k, "--timeout", "1",
                                         "--dns-servers", "127.0.0.1:9",
                                         targets=targets)
            seen.append({json.loads(l)["target"] for l in out.splitlines()})
        self.assertEqual(sum(len(s) for s in seen), 30)
        self.assertEqual(len(seen[0] | seen[1] | seen[2]), 30)
        for s in seen:
            self.assertGreater(len(s), 0)

    def test_silent_servers_cost_one_timeout(self):
        ports = [self.tls_server(pki("chain-rsa.pem"), pki("ee-rsa.key"),
                                 "silent") for _ in range(4)]
        rc, out, err, took = self.check(
            "--format", "json", "--jobs", "4",
            *["127.0.0.1:%d" % p for p in ports])
        self.assertEqual(rc, 3)
        self.assertEqual([json.loads(l)["code"] for l in out.splitlines()],
                         ["timeout"] * 4)
        # four silent servers in parallel: one deadline, not four
        self.assertLess(took, TIMEOUT + SLACK, "took %.1f s" % took)

    def test_usage_errors_are_unknown(self):
        for args, frag in [(["--warn", "soon", "x.pem"], "duration"),
                           (["--shard", "4/3", "x.pem"], "--shard"),
                           (["--format", "xml", "x.pem"], "--format"),
                           ([], "no target")]:
            rc, out, err, _ = self.check(*args)
            self.assertEqual(rc, 3, err)
            self.assertIn(frag, err)
        rc, out, err, _ = self.check(targets="ok.pem\nbad.example:99999\n")
        self.assertEqual(rc, 3)
        self.assertIn(":2:", err)  # the line of the targets file


if __name__ == "__main__":
    run_main(sys.modules[__name__])
