#!/bin/bash
# bench_bounds.sh - resource bounds of certscope on hostile-sized input,
# peers measured on the same files in the same run.
#
# 1. A 10 MB certificate, two shapes (self-signed, EC P-256):
#      big-ext: one 10 MiB unknown non-critical extension
#      big-san: a subjectAltName of ~456,000 DNS names (10 MiB)
#    certscope show, certscope show --long --json,
#    openssl x509 -noout -text -inform DER, certtool -i --inder.
#    Memory is given as max RSS and as (RSS - RSS on a small certificate
#    of the same shape) / input size.
# 2. Bundles of 100, 1,000 and 10,000 certificates (the single-certificate
#    files of testcerts/pki, ee-* ica-* root-*, RSA, EC and Ed25519,
#    repeated in order): certscope show, certscope show --json,
#    openssl storeutl -noout -text -certs, certtool -i (which prints every
#    certificate of a PEM bundle).  Linear time = the marginal cost per
#    certificate is the same from 100 to 1,000 as from 1,000 to 10,000.
# 3. 1,000 look-alike intermediates: a leaf issued by "Look-alike CA"
#    under a root "Root"; pools of 1,000 CA certificates all named
#    "Look-alike CA" with the real one's key identifiers but keys of their
#    own (the shapes of run_lookalike in tests/unit/test_verify.c):
#      none-real: issued by "Root" but signed by another look-alike's key
#      real-last: the same 1,000, then the real intermediate
#      self-loop: each names itself as issuer and is signed by the next
#    with P-256 keys, and the self-loop again with P-521 keys (the most
#    expensive signature check of the key types made here).
#    certscope verify --at 2026-06-01T00:00:00Z --purpose any
#      --trust root.pem --untrusted POOL leaf.pem,
#    openssl verify -attime 1780272000 -CAfile root.pem -untrusted POOL,
#    certtool --verify --load-ca-certificate root.pem --infile LEAF+POOL
#    (certtool has no separate untrusted pool: the pool follows the leaf
#    in the chain file).
#
# Every input is generated at run time in a temporary directory (python3
# with the `cryptography` package for the certificates of 1 and 3) and
# removed on exit.  Each command runs RUNS times; the table gives the
# median wall time (date +%s%N around the run) and the median max RSS
# (/usr/bin/time %M, or getrusage(RUSAGE_CHILDREN) from a python3 wrapper
# when /usr/bin/time is missing).  A missing peer is skipped with a note.
#
# Usage: bench/bench_bounds.sh [BUILD_DIR]   (default: build)
# Env:   CERTSCOPE (executable), RUNS (default 5)
# The P-521 self-loop alone takes RUNS x ~7 s; the whole run ~2 minutes
# with RUNS=5 on 2 cores.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
cs=${CERTSCOPE:-$build/src/certscope}
runs=${RUNS:-5}
pki=$top/testcerts/pki
at=2026-06-01T00:00:00Z
at_epoch=1780272000

