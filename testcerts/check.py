#!/usr/bin/python3
"""check.py - cross-check manifest.ini against openssl and certtool.

  /usr/bin/python3 testcerts/check.py [-v]

For every scenario section: runs `openssl verify -attime <at>` (and
`certtool --verify`, which has no --attime option and so uses the current
time; fine while the current time is inside 2026-01-01..2027-01-01, and
skipped otherwise) and compares their verdict with the manifest's.
A disagreement is expected only where the section has a "; peers:"
comment (certscope stricter than the peers); those are shown as STRICT.

For every [load:] section: counts certificates/CRLs independently with
openssl (PEM blocks, DER, PKCS#7, PKCS#12) and compares.  The checks of
the malformed files are only a sanity check of how they were built.

Exit status 0 when everything agrees, 1 otherwise.  This is a tool for
whoever regenerates the PKI, not part of the test suite.
"""
import base64
import calendar
import configparser
import ipaddress
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
VERBOSE = "-v" in sys.argv[1:]

PEM_RE = re.compile(
    rb"-----BEGIN ([A-Z0-9 ]+)-----\r?\n(.*?)-----END \1-----", re.S)
PURPOSE_OSSL = {"server": "sslserver", "client": "sslclient",
                "email": "smimesign", "any": "any"}
PURPOSE_OID = {"server": "1.3.6.1.5.5.7.3.1", "client": "1.3.6.1.5.5.7.3.2",
               "email": "1.3.6.1.5.5.7.3.4"}


def run(cmd, stdin=None):
    p = subprocess.run(cmd, input=stdin, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, cwd=HERE)
    return p.returncode, p.stdout.decode("utf-8", "replace")


def pem_certs(path):
    """DER of every CERTIFICATE block of a PEM file, in order."""
    data = open(os.path.join(HERE, path), "rb").read()
    out = []
    for label, body in PEM_RE.findall(data):
        if label in (b"CERTIFICATE", b"TRUSTED CERTIFICATE"):
            der = base64.b64decode(body)
            if label == b"TRUSTED CERTIFICATE":
                der = der[:tlv_len(der)]  # drop OpenSSL's trust settings
            out.append((label, der))
    return out


def tlv_len(der):
    """Length of the first DER TLV (header included)."""
    l = der[1]
    if not l & 0x80:
        return 2 + l
    n = l & 0x7F
    return 2 + n + int.from_bytes(der[2:2 + n], "big")


def to_pem(der):
    b64 = base64.b64encode(der).decode()
    return ("-----BEGIN CERTIFICATE-----\n"
            + "\n".join(b64[i:i + 64] for i in range(0, len(b64), 64))
            + "\n-----END CERTIFICATE-----\n")


def raw_comments():
    """section -> list of comment lines, read from the raw file."""
    res, cur = {}, None
    for line in open(os.path.join(HERE, "manifest.ini"), encoding="utf-8"):
        m = re.match(r"\[(.+)\]\s*$", line)
        if m:
            cur = m.group(1)
            res[cur] = []
        elif cur and line.startswith(";"):
            res[cur].append(line[1:].strip())
    return res


