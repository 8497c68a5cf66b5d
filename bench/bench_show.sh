#!/bin/sh
# bench_show.sh - `certscope show` of a bundle of roots against certtool -i
# and openssl, text and JSON, in one run.
#
# Two inputs, copied or generated into a temporary directory:
#   system: the system bundle (BUNDLE, default
#           /etc/ssl/certs/ca-certificates.crt), as the issue measures it;
#   generated: 144 self-signed roots made with python3 `cryptography`
#           from fixed seeds and dates (P-256, P-384 and Ed25519 keys, a
#           third each: RSA keys cannot be seeded), the same bytes on
#           every machine but for the ECDSA signatures' random nonces.
# Commands, run interleaved RUNS times after 2 warm-up rounds (median
# and minimum wall time, median CPU time; peak RSS from /usr/bin/time):
#   certscope show FILE, certscope show --json FILE,
#   certtool -i --infile FILE, openssl storeutl -noout -text -certs FILE.
# Ratios: certtool / certscope text, certscope JSON / text.
#
# Usage: bench/bench_show.sh [BUILD_DIR]   (default: build)
# Env:   CERTSCOPE (executable), RUNS (default 21), BUNDLE
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
cs=${CERTSCOPE:-$build/src/certscope}
runs=${RUNS:-21}
bundle=${BUNDLE:-/etc/ssl/certs/ca-certificates.crt}

[ -x "$cs" ] || { echo "no certscope at $cs (build first)" >&2; exit 77; }
[ -r "$bundle" ] || { echo "no bundle $bundle" >&2; exit 77; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cp "$bundle" "$tmp/system.pem"

if python3 -c 'import cryptography' 2>/dev/null; then
	python3 - "$tmp/generated.pem" <<'EOF'
import datetime, sys
from cryptography import x509
from cryptography.x509.oid import NameOID
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

out = []
for i in range(144):
    seed = 0x5EED0000 + i
    if i % 3 == 0:
        k = ec.derive_private_key(seed, ec.SECP256R1())
    elif i % 3 == 1:
        k = ec.derive_private_key(seed, ec.SECP384R1())
    else:
        k = ed25519.Ed25519PrivateKey.from_private_bytes(
            seed.to_bytes(32, "big"))
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "XX"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME,
                           "Bench Trust Services %d" % (i // 4)),
        x509.NameAttribute(NameOID.COMMON_NAME, "Bench Root CA %03d" % i)])
    ski = x509.SubjectKeyIdentifier.from_public_key(k.public_key())
    b = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
         .public_key(k.public_key()).serial_number(seed)
         .not_valid_before(datetime.datetime(2020, 1, 1))
         .not_valid_after(datetime.datetime(2040, 1, 1))
         .add_extension(x509.BasicConstraints(ca=True, path_length=None),
                        critical=True)
         .add_extension(x509.KeyUsage(False, False, False, False, False,
                                      True, True, False, False),
                        critical=True)
         .add_extension(ski, critical=False))
    alg = None if i % 3 == 2 else hashes.SHA384()
    out.append(b.sign(k, alg).public_bytes(serialization.Encoding.PEM))
open(sys.argv[1], "wb").write(b"".join(out))
EOF
	inputs="system generated"
else
	echo "(python3 cryptography missing: the generated bundle is skipped)"
	inputs=system
fi

echo "# certscope show against peers"
echo
echo "command: sh bench/bench_show.sh${1:+ $1}  (RUNS=$runs, interleaved, medians)"
echo "certscope: $cs ($("$cs" --version 2>/dev/null | head -n 1))"
echo "machine: $(nproc) cores, $(grep -m 1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "peers: $(certtool --version 2>/dev/null | head -n 1 || echo 'no certtool'), $(openssl version 2>/dev/null || echo 'no openssl')"
for in in $inputs; do
	f=$tmp/$in.pem
	echo
	echo "## $in bundle: $(grep -c 'BEGIN CERTIFICATE' "$f") certificates, $(wc -c <"$f") bytes"
	echo
	{
		printf 'certscope show\t%s show %s\n' "$cs" "$f"
		printf 'certscope show --json\t%s show --json %s\n' "$cs" "$f"
		if command -v certtool >/dev/null 2>&1; then
			printf 'certtool -i\tcerttool -i --infile %s\n' "$f"
		fi
		if command -v openssl >/dev/null 2>&1; then
			printf 'openssl storeutl\topenssl storeutl -noout -text -certs %s\n' "$f"
		fi
	} >"$tmp/spec"
	set -- --ratio "certscope show/certscope show --json"
	command -v certtool >/dev/null 2>&1 &&
		set -- "$@" --ratio "certscope show/certtool -i" \
			--ratio "certscope show --json/certtool -i"
	command -v openssl >/dev/null 2>&1 &&
		set -- "$@" --ratio "certscope show/openssl storeutl"
	python3 "$top/bench/timeit.py" --runs "$runs" "$@" "$tmp/spec"
done