[ -x "$cs" ] || { echo "no certscope at $cs (build first)" >&2; exit 77; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

have() { command -v "$1" >/dev/null 2>&1; }
have_py=no
python3 -c 'import cryptography' 2>/dev/null && have_py=yes
have_openssl=no; have openssl && have_openssl=yes
have_certtool=no; have certtool && have_certtool=yes
peers_missing() { # say which peers a section could not run
	[ $have_openssl = yes ] || echo "(openssl missing: skipped)"
	[ $have_certtool = yes ] || echo "(certtool missing: skipped)"
}

if [ -x /usr/bin/time ]; then
	how="/usr/bin/time -f %M (RSS), date +%s%N (wall)"
else
	how="python3 wrapper: time.perf_counter (wall), RUSAGE_CHILDREN (RSS)"
	cat >"$tmp/rusage.py" <<'EOF'
import resource, subprocess, sys, time
with open(sys.argv[1], "wb") as o, open(sys.argv[2], "wb") as e:
    t = time.perf_counter()
    rc = subprocess.call(sys.argv[3:], stdout=o, stderr=e)
    w = time.perf_counter() - t
print(int(w * 1e6), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(rc)
EOF
fi

# run_once CMD...: one run, stdout in $tmp/out, stderr in $tmp/err;
# sets us (wall, microseconds), kb (max RSS) and rc.
run_once() {
	if [ -x /usr/bin/time ]; then
		local t0 t1
		t0=$(date +%s%N)
		set +e
		/usr/bin/time -f '%M' -o "$tmp/rss" "$@" \
			>"$tmp/out" 2>"$tmp/err" </dev/null
		rc=$?
		set -e
		t1=$(date +%s%N)
		us=$(((t1 - t0) / 1000))
		kb=$(tail -n 1 "$tmp/rss")
	else
		local r
		set +e
		r=$(python3 "$tmp/rusage.py" "$tmp/out" "$tmp/err" "$@" </dev/null)
		rc=$?
		set -e
		us=${r% *}
		kb=${r#* }
	fi
	# 126/127: the program could not be run at all (e.g. rebuilt
	# under us); a row of that would be meaningless
	if [ "$rc" -eq 126 ] || [ "$rc" -eq 127 ]; then
		echo "cannot run: $* (exit $rc)" >&2
		cat "$tmp/err" >&2
		exit 1
	fi
}

median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

# measure CMD...: RUNS runs; sets ms (median wall, ms), mb (median max
# RSS, MB), rc (exit status of the last run, whose output stays in
# $tmp/out and $tmp/err).
measure() {
	local i=0
	: >"$tmp/w"
	: >"$tmp/m"
	while [ $i -lt "$runs" ]; do
		run_once "$@"
		echo "$us" >>"$tmp/w"
		echo "$kb" >>"$tmp/m"
		i=$((i + 1))
	done
	ms=$(median <"$tmp/w" | awk '{printf "%.1f", $1 / 1000}')
	mb=$(median <"$tmp/m" | awk '{printf "%.1f", $1 / 1024}')
}

# ---------------------------------------------------------------------
echo "# certscope resource bounds"
echo
echo "command: bash bench/bench_bounds.sh${1:+ $1}  (RUNS=$runs, median of $runs runs)"
echo "certscope: $cs ($("$cs" --version 2>/dev/null | head -n 1))"
echo "machine: $(nproc) cores, $(grep -m 1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "peers: $([ $have_openssl = yes ] && openssl version | cut -d' ' -f1-2 || echo 'no openssl'), $([ $have_certtool = yes ] && certtool --version | head -n 1 || echo 'no certtool')"
echo "measured with: $how"
echo

# ---------------------------------------------------------------------
# 1. 10 MB certificate
if [ $have_py = yes ]; then
	python3 - "$tmp" <<'EOF'
import datetime, os, sys
from cryptography import x509
from cryptography.x509.oid import NameOID
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
out = sys.argv[1]
k = ec.generate_private_key(ec.SECP256R1())
name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "big.example.test")])
def write(fn, exts):
    b = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
         .public_key(k.public_key()).serial_number(1)
         .not_valid_before(datetime.datetime(2020, 1, 1))
         .not_valid_after(datetime.datetime(2040, 1, 1)))
    for e in exts:
        b = b.add_extension(e, critical=False)
    der = b.sign(k, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
    open(os.path.join(out, fn), "wb").write(der)
def ext(n):  # an unknown extension holding an OCTET STRING of n bytes
    hdr = b"\x04\x83" + n.to_bytes(3, "big") if n >= 1 << 16 else b"\x04\x01"
    return x509.UnrecognizedExtension(
        x509.ObjectIdentifier("1.3.6.1.4.1.55555.1"), hdr + b"A" * n)
def san(n):  # "h0000000.example.test": 23 bytes per GeneralName
    return x509.SubjectAlternativeName(
        [x509.DNSName("h%07d.example.test" % i) for i in range(n)])
def crldp(n):
    return x509.CRLDistributionPoints([x509.DistributionPoint(
        [x509.UniformResourceIdentifier("http://c%d.example.test/x.crl" % i)],
        None, None, None) for i in range(n)])
write("big-ext.der", [ext(10 << 20)])
write("small-ext.der", [ext(1)])
write("big-san.der", [san((10 << 20) // 23)])
write("small-san.der", [san(1)])
# the largest lists under certscope's 16,384-element limit
write("big-san16k.der", [san(16000)])
write("small-san16k.der", [san(1)])
write("big-crldp4k.der", [crldp(4000)])
write("small-crldp4k.der", [crldp(1)])
EOF

	echo "## 1. 10 MB certificate"
	echo
	for shape in ext san san16k crldp4k; do
		f=$tmp/big-$shape.der
		echo "big-$shape.der: $(wc -c <"$f") bytes"
	done
	echo "(RSS/input = (max RSS - max RSS of the same tool on small-SHAPE.der) / input size)"
	echo
	echo "| input | tool | wall ms | max RSS MB | RSS/input | exit | names/URLs printed |"
	echo "| --- | --- | --- | --- | --- | --- | --- |"
	row1() { # SHAPE LABEL CMD... (the input path is the last argument)
		local shape=$1 label=$2 small_mb size names
		shift 2
		local args=("$@")
		# the same command on the small certificate of this shape
		args[$((${#args[@]} - 1))]=$tmp/small-$shape.der
		measure "${args[@]}"
		small_mb=$mb
		measure "$@"
		size=$(wc -c <"$tmp/big-$shape.der")
		names=-
		case $shape in
		san*) names=$({ grep -o 'DNS' "$tmp/out" || true; } |
			wc -l) ;;
		crldp*) names=$({ grep -o 'http://c[0-9]*\.example' \
			"$tmp/out" || true; } | sort -u | wc -l) ;;
		esac
		echo "| big-$shape | $label | $ms | $mb | $(echo "$mb $small_mb $size" |
			awk '{printf "%.1fx", ($1 - $2) * 1048576 / $3}') | $rc | $names |"
		echo "$shape $label $ms $mb" >>"$tmp/r1"
	}
	for shape in ext san san16k crldp4k; do
		f=$tmp/big-$shape.der
		row1 $shape "certscope show" "$cs" show "$f"
		row1 $shape "certscope show --long --json" "$cs" show --long --json "$f"
		if [ $have_openssl = yes ]; then
			row1 $shape "openssl x509 -noout -text" \
				openssl x509 -noout -text -inform DER -in "$f"
		fi
		if [ $have_certtool = yes ]; then
			row1 $shape "certtool -i --inder" \
				certtool -i --inder --infile "$f"
		fi
	done
	peers_missing
	echo
else
	echo "## 1. 10 MB certificate: skipped (python3 with cryptography missing)"
	echo
fi

# ---------------------------------------------------------------------
# 2. bundles
bundle() { # N FILE: N certificates from testcerts/pki, repeated in order
	awk -v n="$1" '
		/-----BEGIN CERTIFICATE-----/ { b = ""; inb = 1 }
		inb { b = b $0 "\n" }
		/-----END CERTIFICATE-----/ { blk[k++] = b; inb = 0 }
		END { for (i = 0; i < n; i++) printf "%s", blk[i % k] }' \
		"$pki"/ee-*.pem "$pki"/ica-*.pem "$pki"/root-*.pem >"$2"
}
count_json() {
	python3 -c 'import json, sys
print(len(json.load(open(sys.argv[1]))["certificates"]))' "$1" 2>/dev/null ||
		echo "?"
}
sizes="100 1000 10000"
for n in $sizes; do bundle "$n" "$tmp/b$n.pem"; done

echo "## 2. bundles of 100, 1,000 and 10,000 certificates"
echo
echo "$(ls "$pki"/ee-*.pem "$pki"/ica-*.pem "$pki"/root-*.pem | wc -l) distinct certificates repeated; b10000.pem is $(wc -c <"$tmp/b10000.pem") bytes"
echo
echo "| tool | certificates | wall ms | us per cert | max RSS MB | exit | printed |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
: >"$tmp/r2"
row2() { # LABEL COUNTER N CMD...
	local label=$1 counter=$2 n=$3 printed
	shift 3
	measure "$@"
	case $counter in
	text) printed=$(grep -c '^certificate ' "$tmp/out" || true) ;;
	json) printed=$(count_json "$tmp/out") ;;
	storeutl) printed=$(sed -n 's/^Total found: //p' "$tmp/out") ;;
	certtool) printed=$(grep -c '^X.509 Certificate Information' "$tmp/out" || true) ;;
	esac
	echo "| $label | $n | $ms | $(echo "$ms $n" | awk '{printf "%.1f", $1 * 1000 / $2}') | $mb | $rc | $printed |"
	echo "$label|$n|$ms|$mb" >>"$tmp/r2"
}
for n in $sizes; do
	row2 "certscope show" text "$n" "$cs" show "$tmp/b$n.pem"
done
for n in $sizes; do
	row2 "certscope show --json" json "$n" "$cs" show --json "$tmp/b$n.pem"
done
if [ $have_openssl = yes ]; then
	for n in $sizes; do
		row2 "openssl storeutl -noout -text -certs" storeutl "$n" \
			openssl storeutl -noout -text -certs "$tmp/b$n.pem"
	done
fi
if [ $have_certtool = yes ]; then
	for n in $sizes; do
		row2 "certtool -i" certtool "$n" certtool -i --infile "$tmp/b$n.pem"
	done
fi
echo
echo "Linearity: marginal cost per certificate (wall, and RSS growth) between sizes"
echo
echo "| tool | 1,000/100 time | 10,000/1,000 time | us/cert 100->1,000 | us/cert 1,000->10,000 | KB/cert 1,000->10,000 |"
echo "| --- | --- | --- | --- | --- | --- |"
cut -d'|' -f1 "$tmp/r2" | uniq | while read -r label; do
	grep -F "$label|" "$tmp/r2" | awk -F'|' -v l="$label" '
		$1 == l { t[$2] = $3; m[$2] = $4 }
		END {
			printf "| %s | %.1fx | %.1fx | %.1f | %.1f | %.1f |\n", l,
			    t[1000] / t[100], t[10000] / t[1000],
			    (t[1000] - t[100]) * 1000 / 900,
			    (t[10000] - t[1000]) * 1000 / 9000,
			    (m[10000] - m[1000]) * 1024 / 9000 }'
done
echo

# ---------------------------------------------------------------------
# 3. look-alike intermediates
if [ $have_py = yes ]; then
	cat >"$tmp/pool.py" <<'EOF'
import datetime, os, sys
from cryptography import x509
from cryptography.x509.oid import NameOID
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
out, curve = sys.argv[1], {"p256": ec.SECP256R1, "p521": ec.SECP521R1}[sys.argv[2]]
N = 1000
os.makedirs(out, exist_ok=True)
def key(): return ec.generate_private_key(curve())
def nm(cn): return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
ROOT_ID, ICA_ID = b"\x11" * 20, b"\x21" * 20
serial = [100]
def cert(subj, subj_key, iss, iss_key, ca, ski, aki):
    serial[0] += 1
    b = (x509.CertificateBuilder().subject_name(nm(subj)).issuer_name(nm(iss))
         .public_key(subj_key.public_key()).serial_number(serial[0])
         .not_valid_before(datetime.datetime(2020, 1, 1))
         .not_valid_after(datetime.datetime(2040, 1, 1))
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None), True)
         .add_extension(x509.SubjectKeyIdentifier(ski), False)
         .add_extension(x509.AuthorityKeyIdentifier(aki, None, None), False))
    if ca:
        b = b.add_extension(x509.KeyUsage(False, False, False, False, False,
                                          True, True, False, False), True)
    else:
        b = b.add_extension(x509.KeyUsage(True, False, False, False, False,
                                          False, False, False, False), True)
        b = b.add_extension(x509.SubjectAlternativeName(
            [x509.DNSName("lookalike.test")]), False)
    return b.sign(iss_key, hashes.SHA256()).public_bytes(
        serialization.Encoding.PEM)