def scenario(name, s, tmp):
    leaf_der = pem_certs(s["leaf"])[0][1]
    untrusted = []
    if s.get("presented"):
        untrusted += [d for _, d in pem_certs(s["presented"]) if d != leaf_der]
    for f in s.get("pool", "").split():
        untrusted += [d for _, d in pem_certs(f)]
    at = calendar.timegm(time.strptime(s["at"], "%Y-%m-%dT%H:%M:%SZ"))

    leaf_f = os.path.join(tmp, name + ".leaf.pem")
    open(leaf_f, "w").write(to_pem(leaf_der))
    unt_f = os.path.join(tmp, name + ".untrusted.pem")
    open(unt_f, "w").write("".join(to_pem(d) for d in untrusted))
    ca_f = os.path.join(tmp, name + ".anchors.pem")
    with open(ca_f, "wb") as f:
        for a in s["anchors"].split():
            f.write(open(os.path.join(HERE, a), "rb").read())

    purpose = s.get("purpose", "server")
    cmd = ["openssl", "verify", "-attime", str(at), "-CAfile", ca_f,
           "-purpose", PURPOSE_OSSL[purpose]]
    if untrusted:
        cmd += ["-untrusted", unt_f]
    host = s.get("host")
    if host:
        try:
            ipaddress.ip_address(host)
            cmd += ["-verify_ip", host]
        except ValueError:
            cmd += ["-verify_hostname", host]
    if s.get("email"):
        cmd += ["-verify_email", s["email"]]
    if s.get("crl"):
        cmd += ["-crl_check", "-CRLfile", s["crl"]]
    cmd.append(leaf_f)
    rc, out = run(cmd)
    ossl_ok = rc == 0 and out.strip().endswith(": OK")
    ossl_msg = "OK" if ossl_ok else " | ".join(
        l.strip() for l in out.splitlines() if "error" in l)

    # certtool: chain file = leaf then untrusted certs; now-time only.
    now = time.time()
    ct_ok, ct_msg = None, "skipped (current time outside 2026)"
    if abs(now - at) < 200 * 86400 or os.environ.get("CHECK_CERTTOOL_ANYTIME"):
        # GnuTLS does not read TRUSTED CERTIFICATE blocks: give it plain ones.
        ct_ca = os.path.join(tmp, name + ".anchors-plain.pem")
        with open(ct_ca, "w") as f:
            for a in s["anchors"].split():
                f.write("".join(to_pem(d) for _, d in pem_certs(a)))
        chain_f = os.path.join(tmp, name + ".chain.pem")
        open(chain_f, "w").write(to_pem(leaf_der)
                                 + "".join(to_pem(d) for d in untrusted))
        cmd = ["certtool", "--verify", "--load-ca-certificate", ct_ca,
               "--infile", chain_f, "--verify-profile=low"]
        if host:
            cmd += ["--verify-hostname", host]
        elif s.get("email"):
            cmd += ["--verify-email", s["email"]]
        if purpose in PURPOSE_OID:
            cmd += ["--verify-purpose", PURPOSE_OID[purpose]]
        if s.get("crl"):
            crl = s["crl"]
            if crl.endswith(".der"):
                crl_pem = os.path.join(tmp, name + ".crl.pem")
                run(["openssl", "crl", "-inform", "DER", "-in", crl,
                     "-out", crl_pem])
                crl = crl_pem
            cmd += ["--load-crl", crl]
        rc, out = run(cmd)
        m = re.findall(r"Chain verification output: (.*)", out)
        ct_ok = rc == 0 and bool(m) and m[-1].startswith("Verified")
        ct_msg = m[-1] if m else out.strip().splitlines()[-1]
    return ossl_ok, ossl_msg, ct_ok, ct_msg


def count_file(path, password=None):
    """(certs, crls, note) seen by openssl/regexes for one file."""
    full = os.path.join(HERE, path)
    data = open(full, "rb").read()
    if b"-----BEGIN" in data:
        certs = crls = errs = 0
        for label, body in PEM_RE.findall(data.replace(b"\r\n", b"\n")):
            try:
                der = base64.b64decode(body, validate=False)
                if b"!" in body:
                    raise ValueError("bad base64")
            except Exception:
                errs += 1
                continue
            if label in (b"CERTIFICATE", b"TRUSTED CERTIFICATE"):
                rc, _ = run(["openssl", "x509", "-inform", "DER", "-noout"],
                            stdin=der)
                if rc == 0:
                    certs += 1
                else:
                    errs += 1
            elif label == b"X509 CRL":
                crls += 1
            elif label == b"PKCS7":
                rc, out = run(["openssl", "pkcs7", "-print_certs"],
                              stdin=data)
                certs += out.count("-----BEGIN CERTIFICATE-----")
        begins = data.count(b"-----BEGIN")
        ends = data.count(b"-----END")
        errs += begins - ends
        return certs, crls, errs
    if path.endswith(".p12"):
        rc, out = run(["openssl", "pkcs12", "-in", full, "-nokeys",
                       "-passin", "pass:" + (password or "")])
        if rc != 0:
            return 0, 0, 1
        return out.count("-----BEGIN CERTIFICATE-----"), 0, 0
    if path.endswith(".p7c"):
        rc, out = run(["openssl", "pkcs7", "-inform", "DER", "-in", full,
                       "-print_certs"])
        return out.count("-----BEGIN CERTIFICATE-----"), 0, 0 if rc == 0 else 1
    # DER: split by outer length like certscope does
    certs = crls = errs = 0
    off = 0
    while off < len(data):
        if data[off] != 0x30 or off + 2 > len(data):
            errs += 1
            break
        l = data[off + 1]
        hdr = 2
        if l & 0x80:
            n = l & 0x7F
            l = int.from_bytes(data[off + 2:off + 2 + n], "big")
            hdr += n
        end = off + hdr + l
        if end > len(data):
            errs += 1
            break
        der = data[off:end]
        rc, _ = run(["openssl", "x509", "-inform", "DER", "-noout"],
                    stdin=der)
        if rc == 0:
            certs += 1
        else:
            rc, _ = run(["openssl", "crl", "-inform", "DER", "-noout"],
                        stdin=der)
            if rc == 0:
                crls += 1
            else:
                errs += 1
        off = end
    if not data:
        errs = 1
    return certs, crls, errs


