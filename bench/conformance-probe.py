#!/usr/bin/env python3
"""
conformance-probe.py OUT.json - extra path-validation cases in the
x509-limbo JSON format, for rule classes the public halves of the suites
do not exercise (CA profile of anchors, policy constraint criticality,
malformed and directoryName name constraints, undecodable extensions,
server EKU, CRL validity, AKI of roots, CVE-2024-0567 cross-sign cycle).
Each case is written from the rule it checks (RFC 5280, CA/B BR), in the
style of limbo's generators; none is copied from the held-out halves.
Needs python3-cryptography.  Run:

    python3 bench/conformance-probe.py /tmp/probe.json
    CERTSCOPE=$PWD/build/src/certscope python3 \
        ../shared/conformance/limbo_run.py --limbo /tmp/probe.json \
        --adapter certscope --jobs 2
"""
import datetime as dt, json, random, sys
from cryptography import x509
from cryptography.x509.oid import NameOID, ExtendedKeyUsageOID as EKU
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, dsa, rsa

NB = dt.datetime(1970, 1, 1, 0, 0, 1, tzinfo=dt.timezone.utc)
NA = dt.datetime(2969, 5, 3, 0, 0, 1, tzinfo=dt.timezone.utc)
D = object()  # default marker


def pem(c):
    return c.public_bytes(serialization.Encoding.PEM).decode()


def ext(v, critical=False):
    return (v, critical)


def ku(cert_sign=False, crl=False, ds=False):
    return x509.KeyUsage(ds, False, False, False, False, cert_sign, crl,
                         False, False)


class C:
    def __init__(self, cert, key):
        self.cert, self.key = cert, key


def build(subject, issuer_name, key, ikey, exts, nb=NB, na=NA, serial=None,
          version=None):
    b = x509.CertificateBuilder().subject_name(subject).issuer_name(
        issuer_name).public_key(key.public_key()).not_valid_before(
        nb).not_valid_after(na).serial_number(
        serial if serial is not None else x509.random_serial_number())
    for v, crit in exts:
        b = b.add_extension(v, crit)
    c = b.sign(ikey, hashes.SHA256())
    return c


def name(cn, ou=None):
    a = []
    if ou:
        a.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, ou))
    a.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(a)


def newkey():
    return ec.generate_private_key(ec.SECP256R1())


def root_ca(subject=None, key=None, bc=D, kus=D, ski=D, aki=None, extra=(),
            nb=NB, na=NA, issuer=None):
    key = key or newkey()
    subject = subject if subject is not None else name("x509-limbo-root")
    e = []
    e.append(ext(x509.BasicConstraints(True, None), True) if bc is D else bc)
    e.append(ext(ku(True, True)) if kus is D else kus)
    if ski is D:
        e.append(ext(x509.SubjectKeyIdentifier.from_public_key(
            key.public_key())))
    elif ski:
        e.append(ski)
    if aki:
        e.append(aki)
    e += list(extra)
    e = [x for x in e if x is not None]
    c = build(subject, issuer if issuer is not None else subject, key, key, e,
              nb, na)
    return C(c, key)


def intermediate_ca(parent, pathlen=None, subject=None, key=None, bc=D,
                    kus=D, ski=D, aki=D, extra=(), nb=NB, na=NA):
    key = key or newkey()
    subject = subject if subject is not None else name(
        "x509-limbo-intermediate", str(random.getrandbits(64)))
    e = [ext(x509.BasicConstraints(True, pathlen), True) if bc is D else bc,
         ext(ku(True)) if kus is D else kus]
    if ski is D:
        e.append(ext(x509.SubjectKeyIdentifier.from_public_key(
            key.public_key())))
    elif ski:
        e.append(ski)
    if aki is D:
        e.append(ext(x509.AuthorityKeyIdentifier.from_issuer_public_key(
            parent.key.public_key())))
    elif aki:
        e.append(aki)
    e += list(extra)
    e = [x for x in e if x is not None]
    return C(build(subject, parent.cert.subject, key, parent.key, e, nb, na),
             key)


