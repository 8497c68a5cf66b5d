#!/usr/bin/python3
"""Stapled OCSP responses for live-mode tests (RFC 6960), written to
testcerts/ocsp/.  Deterministic times around the fixed test time
2026-06-01T00:00:00Z; run with Debian's python3-cryptography:

    /usr/bin/python3 testcerts/gen_ocsp.py

Every response concerns pki/ee-rsa.pem (issued by pki/ica-rsa.pem) unless
said otherwise; see [ocsp:NAME] in manifest.ini for what each is for.
producedAt is the time of generation, so re-running changes the bytes but
not what the tests check.
"""
import datetime
import os

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp

HERE = os.path.dirname(os.path.abspath(__file__))
PKI = os.path.join(HERE, "pki")
OUT = os.path.join(HERE, "ocsp")


def cert(name):
    with open(os.path.join(PKI, name + ".pem"), "rb") as f:
        return x509.load_pem_x509_certificate(f.read())


def key(name):
    with open(os.path.join(PKI, name + ".key"), "rb") as f:
        return serialization.load_pem_private_key(f.read(), None)


def t(s):
    return datetime.datetime.fromisoformat(s)


def response(leaf, issuer, signer_cert, signer_key, status, this, nxt,
             produced=None, revoked_at=None, extra_certs=None):
    b = ocsp.OCSPResponseBuilder()
    b = b.add_response(cert=leaf, issuer=issuer, algorithm=hashes.SHA1(),
                       cert_status=status, this_update=t(this),
                       next_update=t(nxt) if nxt else None,
                       revocation_time=t(revoked_at) if revoked_at else None,
                       revocation_reason=(x509.ReasonFlags.key_compromise
                                          if revoked_at else None))
    b = b.responder_id(ocsp.OCSPResponderEncoding.HASH, signer_cert)
    if extra_certs:
        b = b.certificates(extra_certs)
    # producedAt is the generator's clock (the library offers no other);
    # only thisUpdate/nextUpdate matter to the tests.
    r = b.sign(signer_key, hashes.SHA256())
    return r.public_bytes(serialization.Encoding.DER)


def main():
    os.makedirs(OUT, exist_ok=True)
    ee, ica = cert("ee-rsa"), cert("ica-rsa")
    ica_key = key("ica-rsa")
    G, R, U = (ocsp.OCSPCertStatus.GOOD, ocsp.OCSPCertStatus.REVOKED,
               ocsp.OCSPCertStatus.UNKNOWN)
    ok_this, ok_next = "2026-05-31T00:00:00", "2026-06-07T00:00:00"
    files = {
        "good.der": response(ee, ica, ica, ica_key, G, ok_this, ok_next),
        "revoked.der": response(ee, ica, ica, ica_key, R, ok_this,
                                ok_next, revoked_at="2026-05-15T00:00:00"),
        "unknown.der": response(ee, ica, ica, ica_key, U, ok_this,
                                ok_next),
        "expired.der": response(ee, ica, ica, ica_key, G,
                                "2026-05-01T00:00:00",
                                "2026-05-08T00:00:00"),
        # signed by root-ec, which is neither the issuer nor a responder
        # the issuer delegated to (RFC 6960 4.2.2.2): must be refused
        "wrong-signer.der": response(ee, ica, cert("root-ec"),
                                     key("root-ec"), G, ok_this, ok_next,
                                     extra_certs=[cert("root-ec")]),
        # a good response, but for another certificate (ee-ec)
        "other-cert.der": response(cert("ee-ec"), cert("ica-ec"),
                                   cert("ica-ec"), key("ica-ec"), G,
                                   ok_this, ok_next),
        # not DER at all
        "garbage.der": b"\x30\x82\xff\xffnot an OCSP response",
    }
    for name, data in files.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
