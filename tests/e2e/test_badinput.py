#!/usr/bin/env python3
"""The bad-input suite: malformed and hostile inputs, one table row each,
with the exit code and the message (or finding codes) expected; every row
also gives a good input in the same run and checks it is still reported.

Inputs: testcerts/bad/, testcerts/pki/, the synthetic edge cases of the
shared corpus (CS_SHARED/corpus/certscope-synthetic, one case per file,
signed by its edge-ca.pem), and inputs built at test time in a temporary
directory (huge, over-limit and many-certificate files).  Fixed time
2026-06-01.  Environment: CERTSCOPE, CS_TESTCERTS, CS_SHARED.
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

from der_util import der_len, tlv

# Seconds one certscope run may take; scripts/valgrind.sh scales it (a
# PKCS#12 key derivation under valgrind on a busy machine takes minutes).
TIMEOUT = 60 * float(os.environ.get("CS_TIMEOUT_SCALE", "1"))
CERTSCOPE = os.environ.get("CERTSCOPE", "certscope")
TESTCERTS = os.environ.get("CS_TESTCERTS", "testcerts")
SYNTH = os.path.join(os.environ.get("CS_SHARED", "../shared"), "corpus",
                     "certscope-synthetic")
AT = "2026-06-01"
GOOD = os.path.join(TESTCERTS, "pki", "ee-rsa.pem")
GOOD_CHAIN = os.path.join(TESTCERTS, "pki", "chain-rsa.pem")
TMP = tempfile.mkdtemp(prefix="cs-badinput-")
# Bytes that must never reach the output raw (terminal escapes, bidi
# override, NUL, BEL).
RAW = (b"\x1b", b"\xe2\x80\xae", b"\x00", b"\x07")


def tc(rel):
    return os.path.join(TESTCERTS, rel)


def syn(name):
    return os.path.join(SYNTH, name)


def tmp(name, data=None, size=None):
    """A file built at test time: given bytes, or a sparse file."""
    p = os.path.join(TMP, name)
    if not os.path.exists(p):
        with open(p, "wb") as f:
            if data is not None:
                f.write(data)
            if size is not None:
                f.truncate(size)
    return p


def seq(body, claimed=None):
    return b"\x30" + der_len(len(body) if claimed is None else claimed) + \
        body


def oid(dotted):
    arcs = [int(x) for x in dotted.split(".")]
    out = bytes([40 * arcs[0] + arcs[1]])
    for v in arcs[2:]:
        enc = [v & 0x7F]
        v >>= 7
        while v:
            enc.append(0x80 | (v & 0x7F))
            v >>= 7
        out += bytes(reversed(enc))
    return tlv(0x06, out)


def p12(safe_bags):
    """An unencrypted PKCS#12 without a MAC: one data ContentInfo whose
    SafeContents holds safe_bags (RFC 7292 4.1, 4.2)."""
    data = oid("1.2.840.113549.1.7.1")
    sc = tlv(0x30, b"".join(safe_bags))
    ci = tlv(0x30, data + tlv(0xA0, tlv(0x04, sc)))
    auth = tlv(0x30, data + tlv(0xA0, tlv(0x04, tlv(0x30, ci))))
    return tlv(0x30, b"\x02\x01\x03" + auth)


def p12_bag(kind, value):
    return tlv(0x30, oid("1.2.840.113549.1.12.10.1." + str(kind)) +
               tlv(0xA0, value))


def p12_cert():
    return p12_bag(3, tlv(0x30, oid("1.2.840.113549.1.9.22.1") +
                          tlv(0xA0, tlv(0x04, good_der()))))


def p12_nested(depth):
    bag = p12_cert()
    for _ in range(depth):
        bag = p12_bag(6, tlv(0x30, bag))
    return p12([bag])


def p12_wide(n):
    secret = p12_bag(5, tlv(0x30, oid("1.2.3.4") +
                            tlv(0xA0, tlv(0x04, b"s"))))
    return p12([secret] * n + [p12_cert()])


def good_der():
    with open(tc("formats/ee-rsa.der"), "rb") as f:
        return f.read()


def children(der):
    """The TLVs inside one constructed DER element."""
    n = der[1]
    if n & 0x80:
        k = n & 0x7F
        body = der[2 + k:2 + k + int.from_bytes(der[2:2 + k], "big")]
    else:
        body = der[2:2 + n]
    out = []
    while body:
        n = body[1]
        if n & 0x80:
            k = n & 0x7F
            end = 2 + k + int.from_bytes(body[2:2 + k], "big")
        else:
            end = 2 + n
        out.append(body[:end])
        body = body[end:]
    return out


def cert_with_exts(*exts):
    """ee-rsa.der with its extensions replaced by exts (each an Extension
    DER); the signature no longer verifies, which `show` does not ask."""
    tbs, alg, sig = children(good_der())
    fields = [f for f in children(tbs) if f[0] != 0xA3]
    fields.append(tlv(0xA3, tlv(0x30, b"".join(exts))))
    return seq(seq(b"".join(fields)) + alg + sig)


def ext(dotted, value):
    return tlv(0x30, oid(dotted) + tlv(0x04, value))


def san_ext(n):
    return ext("2.5.29.17", tlv(0x30, b"".join(
        tlv(0x82, b"h%07d.example.test" % i) for i in range(n))))


def uri(i):
    return tlv(0x86, b"http://c%d.example.test/x" % i)


def pem_of(path):
    with open(path, "rb") as f:
        return f.read()


# ---- show rows: (name, input path (callable for built ones), exit code,
# fragment expected on stderr or None).  Run as
# `show --long --json --at AT INPUT GOOD`.
SHOW = [
    ("empty file", lambda: tc("bad/empty.pem"), 2, "empty"),
    ("binary junk", lambda: tc("bad/junk.bin"), 2,
     "no certificate or CRL found"),
    ("text without certificate", lambda: tc("bad/notacert.txt"), 2,
     "no certificate or CRL found"),
    ("private key only", lambda: tc("bad/key-only.pem"), 2,
     "a private key, not a certificate; keys are never printed"),
    ("truncated DER", lambda: tc("bad/truncated.der"), 2, "truncated DER"),
    ("trailing garbage after DER", lambda: tc("bad/trailing-garbage.der"),
     2, "trailing"),
    ("huge length field", lambda: tc("bad/huge-length.der"), 2,
     "length says"),
    ("truncated block between good ones",
     lambda: tc("bad/truncated-in-pem.pem"), 2, "item 2"),
    ("bad base64", lambda: tc("bad/bad-base64.pem"), 2, "bad base64"),
    ("PEM without END", lambda: tc("bad/missing-end.pem"), 2,
     "no END line"),
    ("length of 2^32+5", lambda: syn("length-overflow.der"), 2,
     "length says 4294967301 bytes"),
    ("indefinite length (BER)", lambda: syn("indefinite-length.der"), 2,
     "indefinite length"),
    ("deep nesting", lambda: syn("deep-nesting.der"), 2, "indefinite"),
    ("empty DER file", lambda: syn("empty.der"), 2, "empty"),
    ("two BEGIN lines", lambda: syn("two-begins.pem"), 2, "no END line"),
    ("NUL inside base64", lambda: syn("nul-inside.pem"), 2, "bad base64"),
    ("UTF-16 PEM", lambda: syn("utf16le.pem"), 2, "UTF-16"),
    ("DER trailing bytes (corpus)", lambda: syn("trailing-garbage.der"), 2,
     "trailing data"),
    ("duplicate SAN extension", lambda: syn("duplicate-san-extension.der"),
     2, "Duplicate extension"),
    ("fractional GeneralizedTime", lambda: syn("gen-fraction.der"), 2,
     "time"),
    ("UTCTime with offset", lambda: syn("utc-offset.der"), 2, "time"),
    ("BOM before PEM", lambda: syn("bom.pem"), 0, None),
    ("CRLF PEM", lambda: syn("crlf.pem"), 0, None),
    ("CR-only PEM", lambda: syn("cr-only.pem"), 0, None),
    ("mixed line ends", lambda: syn("mixed-eol.pem"), 0, None),
    ("no final newline", lambda: syn("no-final-newline.pem"), 0, None),
    ("non-minimal length", lambda: syn("nonminimal-length.der"), 0, None),
    ("64 KiB CN", lambda: syn("cn-64k.der"), 0, None),
    # built at test time
    ("nested lengths that lie",
     lambda: tmp("lying.der", seq(seq(b"\x02\x01\x01", claimed=200))), 2,
     None),
    ("10 MB certificate",
     lambda: tmp("10mb.der", seq(good_der()[4:] + b"\x00" * (10 << 20))),
     2, None),
    ("file over the 64 MiB limit",
     lambda: tmp("65mb.bin", size=65 << 20), 2, "limit"),
    ("PKCS#12 with a wrong password", lambda: tc("formats/ee-rsa.p12"), 2,
     "password"),
    # the loop-of-bags class: SafeContents nested in SafeContents (DER
    # cannot make a true cycle, so depth and width stand for it); GnuTLS
    # reads neither nested bags nor more than 32 elements: said, not hidden
    ("PKCS#12 nested 64 deep", lambda: tc("bad/p12-nested-64.p12"), 2,
     "1 nested SafeContents"),
    ("PKCS#12 nested 10,000 deep",
     lambda: tmp("nest10k.p12", p12_nested(10000)), 2,
     "nested SafeContents"),
    ("PKCS#12 with 40 certificate bags", lambda: tc("bad/p12-40-elements.p12"),
     2, "holds 40 elements; only the first 32 were read"),
    ("PKCS#12 with 100,000 bags in one SafeContents",
     lambda: tmp("wide100k.p12", p12_wide(100000)), 2,
     "holds 100001 elements"),
    ("PKCS#12 with 65 ContentInfos", lambda: tc("bad/p12-65-bags.p12"), 2,
     "more than 64 bags"),
    ("PKCS#12 without a certificate", lambda: tc("bad/p12-no-certs.p12"), 2,
     "holds no certificate or CRL"),
]

# ---- display rows: (name, input, JSON key of the certificate, value).
DISPLAY = [
    ("UTCTime 50 is 1950", "utc-50-means-1950.der", "not_after",
     "1950-01-01T00:00:00Z"),
    ("UTCTime 49 is 2049", "utc-2049.der", "not_after",
     "2049-12-31T23:59:59Z"),
    ("GeneralizedTime 2050", "gen-2050.der", "not_after",
     "2050-01-01T00:00:00Z"),
    ("99991231235959Z", "gen-99991231235959Z.der", "not_after",
     "9999-12-31T23:59:59Z"),
    ("negative serial", "serial-negative.der", "serial_negative", True),
    ("zero serial", "serial-zero.der", "serial", "00"),
    ("21-byte serial", "serial-21-bytes.der", "serial",
     ":".join(["01"] * 21)),
    ("inverted validity", "notafter-before-notbefore.der", "not_before",
     "2030-01-01T00:00:00Z"),
]

# ---- hostile names: nothing raw in text or JSON.
HOSTILE = ["cn-ansi-escape.der", "cn-bidi-override.der", "cn-with-nul.der",
           "cn-newline-pipe.der", "cn-invalid-utf8.der",
           "cn-prometheus-injection.der", "san-dns-with-nul.der",
           "cn-bmpstring-odd-length.der"]

# ---- verify rows: (name, input, extra args, exit, error codes expected).
# Anchors: edge-ca.pem (corpus) and root-rsa.pem (GOOD_CHAIN).
VERIFY = [
    ("unknown critical extension", syn("unknown-critical-ext.der"), [], 1,
     {"unknown-critical-extension"}),
    ("wildcard over a TLD", syn("san-wildcard-tld.der"),
     ["--host", "x.com"], 1, {"hostname-mismatch"}),
    ("wildcard in the middle", syn("san-wildcard-middle.der"),
     ["--host", "a.b.example.com"], 1, {"hostname-mismatch"}),
    ("partial-label wildcard", syn("san-wildcard-partial.der"),
     ["--host", "foo.example.com"], 1, {"hostname-mismatch"}),
    ("wildcard over an IDNA label", syn("san-wildcard-xn.der"),
     ["--host", "xn--abc.example.com"], 1, {"hostname-mismatch"}),
    ("double wildcard", syn("san-double-wildcard.der"),
     ["--host", "a.b.example.com"], 1, {"hostname-mismatch"}),
    ("NUL in a DNS SAN", syn("san-dns-with-nul.der"),
     ["--host", "www.bank.test"], 1, {"hostname-mismatch"}),
    ("IP only in the CN", syn("ip-in-cn-no-san.der"),
     ["--host", "192.0.2.1"], 1, {"hostname-mismatch"}),
    ("negative serial", syn("serial-negative.der"), [], 1, {"bad-serial"}),
    ("empty serial", syn("serial-empty.der"), [], 1, {"bad-serial"}),
    ("inverted validity", syn("notafter-before-notbefore.der"), [], 1,
     {"not-yet-valid"}),
    ("expired in 1950", syn("utc-50-means-1950.der"), [], 1, {"expired"}),
    ("undecodable certificate", syn("duplicate-san-extension.der"), [], 1,
     {"malformed-cert"}),
    ("name constraints: permitted", tc("pki/ee-nc-bad.pem"),
     ["--untrusted", tc("pki/ica-nc.pem")], 1,
     {"name-constraint-violation"}),
    ("name constraints: excluded", tc("pki/ee-nc-excluded.pem"),
     ["--untrusted", tc("pki/ica-nc.pem")], 1,
     {"name-constraint-violation"}),
    ("cross-signed loop, no anchor", tc("pki/ee-x.pem"),
     ["--untrusted", tc("pki/ica-x.pem"), "--untrusted",
      tc("pki/root-new-by-old.pem"), "--untrusted",
      tc("pki/root-old-by-new.pem")], 1, None),
]


def run(*args):
    env = dict(os.environ, NO_COLOR="1")
    env.pop("CERTSCOPE_PASSWORD", None)
    env_pw = dict(env, CERTSCOPE_PASSWORD="wrong")
    p = subprocess.run([CERTSCOPE, *args], capture_output=True,
                       env=env_pw, timeout=TIMEOUT)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


class Show(unittest.TestCase):
    pass


def make_show(name, path_fn, want_rc, fragment):
    def test(self):
        path = path_fn()
        rc, out, err = run("show", "--long", "--json", "--at", AT, path,
                           GOOD)
        self.assertEqual(rc, want_rc, f"{name}: {err}")
        doc = json.loads(out.decode("utf-8"))
        files = [c["origin"]["file"] for c in doc["certificates"]]
        self.assertIn(GOOD, files, f"{name}: the good input was dropped")
        if want_rc == 2:
            self.assertIn(path, err, f"{name}: stderr names no file")
            self.assertTrue(doc["errors"], name)
        if fragment:
            self.assertIn(fragment, err, name)
        for raw in RAW:
            self.assertNotIn(raw, out, name)
    return test


class Display(unittest.TestCase):
    pass


def make_display(name, f, key, want):
    def test(self):
        rc, out, err = run("show", "--json", "--at", AT, syn(f))
        self.assertEqual(rc, 0, err)
        cert = json.loads(out)["certificates"][0]
        self.assertEqual(cert[key], want, name)
    return test


class Hostile(unittest.TestCase):
    pass


def make_hostile(f):
    def test(self):
        for fmt in ([], ["--long"], ["--json"]):
            rc, out, err = run("show", *fmt, "--at", AT, syn(f), GOOD)
            self.assertIn(rc, (0, 2), f)
            for raw in RAW:
                self.assertNotIn(raw, out, f"{f} {fmt}")
            if fmt == ["--json"]:
                json.loads(out.decode("utf-8"))
            else:
                # one block per certificate: a name adds no line
                self.assertEqual(out.count(b"\ncertificate ") + 1,
                                 2 if rc == 0 else 1, f"{f} {fmt}")
            self.assertNotIn("\x1b", err, f)
    return test


class Verify(unittest.TestCase):
    pass


def make_verify(name, path, extra, want_rc, codes):
    def test(self):
        rc, out, err = run("verify", "--json", "--at", AT, "--trust",
                           syn("edge-ca.pem"), "--trust",
                           tc("pki/root-rsa.pem"), *extra, path,
                           GOOD_CHAIN)
        self.assertEqual(rc, want_rc, f"{name}: {err}")
        inputs = json.loads(out)["inputs"]
        self.assertEqual(inputs[0]["verdict"], "rejected", name)
        got = {f["code"] for f in inputs[0]["findings"]
               if f["severity"] == "error"}
        if codes:
            self.assertTrue(codes <= got, f"{name}: {got}")
        self.assertTrue(got, name)
        # the next input still gets its own verdict (with --host it is
        # checked for that name too, so only trusted without one)
        want = "rejected" if "--host" in extra else "trusted"
        self.assertEqual(inputs[1]["verdict"], want, name)
    return test


def deep_chain(n):
    """root -> n intermediates -> leaf, built with certtool (gnutls-bin,
    a test dependency) into TMP: returns (root.pem, chain.pem with the
    leaf first, then the intermediates from the lowest up)."""
    d = os.path.join(TMP, "deep%d" % n)
    chain = os.path.join(d, "chain.pem")
    if os.path.exists(chain):
        return os.path.join(d, "root.pem"), chain
    os.makedirs(d)

    def make(i, cn, ca, signer):
        key, cert, tpl = (os.path.join(d, "%d.%s" % (i, x))
                          for x in ("key", "pem", "tpl"))
        with open(tpl, "w") as f:
            f.write('cn = "%s"\nserial = %d\n' % (cn, i + 1) +
                    'activation_date = "2026-01-01 00:00:00"\n'
                    'expiration_date = "2027-01-01 00:00:00"\n' +
                    ("ca\ncert_signing_key\n" if ca else
                     'dns_name = "deep.test"\ntls_www_server\n'
                     "signing_key\n"))
        subprocess.run(["certtool", "--generate-privkey", "--key-type",
                        "ecdsa", "--outfile", key], check=True,
                       capture_output=True)
        args = ["certtool", "--template", tpl, "--load-privkey", key,
                "--outfile", cert]
        if signer is None:
            args.append("--generate-self-signed")
        else:
            args += ["--generate-certificate", "--load-ca-privkey",
                     signer[0], "--load-ca-certificate", signer[1]]
        subprocess.run(args, check=True, capture_output=True)
        return key, cert

    signer = make(0, "Deep Root", True, None)
    root = signer[1]
    mids = []
    for i in range(1, n + 1):
        signer = make(i, "Deep CA %d" % i, True, signer)
        mids.append(signer[1])
    leaf = make(n + 1, "deep.test", False, signer)[1]
    with open(chain, "wb") as out:
        for p in [leaf] + mids[::-1]:
            out.write(pem_of(p))
    os.rename(root, os.path.join(d, "root.pem"))
    return os.path.join(d, "root.pem"), chain


class Scale(unittest.TestCase):

    def deep(self, n, *extra):
        root, chain = deep_chain(n)
        rc, out, err = run("verify", "--json", "--at", AT, "--trust", root,
                           "--purpose", "any", *extra, chain, GOOD_CHAIN,
                           "--trust", tc("pki/root-rsa.pem"))
        doc = json.loads(out)["inputs"]
        self.assertEqual(doc[1]["verdict"], "trusted", "next input lost")
        return rc, doc[0], err

    def test_deep_chain_over_default_depth(self):
        # 20 intermediates; the default allows 15
        rc, r, err = self.deep(20)
        self.assertEqual(rc, 1, err)
        self.cut_at_depth(r, "(--max-depth, default 15)")

    def cut_at_depth(self, r, fragment):
        codes = [f["code"] for f in r["findings"]]
        self.assertIn("depth-exceeded", codes, r["findings"])
        msg = next(f["message"] for f in r["findings"]
                   if f["code"] == "depth-exceeded")
        self.assertIn(fragment, msg)
        # the certificates past the cut are in the input: neither
        # "issuer not found" nor "unneeded" (they are needed)
        self.assertNotIn("issuer-not-found", codes, r["findings"])
        self.assertNotIn("unneeded-cert", codes, r["findings"])

    def test_deep_chain_allowed_by_max_depth(self):
        rc, r, err = self.deep(20, "--max-depth", "20")
        self.assertEqual(rc, 0, r["findings"])
        self.assertEqual(r["verdict"], "trusted")
        self.assertEqual(len(r["path"]), 22)

    def test_deep_chain_past_the_path_limit(self):
        # 80 intermediates, more than the 64 certificates a path may hold
        # whatever --max-depth says: rejected with a finding, no hang
        rc, r, err = self.deep(80, "--max-depth", "1000")
        self.assertEqual(rc, 1, err)
        self.assertEqual(r["verdict"], "rejected")
        self.cut_at_depth(r, "whatever --max-depth says")

    def big(self, name, der):
        """show --long --json of a built certificate and GOOD; the
        certificate's JSON (None when refused), exit code, stderr."""
        p = tmp(name, der)
        rc, out, err = run("show", "--long", "--json", "--at", AT, p, GOOD)
        doc = json.loads(out)
        files = [c["origin"]["file"] for c in doc["certificates"]]
        self.assertIn(GOOD, files, "the good input was dropped")
        mine = [c for c in doc["certificates"] if c["origin"]["file"] == p]
        return (mine[0] if mine else None), rc, err

    def test_10mb_extension(self):
        # one unknown 10 MiB extension: decoded as one element, shown
        c, rc, err = self.big("ext10mb.der", cert_with_exts(
            ext("1.3.6.1.4.1.55555.1", b"A" * (10 << 20))))
        self.assertEqual(rc, 0, err)
        self.assertIn("1.3.6.1.4.1.55555.1",
                      [e["oid"] for e in c["extensions"]])

    def test_10mb_san_refused(self):
        # 455,902 names (10 MB): GnuTLS would decode every one at import
        # (1.4 s, 344 MB); refused before, naming the count and the part
        c, rc, err = self.big("san10mb.der", cert_with_exts(
            san_ext(455902)))
        self.assertEqual(rc, 2, err)
        self.assertIsNone(c)
        self.assertIn("san10mb.der", err)
        self.assertIn("455906 in subjectAltName", err)
        self.assertIn("more than the 16384 certscope decodes", err)

    def test_16000_names_all_shown(self):
        # under the element limit nothing is cut (the model kept 1,024
        # names and said nothing)
        c, rc, err = self.big("san16k.der", cert_with_exts(san_ext(16000)))
        self.assertEqual(rc, 0, err)
        self.assertEqual(len(c["sans"]), 16000)
        self.assertEqual(c["sans"][-1]["value"], "h0015999.example.test")
        self.assertEqual(c["warnings"], [])

    def test_long_url_lists(self):
        # 2,000 CRL distribution points and 2,000 OCSP URLs: each index
        # used to decode the whole extension again (minutes); all shown
        dps = b"".join(tlv(0x30, tlv(0xA0, tlv(0xA0, uri(i))))
                       for i in range(2000))
        aia = b"".join(tlv(0x30, oid("1.3.6.1.5.5.7.48.1") + uri(i))
                       for i in range(2000))
        c, rc, err = self.big("urls.der", cert_with_exts(
            ext("2.5.29.31", tlv(0x30, dps)),
            ext("1.3.6.1.5.5.7.1.1", tlv(0x30, aia))))
        self.assertEqual(rc, 0, err)
        self.assertEqual(len(c["crl_distribution_points"]), 2000)
        self.assertEqual(len(c["aia"]["ocsp"]), 2000)
        self.assertEqual(c["aia"]["ocsp"][1999],
                         "http://c1999.example.test/x")

    def test_key_purposes_past_gnutls_limit(self):
        # GnuTLS keeps 64 key purposes and drops the rest: said
        c, rc, err = self.big("eku100.der", cert_with_exts(
            ext("2.5.29.37", tlv(0x30, b"".join(
                oid("1.2.3.%d" % i) for i in range(100))))))
        self.assertEqual(rc, 0, err)
        self.assertEqual(len(c["extended_key_usage"]), 64)
        self.assertTrue(any("lists 100 key purposes" in w and
                            "only the first 64" in w
                            for w in c["warnings"]), c["warnings"])

    def test_thousand_certificate_bundle(self):
        p = tmp("bundle1000.pem", pem_of(GOOD_CHAIN) * 500)
        rc, out, err = run("show", "--json", "--at", AT, p)
        self.assertEqual(rc, 0, err)
        self.assertEqual(len(json.loads(out)["certificates"]), 1000)

    def test_item_limit_message(self):
        # 100,001 one-certificate blocks would be slow to build; the
        # loader's limit is covered by tests/unit/test_load.c.  Here:
        # a 10 MB PEM of junk text ends quickly with a clear error.
        p = tmp("junk10mb.pem", b"not a certificate\n" * (600 * 1024))
        rc, out, err = run("show", "--json", p, GOOD)
        self.assertEqual(rc, 2, err)
        self.assertIn("no certificate or CRL found", err)

    def test_look_alike_pool_bounded(self):
        # 300 copies of the same intermediates: duplicates are
        # tolerated and the search stays bounded
        p = tmp("pool.pem", pem_of(tc("pki/ica-rsa.pem")) * 300)
        rc, out, err = run("verify", "--json", "--at", AT, "--trust",
                           tc("pki/root-rsa.pem"), "--untrusted", p,
                           "--host", "www.example.test", GOOD)
        self.assertEqual(rc, 0, err)


for _r in SHOW:
    setattr(Show, "test_" + _r[0].replace(" ", "_"), make_show(*_r))
for _r in DISPLAY:
    setattr(Display, "test_" + _r[0].replace(" ", "_"), make_display(*_r))
for _f in HOSTILE:
    setattr(Hostile, "test_" + _f.replace("-", "_").replace(".", "_"),
            make_hostile(_f))
for _r in VERIFY:
    setattr(Verify, "test_" + _r[0].replace(" ", "_"), make_verify(*_r))


if __name__ == "__main__":
    suite = unittest.TestSuite()
    loader = unittest.TestLoader()
    for cls in (Show, Display, Hostile, Verify, Scale):
        suite.addTests(loader.loadTestsFromTestCase(cls))
    res = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    failed = len(res.failures) + len(res.errors)
    passed = res.testsRun - failed - len(res.skipped)
    for root, _, files in os.walk(TMP, topdown=False):
        for f in files:
            os.unlink(os.path.join(root, f))
        os.rmdir(root)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