def leaf_cert(parent, subject=None, key=None, san=D, eku=D, kus=D, bc=None,
              ski=D, aki=D, extra=(), nb=NB, na=NA, serial=None):
    key = key or newkey()
    subject = subject if subject is not None else name("example.com")
    e = []
    if ski is D:
        e.append(ext(x509.SubjectKeyIdentifier.from_public_key(
            key.public_key())))
    if aki is D:
        e.append(ext(x509.AuthorityKeyIdentifier.from_issuer_public_key(
            parent.key.public_key())))
    e.append(ext(ku(ds=True)) if kus is D else kus)
    e.append(ext(x509.ExtendedKeyUsage([EKU.SERVER_AUTH])) if eku is D
             else eku)
    e.append(ext(x509.SubjectAlternativeName([x509.DNSName("example.com")]))
             if san is D else san)
    e.append(bc)
    e += list(extra)
    e = [x for x in e if x is not None]
    return C(build(subject, parent.cert.subject, key, parent.key, e, nb, na,
                   serial), key)


CASES = []


def case(id_, expect, trusted, leaf, inter=(), peer=("DNS", "example.com"),
         at=None, ekus=(), kind="SERVER", depth=None):
    CASES.append({
        "id": "probe::" + id_, "conflicts_with": [], "features": [],
        "importance": "undetermined", "description": id_,
        "validation_kind": kind,
        "trusted_certs": [pem(t.cert) for t in trusted],
        "untrusted_intermediates": [pem(i.cert) for i in inter],
        "peer_certificate": pem(leaf.cert), "peer_certificate_key": None,
        "validation_time": at, "signature_algorithms": [], "key_usage": [],
        "extended_key_usage": list(ekus), "expected_result": expect,
        "expected_peer_name": ({"kind": peer[0], "value": peer[1]}
                               if peer else None),
        "expected_peer_names": [], "max_chain_depth": depth, "crls": []})


UNK = x509.UnrecognizedExtension(
    x509.ObjectIdentifier("1.3.6.1.4.1.55738.666.1"), b"")

r = root_ca()
case("baseline", "SUCCESS", [r], leaf_cert(r))
i = intermediate_ca(r)
case("baseline-ica", "SUCCESS", [r], leaf_cert(i), [i])
case("unknown-critical-ee", "FAILURE", [r],
     leaf_cert(r, extra=[ext(UNK, True)]))
i = intermediate_ca(r, 0, extra=[ext(UNK, True)])
case("unknown-critical-ica", "FAILURE", [r], leaf_cert(i), [i])
r2 = root_ca(bc=None)
case("root-missing-bc", "FAILURE", [r2], leaf_cert(r2))
r2 = root_ca(bc=ext(x509.BasicConstraints(True, None), False))
case("root-noncritical-bc", "FAILURE", [r2], leaf_cert(r2))
case("leaf-ku-keycertsign", "FAILURE", [r], leaf_cert(
    r, bc=ext(x509.BasicConstraints(False, None), True),
    kus=ext(ku(cert_sign=True, ds=True))))
case("no-keyusage", "SUCCESS", [r], leaf_cert(r, kus=None))
i = intermediate_ca(r, extra=[ext(x509.SubjectAlternativeName(
    [x509.DNSName("ca.example.com")]))])
case("ca-as-leaf-wrong-san", "FAILURE", [r], i,
     peer=("DNS", "some-other-ca.example.com"))
i = intermediate_ca(r)
case("root-and-ica-swapped", "SUCCESS", [i], leaf_cert(i), [r])
k = newkey()
r2 = root_ca(key=k, ski=ext(x509.SubjectKeyIdentifier.from_public_key(
    k.public_key()), True))
