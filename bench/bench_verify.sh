#!/bin/sh
# bench_verify.sh - `certscope verify` against peers on the same input.
#
# 1. One chain (testcerts/pki/chain-rsa.pem: leaf + intermediate) checked
#    against the full system trust store by certscope (its default store),
#    certtool --verify --load-ca-certificate BUNDLE and openssl verify
#    -CAfile BUNDLE.  The test PKI is not in the system store, so every
#    tool answers "not trusted": the work measured is start-up, loading
#    the store and looking the issuer up, which is what a run costs.
# 2. 1,000 leaf files (copies of one chain) in one certscope invocation
#    against --trust root-rsa.pem, and against the system store.
#
# Uses hyperfine when installed, else a loop timed with date +%s.%N.
# Usage: bench/bench_verify.sh [BUILD_DIR]   (default: build)
# Env:   CERTSCOPE (executable), RUNS (default 50), BUNDLE (system bundle)
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
cs=${CERTSCOPE:-$build/src/certscope}
runs=${RUNS:-50}
bundle=${BUNDLE:-/etc/ssl/certs/ca-certificates.crt}
pki=$top/testcerts/pki
chain=$pki/chain-rsa.pem
at=2026-06-01T00:00:00Z

[ -x "$cs" ] || { echo "no certscope at $cs (build first)" >&2; exit 77; }
[ -r "$bundle" ] || { echo "no system bundle $bundle" >&2; exit 77; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

echo "certscope: $cs"
echo "system bundle: $bundle ($(grep -c 'BEGIN CERTIFICATE' "$bundle") certificates)"
echo "GnuTLS: $(certtool --version 2>/dev/null | head -n 1)"
echo "OpenSSL: $(openssl version 2>/dev/null)"
echo

# mean wall time in ms of a command, written to stdout
mean_ms() {
	if command -v hyperfine >/dev/null 2>&1; then
		hyperfine -N -i -w 3 -r "$runs" --export-json "$tmp/h.json" \
			"$1" >/dev/null 2>&1
		python3 -c 'import json,sys
print("%.2f" % (json.load(open(sys.argv[1]))["results"][0]["mean"] * 1e3))' \
			"$tmp/h.json"
	else
		t0=$(date +%s.%N)
		i=0
		while [ $i -lt "$runs" ]; do
			sh -c "$1" >/dev/null 2>&1 || true
			i=$((i + 1))
		done
		t1=$(date +%s.%N)
		echo "$t0 $t1 $runs" | awk '{printf "%.2f\n", ($2 - $1) * 1000 / $3}'
	fi
}

tool=$(command -v hyperfine >/dev/null 2>&1 && echo hyperfine || echo "shell loop")
echo "== one chain against the system store ($runs runs each, $tool)"
c_cs=$(mean_ms "$cs verify --at $at $chain")
c_ct=$(mean_ms "certtool --verify --load-ca-certificate $bundle --infile $chain")
c_os=$(mean_ms "openssl verify -CAfile $bundle -untrusted $pki/ica-rsa.pem $pki/ee-rsa.pem")
printf '%-34s %8s ms\n' "certscope verify" "$c_cs" \
	"certtool --verify" "$c_ct" "openssl verify" "$c_os"
echo "$c_cs $c_ct $c_os" | awk '{
	printf "certtool / certscope = %.2fx\n", $2 / $1
	printf "openssl  / certscope = %.2fx\n", $3 / $1 }'
echo

echo "== 1,000 leaf files in one invocation"
mkdir "$tmp/leaves"
i=0
while [ $i -lt 1000 ]; do
	cp "$chain" "$tmp/leaves/leaf$i.pem"
	i=$((i + 1))
done
# expanded here: hyperfine -N runs the command without a shell
leaves=$(echo "$tmp"/leaves/*.pem)
runs_saved=$runs
runs=5
m_files=$(mean_ms "$cs verify --at $at --trust $pki/root-rsa.pem $leaves")
m_sys=$(mean_ms "$cs verify --at $at $leaves")
runs=$runs_saved
printf '%-34s %8s ms (%s ms per file)\n' \
	"--trust root-rsa.pem" "$m_files" \
	"$(echo "$m_files" | awk '{printf "%.3f", $1 / 1000}')" \
	"system store" "$m_sys" \
	"$(echo "$m_sys" | awk '{printf "%.3f", $1 / 1000}')"
echo "$m_sys $c_ct" | awk '{
	printf "1,000 separate certtool runs would take ~%.0f ms: %.1fx\n",
	       $2 * 1000,
	       $2 * 1000 / $1 }'
