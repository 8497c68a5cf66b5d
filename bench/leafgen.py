"""Server leaves for the benchmarks, all under one intermediate.

leaves(ica, ica_key, key, n) yields (i, certificate) for n leaves named
host<i>.example.test, one key shared by all (the benchmarks time
validation, not key generation), valid 2026-01-01 to 2028-01-01, with the
extensions a Web PKI server leaf has; serial numbers 0x100000 + i.  Used by
bench_many.sh and bench_check.sh.
"""
import datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def leaves(ica, ica_key, key, n):
    aki = x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(
        ica.extensions.get_extension_for_class(
            x509.SubjectKeyIdentifier).value)
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    nb, na = datetime.datetime(2026, 1, 1), datetime.datetime(2028, 1, 1)
    for i in range(n):
        h = "host%d.example.test" % i
        yield i, (x509.CertificateBuilder()
                  .subject_name(x509.Name(
                      [x509.NameAttribute(NameOID.COMMON_NAME, h)]))
                  .issuer_name(ica.subject).public_key(key.public_key())
                  .serial_number(0x100000 + i)
                  .not_valid_before(nb).not_valid_after(na)
                  .add_extension(x509.BasicConstraints(ca=False,
                                                       path_length=None), True)
                  .add_extension(x509.KeyUsage(True, False, False, False,
                                               False, False, False, False,
                                               False), True)
                  .add_extension(x509.ExtendedKeyUsage(
                      [ExtendedKeyUsageOID.SERVER_AUTH]), False)
                  .add_extension(x509.SubjectAlternativeName(
                      [x509.DNSName(h)]), False)
                  .add_extension(aki, False)
                  .add_extension(ski, False)
                  .sign(ica_key, hashes.SHA256()))