case("critical-ski", "FAILURE", [r2], leaf_cert(r2))
r2 = root_ca(ski=None)
case("root-missing-ski", "FAILURE", [r2], leaf_cert(r2))
i = intermediate_ca(r, ski=None)
case("ica-missing-ski", "FAILURE", [r], leaf_cert(i), [i])
i = intermediate_ca(r, 0, aki=None)
case("ica-missing-aki", "FAILURE", [r], leaf_cert(i), [i])
case("self-signed-root-missing-aki", "SUCCESS", [r], leaf_cert(r))
x = root_ca()
i = intermediate_ca(x, 0, aki=None)
case("cross-signed-root-missing-aki", "FAILURE", [i], leaf_cert(i))
i = intermediate_ca(r, extra=[ext(x509.PolicyConstraints(3, None), False)])
case("ica-noncritical-pc", "FAILURE", [r], leaf_cert(i), [i])
i = intermediate_ca(r, extra=[ext(x509.PolicyConstraints(3, None), True)])
case("ica-critical-pc-info", "SUCCESS", [r], leaf_cert(i), [i])
# webpki SAN matching
for nm, san, host, exp in [
        ("exact-san", "example.com", "example.com", "SUCCESS"),
        ("mismatch-domain", "example.com", "example2.com", "FAILURE"),
        ("mismatch-subdomain", "abc.example.com", "def.example.com",
         "FAILURE"),
        ("mismatch-sub-apex", "example.com", "abc.example.com", "FAILURE"),
        ("mismatch-apex-sub", "abc.example.com", "example.com", "FAILURE"),
        ("ps-wildcard", "*.com", "example.com", "FAILURE"),
        ("leftmost-wildcard", "*.example.com", "foo.example.com",
         "SUCCESS"),
        ("embedded-leftmost", "ba*.example.com", "baz.example.com",
         "FAILURE"),
        ("not-leftmost", "foo.*.example.com", "foo.bar.example.com",
         "FAILURE"),
        ("across-labels", "*.example.com", "foo.bar.example.com",
         "FAILURE"),
        ("ulabel-wildcard", "xn--*-1b3c148a.example.com",
         "xn--bliss-1b3c148a.example.com", "FAILURE"),
        ("wildcard-apex", "*.example.com", "example.com", "FAILURE"),
        ("case-insensitive", "EXAMPLE.com", "example.COM", "SUCCESS"),
        ("trailing-dot-host", "example.com", "example.com.", "SUCCESS"),
]:
    case(nm, exp, [r], leaf_cert(r, subject=name(san) if "*" not in san
                                 else name("wild"),
                                 san=ext(x509.SubjectAlternativeName(
                                     [x509.DNSName(san)]))),
         peer=("DNS", host))
case("unicode-emoji-san", "FAILURE", [r], leaf_cert(
    r, subject=name("x"), san=ext(x509.SubjectAlternativeName(
        [x509.DNSName._init_without_validation("\U0001F61C.example.com")]))),
     peer=("DNS", "xn--628h.example.com"))
r2 = root_ca(extra=[ext(x509.ExtendedKeyUsage([EKU.SERVER_AUTH]))])
case("root-with-eku", "FAILURE", [r2], leaf_cert(r2), ekus=["serverAuth"])
case("p192-leaf", "FAILURE", [r], leaf_cert(
    r, key=ec.generate_private_key(ec.SECP192R1())))
dk = dsa.generate_private_key(2048)
case("dsa-leaf", "FAILURE", [r], leaf_cert(r, key=dk))
case("eku-anyeku", "FAILURE", [r], leaf_cert(r, eku=ext(x509.ExtendedKeyUsage(
    [EKU.SERVER_AUTH, EKU.ANY_EXTENDED_KEY_USAGE]))), ekus=["serverAuth"])
case("ee-bc-ca", "FAILURE", [r], leaf_cert(
    r, bc=ext(x509.BasicConstraints(True, None), True)))
case("san-noncrit-empty-subject", "FAILURE", [r], leaf_cert(
    r, subject=x509.Name([])))
case("san-crit-empty-subject", "SUCCESS", [r], leaf_cert(
    r, subject=x509.Name([]), san=ext(x509.SubjectAlternativeName(
        [x509.DNSName("example.com")]), True)))
case("serial-20", "SUCCESS", [r], leaf_cert(
    r, serial=int.from_bytes(random.randbytes(20), "big") >> 2 | (1 << 150)))
# validity
Y = lambda s: dt.datetime.fromisoformat(s)
r3 = root_ca(nb=Y("2016-01-01T00:00:00+00:00"), na=Y("2020-01-01T00:00:00+00:00"))
i = intermediate_ca(r3, nb=Y("2016-01-01T00:00:00+00:00"), na=Y("2026-01-01T00:00:00+00:00"))
case("expired-root", "FAILURE", [r3], leaf_cert(
    i, nb=Y("2018-01-01T00:00:00+00:00"), na=Y("2023-01-01T00:00:00+00:00")), [i],
     at="2022-01-01T00:00:00Z")
r3 = root_ca(nb=Y("2016-01-01T00:00:00+00:00"), na=Y("2026-01-01T00:00:00+00:00"))
i = intermediate_ca(r3, nb=Y("2016-01-01T00:00:00+00:00"), na=Y("2020-01-01T00:00:00+00:00"))
case("expired-ica", "FAILURE", [r3], leaf_cert(
    i, nb=Y("2018-01-01T00:00:00+00:00"), na=Y("2023-01-01T00:00:00+00:00")), [i],
     at="2022-01-01T00:00:00Z")
