#!/usr/bin/python3
"""gen_py.py - helpers for gen.sh for what certtool cannot do.

Run with /usr/bin/python3 (Debian python3-cryptography).  Everything here
is deterministic given its input files.

  gen_py.py sct-hex              hex of a TLS SignedCertificateTimestampList
  gen_py.py full-san-hex         hex DER of ee-full's subjectAltName value
  gen_py.py badsig IN.pem OUT.pem  copy a cert with one signature bit flipped
  gen_py.py crlf IN OUT          LF -> CRLF
  gen_py.py bom IN OUT           prepend a UTF-8 BOM
  gen_py.py bad TESTCERTS_DIR    write TESTCERTS_DIR/bad/*
"""
import base64
import hashlib
import os
import random
import struct
import sys

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding


def pem_block(label, der):
    b64 = base64.b64encode(der).decode("ascii")
    lines = [b64[i:i + 64] for i in range(0, len(b64), 64)]
    return ("-----BEGIN %s-----\n%s\n-----END %s-----\n"
            % (label, "\n".join(lines), label)).encode("ascii")


def first_pem_der(path):
    data = open(path, "rb").read()
    return x509.load_pem_x509_certificate(data).public_bytes(Encoding.DER)


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def sct_list():
    """One v1 SCT (RFC 6962 3.2), TLS-encoded, inside a SCT list."""
    log_id = hashlib.sha256(b"certscope test CT log").digest()  # 32 bytes
    timestamp_ms = 1735689600000  # 2025-01-01T00:00:00.000Z
    # A syntactically valid DER ECDSA-Sig-Value; it does not verify.
    r = bytes([0x01] * 32)
    s = bytes([0x02] * 32)
    sig = (b"\x30\x44" + b"\x02\x20" + r + b"\x02\x20" + s)
    sct = (b"\x00"                          # version v1
           + log_id
           + struct.pack(">Q", timestamp_ms)
           + struct.pack(">H", 0)           # no CT extensions
           + b"\x04\x03"                    # sha256, ecdsa
           + struct.pack(">H", len(sig)) + sig)
    serialized = struct.pack(">H", len(sct)) + sct
    return struct.pack(">H", len(serialized)) + serialized


def full_san():
    """DER of the SubjectAltName extension value used by ee-full."""
    import ipaddress
    san = x509.SubjectAlternativeName([
        x509.DNSName("www.example.test"),
        x509.DNSName("example.test"),
        x509.IPAddress(ipaddress.ip_address("192.0.2.10")),
        x509.IPAddress(ipaddress.ip_address("2001:db8::10")),
        x509.RFC822Name("alice@example.test"),
        x509.UniformResourceIdentifier("https://www.example.test/"),
    ])
    return san.public_bytes()


def cmd_badsig(src, dst):
    der = bytearray(first_pem_der(src))
    der[-1] ^= 0x01  # the signature BIT STRING is the last element
    write(dst, pem_block("CERTIFICATE", bytes(der)))


