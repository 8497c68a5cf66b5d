#!/bin/sh
# bench_tree.sh - `certscope show` and `verify` over a 10,000-file tree:
# peak memory (flat, not growing with the number of files) and time,
# against a loop of `openssl x509 -noout -subject -enddate` and of
# `certtool -i` over the files.
#
# The tree is generated into a temporary directory with python3
# `cryptography` from fixed seeds and dates: one root, 10 intermediates
# and NFILES leaves (default 10,000), a file each, 500 files per
# directory, P-256 keys (ECDSA signatures have random nonces: the bytes
# differ between runs, the sizes and the work do not).  The root is in
# the tree too, so `verify DIR` audits NFILES leaves + the root.
#
# Commands, run interleaved RUNS times after 1 warm-up round (median and
# minimum wall time, median CPU time; peak RSS from /usr/bin/time):
#   certscope show DIR, certscope show --json DIR,
#   certscope verify --trust ROOT --at T DIR (and --json),
#   the same with CERTSCOPE_BEFORE (an older build, when given),
#   openssl x509 -noout -subject -enddate -in F for SAMPLE files (a shell
#   loop; default 500 of the 10,000, as the whole loop takes a minute:
#   its times are multiplied by NFILES/SAMPLE in the ratio lines),
#   certtool -i --infile F over the same sample.
# Peak RSS of the loops is that of one `sh` and its largest child.
#
# Usage: bench/bench_tree.sh [BUILD_DIR]   (default: build)
# Env:   CERTSCOPE, CERTSCOPE_BEFORE (optional), RUNS (default 5),
#        NFILES (default 10000), SAMPLE (default 500)
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
cs=${CERTSCOPE:-$build/src/certscope}
before=${CERTSCOPE_BEFORE:-}
runs=${RUNS:-5}
nfiles=${NFILES:-10000}
sample=${SAMPLE:-500}
at=2026-06-01T00:00:00Z

[ -x "$cs" ] || { echo "no certscope at $cs (build first)" >&2; exit 77; }
python3 -c 'import cryptography' 2>/dev/null ||
	{ echo "python3 cryptography missing" >&2; exit 77; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

python3 - "$tmp" "$nfiles" <<'PYEOF'
import datetime, os, sys
from cryptography import x509
from cryptography.x509.oid import NameOID, ExtendedKeyUsageOID
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

root, n = sys.argv[1], int(sys.argv[2])
t0, t1 = datetime.datetime(2025, 1, 1), datetime.datetime(2035, 1, 1)

def key(seed):
    return ec.derive_private_key(0x7EE00000 + seed, ec.SECP256R1())

def name(cn):
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME,
                                         "certscope bench"),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])

def cert(subj, k, iss, ik, serial, ca, san=None):
    b = (x509.CertificateBuilder().subject_name(subj).issuer_name(iss)
         .public_key(k.public_key()).serial_number(serial)
         .not_valid_before(t0).not_valid_after(t1)
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None),
                        critical=True)
         .add_extension(x509.SubjectKeyIdentifier.from_public_key(
             k.public_key()), critical=False)
         .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
             ik.public_key()), critical=False))
    if san:
        b = (b.add_extension(x509.SubjectAlternativeName(
                [x509.DNSName(san)]), critical=False)
             .add_extension(x509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.SERVER_AUTH]), critical=False))
    return b.sign(ik, hashes.SHA256()).public_bytes(serialization.Encoding.PEM)

rk = key(0)
rn = name("Bench Tree Root")
rootpem = cert(rn, rk, rn, rk, 1, True)
open(os.path.join(root, "root.pem"), "wb").write(rootpem)
tree = os.path.join(root, "tree")
os.mkdir(tree)
open(os.path.join(tree, "root.pem"), "wb").write(rootpem)
icas = []
for i in range(10):
    ik, iname = key(1 + i), name("Bench Tree Intermediate %d" % i)
    icas.append((ik, iname))
    open(os.path.join(tree, "ica-%d.pem" % i), "wb").write(
        cert(iname, ik, rn, rk, 100 + i, True))
