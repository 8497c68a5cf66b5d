#!/bin/sh
# bench_connect.sh - `certscope connect` against peers, on loopback only.
#
# Starts tests/tls_server (built with the tests) on 127.0.0.1 serving
# testcerts/pki/chain-rsa.pem, then times RUNS full runs (handshake,
# chain capture, validation against --trust root-rsa.pem) of:
#   certscope connect 127.0.0.1:PORT
#   gnutls-cli --x509cafile root-rsa.pem 127.0.0.1 -p PORT (closed stdin)
#   openssl s_client -connect 127.0.0.1:PORT -CAfile root-rsa.pem
# then the same three against the server limited to TLS 1.2 (--tls12),
# where the client's second flight is three records (ClientKeyExchange,
# ChangeCipherSpec, Finished): a client that sends them in separate
# segments without TCP_NODELAY waits for the server's delayed ACK
# (about 40 ms on Linux), so this row shows that cost if it comes back;
# then the same against a TLS 1.3 server that requires a client
# certificate (--client-ca; every client sends ee-client with its
# intermediate), where the client's flight is Certificate,
# CertificateVerify and Finished; and one run against a silent server with --timeout 1 to show the
# deadline is kept.  Nothing but 127.0.0.1 is contacted.
#
# Usage: bench/bench_connect.sh [BUILD_DIR]   (default: build)
# Env:   CERTSCOPE, TLS_SERVER, RUNS (default 30)
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
cs=${CERTSCOPE:-$build/src/certscope}
srv=${TLS_SERVER:-$build/tests/tls_server}
runs=${RUNS:-30}
pki=$top/testcerts/pki

[ -x "$cs" ] || { echo "no certscope at $cs (build first)" >&2; exit 77; }
[ -x "$srv" ] || { echo "no tls_server at $srv (build tests)" >&2; exit 77; }

tmp=$(mktemp -d)
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

start_server() { # MODE [SERVER OPTION...] -> sets port
	m=$1
	shift
	"$srv" --cert "$pki/chain-rsa.pem" --key "$pki/ee-rsa.key" \
		--mode "$m" "$@" >"$tmp/port.$m" 2>/dev/null &
	pids="$pids $!"
	i=0
	while [ ! -s "$tmp/port.$m" ] && [ $i -lt 50 ]; do
		sleep 0.1; i=$((i + 1))
	done
	port=$(head -n 1 "$tmp/port.$m")
}

now() { date +%s.%N; }

# "WALL CPU": mean wall and CPU (user + system of the children) time in
# ms of RUNS runs of "$@"; CPU from the shell's `times` builtin.
mean_ms() {
	(
	t0=$(now)
	n=0
	while [ $n -lt "$runs" ]; do
		"$@" </dev/null >/dev/null 2>&1 || true
		n=$((n + 1))
	done
	t1=$(now)
	times >"$tmp/times" # not in a pipe: a pipe's subshell has no children
	tail -n 1 "$tmp/times" | tr 'ms' '  ' |
		awk -v t0="$t0" -v t1="$t1" -v r="$runs" '{
			cpu = ($1 * 60 + $2 + $3 * 60 + $4) * 1000 / r
			printf "%.1f %.1f", (t1 - t0) * 1000 / r, cpu }'
	)
}

# one block of rows against the server on $port: LABEL [client]
peers() {
	if [ "${2:-}" = client ]; then
		csc="--cert $tmp/client.pem --key $pki/ee-client.key"
		gc="--x509certfile $tmp/client.pem --x509keyfile $pki/ee-client.key"
		oc="-cert $tmp/client.pem -key $pki/ee-client.key"
	else
		csc= gc= oc=
	fi
	# shellcheck disable=SC2086 # the client options split on purpose
	cs_t=$(mean_ms "$cs" connect "127.0.0.1:$port" \
		--trust "$pki/root-rsa.pem" --host www.example.test \
		--at 2026-06-01 $csc)
	printf '%-40s %7s  %7s\n' "certscope connect$1" $cs_t
	if command -v gnutls-cli >/dev/null; then
		# shellcheck disable=SC2086
		report "gnutls-cli$1" "$(mean_ms gnutls-cli \
			--x509cafile "$pki/root-rsa.pem" -p "$port" $gc \
			127.0.0.1)"
	fi
	if command -v openssl >/dev/null; then
		# shellcheck disable=SC2086
		report "openssl s_client$1" "$(mean_ms openssl \
			s_client -connect "127.0.0.1:$port" \
			-CAfile "$pki/root-rsa.pem" $oc)"
	fi
}
report() {	# report NAME "WALL CPU"
	printf '%-40s %7s  %7s' "$1" $2
	echo "$cs_t $2" | awk '{printf "   (%.2fx wall, %.2fx CPU of certscope)\n", $3 / $1, $4 / $2}'
}

start_server normal
echo "loopback server on 127.0.0.1:$port, $runs runs each"
echo "                                         wall ms   CPU ms"
peers ""
start_server tls12 --tls12
peers ", TLS 1.2"
cat "$pki/ee-client.pem" "$pki/ica-rsa.pem" >"$tmp/client.pem"
start_server client --client-ca "$pki/root-rsa.pem"
peers ", client certificate" client

start_server silent
t0=$(now)
"$cs" connect "127.0.0.1:$port" --trust "$pki/root-rsa.pem" \
	--timeout 1 >/dev/null 2>&1 || true
t1=$(now)
echo "$t0 $t1" | awk '{printf "silent server, --timeout 1: returned after %.0f ms\n", ($2 - $1) * 1000}'