def cmd_bad(top):
    bad = os.path.join(top, "bad")
    os.makedirs(bad, exist_ok=True)
    ee = open(os.path.join(top, "formats", "ee-rsa.der"), "rb").read()
    ica = first_pem_der(os.path.join(top, "pki", "ica-rsa.pem"))
    root = first_pem_der(os.path.join(top, "pki", "root-rsa.pem"))
    ee_pem = pem_block("CERTIFICATE", ee)
    ica_pem = pem_block("CERTIFICATE", ica)
    root_pem = pem_block("CERTIFICATE", root)

    write(os.path.join(bad, "truncated.der"), ee[:120])
    write(os.path.join(bad, "trailing-garbage.der"), ee + b"GARBAGE\n")
    write(os.path.join(bad, "empty.pem"), b"")

    junk = bytearray(random.Random(20260601).randbytes(4096))
    if junk[0] == 0x30:  # must not look like the start of DER
        junk[0] = 0xFF
    assert b"-----BEGIN" not in junk
    write(os.path.join(bad, "junk.bin"), bytes(junk))

    # SEQUENCE claiming a 2 GiB length, then a few bytes.
    write(os.path.join(bad, "huge-length.der"),
          bytes([0x30, 0x84, 0x7F, 0xFF, 0xFF, 0xFF,
                 0x30, 0x82, 0x01, 0x00, 0x02, 0x01, 0x02]))

    # good ee-rsa, CERTIFICATE block holding the first half of ica-rsa's
    # DER, good ica-rsa: 2 certs + 1 error.
    write(os.path.join(bad, "truncated-in-pem.pem"),
          ee_pem + pem_block("CERTIFICATE", ica[:len(ica) // 2]) + ica_pem)

    # good ee-rsa, ica-rsa block with a '!' in its base64, good root-rsa.
    lines = ica_pem.split(b"\n")
    mid = lines[5]
    lines[5] = mid[:10] + b"!" + mid[11:]
    write(os.path.join(bad, "bad-base64.pem"),
          ee_pem + b"\n".join(lines) + root_pem)

    # good ee-rsa, then an ica-rsa block without its END line.
    cut = ica_pem.replace(b"-----END CERTIFICATE-----\n", b"")
    write(os.path.join(bad, "missing-end.pem"), ee_pem + cut)

    write(os.path.join(bad, "two-der-concat.der"), ee + ica)

    write(os.path.join(bad, "notacert.txt"),
          b"This is not a certificate.\n"
          b"It is a short note in plain prose, with no PEM armour and no\n"
          b"DER structure, used to check that certscope reports a clean\n"
          b"error instead of guessing.\n")

    key = open(os.path.join(top, "pki", "ee-rsa.key"), "rb").read()
    write(os.path.join(bad, "key-only.pem"), key)

    p12_hostile(bad, ee, ica)


def der_tlv(tag, body):
    n = len(body)
    if n < 0x80:
        head = bytes([n])
    else:
        b = n.to_bytes((n.bit_length() + 7) // 8, "big")
        head = bytes([0x80 | len(b)]) + b
    return bytes([tag]) + head + body


def der_oid(dotted):
    arcs = [int(x) for x in dotted.split(".")]
    out = bytes([40 * arcs[0] + arcs[1]])
    for v in arcs[2:]:
        enc = [v & 0x7F]
        v >>= 7
        while v:
            enc.append(0x80 | (v & 0x7F))
            v >>= 7
        out += bytes(reversed(enc))
    return der_tlv(0x06, out)


def der_seq(*parts):
    return der_tlv(0x30, b"".join(parts))


# RFC 7292 shapes, unencrypted and without a MAC (no password needed).
P12_BAG = "1.2.840.113549.1.12.10.1."


def p12_bag(kind, value):
    return der_seq(der_oid(P12_BAG + str(kind)), der_tlv(0xA0, value))


def p12_cert_bag(der):
    return p12_bag(3, der_seq(der_oid("1.2.840.113549.1.9.22.1"),
                              der_tlv(0xA0, der_tlv(0x04, der))))


def p12_secret_bag():
    # 160 bytes: real PFX files never fit a short-form length
    return p12_bag(5, der_seq(der_oid("1.2.3.4"),
                              der_tlv(0xA0, der_tlv(0x04, b"s" * 160))))


def p12_nested(bag, depth):
    for _ in range(depth):
        bag = p12_bag(6, der_seq(bag))   # safeContentsBag
    return bag


def p12_data(safe_contents):
    return der_seq(der_oid("1.2.840.113549.1.7.1"),
                   der_tlv(0xA0, der_tlv(0x04, safe_contents)))


def p12_pfx(content_infos):
    return der_seq(der_tlv(0x02, b"\x03"), p12_data(der_seq(*content_infos)))


def p12_hostile(bad, ee, ica):
    """PKCS#12 files GnuTLS reads only in part, which certscope must say:
    the loop-of-bags class (RFC 7292 nests SafeContents in SafeContents;
    DER cannot make a true cycle, so depth and width stand for it)."""
    # ica at the top, ee 64 SafeContents deep: 1 cert + 1 error
    write(os.path.join(bad, "p12-nested-64.p12"), p12_pfx([p12_data(
        der_seq(p12_cert_bag(ica), p12_nested(p12_cert_bag(ee), 64)))]))
    # 40 cert bags in one SafeContents: GnuTLS reads 32, 1 error
    write(os.path.join(bad, "p12-40-elements.p12"), p12_pfx([p12_data(
        der_seq(*[p12_cert_bag(ee)] * 40))]))
    # 65 ContentInfos (our limit is 64), the cert in the last: 1 error
    write(os.path.join(bad, "p12-65-bags.p12"), p12_pfx(
        [p12_data(der_seq(p12_secret_bag()))] * 64 +
        [p12_data(der_seq(p12_cert_bag(ee)))]))
    # a well-formed PFX with no certificate: 1 error
    write(os.path.join(bad, "p12-no-certs.p12"), p12_pfx(
        [p12_data(der_seq(p12_secret_bag()))]))


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    cmd = argv[1]
    if cmd == "sct-hex":
        print(sct_list().hex())
    elif cmd == "full-san-hex":
        print(full_san().hex())
    elif cmd == "badsig":
        cmd_badsig(argv[2], argv[3])
    elif cmd == "crlf":
        data = open(argv[2], "rb").read().replace(b"\r\n", b"\n")
        write(argv[3], data.replace(b"\n", b"\r\n"))
    elif cmd == "bom":
        write(argv[3], b"\xef\xbb\xbf" + open(argv[2], "rb").read())
    elif cmd == "bad":
        cmd_bad(argv[2])
    else:
        sys.exit("unknown command: " + cmd)


if __name__ == "__main__":
    main(sys.argv)