lks = [key(100 + i) for i in range(16)]   # leaf keys, shared
for i in range(n):
    d = os.path.join(tree, "d%03d" % (i // 500))
    if i % 500 == 0:
        os.mkdir(d)
    ik, iname = icas[i % 10]
    host = "host%05d.bench.test" % i
    open(os.path.join(d, "leaf%05d.pem" % i), "wb").write(
        cert(name(host), lks[i % 16], iname, ik, 10000 + i, False, host))
PYEOF

tree=$tmp/tree
find "$tree" -name 'leaf*.pem' | sort | awk -v n="$nfiles" -v s="$sample" \
	'NR % int(n / s) == 1' >"$tmp/sample"
nsample=$(wc -l <"$tmp/sample")
{
	echo 'while read -r f; do'
	echo '  openssl x509 -noout -subject -enddate -in "$f" || exit 1'
	echo "done <$tmp/sample"
} >"$tmp/openssl.sh"
{
	echo 'while read -r f; do'
	echo '  certtool -i --infile "$f" || exit 1'
	echo "done <$tmp/sample"
} >"$tmp/certtool.sh"

echo "# certscope show and verify over a $nfiles-file tree"
echo
echo "command: sh bench/bench_tree.sh${1:+ $1}  (RUNS=$runs, NFILES=$nfiles, SAMPLE=$nsample, interleaved, medians)"
echo "certscope: $cs ($("$cs" --version 2>/dev/null | head -n 1))"
[ -n "$before" ] && echo "before: $before"
echo "machine: $(nproc) cores, $(grep -m 1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "peers: $(certtool --version 2>/dev/null | head -n 1 || echo 'no certtool'), $(openssl version 2>/dev/null || echo 'no openssl')"
echo "tree: $(find "$tree" -type f | wc -l) files, $(du -sk "$tree" | cut -f1) KiB"
echo
vargs="--trust $tmp/root.pem --at $at"
{
	printf 'show\t%s show %s\n' "$cs" "$tree"
	printf 'show --json\t%s show --json %s\n' "$cs" "$tree"
	printf 'verify\t%s verify %s %s\n' "$cs" "$vargs" "$tree"
	printf 'verify --json\t%s verify --json %s %s\n' "$cs" "$vargs" "$tree"
	if [ -n "$before" ]; then
		printf 'before: show\t%s show %s\n' "$before" "$tree"
		printf 'before: show --json\t%s show --json %s\n' "$before" "$tree"
		printf 'before: verify\t%s verify %s %s\n' "$before" "$vargs" "$tree"
	fi
	command -v openssl >/dev/null 2>&1 &&
		printf 'openssl x509 loop (%s files)\tsh %s\n' "$nsample" "$tmp/openssl.sh"
	command -v certtool >/dev/null 2>&1 &&
		printf 'certtool -i loop (%s files)\tsh %s\n' "$nsample" "$tmp/certtool.sh"
} >"$tmp/spec"
python3 "$top/bench/timeit.py" --runs "$runs" --warmup 1 "$tmp/spec" |
	tee "$tmp/table"
# the loops over the whole tree, extrapolated from the sample
python3 - "$tmp/table" "$nfiles" "$nsample" <<'PYEOF'
import re, sys
rows = {}
for line in open(sys.argv[1]):
    m = re.match(r"\| `(.*)` \| ([\d.]+) \| [\d.]+ \| ([\d.]+) \|", line)
    if m:
        rows[m.group(1)] = (float(m.group(2)), float(m.group(3)))
n, s = int(sys.argv[2]), int(sys.argv[3])
print()
for peer in ("openssl x509 loop", "certtool -i loop"):
    key = "%s (%d files)" % (peer, s)
    if key not in rows:
        continue
    wall, cpu = rows[key][0] * n / s, rows[key][1] * n / s
    print("- `%s` over all %d files, extrapolated x%.1f: %.0f ms wall, "
          "%.0f ms CPU" % (peer, n, n / s, wall, cpu))
    for c in ("show", "show --json"):
        if c in rows:
            print("  - / `certscope %s`: %.1fx (wall), %.1fx (CPU)"
                  % (c, wall / rows[c][0], cpu / rows[c][1]))
PYEOF