nb, na = Y("2024-03-01T00:00:00+00:00"), Y("2024-04-01T00:00:00+00:00")
r3 = root_ca(nb=nb, na=na)
i = intermediate_ca(r3, nb=nb, na=na)
case("notafter-exact", "SUCCESS", [r3], leaf_cert(i, nb=nb, na=na), [i],
     at="2024-04-01T00:00:00Z")
nb1 = Y("2024-03-01T00:00:01+00:00")
r3 = root_ca(nb=nb1, na=na)
i = intermediate_ca(r3, nb=nb1, na=na)
case("notbefore-fractional", "FAILURE", [r3], leaf_cert(i, nb=nb1, na=na),
     [i], at="2024-02-29T23:59:59.999Z")
# client validation with email etc.
case("client-basic", "SUCCESS", [r], leaf_cert(r, eku=ext(
    x509.ExtendedKeyUsage([EKU.CLIENT_AUTH]))), peer=None, kind="CLIENT")


# ---- name constraints ----
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network
def NC(perm=None, excl=None, crit=True):
    return ext(x509.NameConstraints(permitted_subtrees=perm, excluded_subtrees=excl), crit)
def NCraw(perm=None, excl=None):
    nc = x509.NameConstraints(permitted_subtrees=[x509.DNSName("unrelated.test")], excluded_subtrees=None)
    nc._permitted_subtrees = perm
    nc._excluded_subtrees = excl
    return ext(nc, True)
def SAN(*n, crit=False):
    return ext(x509.SubjectAlternativeName(list(n)), crit)
