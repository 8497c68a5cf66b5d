#!/bin/sh
# bench_many.sh - 1,000 leaves under one intermediate, verified in ONE
# process: certscope verify against openssl verify (and certtool for
# reference, one process per file since it takes one chain per run).
#
# Inputs (generated into a temporary directory by python3 cryptography,
# fixed keys and dates): N leaves (default 1,000) signed by
# testcerts/pki/ica-$KEY (KEY = ec: P-256, rsa: RSA-2048), one P-256 leaf
# key from a fixed scalar, notBefore 2026-01-01, notAfter 2028-01-01.
# Leaf files hold the leaf alone (leaf/) or the leaf and the intermediate
# (chain/).  Commands timed (bench/timeit.py: interleaved, medians, peak
# RSS):
#   certscope verify --at 2026-06-01T00:00:00Z --trust root --untrusted ica
#       leaf/1 .. leaf/N
#   certscope verify --at ... --trust root chain/1 .. chain/N
#   openssl verify -attime T -CAfile root -untrusted ica leaf/1 .. leaf/N
#   openssl verify -attime T -CAfile root chain/1 .. chain/N  (the first
#       certificate of each file only, so -untrusted ica here too)
#   certtool --verify (one chain per process): 20 files, for reference
#
# Usage: bench/bench_many.sh [BUILD_DIR]   (default: build)
# Env:   CERTSCOPE (executable), RUNS (default 11), N (default 1000),
#        KEY (ec or rsa, default ec), OLD (a second certscope to compare)
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
cs=${CERTSCOPE:-$build/src/certscope}
runs=${RUNS:-11}
n=${N:-1000}
key=${KEY:-ec}
pki=$top/testcerts/pki
at=2026-06-01T00:00:00Z
attime=1780272000 # the same instant for openssl -attime

[ -x "$cs" ] || { echo "no certscope at $cs (build first)" >&2; exit 77; }
case $key in ec | rsa) ;; *) echo "KEY is ec or rsa" >&2; exit 2 ;; esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

python3 - "$pki" "$key" "$tmp" "$n" "$top/bench" <<'EOF'
import os, sys
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
pki, kt, out, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
sys.path.insert(0, sys.argv[5])
from leafgen import leaves
ica_pem = open(os.path.join(pki, "ica-%s.pem" % kt), "rb").read()
ica = x509.load_pem_x509_certificate(ica_pem)
ica_key = serialization.load_pem_private_key(
    open(os.path.join(pki, "ica-%s.key" % kt), "rb").read(), None)
key = ec.derive_private_key(0x5EED5EED5EED5EED5EED5EED5EED5EED,
                            ec.SECP256R1())
for d in ("leaf", "chain"):
    os.makedirs(os.path.join(out, d), exist_ok=True)
with open(os.path.join(out, "ica.pem"), "wb") as f:
    f.write(ica_pem)
for i, c in leaves(ica, ica_key, key, n):
    pem = c.public_bytes(serialization.Encoding.PEM)
    with open(os.path.join(out, "leaf", "%05d.pem" % i), "wb") as f:
        f.write(pem)
    with open(os.path.join(out, "chain", "%05d.pem" % i), "wb") as f:
        f.write(pem + ica_pem)
EOF

root=$pki/root-$key.pem
leaves=$(echo "$tmp"/leaf/*.pem)
chains=$(echo "$tmp"/chain/*.pem)
cat "$tmp"/leaf/* "$tmp"/chain/* >/dev/null # warm the page cache

# every verdict must be "trusted" before anything is timed
"$cs" verify --at $at --trust "$root" --untrusted "$tmp/ica.pem" $leaves \
	>"$tmp/cs.out" 2>&1 || { echo "certscope: not all trusted" >&2
	tail -n 20 "$tmp/cs.out" >&2; exit 1; }
openssl verify -attime $attime -CAfile "$root" -untrusted "$tmp/ica.pem" \
	$leaves >"$tmp/os.out" 2>&1 || { echo "openssl: not all OK" >&2
	exit 1; }

echo "certscope: $cs ($("$cs" --version 2>/dev/null | head -n 1))"
echo "OpenSSL: $(openssl version)"
echo "GnuTLS: $(certtool --version 2>/dev/null | head -n 1)"
echo "$n leaves, key $key, $runs runs"
echo

spec=$tmp/spec
{
	printf 'cs-leaf\t%s verify --at %s --trust %s --untrusted %s %s\n' \
		"$cs" $at "$root" "$tmp/ica.pem" "$leaves"
	printf 'cs-chain\t%s verify --at %s --trust %s %s\n' \
		"$cs" $at "$root" "$chains"
	if [ -n "${OLD:-}" ]; then
		printf 'old-leaf\t%s verify --at %s --trust %s --untrusted %s %s\n' \
			"$OLD" $at "$root" "$tmp/ica.pem" "$leaves"
		printf 'old-chain\t%s verify --at %s --trust %s %s\n' \
			"$OLD" $at "$root" "$chains"
	fi
	printf 'openssl-leaf\topenssl verify -attime %s -CAfile %s -untrusted %s %s\n' \
		$attime "$root" "$tmp/ica.pem" "$leaves"
	printf 'openssl-chain\topenssl verify -attime %s -CAfile %s -untrusted %s %s\n' \
		$attime "$root" "$tmp/ica.pem" "$chains"
} >"$spec"
ratios="--ratio cs-leaf/openssl-leaf --ratio cs-chain/openssl-chain"
[ -n "${OLD:-}" ] && ratios="$ratios --ratio cs-leaf/old-leaf --ratio cs-chain/old-chain"
# shellcheck disable=SC2086
python3 "$top/bench/timeit.py" --runs "$runs" $ratios "$spec"

# certtool verifies one chain per process: 20 files, per-file time
if command -v certtool >/dev/null 2>&1; then
	t0=$(date +%s%N)
	for f in $(echo "$chains" | tr ' ' '\n' | head -n 20); do
		certtool --verify --load-ca-certificate "$root" \
			--verify-profile=low --infile "$f" >/dev/null 2>&1 || true
	done
	t1=$(date +%s%N)
	echo
	echo "certtool --verify, one process per chain file: $(( (t1 - t0) / 20000 )) us per file (20 files)"
fi
