"""A small test PKI made at test time with python3-cryptography.

The e2e tests of chains, fetching and revocation need certificates whose
AIA and CRL distribution points name a server on 127.0.0.1 at a port
only known when the test runs, so they cannot be committed like
testcerts/.  Dates are fixed (around the tests' time 2026-06-01); keys
are ECDSA P-256, quick to make.
"""
import datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import (AuthorityInformationAccessOID,
                                   ExtendedKeyUsageOID, NameOID)


def when(s):
    return datetime.datetime.strptime(s, "%Y-%m-%d").replace(
        tzinfo=datetime.timezone.utc)


class Cert:
    def __init__(self, cert, key):
        self.cert = cert
        self.key = key

    @property
    def pem(self):
        return self.cert.public_bytes(serialization.Encoding.PEM)

    @property
    def der(self):
        return self.cert.public_bytes(serialization.Encoding.DER)

    @property
    def key_pem(self):
        return self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption())

    def write(self, path):
        with open(path, "wb") as f:
            f.write(self.pem)
        return path

    def write_key(self, path):
        with open(path, "wb") as f:
            f.write(self.key_pem)
        return path


def make(cn, issuer=None, *, ca=False, key=None, not_before="2021-01-01",
         not_after="2040-01-01", serial=None, hosts=(), ocsp=None,
         ca_issuers=None, crl_dp=None, eku=None, sans=None, ku_sign=True,
         nc=None, subject=None, extra=()):
    """A certificate for cn, issued by issuer (a Cert) or self-signed.

    ocsp, ca_issuers, crl_dp: URLs for the AIA and CRL DP extensions.
    eku: a list of ExtendedKeyUsageOID values, or None for the default
    (serverAuth for leaves, none for CAs).  sans: GeneralNames replacing
    the DNS names of hosts (default www.example.test for a leaf, none for
    a CA; [] for none at all); ku_sign: digitalSignature in the key usage;
    nc: an x509.NameConstraints (critical); subject: an x509.Name instead
    of CN=cn; extra: more extensions (non-critical)."""
    key = key or ec.generate_private_key(ec.SECP256R1())
    name = subject or x509.Name([x509.NameAttribute(NameOID.COMMON_NAME,
                                                    cn)])
    iss_name = issuer.cert.subject if issuer else name
    iss_key = issuer.key if issuer else key
    b = (x509.CertificateBuilder()
         .subject_name(name).issuer_name(iss_name)
         .public_key(key.public_key())
         .serial_number(serial or x509.random_serial_number())
         .not_valid_before(when(not_before))
         .not_valid_after(when(not_after))
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None),
                        critical=True)
         .add_extension(x509.SubjectKeyIdentifier.from_public_key(
             key.public_key()), critical=False)
         .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
             iss_key.public_key()), critical=False)
         .add_extension(x509.KeyUsage(
             digital_signature=ku_sign, content_commitment=False,
             key_encipherment=False, data_encipherment=False,
             key_agreement=False, key_cert_sign=ca, crl_sign=ca,
             encipher_only=False, decipher_only=False), critical=True))
    if sans is None and not ca:
        sans = [x509.DNSName(h) for h in (hosts or ["www.example.test"])]
    if sans:
        b = b.add_extension(x509.SubjectAlternativeName(sans),
                            critical=False)
    if eku is None and not ca:
        eku = [ExtendedKeyUsageOID.SERVER_AUTH]
    if eku:
        b = b.add_extension(x509.ExtendedKeyUsage(eku), critical=False)
    aia = []
    if ocsp:
        aia.append(x509.AccessDescription(AuthorityInformationAccessOID.OCSP,
                                          x509.UniformResourceIdentifier(ocsp)))
    if ca_issuers:
        aia.append(x509.AccessDescription(
            AuthorityInformationAccessOID.CA_ISSUERS,
            x509.UniformResourceIdentifier(ca_issuers)))
    if aia:
        b = b.add_extension(x509.AuthorityInformationAccess(aia),
                            critical=False)
    if crl_dp:
        b = b.add_extension(x509.CRLDistributionPoints([
            x509.DistributionPoint(
                full_name=[x509.UniformResourceIdentifier(crl_dp)],
                relative_name=None, reasons=None, crl_issuer=None)]),
            critical=False)
    if nc is not None:
        b = b.add_extension(nc, critical=True)
    for e in extra:
        b = b.add_extension(e, critical=False)
    return Cert(b.sign(iss_key, hashes.SHA256()), key)


def pkcs7(certs):
    """A degenerate PKCS#7 (certs-only) SignedData, DER."""
    from cryptography.hazmat.primitives.serialization import pkcs7 as p7
    return p7.serialize_certificates([c.cert for c in certs],
                                     serialization.Encoding.DER)


def write_chain(path, certs):
    with open(path, "wb") as f:
        for c in certs:
            f.write(c.pem)
    return path


def make_crl(issuer, revoked=(), this_update=None, next_update=None,
             key=None, number=1):
    """A DER CRL of issuer (a Cert) listing revoked: (serial, "YYYY-MM-DD")
    pairs; this_update/next_update are datetimes (default: now - 1 h and
    now + 1 day); key signs instead of the issuer's (a wrong key)."""
    now = datetime.datetime.now(datetime.timezone.utc)
    b = (x509.CertificateRevocationListBuilder()
         .issuer_name(issuer.cert.subject)
         .last_update(this_update or now - datetime.timedelta(hours=1))
         .next_update(next_update or now + datetime.timedelta(days=1))
         .add_extension(x509.CRLNumber(number), critical=False))
    for serial, day in revoked:
        b = b.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial)
            .revocation_date(when(day)).build())
    crl = b.sign(key or issuer.key, hashes.SHA256())
    return crl.public_bytes(serialization.Encoding.DER)


def make_ocsp_response(cert, issuer, nonce=None):
    """A DER OCSP response saying cert (a Cert) is good, signed by issuer,
    valid from an hour ago to a day ahead, with nonce (bytes) or none."""
    from cryptography.x509 import ocsp
    now = datetime.datetime.now(datetime.timezone.utc)
    b = (ocsp.OCSPResponseBuilder()
         .add_response(cert=cert.cert, issuer=issuer.cert,
                       algorithm=hashes.SHA1(),
                       cert_status=ocsp.OCSPCertStatus.GOOD,
                       this_update=now - datetime.timedelta(hours=1),
                       next_update=now + datetime.timedelta(days=1),
                       revocation_time=None, revocation_reason=None)
         .responder_id(ocsp.OCSPResponderEncoding.HASH, issuer.cert))
    if nonce is not None:
        b = b.add_extension(x509.OCSPNonce(nonce), critical=False)
    return b.sign(issuer.key, hashes.SHA256()).public_bytes(
        serialization.Encoding.DER)