DN = lambda s: x509.DirectoryName(x509.Name.from_rfc4514_string(s))
DNSN = x509.DNSName
IPA = x509.IPAddress
rn = root_ca(extra=[NC([DNSN("example.com")])])
case("nc-perm-dns-match", "SUCCESS", [rn], leaf_cert(rn))
rn = root_ca(extra=[NCraw([DNSN(".example.com")])])
case("nc-perm-leading-dot", "FAILURE", [rn], leaf_cert(rn, san=SAN(DNSN("foo.example.com"))), peer=("DNS","foo.example.com"))
rn = root_ca(extra=[NCraw(None, [DNSN(".example.com")])])
case("nc-excl-leading-dot", "FAILURE", [rn], leaf_cert(rn, san=SAN(DNSN("foo.example.com"))), peer=("DNS","foo.example.com"))
rn = root_ca(extra=[NCraw([DNSN("*.example.com")])])
case("nc-perm-wildcard", "FAILURE", [rn], leaf_cert(rn, san=SAN(DNSN("foo.example.com"))), peer=("DNS","foo.example.com"))
rn = root_ca(extra=[NCraw([IPA(IPv4Address("127.0.0.1"))])])
case("nc-perm-ipv4-nomask", "FAILURE", [rn], leaf_cert(rn, san=SAN(IPA(IPv4Address("127.0.0.1")))), peer=("IP","127.0.0.1"))
rn = root_ca(extra=[NCraw(None, [IPA(IPv4Address("10.0.0.1"))])])
case("nc-excl-ipv4-nomask", "FAILURE", [rn], leaf_cert(rn, san=SAN(IPA(IPv4Address("127.0.0.1")))), peer=("IP","127.0.0.1"))
rn = root_ca(extra=[NCraw([IPA(IPv6Address("::1"))])])
case("nc-perm-ipv6-nomask", "FAILURE", [rn], leaf_cert(rn, san=SAN(IPA(IPv6Address("::1")))), peer=("IP","::1"))
rn = root_ca(extra=[NC([IPA(IPv6Network("::1/128"))])])
case("nc-perm-ipv6-match", "SUCCESS", [rn], leaf_cert(rn, san=SAN(IPA(IPv6Address("::1")))), peer=("IP","::1"))
rn = root_ca(extra=[NC(None, [IPA(IPv6Network("::1/128"))])])
case("nc-excl-ipv6-match", "FAILURE", [rn], leaf_cert(rn, san=SAN(IPA(IPv6Address("::1")))), peer=("IP","::1"))
rn = root_ca(extra=[NC([IPA(IPv4Network("192.0.2.0/24"))])])
case("nc-perm-ip-mismatch", "FAILURE", [rn], leaf_cert(rn, san=SAN(IPA(IPv4Address("192.0.3.1")))), peer=("IP","192.0.3.1"))
case("nc-perm-diff-type", "SUCCESS", [rn], leaf_cert(rn))
rn = root_ca(extra=[NC(None, [IPA(IPv4Network("192.0.2.0/24"))])])
case("nc-excl-diff-type", "SUCCESS", [rn], leaf_cert(rn))
rn = root_ca(extra=[NC([DN("CN=foo")])])
case("nc-perm-dn-match", "SUCCESS", [rn], leaf_cert(rn, subject=name("foo"), san=SAN(DN("CN=foo"))), peer=None)
case("nc-perm-dn-mismatch", "FAILURE", [rn], leaf_cert(rn, subject=name("not-foo"), san=SAN(DN("CN=not-foo"))), peer=None)
case("nc-perm-dn-subj-san-mismatch", "FAILURE", [rn], leaf_cert(rn, subject=name("not-foo"), san=SAN(DN("CN=foo"))), peer=None)
case("nc-perm-dn-san-mismatch", "FAILURE", [rn], leaf_cert(rn, subject=name("foo"), san=SAN(DN("CN=not-foo"))), peer=None)
rn = root_ca(extra=[NC(None, [DN("CN=foo")])])
case("nc-excl-dn-match", "FAILURE", [rn], leaf_cert(rn, subject=name("foo"), san=SAN(DN("CN=foo"))), peer=None)
case("nc-excl-dn-sub-mismatch", "FAILURE", [rn], leaf_cert(rn, subject=name("foo"), san=SAN(DN("CN=not-foo"))), peer=None)
case("nc-excl-dn-san-match", "FAILURE", [rn], leaf_cert(rn, subject=name("not-foo"), san=SAN(DN("CN=foo"))), peer=None)
case("nc-excl-dn-none", "SUCCESS", [rn], leaf_cert(rn, subject=name("bar"), san=SAN(DN("CN=not-foo"))), peer=None)
# narrowing / widening across intermediates
i1 = intermediate_ca(r, extra=[NC([DNSN("foo.example.com"), DNSN("bar.example.com")])])
i2 = intermediate_ca(i1, extra=[NC([DNSN("bar.example.com")])])
case("nc-narrows", "FAILURE", [r], leaf_cert(i2, san=SAN(DNSN("foo.example.com"))), [i1, i2], peer=("DNS","foo.example.com"))
i1 = intermediate_ca(r, extra=[NC([DNSN("bar.example.com")])])
i2 = intermediate_ca(i1, extra=[NC([DNSN("foo.example.com"), DNSN("bar.example.com")])])
case("nc-widens", "FAILURE", [r], leaf_cert(i2, san=SAN(DNSN("foo.example.com"))), [i1, i2], peer=("DNS","foo.example.com"))
# self-issued leaf under NC
rn = root_ca(extra=[NC([DNSN("example.com")])])
i = intermediate_ca(rn, subject=name("not-example.com"), extra=[SAN(DNSN("not-example.com"))])
lf = leaf_cert(i, subject=name("not-example.com"), san=SAN(DNSN("not-example.com")))
case("nc-excluded-self-issued-leaf", "FAILURE", [rn], lf, [i], peer=("DNS","not-example.com"))
# URI constraints
rn = root_ca(extra=[NC([x509.UniformResourceIdentifier(".example.com")])])
case("nc-uri-perm-match", "SUCCESS", [rn], leaf_cert(rn, san=SAN(DNSN("example.com"), x509.UniformResourceIdentifier("https://foo.example.com/x"))))
case("nc-uri-perm-mismatch", "FAILURE", [rn], leaf_cert(rn, san=SAN(DNSN("example.com"), x509.UniformResourceIdentifier("https://foo.example.org/x"))))
rn = root_ca(extra=[NC(None, [x509.UniformResourceIdentifier("foo.example.com")])])
case("nc-uri-excl-match", "FAILURE", [rn], leaf_cert(rn, san=SAN(DNSN("example.com"), x509.UniformResourceIdentifier("https://user@foo.example.com:8443/x"))))
# email in subject DN vs rfc822 constraints
rn = root_ca(extra=[NC([x509.RFC822Name("example.com")])])
lf = leaf_cert(rn, subject=x509.Name([x509.NameAttribute(NameOID.EMAIL_ADDRESS, "a@evil.test"), x509.NameAttribute(NameOID.COMMON_NAME, "x")]), san=SAN(x509.RFC822Name("a@example.com")), eku=ext(x509.ExtendedKeyUsage([EKU.CLIENT_AUTH])))
case("nc-email-subject-dn-outside", "FAILURE", [rn], lf, peer=None, kind="CLIENT")
# CN fallback: no SAN DNS, CN host outside permitted
rn = root_ca(extra=[NC([DNSN("example.com")])])
case("nc-cn-fallback", "FAILURE", [rn], leaf_cert(rn, subject=name("evil.test"), san=SAN(IPA(IPv4Address("10.0.0.1")))), peer=("IP","10.0.0.1"))