def load(name, s):
    password = None
    if s.get("password_file"):
        password = open(os.path.join(HERE, s["password_file"])).readline()
        password = password.rstrip("\n")
    elif "password" in s:
        password = s["password"]
    path = s["file"]
    full = os.path.join(HERE, path)
    skipped = 0
    if os.path.isdir(full):
        c = r = e = 0
        for dp, _, fns in os.walk(full):
            for fn in sorted(fns):
                rel = os.path.relpath(os.path.join(dp, fn), HERE)
                fc, fr, fe = count_file(rel)
                if fc + fr == 0:
                    skipped += 1
                else:
                    c, r, e = c + fc, r + fr, e + fe
    else:
        c, r, e = count_file(path, password)
        if c + r + e == 0:
            e = 1  # nothing loadable in a file named directly
    return c, r, e, skipped


def main():
    cp = configparser.ConfigParser(interpolation=None,
                                   comment_prefixes=(";",),
                                   inline_comment_prefixes=None)
    cp.optionxform = str
    cp.read(os.path.join(HERE, "manifest.ini"), encoding="utf-8")
    comments = raw_comments()
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name in cp.sections():
            s = cp[name]
            if name.startswith("ocsp:"):
                continue  # checked by tests/unit/test_ocsp.c and e2e
            if name.startswith("load:"):
                got = load(name, s)
                want = (int(s["certs"]), int(s.get("crls", 0)),
                        int(s.get("errors", 0)), int(s.get("skipped", 0)))
                ok = got == want
                # "; peers:" = a known, documented difference (GnuTLS
                # reads less of the file than openssl; certscope says so)
                known = any(c.startswith("peers:") for c in comments[name])
                bad += not ok and not known
                print("%-4s %-34s want certs/crls/errors/skipped=%s got %s"
                      % ("ok" if ok else "KNOWN" if known else "BAD",
                         name, want, got))
                continue
            for k in ("leaf", "anchors", "at", "expect", "verdict"):
                if k not in s:
                    print("BAD  %s: missing key %s" % (name, k))
                    bad += 1
            want = s["verdict"] == "trusted"
            o_ok, o_msg, c_ok, c_msg = scenario(name, s, tmp)
            strict = any(c.startswith("peers:") for c in comments[name])
            agree = (o_ok == want) and (c_ok is None or c_ok == want)
            if agree:
                tag = "ok"
            elif strict and want is False:
                tag = "STRICT"
            else:
                tag = "BAD"
                bad += 1
            print("%-6s %-24s %-8s openssl=%-40s certtool=%s"
                  % (tag, name, s["verdict"], o_msg[:40],
                     c_msg if VERBOSE or tag != "ok" else
                     ("OK" if c_ok else c_msg)))
    print("%d problem(s)" % bad)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
