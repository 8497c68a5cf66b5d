"""DER built by hand for the e2e tests: a length and a TLV (X.690 8.1)."""


def der_len(n):
    """The length octets of N: short form below 128, else long form."""
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def tlv(tag, body):
    """Identifier octet TAG, the length of BODY, BODY."""
    return bytes([tag]) + der_len(len(body)) + body