# ---- malformed known extensions ----
from cryptography.x509.oid import ExtensionOID as XO
U = lambda oid, b, crit=False: ext(x509.UnrecognizedExtension(oid, b), crit)
case("mal-ku-leaf", "FAILURE", [r], leaf_cert(r, kus=U(XO.KEY_USAGE, b"junk")))
i = intermediate_ca(r, kus=U(XO.KEY_USAGE, b"\x03\x02\x01"))
case("mal-ku-ica", "FAILURE", [r], leaf_cert(i), [i])
i = intermediate_ca(r, extra=[U(XO.EXTENDED_KEY_USAGE, b"\x30\x03\x06\x01")])
case("mal-eku-ica", "FAILURE", [r], leaf_cert(i), [i])
case("mal-eku-leaf", "FAILURE", [r], leaf_cert(r, eku=U(XO.EXTENDED_KEY_USAGE, b"zz")))
case("mal-bc-leaf", "FAILURE", [r], leaf_cert(r, bc=U(XO.BASIC_CONSTRAINTS, b"\x30\x03\x01\x01")))
case("mal-san-leaf", "FAILURE", [r], leaf_cert(r, san=U(XO.SUBJECT_ALTERNATIVE_NAME, b"\x30\x05\x82\x03ab")))
case("mal-aki-leaf", "FAILURE", [r], leaf_cert(r, aki=U(XO.AUTHORITY_KEY_IDENTIFIER, b"\x30\x05\x80\x03")))
case("mal-ski-leaf", "FAILURE", [r], leaf_cert(r, extra=[U(XO.SUBJECT_KEY_IDENTIFIER, b"\x04\x05ab")], ski=None))
i = intermediate_ca(r, extra=[U(XO.NAME_CONSTRAINTS, b"\x30\x04\xa0\x02\x30\x00", True)])
case("mal-nc-ica", "FAILURE", [r], leaf_cert(i), [i])
i = intermediate_ca(r, extra=[U(XO.POLICY_CONSTRAINTS, b"\x30\x03\x80\x01", True)])
case("mal-pc-ica", "FAILURE", [r], leaf_cert(i), [i])
i = intermediate_ca(r, extra=[U(XO.CERTIFICATE_POLICIES, b"\x30\x03\x06\x01", False)])
case("mal-cp-ica", "FAILURE", [r], leaf_cert(i), [i])
case("mal-crldp-leaf", "FAILURE", [r], leaf_cert(r, extra=[U(XO.CRL_DISTRIBUTION_POINTS, b"\x30\x02\x30")]))

PRE = x509.ObjectIdentifier("1.3.6.1.4.1.11129.2.4.4")
for nm_, ekus_, crit, exp in [
        ("eku-critical", [EKU.SERVER_AUTH], True, "FAILURE"),
        ("eku-client-only", [EKU.CLIENT_AUTH], False, "FAILURE"),
        ("eku-precert-only", [PRE], False, "FAILURE"),
        ("eku-precert-server", [EKU.SERVER_AUTH, PRE], False, "FAILURE"),
        ("eku-server-client", [EKU.SERVER_AUTH, EKU.CLIENT_AUTH], False, "SUCCESS"),
        ("eku-code-server", [EKU.SERVER_AUTH, EKU.CODE_SIGNING], False, "FAILURE"),
        ("eku-email-server", [EKU.SERVER_AUTH, EKU.EMAIL_PROTECTION], False, "FAILURE"),
        ("eku-ts-server", [EKU.SERVER_AUTH, EKU.TIME_STAMPING], False, "FAILURE"),
        ("eku-ocsp-server", [EKU.SERVER_AUTH, EKU.OCSP_SIGNING], False, "FAILURE")]:
    case(nm_, exp, [r], leaf_cert(r, eku=ext(x509.ExtendedKeyUsage(ekus_), crit)), ekus=["serverAuth"])
rk_ = rsa.generate_private_key(public_exponent=65537, key_size=2048)
case("ku-rsa-empty", "FAILURE", [r], leaf_cert(r, key=rk_, kus=ext(x509.KeyUsage(False,False,False,False,False,False,False,False,False), True)), peer=None)
case("ku-rsa-ok", "SUCCESS", [r], leaf_cert(r, key=rsa.generate_private_key(public_exponent=65537, key_size=2048), kus=ext(x509.KeyUsage(True,False,True,False,False,False,False,False,False), True)), peer=None)