def w(name, *pems):
    with open(os.path.join(out, name), "wb") as f:
        for p in pems:
            f.write(p)
rk, ik, ek = key(), key(), key()
root = cert("Root", rk, "Root", rk, True, ROOT_ID, ROOT_ID)
ica = cert("Look-alike CA", ik, "Root", rk, True, ICA_ID, ROOT_ID)
leaf = cert("lookalike.test", ek, "Look-alike CA", ik, False, b"\x31" * 20,
            ICA_ID)
fk = [key() for _ in range(N)]
fakes = [cert("Look-alike CA", fk[i], "Root", fk[(i + 1) % N], True,
              ICA_ID, ROOT_ID) for i in range(N)]
loop = [cert("Look-alike CA", fk[i], "Look-alike CA", fk[(i + 1) % N], True,
             ICA_ID, ICA_ID) for i in range(N)]
w("root.pem", root)
w("leaf.pem", leaf)
w("pool-real-only.pem", ica)
w("pool-none-real.pem", *fakes)
w("pool-real-last.pem", *fakes, ica)
w("pool-self-loop.pem", *loop)
for c in ("real-only", "none-real", "real-last", "self-loop"):
    w("chain-%s.pem" % c, leaf,
      open(os.path.join(out, "pool-%s.pem" % c), "rb").read())
