#!/usr/bin/env python3
"""End-to-end tests of `certscope serve`, the Prometheus exporter, on
127.0.0.1 only.

- A real Prometheus server (Debian package prometheus) scrapes the
  exporter's /probe for a good, an expiring and an untrusted TLS server
  (tests/tls_server.c and gnutls-serv) and an unreachable port; the
  values it stores (asked through its HTTP API, /api/v1/query) must match
  what `certscope check` says of the same targets at the same --at.
- Two exporter replicas behind hashmod relabelling: every target is
  probed by exactly one.
- promtool check metrics on /probe and /metrics.
- The allow-list (403 before any connection), bad requests (400, 404,
  405, 414), a slow client that does not stall a probe, configuration
  errors at start (exit 2, file and line), SIGHUP reload (good and bad)
  and SIGTERM.

Certificates: testcerts/pki, plus one leaf made here with certtool that
expires 19 days after the fixed check time (2026-06-01).

Env: CERTSCOPE, CS_TESTCERTS, CS_TLS_SERVER (set by meson).
"""
import calendar
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

from loopback import certtool, free_port, run_main, wait_listening

CERTSCOPE = os.environ.get("CERTSCOPE", "")
SERVER = os.environ.get("CS_TLS_SERVER", "")
PKI = os.path.join(os.environ.get("CS_TESTCERTS", ""), "pki")
AT = "2026-06-01"
HOST = "www.example.test"
# Prometheus's scrape interval and timeout; raised under valgrind
# (scripts/valgrind.sh), where one probe takes a second or more.
SCRAPE = int(os.environ.get("CS_SCRAPE_SECONDS", "1"))
PROMETHEUS = shutil.which("prometheus")
PROMTOOL = shutil.which("promtool")
SLACK = float(os.environ.get("CS_DEADLINE_SLACK", "2"))


def pki(name):
    return os.path.join(PKI, name)


def get(url, headers=None, timeout=30):
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


class ServeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="cs-serve-")
        cls.procs = []
        # a leaf under the test ICA that expires 19 days after AT
        d = cls.dir
        with open(os.path.join(d, "soon.tmpl"), "w") as f:
            f.write('cn = "%s"\nserial = 77\ndns_name = "%s"\n'
                    'activation_date = "2025-01-01 00:00:00"\n'
                    'expiration_date = "2026-06-20 00:00:00"\n'
                    'signing_key\nencryption_key\ntls_www_server\n'
                    % (HOST, HOST))
        certtool("--generate-privkey", "--key-type", "rsa", "--bits",
                 "2048", "--outfile", os.path.join(d, "soon.key"))
        certtool("--generate-certificate", "--load-privkey",
                 os.path.join(d, "soon.key"), "--load-ca-certificate",
                 pki("ica-rsa.pem"), "--load-ca-privkey", pki("ica-rsa.key"),
                 "--template", os.path.join(d, "soon.tmpl"), "--outfile",
                 os.path.join(d, "soon.pem"))
        with open(os.path.join(d, "chain-soon.pem"), "w") as f:
            for n in (os.path.join(d, "soon.pem"), pki("ica-rsa.pem")):
                with open(n) as g:
                    f.write(g.read())
        cls.good = cls.tls_server(pki("chain-rsa.pem"), pki("ee-rsa.key"))
        cls.untrusted = cls.tls_server(pki("chain-ec.pem"), pki("ee-ec.key"))
        port = free_port()
        p = subprocess.Popen(["gnutls-serv", "--x509certfile",
                              os.path.join(d, "chain-soon.pem"),
                              "--x509keyfile", os.path.join(d, "soon.key"),
                              "--port", str(port), "--quiet"],
                             stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        cls.procs.append(p)
        wait_listening(port, p)
        cls.expiring = port
        cls.closed = free_port()
        cls.targets = ["127.0.0.1:%d" % p for p in
                       (cls.good, cls.expiring, cls.untrusted, cls.closed)]

    @classmethod
    def tls_server(cls, cert, key):
        p = subprocess.Popen([SERVER, "--cert", cert, "--key", key],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        cls.procs.append(p)
        return int(p.stdout.readline())

    @classmethod
    def tearDownClass(cls):
        for p in cls.procs:
            if p.poll() is None:
                p.kill()
            p.wait()
            for f in (p.stdout, p.stderr):
                if f:
                    f.close()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def config(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def default_config(self):
        return self.config("exporter.yml", """
allow:
  networks: [127.0.0.0/8]
  ports: ["1024-65535"]
  directories: [%s]
modules:
  default:
    trust: [%s]
    host: %s
    timeout: 20s
  other:
    trust: [%s]
    host: %s
""" % (PKI, pki("root-rsa.pem"), HOST, pki("root-ec.pem"), HOST))

    def serve(self, config, *extra):
        port = free_port()
        p = subprocess.Popen([CERTSCOPE, "serve", "--listen",
                              "127.0.0.1:%d" % port, "--config", config,
                              "--at", AT] + list(extra),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.procs.append(p)
        wait_listening(port, p)
        return p, "http://127.0.0.1:%d" % port

    def stop(self, p, sig=signal.SIGTERM, within=15):
        p.send_signal(sig)
        rc = p.wait(timeout=within)
        err = p.stderr.read().decode() if p.stderr else ""
        self.assertNotIn("Sanitizer", err)
        return rc, err

    def probe(self, base, target, module=None, **kw):
        q = {"target": target}
        if module:
            q["module"] = module
        return get(base + "/probe?" + urllib.parse.urlencode(q), **kw)

    def check_json(self, targets):
        r = subprocess.run([CERTSCOPE, "check", "--format", "json", "--at",
                            AT, "--timeout", "3", "--trust",
                            pki("root-rsa.pem"), "--host", HOST] + targets,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=60)
        return {j["target"]: j for j in
                map(json.loads, r.stdout.decode().splitlines())}

    # -- a real Prometheus ---------------------------------------------
    def prometheus(self, jobs):
        if not PROMETHEUS:
            self.skipTest("prometheus not installed")
        port = free_port()
        cfg = self.config("prometheus-%d.yml" % port,
                          "global:\n  scrape_interval: %ds\n"
                          "  scrape_timeout: %ds\n" % (SCRAPE, SCRAPE) +
                          "scrape_configs:\n" + jobs)
        p = subprocess.Popen([PROMETHEUS, "--config.file", cfg,
                              "--storage.tsdb.path",
                              os.path.join(self.dir, "tsdb-%d" % port),
                              "--web.listen-address", "127.0.0.1:%d" % port,
                              "--log.level", "error"],
                             stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        self.procs.append(p)
        wait_listening(port, p, 60)
        base = "http://127.0.0.1:%d" % port
        end = time.monotonic() + 60
        while get(base + "/-/ready")[0] != 200:
            self.assertLess(time.monotonic(), end, "Prometheus never ready")
            time.sleep(0.2)
        return p, base

    def query(self, prom, expr):
        status, body = get(prom + "/api/v1/query?" +
                           urllib.parse.urlencode({"query": expr}))
        self.assertEqual(status, 200, body)
        return json.loads(body)["data"]["result"]

    def wait_series(self, prom, expr, n, seconds=60 * SCRAPE):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            got = self.query(prom, expr)
            if len(got) >= n:
                return got
            time.sleep(0.5)
        self.fail("Prometheus never had %d series of %s: %r" % (n, expr,
                                                               got))

    @staticmethod
    def probe_job(name, exporter, targets, extra=""):
        return """
  - job_name: %s
    metrics_path: /probe
    static_configs:
      - targets: [%s]
    relabel_configs:%s
      - source_labels: [__address__]
        target_label: __param_target
      - source_labels: [__param_target]
        target_label: instance
      - target_label: __address__
        replacement: %s
""" % (name, ", ".join(targets), extra, exporter.split("//")[1])

    def test_prometheus_scrapes_what_check_says(self):
        p, base = self.serve(self.default_config())
        prom_p, prom = self.prometheus(
            self.probe_job("certscope", base, self.targets))
        success = self.wait_series(prom, "probe_success", 4)
        expiry = self.wait_series(
            prom, "certscope_check_earliest_expiry_timestamp_seconds", 3)
        check = self.check_json(self.targets)
        got_success = {r["metric"]["instance"]: int(r["value"][1])
                       for r in success}
        got_expiry = {r["metric"]["instance"]: int(float(r["value"][1]))
                      for r in expiry}
        for t in self.targets:
            j = check[t]
            self.assertEqual(got_success[t],
                             1 if j["reached"] and j["trusted"] else 0, t)
            if j["earliest_not_after"]:
                want = calendar.timegm(time.strptime(
                    j["earliest_not_after"], "%Y-%m-%dT%H:%M:%SZ"))
                self.assertEqual(got_expiry[t], want, t)
        self.assertEqual(got_success["127.0.0.1:%d" % self.good], 1)
        self.assertEqual(got_success["127.0.0.1:%d" % self.untrusted], 0)
        self.assertEqual(got_success["127.0.0.1:%d" % self.closed], 0)
        state = {r["metric"]["target"]: int(r["value"][1]) for r in
                 self.query(prom, "certscope_check_state")}
        self.assertEqual(state["127.0.0.1:%d" % self.expiring], 1)
        self.assertEqual(state["127.0.0.1:%d" % self.closed], 3)
        self.stop(prom_p)
        rc, _ = self.stop(p)
        self.assertEqual(rc, 0)

    def test_two_replicas_hashmod(self):
        p0, base0 = self.serve(self.default_config())
        p1, base1 = self.serve(self.default_config())
        jobs = ""
        for i, base in enumerate((base0, base1)):
            jobs += self.probe_job(
                "replica%d" % i, base, self.targets, """
      - source_labels: [__address__]
        modulus: 2
        target_label: __tmp_hash
        action: hashmod
      - source_labels: [__tmp_hash]
        regex: "%d"
        action: keep""" % i)
        prom_p, prom = self.prometheus(jobs)
        got = self.wait_series(prom, "probe_success", 4)
        by_target = {}
        for r in got:
            by_target.setdefault(r["metric"]["instance"], set()).add(
                r["metric"]["job"])
        self.assertEqual(sorted(by_target), sorted(self.targets))
        for t, jobs_seen in by_target.items():
            self.assertEqual(len(jobs_seen), 1, (t, jobs_seen))
        # and each exporter probed only what the split gave it: the
        # hash of four random ports may give one replica all of them
        assigned = {"replica0": 0, "replica1": 0}
        for jobs_seen in by_target.values():
            assigned[next(iter(jobs_seen))] += 1
        for i, base in enumerate((base0, base1)):
            _, m = get(base + "/metrics")
            total = sum(float(l.split()[-1]) for l in m.splitlines()
                        if l.startswith("certscope_exporter_probes_total"))
            if assigned["replica%d" % i]:
                self.assertGreater(total, 0, (i, assigned))
            else:
                self.assertEqual(total, 0, (i, assigned))
        self.stop(prom_p)
        self.stop(p0)
        self.stop(p1)

    # -- the exposition format -------------------------------------------
    def test_promtool_and_metrics(self):
        if not PROMTOOL:
            self.skipTest("promtool not installed")
        p, base = self.serve(self.default_config())
        for t in self.targets + [pki("chain-rsa.pem")]:
            status, body = self.probe(base, t)
            self.assertEqual(status, 200, body)
            r = subprocess.run([PROMTOOL, "check", "metrics"],
                               input=body.encode(), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
            self.assertEqual(r.returncode, 0, r.stdout.decode() + body)
            self.assertIn("probe_success ", body)
            self.assertIn("probe_duration_seconds ", body)
        status, body = get(base + "/metrics")
        self.assertEqual(status, 200)
        r = subprocess.run([PROMTOOL, "check", "metrics"],
                           input=body.encode(), stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT)
        self.assertEqual(r.returncode, 0, r.stdout.decode() + body)
        # good, expiring (valid: WARNING) and the file succeed; the
        # untrusted and the unreachable fail
        self.assertIn('certscope_exporter_probes_total{module="default",'
                      'result="success"} 3', body)
        self.assertIn('certscope_exporter_probes_total{module="default",'
                      'result="failure"} 2', body)
        self.assertIn("certscope_exporter_probe_duration_seconds_count 5",
                      body)
        self.assertIn("certscope_exporter_build_info{", body)
        status, page = get(base + "/")
        self.assertEqual(status, 200)
        self.assertIn("<h2>Modules</h2>", page)
        self.assertIn("127.0.0.1:%d" % self.good, page)
        self.stop(p)

    # -- security and bad requests ---------------------------------------
    def test_allow_list_and_bad_requests(self):
        p, base = self.serve(self.default_config())
        for target, frag in [("10.1.2.3:8443", "not in allow.networks"),
                             ("example.com:8443", "does not match"),
                             ("127.0.0.1:22", "port 22"),
                             ("/etc/passwd", "not under an allowed"),
                             (pki("../bad/junk.bin"), "not under an")]:
            status, body = self.probe(base, target)
            self.assertEqual(status, 403, (target, body))
            self.assertIn(frag, body)
        cases = [("/probe?target=%zz", 400, "percent-encoding"),
                 ("/probe", 400, "missing target"),
                 ("/probe?target=127.0.0.1:443&module=nope", 400,
                  "unknown module"),
                 ("/probe?target=a&target=b", 400, "twice"),
                 ("/nothing", 404, "not found"),
                 ("/probe?target=" + "a" * 5000, 414, "too long")]
        for path, code, frag in cases:
            status, body = get(base + path)
            self.assertEqual(status, code, (path, body))
            self.assertIn(frag, body)
        req = urllib.request.Request(base + "/probe?target=x", data=b"x",
                                     method="POST")
        try:
            urllib.request.urlopen(req, timeout=10)
            self.fail("POST accepted")
        except urllib.error.HTTPError as e:
            self.assertEqual(e.code, 405)
        # a slow client holding a connection does not stall a probe
        slow = socket.create_connection(("127.0.0.1",
                                         int(base.rsplit(":", 1)[1])))
        slow.sendall(b"GET /probe?target=127.0.0.1:1 HTTP/1.1\r\nHost: x\r\n")
        t0 = time.monotonic()
        status, _ = self.probe(base, "127.0.0.1:%d" % self.good)
        self.assertEqual(status, 200)
        self.assertLess(time.monotonic() - t0, 3 + SLACK)
        slow.close()
        self.stop(p)

    def test_scrape_timeout_header_bounds_the_probe(self):
        silent = subprocess.Popen([SERVER, "--cert", pki("chain-rsa.pem"),
                                   "--key", pki("ee-rsa.key"), "--mode",
                                   "silent"], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE)
        self.procs.append(silent)
        port = int(silent.stdout.readline())
        p, base = self.serve(self.default_config())
        t0 = time.monotonic()
        status, body = self.probe(base, "127.0.0.1:%d" % port, headers={
            "X-Prometheus-Scrape-Timeout-Seconds": "1.5"})
        took = time.monotonic() - t0
        self.assertEqual(status, 200, body)
        self.assertIn("probe_success 0", body)
        self.assertIn('certscope_check_state{target="127.0.0.1:%d"} 3' %
                      port, body)
        # 1.5 s less the 0.5 s margin: the module's 20 s did not apply
        self.assertLess(took, 1 + SLACK)
        self.stop(p)

    # -- configuration, reload, stop ---------------------------------------
    def test_bad_config_refused_at_start(self):
        bad = self.config("bad.yml", "allow:\n  ports: [443]\n"
                          "modules:\n  x:\n    timeout: soon\n")
        r = subprocess.run([CERTSCOPE, "serve", "--listen",
                            "127.0.0.1:%d" % free_port(), "--config", bad],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=20)
        self.assertEqual(r.returncode, 2)
        self.assertIn("bad.yml:5:", r.stderr.decode())
        r = subprocess.run([CERTSCOPE, "serve", "--listen", "nowhere:x"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=20)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--listen", r.stderr.decode())

    def test_reload_and_stop(self):
        cfg = self.default_config()
        p, base = self.serve(cfg)
        status, _ = self.probe(base, "127.0.0.1:%d" % self.good, "later")
        self.assertEqual(status, 400)
        with open(cfg, "a") as f:
            f.write("  later:\n    trust: [%s]\n    host: %s\n" %
                    (pki("root-rsa.pem"), HOST))
        p.send_signal(signal.SIGHUP)
        end = time.monotonic() + 10
        while time.monotonic() < end:
            status, body = self.probe(base, "127.0.0.1:%d" % self.good,
                                      "later")
            if status == 200:
                break
            time.sleep(0.1)
        self.assertEqual(status, 200)
        self.assertIn("probe_success 1", body)
        # a bad reload keeps the old configuration and says why
        with open(cfg, "a") as f:
            f.write("  broken: [\n")
        p.send_signal(signal.SIGHUP)
        time.sleep(1)
        status, body = self.probe(base, "127.0.0.1:%d" % self.good, "later")
        self.assertEqual(status, 200)
        _, m = get(base + "/metrics")
        self.assertIn("certscope_exporter_config_last_reload_successful 0",
                      m)
        rc, err = self.stop(p)
        self.assertEqual(rc, 0)
        self.assertIn("exporter.yml", err)  # the failed reload was said


if __name__ == "__main__":
    run_main(sys.modules[__name__])