VT = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
def crl(signer_key, issuer_name, revoked=(), tu=VT - dt.timedelta(days=1), nu=VT + dt.timedelta(days=30), number=D, aki_key=None):
    b = x509.CertificateRevocationListBuilder().issuer_name(issuer_name).last_update(tu).next_update(nu)
    for s_, when in revoked:
        b = b.add_revoked_certificate(x509.RevokedCertificateBuilder().serial_number(s_).revocation_date(when).build())
    if number is D:
        b = b.add_extension(x509.CRLNumber(1), False)
    elif number is not None:
        b = b.add_extension(x509.CRLNumber(1), number)
    if aki_key is not None:
        b = b.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(aki_key.public_key()), False)
    return b.sign(signer_key, hashes.SHA256())
def ccase(id_, exp, trusted, leaf, crls, inter=()):
    case(id_, exp, trusted, leaf, inter, at="2024-01-01T00:00:00Z")
    CASES[-1]["crls"] = [c.public_bytes(serialization.Encoding.PEM).decode() for c in crls]
rc = root_ca()
lf = leaf_cert(rc)
ccase("crl-revoked", "FAILURE", [rc], lf, [crl(rc.key, rc.cert.subject, [(lf.cert.serial_number, VT - dt.timedelta(days=1))])])
ccase("crl-not-listed", "SUCCESS", [rc], lf, [crl(rc.key, rc.cert.subject, [(12345, VT - dt.timedelta(days=1))])])
ccase("crl-revoked-future-date", "FAILURE", [rc], lf, [crl(rc.key, rc.cert.subject, [(lf.cert.serial_number, VT + dt.timedelta(days=1))])])
ccase("crl-this-update-future", "FAILURE", [rc], lf, [crl(rc.key, rc.cert.subject, tu=VT + dt.timedelta(days=1))])
ccase("crl-next-update-past", "FAILURE", [rc], lf, [crl(rc.key, rc.cert.subject, tu=VT - dt.timedelta(days=60), nu=VT - dt.timedelta(days=30))])
ccase("crl-number-missing", "FAILURE", [rc], lf, [crl(rc.key, rc.cert.subject, number=None)])
ccase("crl-number-critical", "FAILURE", [rc], lf, [crl(rc.key, rc.cert.subject, number=True)])
ccase("crl-bad-signature", "FAILURE", [rc], lf, [crl(newkey(), rc.cert.subject, aki_key=rc.key)])
r1 = root_ca(subject=name("Root CA 1")); r2 = root_ca(subject=name("Root CA 2"))
l1 = leaf_cert(r1)
ccase("crl-other-issuer", "SUCCESS", [r1, r2], l1, [crl(r1.key, r1.cert.subject), crl(r2.key, r2.cert.subject, [(l1.cert.serial_number, VT - dt.timedelta(days=1))])])
ccase("crl-wrong-key", "FAILURE", [r1, r2], l1, [crl(r2.key, r1.cert.subject)])
rk1 = root_ca(kus=ext(ku(cert_sign=True)))
ccase("crl-issuer-no-crlsign", "FAILURE", [rk1], leaf_cert(rk1), [crl(rk1.key, rk1.cert.subject)])
rk2 = root_ca(kus=None)
ccase("crl-issuer-no-ku", "SUCCESS", [rk2], leaf_cert(rk2), [crl(rk2.key, rk2.cert.subject)])

ra = root_ca(aki=ext(x509.AuthorityKeyIdentifier(None, None, None)))
case("root-aki-no-keyid", "FAILURE", [ra], leaf_cert(ra))
k_ = newkey()
ra = root_ca(key=k_, aki=ext(x509.AuthorityKeyIdentifier(x509.AuthorityKeyIdentifier.from_issuer_public_key(k_.public_key()).key_identifier, [x509.DirectoryName(name("myCN"))], 1234)))
case("root-aki-all", "FAILURE", [ra], leaf_cert(ra))
k_ = newkey()
ra = root_ca(key=k_, aki=ext(x509.AuthorityKeyIdentifier.from_issuer_public_key(k_.public_key())))
case("root-aki-ok", "SUCCESS", [ra], leaf_cert(ra))

