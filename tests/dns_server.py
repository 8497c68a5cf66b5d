#!/usr/bin/env python3
"""A small DNS server over UDP on 127.0.0.1 for `certscope connect` tests.

Listens on a port chosen by the OS and prints it on stdout.  Answers
every A query with the --a addresses and every AAAA query with the
--aaaa addresses (TTL 60), or misbehaves by --mode:

  answer    the addresses given (an empty answer if none of the type)
  nxdomain  RCODE 3, no such name
  servfail  RCODE 2
  refused   RCODE 5
  silent    reads queries and never answers
  garbage   answers with 12 random bytes

With --name NAME, only that name is answered so (case aside); any other
is NXDOMAIN.  Only the question of the query is parsed; the server runs
until killed.
"""
import argparse
import os
import socket
import struct
import sys

RCODE = {"nxdomain": 3, "servfail": 2, "refused": 5}


def question(q):
    """The end offset of the first question, its QTYPE and its name."""
    i = 12
    labels = []
    while i < len(q) and q[i] != 0:
        labels.append(q[i + 1:i + 1 + q[i]])
        i += 1 + q[i]
    if i + 5 > len(q):
        return None, None, None
    qtype = struct.unpack("!H", q[i + 1:i + 3])[0]
    return i + 5, qtype, b".".join(labels).decode("ascii", "replace")


def reply(q, mode, a, aaaa, only=None):
    if mode == "garbage":
        return os.urandom(12)
    end, qtype, name = question(q)
    if end is None:
        return None
    if only and name.lower() != only.lower():
        mode = "nxdomain"
    qid = q[:2]
    flags = 0x8180 | RCODE.get(mode, 0)  # QR, RD, RA
    rrs = []
    if mode == "answer":
        if qtype == 1:
            rrs = [(1, socket.inet_pton(socket.AF_INET, x)) for x in a]
        elif qtype == 28:
            rrs = [(28, socket.inet_pton(socket.AF_INET6, x)) for x in aaaa]
    out = qid + struct.pack("!HHHHH", flags, 1, len(rrs), 0, 0) + q[12:end]
    for t, rdata in rrs:
        # name: a pointer to the question's name at offset 12
        out += struct.pack("!HHHIH", 0xC00C, t, 1, 60, len(rdata)) + rdata
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", default="answer",
                    choices=["answer", "nxdomain", "servfail", "refused",
                             "silent", "garbage"])
    ap.add_argument("--a", action="append", default=[])
    ap.add_argument("--aaaa", action="append", default=[])
    ap.add_argument("--name")
    args = ap.parse_args()
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1], flush=True)
    while True:
        q, peer = s.recvfrom(4096)
        if args.mode == "silent" or len(q) < 12:
            continue
        r = reply(q, args.mode, args.a, args.aaaa, args.name)
        if r:
            s.sendto(r, peer)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
