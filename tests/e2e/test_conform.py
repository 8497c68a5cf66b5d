#!/usr/bin/env python3
"""End-to-end tests of conformance rules (RFC 5280, CA/B BR) on chains
made at test time (python3-cryptography, fixed dates, --at fixed):

- one eku-mismatch per reason (a code-signing leaf checked for server);
- a CA certificate as a server's leaf is rejected (ca-as-leaf, BR
  7.1.2.7.8), accepted with --purpose any;
- a subject CN naming another host of a SAN name's domain is rejected
  (cn-not-in-san, BR 7.1.4.3); a parent domain, an unrelated name or a
  name a wildcard SAN covers is not;
- --max-depth counts intermediates that are not self-issued (RFC 5280
  6.1.4 (l)): a key rollover ICA' -> ICA' is one;
- issuers that form a loop inside the input are said to (not "not in the
  input");
- name constraints with forms GnuTLS does not import (otherName,
  registeredID) are read, and reject only a name of that form.

Environment: CERTSCOPE (the executable).
"""
import codecs
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID as EKU, NameOID

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pki_util import make  # noqa: E402  (the one certificate builder)

CERTSCOPE = os.environ.get("CERTSCOPE", "certscope")
AT = "2026-06-01T00:00:00Z"


def run(*args):
    env = dict(os.environ)
    env["NO_COLOR"] = "1"
    p = subprocess.run([CERTSCOPE, *args], capture_output=True, env=env,
                       timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace"), \
        p.stderr.decode("utf-8", "replace")


def newkey():
    return ec.generate_private_key(ec.SECP256R1())


class Base(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cs-conform-")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def write(self, name, *certs):
        path = os.path.join(self.tmp, name)
        with open(path, "wb") as f:
            for c in certs:
                f.write(c.pem)
        return path

    def verify(self, root, chain, *extra):
        """verify --json of chain (Certs, leaf first) under root; returns
        (exit code, the input's JSON object)."""
        rc, out, err = run("verify", "--json", "--at", AT, "--trust",
                           self.write("root.pem", root), *extra,
                           self.write("chain.pem", *chain))
        self.assertIn(rc, (0, 1), err)
        return rc, json.loads(out)["inputs"][0]

    def codes(self, inp):
        return [f["code"] for f in inp["findings"]]


class Eku(Base):
    def test_code_signing_leaf_for_server_one_finding(self):
        root = make("Root", ca=True)
        leaf = make("code.example.test", root, eku=[EKU.CODE_SIGNING])
        rc, inp = self.verify(root, [leaf])
        self.assertEqual(rc, 1)
        self.assertEqual(self.codes(inp).count("eku-mismatch"), 1,
                         inp["findings"])

    def test_server_leaf_with_code_signing_too_is_said(self):
        root = make("Root", ca=True)
        leaf = make("both.example.test", root,
                    eku=[EKU.SERVER_AUTH, EKU.CODE_SIGNING])
        rc, inp = self.verify(root, [leaf])
        self.assertEqual(rc, 1)
        msgs = [f["message"] for f in inp["findings"]
                if f["code"] == "eku-mismatch"]
        self.assertEqual(len(msgs), 1, msgs)
        self.assertIn("codeSigning", msgs[0])


class CaAsLeaf(Base):
    def ca_leaf(self):
        root = make("Root", ca=True)
        leaf = make("ca.example.test", root, ca=True,
                    sans=[x509.DNSName("ca.example.test")],
                    eku=[EKU.SERVER_AUTH])
        return root, leaf

    def test_ca_leaf_rejected_for_server(self):
        root, leaf = self.ca_leaf()
        rc, inp = self.verify(root, [leaf], "--host", "ca.example.test")
        self.assertEqual(rc, 1)
        self.assertEqual(inp["verdict"], "rejected")
        f = [f for f in inp["findings"] if f["code"] == "ca-as-leaf"]
        self.assertEqual(len(f), 1, inp["findings"])
        self.assertEqual(f[0]["severity"], "error")
        self.assertIn("7.1.2.7.8", f[0]["message"])

    def test_ca_leaf_accepted_for_any_purpose(self):
        root, leaf = self.ca_leaf()
        rc, inp = self.verify(root, [leaf], "--purpose", "any")
        self.assertEqual(rc, 0, inp["findings"])


class CnInSan(Base):
    def leaf_cn(self, cn, *sans):
        root = make("Root", ca=True)
        leaf = make(cn, root, sans=[x509.DNSName(s) for s in sans])
        return self.verify(root, [leaf])

    def test_sibling_host_rejected(self):
        rc, inp = self.leaf_cn("pay.example.com", "www.example.com")
        self.assertEqual(rc, 1)
        f = [f for f in inp["findings"] if f["code"] == "cn-not-in-san"]
        self.assertEqual(len(f), 1, inp["findings"])
        self.assertIn("pay.example.com", f[0]["message"])
        self.assertIn("www.example.com", f[0]["message"])

    def test_child_of_san_domain_rejected(self):
        rc, _ = self.leaf_cn("pay.example.com", "example.com")
        self.assertEqual(rc, 1)
        rc, _ = self.leaf_cn("pay.example.co.uk", "www.example.co.uk")
        self.assertEqual(rc, 1)

    def test_wildcard_cn_beside_one_host_rejected(self):
        rc, _ = self.leaf_cn("*.example.com", "www.example.com")
        self.assertEqual(rc, 1)

    def test_allowed_cns(self):
        for cn, sans in [("example.com", ["www.example.com"]),  # parent
                         ("bad.example.com", ["test.localhost"]),
                         ("pay.example.com", ["*.example.com"]),
                         # the covering wildcard after a sibling host: the
                         # SAN's order does not matter
                         ("pay.example.com", ["www.example.com",
                                              "*.example.com"]),
                         ("www.example.com", ["www.example.com",
                                              "pay.example.com"]),
                         ("a.com", ["b.com"]),        # TLD alone shared
                         ("b.co.uk", ["a.co.uk"]),    # a public suffix
                         ("Some Service", ["www.example.com"])]:
            rc, inp = self.leaf_cn(cn, *sans)
            self.assertEqual(rc, 0, (cn, sans, inp["findings"]))


def rollovers(root, n, name="Rollover CA"):
    """root -> CA(name, key 1) -> CA(name, key 2) -> ... n certificates of
    one CA name, each but the first self-issued (a key rollover); returns
    them, the one nearest the leaf first."""
    cas = [make(name, root, ca=True)]
    for _ in range(n - 1):
        prev = cas[-1]
        cas.append(make(name, prev, ca=True))
    return cas[::-1]


class MaxDepth(Base):
    def test_rollover_is_one_intermediate(self):
        root = make("Root", ca=True)
        cas = rollovers(root, 2)
        leaf = make("www.example.test", cas[0])
        rc, inp = self.verify(root, [leaf, *cas], "--max-depth", "1")
        self.assertEqual(rc, 0, inp["findings"])
        self.assertEqual(len(inp["path"]), 4)
        rc, inp = self.verify(root, [leaf, *cas], "--max-depth", "0")
        self.assertEqual(rc, 1)
        f = [f for f in inp["findings"] if f["code"] == "depth-exceeded"]
        self.assertEqual(len(f), 1, inp["findings"])
        self.assertIn("has 1 intermediate", f[0]["message"])
        self.assertIn("self-issued", f[0]["message"])

    def test_two_distinct_intermediates_still_two(self):
        root = make("Root", ca=True)
        ica1 = make("ICA one", root, ca=True)
        ica2 = make("ICA two", ica1, ca=True)
        leaf = make("www.example.test", ica2)
        rc, inp = self.verify(root, [leaf, ica2, ica1], "--max-depth", "1")
        self.assertEqual(rc, 1)
        self.assertIn("depth-exceeded", self.codes(inp))


class Loop(Base):
    def test_cycle_inside_input_is_said(self):
        root = make("Root", ca=True)
        k1, k2 = newkey(), newkey()
        # ICA one and ICA two issue each other; neither by the root
        tmp1 = make("ICA one", None, ca=True, key=k1)
        ica2 = make("ICA two", tmp1, ca=True, key=k2)
        ica1 = make("ICA one", ica2, ca=True, key=k1)
        leaf = make("www.example.test", ica1)
        rc, inp = self.verify(root, [leaf, ica1, ica2])
        self.assertEqual(rc, 1)
        f = [f for f in inp["findings"] if f["code"] == "issuer-not-found"]
        self.assertEqual(len(f), 1, inp["findings"])
        self.assertNotIn("not in the input", f[0]["message"])
        self.assertIn("loop", f[0]["message"])
        self.assertIn("'ICA one' -> 'ICA two' -> 'ICA one'",
                      f[0]["message"])

    def test_missing_issuer_is_not_a_loop(self):
        root = make("Root", ca=True)
        other = make("Other Root", ca=True)
        ica = make("ICA", other, ca=True)
        leaf = make("www.example.test", ica)
        rc, inp = self.verify(root, [leaf, ica])
        self.assertEqual(rc, 1)
        f = [f for f in inp["findings"] if f["code"] == "issuer-not-found"]
        self.assertEqual(len(f), 1, inp["findings"])
        self.assertIn("not in the input", f[0]["message"])

    def test_rollover_without_old_key_is_not_a_loop(self):
        root = make("Root", ca=True)
        cas = rollovers(root, 2)
        leaf = make("www.example.test", cas[0])
        rc, inp = self.verify(root, [leaf, cas[0]])
        self.assertEqual(rc, 1)
        f = [f for f in inp["findings"] if f["code"] == "issuer-not-found"]
        self.assertEqual(len(f), 1, inp["findings"])
        self.assertNotIn("loop", f[0]["message"])


UPN = bytes([0x0c, 3]) + b"a@b"   # UTF8String "a@b"


def other(oid, value=UPN):
    return x509.OtherName(x509.ObjectIdentifier(oid), value)


class ForeignNameConstraints(Base):
    """Constraints of forms GnuTLS does not import (otherName of any
    type, registeredID): a well-formed extension was 'undecodable'."""

    def chain(self, permitted, excluded, sans):
        root = make("Root", ca=True)
        ica = make("ICA", root, ca=True,
                   nc=x509.NameConstraints(permitted, excluded))
        leaf = make("www.example.test", ica, sans=sans)
        return root, [leaf, ica]

    def check(self, permitted, excluded, sans, want_rc):
        root, chain = self.chain(permitted, excluded, sans)
        rc, inp = self.verify(root, chain)
        self.assertEqual(rc, want_rc, inp["findings"])
        self.assertNotIn("bad-extension", self.codes(inp))
        return inp

    def test_leaf_without_such_names_accepted(self):
        www = [x509.DNSName("www.example.test")]
        for perm, excl in [
                ([x509.DNSName("example.test"), other("1.2.3.4")], None),
                ([x509.DNSName("example.test"),
                  x509.RegisteredID(x509.ObjectIdentifier("1.2.3.4"))],
                 None),
                (None, [other("1.2.3.4")]),
                ([x509.DNSName("example.test")], [other("1.2.3.4")]),
                ([other("1.3.6.1.4.1.311.20.2.3")], None)]:
            self.check(perm, excl, www, 0)

    def test_dns_part_still_enforced(self):
        inp = self.check([x509.DNSName("example.test"), other("1.2.3.4")],
                         None, [x509.DNSName("www.evil.test")], 1)
        self.assertIn("name-constraint-violation", self.codes(inp))

    def test_other_name_permitted_exactly(self):
        www = x509.DNSName("www.example.test")
        perm = [x509.DNSName("example.test"), other("1.2.3.4")]
        self.check(perm, None, [www, other("1.2.3.4")], 0)
        inp = self.check(perm, None,
                         [www, other("1.2.3.4", bytes([0x0c, 1]) + b"x")], 1)
        f = [f for f in inp["findings"]
             if f["code"] == "name-constraint-violation"]
        self.assertEqual(len(f), 1, inp["findings"])
        self.assertIn("otherName of type 1.2.3.4", f[0]["message"])
        # an otherName of another type is not constrained
        self.check(perm, None, [www, other("1.2.3.5")], 0)

    def test_excluded_form_rejects_names_of_it(self):
        www = x509.DNSName("www.example.test")
        inp = self.check(None, [other("1.2.3.4")],
                         [www, other("1.2.3.4")], 1)
        self.assertIn("name-constraint-violation", self.codes(inp))
        self.check(None, [other("1.2.3.4")], [www, other("1.2.3.9")], 0)

    def test_registered_id(self):
        www = x509.DNSName("www.example.test")
        rid = x509.RegisteredID(x509.ObjectIdentifier("1.2.3.4"))
        rid2 = x509.RegisteredID(x509.ObjectIdentifier("1.2.3.5"))
        self.check([rid], None, [www, rid], 0)
        inp = self.check([rid], None, [www, rid2], 1)
        self.assertIn("registeredID 1.2.3.5",
                      " ".join(f["message"] for f in inp["findings"]))

    def test_show_lists_them(self):
        _, chain = self.chain([x509.DNSName("example.test"),
                               other("1.2.3.4")], None, None)
        rc, out, err = run("show", "--long", self.write("ica.pem",
                                                         chain[1]))
        self.assertEqual(rc, 0, err)
        self.assertIn("other:1.2.3.4:0C:03:61:40:62", out)
        self.assertIn("DNS:example.test", out)


class Idn(Base):
    """--host with U-labels (IDNA 2008 via libidn2), show's U-labels."""
    ALABEL = "xn--bcher-kva.example"   # bücher.example

    def chain(self, *names):
        root = make("Root", ca=True)
        leaf = make(self.ALABEL, root,
                    sans=[x509.DNSName(n) for n in names or [self.ALABEL]])
        return root, leaf

    def test_ulabel_host_matches_alabel_san(self):
        root, leaf = self.chain()
        rc, inp = self.verify(root, [leaf], "--host", "bücher.example")
        self.assertEqual(rc, 0, inp["findings"])
        rc, inp = self.verify(root, [leaf], "--host", "BÜCHER.example")
        self.assertEqual(rc, 0, inp["findings"])
        rc, inp = self.verify(root, [leaf], "--host", "bucher.example")
        self.assertEqual(rc, 1)
        self.assertIn("hostname-mismatch", self.codes(inp))

    def test_invalid_ulabel_is_usage_error(self):
        root, leaf = self.chain()
        rc, out, err = run("verify", "--at", AT, "--trust",
                           self.write("root.pem", root), "--host",
                           "☃.example", self.write("leaf.pem", leaf))
        self.assertEqual(rc, 2, out)
        self.assertIn("☃.example", err)
        self.assertIn("IDNA 2008", err)

    def test_show_ulabel_beside_alabel(self):
        _, leaf = self.chain(self.ALABEL, "www.example.test",
                             "xn--zz-invalid.example")
        rc, out, err = run("show", self.write("leaf.pem", leaf))
        self.assertEqual(rc, 0, err)
        self.assertIn("DNS:xn--bcher-kva.example (bücher.example)", out)
        self.assertIn("DNS:www.example.test,", out)
        # an A-label that does not decode is shown as it is, alone
        self.assertIn("DNS:xn--zz-invalid.example\n", out + "\n")

    def test_show_escapes_the_ulabel(self):
        # U+202E (right-to-left override) as Punycode: never printed raw
        alabel = "xn--" + codecs.encode("ab\u202ecd", "punycode").decode()
        _, leaf = self.chain(alabel + ".example")
        rc, out, _ = run("show", self.write("leaf.pem", leaf))
        self.assertEqual(rc, 0)
        self.assertNotIn("\u202e", out)


class DnText(Base):
    def test_rfc4514_escape_printed_once(self):
        subj = x509.Name([
            x509.NameAttribute(NameOID.ORGANIZATION_NAME,
                               "The Go Daddy Group, Inc."),
            x509.NameAttribute(NameOID.COMMON_NAME, "ev\x1bil\u202eA")])
        cert = make("x", None, ca=True, subject=subj)
        rc, out, err = run("show", self.write("c.pem", cert))
        self.assertEqual(rc, 0, err)
        self.assertIn("O=The Go Daddy Group\\, Inc.", out)
        self.assertNotIn("Group\\\\,", out)
        # controls and bidi overrides are still escaped visibly
        self.assertIn("ev\\x1bil\\u202eA", out)
        self.assertNotIn("\x1b", out)
        self.assertNotIn("\u202e", out)


if __name__ == "__main__":
    unittest.main()