def mk(subj, issuer_subj, key, ikey, ku_=None):
    e = [ext(x509.BasicConstraints(True, None), True), ext(ku(cert_sign=True)),
         ext(x509.AuthorityKeyIdentifier.from_issuer_public_key(ikey.public_key())),
         ext(x509.SubjectKeyIdentifier.from_public_key(key.public_key()))]
    return C(build(name(subj), name(issuer_subj), key, ikey, e), key)
rA = root_ca(subject=name("Root A"))
kB, kC, kA1, kB1, kC1 = newkey(), newkey(), newkey(), newkey(), newkey()
A1 = mk("Intermediate A1", "Root A", kA1, rA.key)
inters = [A1, mk("Root A", "Root B", rA.key, kB), mk("Root A", "Root C", rA.key, kC),
          mk("Intermediate B1", "Root B", kB1, kB), mk("Root B", "Root A", kB, rA.key), mk("Root B", "Root C", kB, kC),
          mk("Intermediate C1", "Root C", kC1, kC), mk("Root C", "Root A", kC, rA.key), mk("Root C", "Root B", kC, kB)]
lf = leaf_cert(A1, subject=x509.Name([]), san=ext(x509.SubjectAlternativeName([x509.DNSName("cve-2024-0567.example.com")]), True))
case("cve-2024-0567", "SUCCESS", [rA], lf, inters, peer=("DNS", "cve-2024-0567.example.com"))
i = intermediate_ca(r, extra=[NC([DNSN("foo.example.com")])])
case("cve-2025-61727-permits", "FAILURE", [r], leaf_cert(i, san=SAN(DNSN("*.example.com"))), [i], peer=("DNS", "foo.example.com"))
i = intermediate_ca(r, extra=[NC([DNSN("example.com")], [DNSN("bar.example.com")])])
case("cve-2025-61727", "FAILURE", [r], leaf_cert(i, san=SAN(DNSN("*.example.com"))), [i], peer=("DNS", "bar.example.com"))

# issue 10 (2026-12-01): rules of the third pass
OTH = x509.OtherName(x509.ObjectIdentifier("1.2.3.4"), b"\x0c\x03a@b")
RID = x509.RegisteredID(x509.ObjectIdentifier("1.2.3.4"))
i = intermediate_ca(r, extra=[NC([DNSN("example.com"), OTH])])
case("nc-othername-leaf-without", "SUCCESS", [r], leaf_cert(i), [i])
case("nc-othername-leaf-other-value", "FAILURE", [r], leaf_cert(
    i, san=SAN(DNSN("example.com"), x509.OtherName(
        x509.ObjectIdentifier("1.2.3.4"), b"\x0c\x01x"))), [i])
case("nc-othername-dns-outside", "FAILURE", [r], leaf_cert(
    i, san=SAN(DNSN("example.org"))), [i], peer=("DNS", "example.org"))
i = intermediate_ca(r, extra=[NC([DNSN("example.com"), RID])])
case("nc-registeredid-leaf-without", "SUCCESS", [r], leaf_cert(i), [i])
i = intermediate_ca(r, extra=[NC(None, [OTH])])
case("nc-othername-excluded-leaf-has", "FAILURE", [r], leaf_cert(
    i, san=SAN(DNSN("example.com"), OTH)), [i])
i = intermediate_ca(r, kus=ext(ku(cert_sign=True, ds=True)), extra=[
    ext(x509.SubjectAlternativeName([DNSN("example.com")])),
    ext(x509.ExtendedKeyUsage([EKU.SERVER_AUTH]))])
case("ca-as-leaf-ee-like", "FAILURE", [r], i)
case("cn-sibling-of-san", "FAILURE", [r], leaf_cert(
    r, subject=name("pay.example.com")))
case("cn-parent-of-san", "SUCCESS", [r], leaf_cert(
    r, subject=name("example.com"), san=SAN(DNSN("www.example.com"))),
    peer=("DNS", "www.example.com"))
k1, k2 = newkey(), newkey()
ro1 = intermediate_ca(r, subject=name("Rollover CA"), key=k1)
ro2 = intermediate_ca(ro1, subject=name("Rollover CA"), key=k2)
case("max-depth-1-self-issued", "SUCCESS", [r], leaf_cert(ro2), [ro2, ro1],
     depth=1)
case("max-depth-0-self-issued", "FAILURE", [r], leaf_cert(ro2), [ro2, ro1],
     depth=0)

json.dump({"version": 1, "testcases": CASES}, open(sys.argv[1], "w"))
print(len(CASES), "cases")
