#!/bin/sh
# bench_trust.sh - `certscope verify --trust FILE` and `--trust DIR` with
# the system bundle plus one root as anchors, against the same anchors
# through the system store (--system-trust) and against certtool and
# openssl, in one run.
#
# Generated into a temporary directory (python3 `cryptography`, keys from
# fixed seeds, fixed dates 2024-01-01 to 2034-01-01 so that the peers,
# which verify at the current time, accept them too): a root "Bench Root"
# (P-256), an intermediate and a leaf for www.bench.test; then
#   anchors.pem: the system bundle (BUNDLE) followed by the root,
#   anchors.d/: every anchor in a file of its own, hashed with
#               `openssl rehash` (an OpenSSL CApath directory).
# Commands, run interleaved RUNS times after 2 warm-up rounds (median
# and minimum wall time, median CPU time; peak RSS from /usr/bin/time):
#   certscope verify --at 2026-06-01T00:00:00Z --trust anchors.pem CHAIN
#   certscope verify ... --trust anchors.d CHAIN
#   certscope verify ... --trust root.pem --system-trust CHAIN
#     (the same anchors: the root, and the system store, which is indexed
#     lazily; only when BUNDLE is the system store's file)
#   certtool --verify --load-ca-certificate anchors.pem --infile CHAIN
#   openssl verify -CAfile anchors.pem -untrusted ica.pem leaf.pem
#   openssl verify -CApath anchors.d -untrusted ica.pem leaf.pem
# CHAIN is the leaf followed by the intermediate; every command trusts it.
#
# Usage: bench/bench_trust.sh [BUILD_DIR]   (default: build)
# Env:   CERTSCOPE (executable), RUNS (default 21), BUNDLE
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
cs=${CERTSCOPE:-$build/src/certscope}
runs=${RUNS:-21}
system=/etc/ssl/certs/ca-certificates.crt
bundle=${BUNDLE:-$system}
at=2026-06-01T00:00:00Z

[ -x "$cs" ] || { echo "no certscope at $cs (build first)" >&2; exit 77; }
[ -r "$bundle" ] || { echo "no bundle $bundle" >&2; exit 77; }
python3 -c 'import cryptography' 2>/dev/null ||
	{ echo "python3 cryptography missing" >&2; exit 77; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

python3 - "$tmp" <<'EOF'
import datetime, sys
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

out = sys.argv[1]
def name(cn):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
def cert(subj, key, iss, iss_key, serial, ca, exts=()):
    b = (x509.CertificateBuilder().subject_name(name(subj))
         .issuer_name(name(iss)).public_key(key.public_key())
         .serial_number(serial)
         .not_valid_before(datetime.datetime(2024, 1, 1))
         .not_valid_after(datetime.datetime(2034, 1, 1))
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None),
                        critical=True)
         .add_extension(x509.SubjectKeyIdentifier.from_public_key(
             key.public_key()), critical=False))
    if iss_key is not key:
        b = b.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(
                iss_key.public_key()), critical=False)
    for e in exts:
        b = b.add_extension(e, critical=False)
    return b.sign(iss_key, hashes.SHA256()).public_bytes(
        serialization.Encoding.PEM)
rk = ec.derive_private_key(0x5EED1001, ec.SECP256R1())
ik = ec.derive_private_key(0x5EED1002, ec.SECP256R1())
lk = ec.derive_private_key(0x5EED1003, ec.SECP256R1())
root = cert("Bench Root", rk, "Bench Root", rk, 1, True)
ica = cert("Bench Intermediate", ik, "Bench Root", rk, 2, True)
leaf = cert("www.bench.test", lk, "Bench Intermediate", ik, 3, False, [
    x509.SubjectAlternativeName([x509.DNSName("www.bench.test")]),
    x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH])])
for fn, data in (("root.pem", root), ("ica.pem", ica), ("leaf.pem", leaf),
                 ("chain.pem", leaf + ica)):
    open("%s/%s" % (out, fn), "wb").write(data)
EOF
cat "$bundle" "$tmp/root.pem" >"$tmp/anchors.pem"
mkdir "$tmp/anchors.d"
awk -v d="$tmp/anchors.d" '
	/-----BEGIN CERTIFICATE-----/ { n++; f = sprintf("%s/a%04d.pem", d, n) }
	f { print > f }
	/-----END CERTIFICATE-----/ { close(f); f = "" }' "$tmp/anchors.pem"
have_rehash=no
if command -v openssl >/dev/null 2>&1 &&
	openssl rehash "$tmp/anchors.d" >/dev/null 2>&1; then
	have_rehash=yes
fi

echo "# certscope verify --trust FILE / DIR against peers"
echo
echo "command: sh bench/bench_trust.sh${1:+ $1}  (RUNS=$runs, interleaved, medians)"
echo "certscope: $cs ($("$cs" --version 2>/dev/null | head -n 1))"
echo "machine: $(nproc) cores, $(grep -m 1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "peers: $(certtool --version 2>/dev/null | head -n 1 || echo 'no certtool'), $(openssl version 2>/dev/null || echo 'no openssl')"
echo "anchors: $(grep -c 'BEGIN CERTIFICATE' "$tmp/anchors.pem") ($bundle and the generated root); hashed directory: $have_rehash"
echo

v="$cs verify --at $at"
{
	printf 'certscope --trust FILE\t%s --trust %s %s\n' "$v" \
		"$tmp/anchors.pem" "$tmp/chain.pem"
	printf 'certscope --trust DIR\t%s --trust %s %s\n' "$v" \
		"$tmp/anchors.d" "$tmp/chain.pem"
	[ "$bundle" = "$system" ] &&
		printf 'certscope --system-trust\t%s --trust %s --system-trust %s\n' \
			"$v" "$tmp/root.pem" "$tmp/chain.pem"
	command -v certtool >/dev/null 2>&1 &&
		printf 'certtool --verify\tcerttool --verify --load-ca-certificate %s --infile %s\n' \
			"$tmp/anchors.pem" "$tmp/chain.pem"
	if command -v openssl >/dev/null 2>&1; then
		printf 'openssl -CAfile\topenssl verify -CAfile %s -untrusted %s %s\n' \
			"$tmp/anchors.pem" "$tmp/ica.pem" "$tmp/leaf.pem"
		[ $have_rehash = yes ] &&
			printf 'openssl -CApath\topenssl verify -CApath %s -untrusted %s %s\n' \
				"$tmp/anchors.d" "$tmp/ica.pem" "$tmp/leaf.pem"
	fi
} >"$tmp/spec"

set --
command -v certtool >/dev/null 2>&1 &&
	set -- "$@" --ratio "certscope --trust FILE/certtool --verify"
[ "$bundle" = "$system" ] &&
	set -- "$@" --ratio "certscope --system-trust/certscope --trust FILE" \
		--ratio "certscope --system-trust/certscope --trust DIR"
if command -v openssl >/dev/null 2>&1; then
	set -- "$@" --ratio "certscope --trust FILE/openssl -CAfile"
	[ $have_rehash = yes ] &&
		set -- "$@" --ratio "certscope --trust DIR/openssl -CApath"
fi
python3 "$top/bench/timeit.py" --runs "$runs" "$@" "$tmp/spec"