EOF
	python3 "$tmp/pool.py" "$tmp/p256" p256
	python3 "$tmp/pool.py" "$tmp/p521" p521

	echo "## 3. 1,000 look-alike intermediates"
	echo
	echo "| keys | pool | tool | wall ms | max RSS MB | exit | result |"
	echo "| --- | --- | --- | --- | --- | --- | --- |"
	row3() { # KEYS POOL TOOL
		local d=$tmp/$1 result
		case $3 in
		certscope)
			measure "$cs" verify --at "$at" --purpose any \
				--trust "$d/root.pem" \
				--untrusted "$d/pool-$2.pem" "$d/leaf.pem"
			result=$(sed -n '1s/^[^:]*: //p' "$tmp/out")
			if grep -q 'search-limit' "$tmp/out"; then
				result="$result; search-limit: $(sed -n \
				  's/.*Path building \(stopped after [^;]*\);.*/\1/p' \
				  "$tmp/out" | head -n 1)"
			else
				result="$result; no search-limit"
			fi ;;
		openssl)
			measure openssl verify -attime "$at_epoch" \
				-CAfile "$d/root.pem" \
				-untrusted "$d/pool-$2.pem" "$d/leaf.pem"
			if grep -q ': OK$' "$tmp/out"; then
				result=OK
			else
				result=$(cat "$tmp/out" "$tmp/err" |
					grep -m 1 -E '^error [0-9]+ at' || true)
			fi ;;
		certtool)
			measure certtool --verify \
				--load-ca-certificate "$d/root.pem" \
				--infile "$d/chain-$2.pem"
			result=$(sed -n 's/^Chain verification output: //p' \
				"$tmp/out" "$tmp/err" | head -n 1 | sed 's/ *$//') ;;
		esac
		echo "| $1 | $2 | $3 | $ms | $mb | $rc | $result |"
	}
	for keys in p256 p521; do
		pools="real-only none-real real-last self-loop"
		[ $keys = p521 ] && pools="none-real self-loop"
		for pool in $pools; do
			row3 $keys $pool certscope
			[ $have_openssl = yes ] && row3 $keys $pool openssl
			[ $have_certtool = yes ] && row3 $keys $pool certtool
		done
	done
	peers_missing
	echo
else
	echo "## 3. look-alike intermediates: skipped (python3 with cryptography missing)"
	echo
fi
