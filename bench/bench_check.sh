#!/bin/sh
# bench_check.sh - `certscope check` on 1,000 TLS endpoints and on a tree
# of 10,000 certificate files, peers measured in the same run on the same
# input.  Loopback only: every server listens on 127.0.0.X and is stopped
# on exit.
#
# 1. Endpoints.  bench/tls_pool.c (built here with cc and pkg-config
#    gnutls) listens on 127.0.0.1..127.0.0.125 x 8 ports = 1,000 distinct
#    endpoints, one process, 32 worker threads, backlog 1,024 per socket,
#    serving the test PKI's chain (leaf + intermediate; CHAINS=rsa:
#    chain-rsa.pem/ee-rsa.key under root-rsa.pem, ec: chain-ec.pem/
#    ee-ec.key under root-ec.pem; host www.example.test).  Per round:
#      certscope check --jobs JOBS --at 2026-06-01 --trust ROOT
#          --host www.example.test --targets LIST        (one process)
#      for t in LIST: openssl s_client -connect $t -servername HOST
#          -CAfile ROOT -verify_hostname HOST -verify_return_error
#          -attime 1780272000 </dev/null                 (sequential)
#      bench/handshake.c --n 1000 ... LIST: 1,000 sequential bare GnuTLS
#          client handshakes in one process (no validation), CPU per
#          handshake from getrusage around the loop; again with
#          --verify ROOT (GnuTLS validates chain and host name).
#    Wall time and max RSS from /usr/bin/time; certscope's CPU per
#    endpoint = its user + system time / 1,000 (start-up included).
#    A chain written NAME:MS (default list: "rsa ec rsa:20") has the
#    server wait MS ms after accepting (tls_pool --delay, 128 threads),
#    as a server some network distance away would: loopback has no
#    latency, so without it every client is bound by CPU alone and
#    concurrency cannot show.
#    SERVER=gnutls-serv runs the same against 8 `gnutls-serv -a`
#    processes instead (wildcard listeners, backlog 10: see tls_pool.c).
# 2. Files.  A tree of FILES leaves (100 per directory) generated with
#    python3 cryptography: testcerts/pki/ica-rsa signs every leaf over one
#    shared P-256 key derived from a fixed scalar, CN/SAN hostN.example.test,
#    serverAuth, digitalSignature, AKI/SKI, serials 0x100000+N, valid
#    2026-01-01..2028-01-01; ica.pem at the top of the tree.  Per round:
#      certscope check --at 2026-06-01 --trust root-rsa.pem TREE
#      for f in the first OPENSSL_FILES leaves:
#          openssl x509 -checkend 2592000 -noout -in $f
#    and the openssl loop's time scaled by FILES / OPENSSL_FILES.
#
# Each figure is the median of RUNS rounds; ratios are taken within a
# round (peers run back to back on the same input) and the median of
# those is given.  The machine may be shared: medians, not means.
#
# Usage: bench/bench_check.sh [BUILD_DIR]   (default: build-rel)
# Env:   CERTSCOPE, RUNS (default 5), PART (all | endpoints | files),
#        CHAINS (default "rsa ec rsa:20"), JOBS (default 64), SERVER (pool |
#        gnutls-serv), FILES (default 10000), OPENSSL_FILES (default 1000),
#        ADDRS (default 125: endpoints = ADDRS x 8 ports; smaller for a
#        quick try)
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build-rel}
cs=${CERTSCOPE:-$build/src/certscope}
runs=${RUNS:-5}
part=${PART:-all}
chains=${CHAINS:-rsa ec rsa:20}
jobs=${JOBS:-64}
server=${SERVER:-pool}
nfiles=${FILES:-10000}
nossl=${OPENSSL_FILES:-1000}
pki=$top/testcerts/pki
host=www.example.test
at=2026-06-01
at_epoch=1780272000
naddrs=${ADDRS:-125}
nports=8

[ -x "$cs" ] || { echo "no certscope at $cs (build first)" >&2; exit 77; }
for t in cc pkg-config openssl python3; do
	command -v $t >/dev/null 2>&1 ||
		{ echo "bench_check: $t missing" >&2; exit 77; }
done
[ -x /usr/bin/time ] || { echo "bench_check: /usr/bin/time missing" >&2; exit 77; }

tmp=$(mktemp -d)
pids=""
stop_servers() {
	for p in $pids; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	pids=""
}
cleanup() {
	stop_servers
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cc -O2 -o "$tmp/handshake" "$top/bench/handshake.c" \
	$(pkg-config --cflags --libs gnutls)
cc -O2 -pthread -o "$tmp/tls_pool" "$top/bench/tls_pool.c" \
	$(pkg-config --cflags --libs gnutls)

buildtype() {
	python3 -c 'import json, sys
print([o["value"] for o in json.load(open(sys.argv[1]))
       if o["name"] == "buildtype"][0])' \
		"$build/meson-info/intro-buildoptions.json" 2>/dev/null || echo "?"
}

col() { awk -v c="$1" '{print $c}' "$2"; }
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
# min and max of a column, "a-b"
range() { sort -n | awk 'NR == 1 {a = $1} {b = $1} END {print a "-" b}'; }

listen_overflows() {
	awk '/^TcpExt:/ { if (!h) { for (i = 1; i <= NF; i++) n[i] = $i; h = 1 }
		else for (i = 1; i <= NF; i++) if (n[i] == "ListenOverflows") print $i }' \
		/proc/net/netstat
}

# cpu_ticks PID: user + system clock ticks of a process so far
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

echo "# certscope check: endpoints and files"
echo
echo "command: sh bench/bench_check.sh${1:+ $1}  (RUNS=$runs PART=$part CHAINS=\"$chains\" JOBS=$jobs SERVER=$server FILES=$nfiles OPENSSL_FILES=$nossl)"
echo "certscope: $cs ($("$cs" --version 2>/dev/null | head -n 1)), buildtype $(buildtype)"
echo "machine: $(nproc) cores, $(grep -m 1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "peers: $(openssl version | cut -d' ' -f1-2), GnuTLS $(pkg-config --modversion gnutls)"
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo

# ---------------------------------------------------------------------
# 1. endpoints

free_port() {
	python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_tls() { # PORT: until something accepts on 127.0.0.1:PORT
	python3 - "$1" <<'EOF'
import socket, sys, time
end = time.monotonic() + 20
while time.monotonic() < end:
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.05)
sys.exit(1)
EOF
}

# start_endpoints CHAIN KEY DELAY_MS: 1,000 endpoints, their list in
# $tmp/targets; sets srv_pids (for the server CPU)
start_endpoints() {
	srv_pids=""
	if [ "$server" = gnutls-serv ]; then
		[ "$3" -eq 0 ] || { echo "SERVER=gnutls-serv: no delay" >&2; exit 2; }
		ports=""
		i=0
		while [ $i -lt $nports ]; do
			p=$(free_port)
			gnutls-serv -a --x509certfile "$1" --x509keyfile "$2" \
				--port "$p" --quiet >/dev/null 2>&1 &
			pids="$pids $!"
			srv_pids="$srv_pids $!"
			ports="$ports $p"
			i=$((i + 1))
		done
		for p in $ports; do wait_tls "$p"; done
	else
		rm -f "$tmp/ports"
		threads=32
		[ "$3" -gt 0 ] && threads=128
		"$tmp/tls_pool" --cert "$1" --key "$2" --addrs $naddrs \
			--ports $nports --threads $threads --delay "$3" \
			>"$tmp/ports" &
		pids="$pids $!"
		srv_pids=$!
		i=0
		while [ ! -s "$tmp/ports" ] && [ $i -lt 200 ]; do
			sleep 0.1; i=$((i + 1))
		done
		ports=$(cat "$tmp/ports")
	fi
	# address-major, port-minor: consecutive targets hit different ports
	awk -v ports="$ports" -v na=$naddrs 'BEGIN { n = split(ports, p, " ")
		for (a = 1; a <= na; a++) for (i = 1; i <= n; i++)
			print "127.0.0." a ":" p[i] }' >"$tmp/targets"
}

server_ticks() {
	s=0
	for p in $srv_pids; do s=$((s + $(cpu_ticks "$p"))); done
	echo $s
}

endpoints() { # NAME CHAIN KEY ROOT DELAY_MS
	name=$1 root=$4 delay=$5
	start_endpoints "$2" "$3" "$5"
	n=$(wc -l <"$tmp/targets")
	: >"$tmp/r_ep"
	r=0
	while [ $r -lt "$runs" ]; do
		r=$((r + 1))
		o0=$(listen_overflows)
		s0=$(server_ticks)
		set +e
		/usr/bin/time -f '%e %U %S %M' -o "$tmp/t_cs" "$cs" check \
			--jobs "$jobs" --at $at --trust "$root" --host $host \
			--targets "$tmp/targets" >"$tmp/cs.out" 2>"$tmp/cs.err"
		rc=$?
		set -e
		s1=$(server_ticks)
		o1=$(listen_overflows)
		notok=$(grep -c . "$tmp/cs.out" || true)
		read -r cs_wall cs_user cs_sys cs_kb <<EOF
$(tail -n 1 "$tmp/t_cs")
EOF
		# openssl s_client, sequential, same list
		/usr/bin/time -f '%e %U %S' -o "$tmp/t_ossl" sh -c '
			f=0
			while read -r t; do
				openssl s_client -connect "$t" -servername "$1" \
					-CAfile "$2" -verify_hostname "$1" \
					-verify_return_error -attime "$3" \
					</dev/null >/dev/null 2>&1 || f=$((f + 1))
			done <"$4"
			echo $f >"$5"' sh $host "$root" $at_epoch "$tmp/targets" \
			"$tmp/ossl.fail"
		read -r os_wall os_user os_sys <<EOF
$(tail -n 1 "$tmp/t_ossl")
EOF
		os_fail=$(cat "$tmp/ossl.fail")
		# bare GnuTLS handshakes, then with GnuTLS's own validation
		hs=$("$tmp/handshake" --n "$n" --host $host $(cat "$tmp/targets") |
			sed -n 's/.*cpu_us_per_handshake=//p')
		hsv=$("$tmp/handshake" --n "$n" --host $host --verify "$root" \
			$(cat "$tmp/targets") |
			sed -n 's/.*cpu_us_per_handshake=//p')
		echo "$cs_wall $cs_user $cs_sys $cs_kb $rc $notok $os_wall $os_user $os_sys $os_fail $hs $hsv $((o1 - o0)) $((s1 - s0))" >>"$tmp/r_ep"
		echo "  round $r: certscope ${cs_wall}s (exit $rc, $notok not OK, $((o1 - o0)) listen overflows), openssl ${os_wall}s ($os_fail failed), bare ${hs}us, bare+verify ${hsv}us" >&2
	done
	stop_servers

	# per round: certscope CPU us/endpoint, ratios
	awk -v n="$n" -v hz="$hz" '{
		cpu = ($2 + $3) * 1e6 / n
		printf "%s %.1f %s %.2f %.2f %.2f %.1f %.1f\n", $1, cpu, $4, \
			$7 / $1, cpu / $11, cpu / $12, ($8 + $9) * 1e6 / n, \
			$14 * 1e6 / hz / n }' "$tmp/r_ep" >"$tmp/r_ep2"
	m_cs_wall=$(col 1 "$tmp/r_ep2" | median)
	m_cs_cpu=$(col 2 "$tmp/r_ep2" | median)
	m_cs_mb=$(col 3 "$tmp/r_ep2" | median | awk '{printf "%.1f", $1 / 1024}')
	mx_cs_mb=$(col 3 "$tmp/r_ep2" | sort -n | tail -n 1 | awk '{printf "%.1f", $1 / 1024}')
	m_ratio=$(col 4 "$tmp/r_ep2" | median)
	m_cpu_bare=$(col 5 "$tmp/r_ep2" | median)
	m_cpu_verify=$(col 6 "$tmp/r_ep2" | median)
	m_os_cpu=$(col 7 "$tmp/r_ep2" | median)
	m_srv_cpu=$(col 8 "$tmp/r_ep2" | median)
	m_os_wall=$(col 7 "$tmp/r_ep" | median)
	m_hs=$(col 11 "$tmp/r_ep" | median)
	m_hsv=$(col 12 "$tmp/r_ep" | median)
	notok=$(col 6 "$tmp/r_ep" | sort -n | tail -n 1)
	rcs=$(col 5 "$tmp/r_ep" | sort -u | tr '\n' ' ' | sed 's/ $//')
	ofail=$(col 10 "$tmp/r_ep" | sort -n | tail -n 1)
	ovf=$(col 13 "$tmp/r_ep" | sort -n | tail -n 1)

	echo "### $name: $n endpoints, median of $runs rounds"
	echo
	echo "server: $server ($([ "$server" = pool ] && echo "tls_pool, $naddrs addresses x $nports ports, $threads threads, --delay $delay ms" || echo "$nports gnutls-serv -a")), server CPU per handshake (median of rounds, certscope's run): ${m_srv_cpu} us"
	echo
	echo "| client | wall s | CPU us / endpoint | max RSS MiB | result |"
	echo "| --- | --- | --- | --- | --- |"
	echo "| \`certscope check --jobs $jobs\` | $m_cs_wall | $m_cs_cpu | $m_cs_mb (max $mx_cs_mb) | exit $rcs; at most $notok not OK; at most $ovf listen overflows (system-wide) |"
	echo "| sequential \`openssl s_client\` loop | $m_os_wall | $m_os_cpu | - | at most $ofail failed |"
	echo "| bare GnuTLS handshake (handshake.c, sequential) | - | $m_hs | - | - |"
	echo "| GnuTLS handshake + GnuTLS validation (--verify) | - | $m_hsv | - | - |"
	echo
	echo "| ratio (median of per-round ratios) | value | goal |"
	echo "| --- | --- | --- |"
	echo "| openssl loop wall / certscope wall | ${m_ratio}x | >= 10x: $(echo "$m_ratio" | awk '{print ($1 >= 10) ? "met" : "MISSED"}') |"
	echo "| certscope CPU / bare handshake CPU | ${m_cpu_bare}x | <= 1.5x: $(echo "$m_cpu_bare" | awk '{print ($1 <= 1.5) ? "met" : "MISSED"}') |"
	echo "| certscope CPU / handshake + GnuTLS validation CPU | ${m_cpu_verify}x | (reference) |"
	echo "| certscope max RSS | $m_cs_mb MiB | < 64 MiB: $(echo "$m_cs_mb" | awk '{print ($1 < 64) ? "met" : "MISSED"}') |"
	echo
	echo "per round (wall s, CPU us/endpoint, RSS KB, openssl/certscope, CPU/bare, CPU/verify, openssl CPU us/endpoint, server CPU us/handshake):"
	echo
	sed 's/^/    /' "$tmp/r_ep2"
	echo
}

if [ "$part" = all ] || [ "$part" = endpoints ]; then
	echo "## 1. $((naddrs * nports)) loopback TLS endpoints"
	echo
	for c in $chains; do
		d=${c#*:}
		[ "$d" = "$c" ] && d=0
		case ${c%%:*} in
		rsa) endpoints "RSA-2048 chain (chain-rsa.pem), server delay $d ms" \
			"$pki/chain-rsa.pem" "$pki/ee-rsa.key" \
			"$pki/root-rsa.pem" "$d" ;;
		ec) endpoints "P-256 chain (chain-ec.pem), server delay $d ms" \
			"$pki/chain-ec.pem" "$pki/ee-ec.key" \
			"$pki/root-ec.pem" "$d" ;;
		*) echo "unknown chain $c" >&2; exit 2 ;;
		esac
	done
fi

# ---------------------------------------------------------------------
# 2. files

if [ "$part" = all ] || [ "$part" = files ]; then
	python3 - "$pki" "$tmp/tree" "$nfiles" "$top/bench" <<'EOF'
import os, sys
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
pki, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
sys.path.insert(0, sys.argv[4])
from leafgen import leaves
ica = x509.load_pem_x509_certificate(
    open(os.path.join(pki, "ica-rsa.pem"), "rb").read())
ica_key = serialization.load_pem_private_key(
    open(os.path.join(pki, "ica-rsa.key"), "rb").read(), None)
# one leaf key for all, from a fixed scalar: the same tree on every run
key = ec.derive_private_key(0x5EED5EED5EED5EED5EED5EED5EED5EED,
                            ec.SECP256R1())
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "ica.pem"), "wb") as f:
    f.write(ica.public_bytes(serialization.Encoding.PEM))
for i, c in leaves(ica, ica_key, key, n):
    d = os.path.join(out, "d%03d" % (i // 100))
    if i % 100 == 0:
        os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "host%05d.pem" % i), "wb") as f:
        f.write(c.public_bytes(serialization.Encoding.PEM))
EOF
	find "$tmp/tree" -name 'host*.pem' | sort | head -n "$nossl" >"$tmp/subset"
	nsub=$(wc -l <"$tmp/subset")
	nleaf=$(find "$tmp/tree" -name 'host*.pem' | wc -l)
	# read the tree once so that no round pays for the first read
	cat $(find "$tmp/tree" -type f) >/dev/null
	: >"$tmp/r_f"
	r=0
	while [ $r -lt "$runs" ]; do
		r=$((r + 1))
		set +e
		/usr/bin/time -f '%e %U %S %M' -o "$tmp/t_cs" "$cs" check \
			--at $at --trust "$pki/root-rsa.pem" "$tmp/tree" \
			>"$tmp/cs.out" 2>"$tmp/cs.err"
		rc=$?
		set -e
		notok=$(grep -c . "$tmp/cs.out" || true)
		read -r cs_wall cs_user cs_sys cs_kb <<EOF
$(tail -n 1 "$tmp/t_cs")
EOF
		/usr/bin/time -f '%e %U %S' -o "$tmp/t_ossl" sh -c '
			f=0
			while read -r x; do
				openssl x509 -checkend 2592000 -noout -in "$x" \
					>/dev/null 2>&1 || f=$((f + 1))
			done <"$1"
			echo $f >"$2"' sh "$tmp/subset" "$tmp/ossl.fail"
		read -r os_wall os_user os_sys <<EOF
$(tail -n 1 "$tmp/t_ossl")
EOF
		echo "$cs_wall $cs_user $cs_sys $cs_kb $rc $notok $os_wall $os_user $os_sys $(cat "$tmp/ossl.fail")" >>"$tmp/r_f"
		echo "  round $r: certscope ${cs_wall}s (exit $rc), openssl x $nsub ${os_wall}s" >&2
	done
	# scaled openssl time and ratio per round
	awk -v n="$nleaf" -v s="$nsub" '{
		scaled = $7 * n / s
		printf "%s %.1f %s %.1f %.1f %.1f %.1f\n", $1, ($2 + $3) * 1e6 / n, \
			$4, scaled, scaled / $1, ($8 + $9) * 1e6 / s, $7 * 1e6 / s }' \
		"$tmp/r_f" >"$tmp/r_f2"
	m_cs_wall=$(col 1 "$tmp/r_f2" | median)
	m_cs_cpu=$(col 2 "$tmp/r_f2" | median)
	m_cs_mb=$(col 3 "$tmp/r_f2" | median | awk '{printf "%.1f", $1 / 1024}')
	mx_cs_mb=$(col 3 "$tmp/r_f2" | sort -n | tail -n 1 | awk '{printf "%.1f", $1 / 1024}')
	m_os_scaled=$(col 4 "$tmp/r_f2" | median)
	m_ratio=$(col 5 "$tmp/r_f2" | median)
	m_os_cpu=$(col 6 "$tmp/r_f2" | median)
	m_os_per=$(col 7 "$tmp/r_f2" | median)
	m_os_wall=$(col 7 "$tmp/r_f" | median)
	notok=$(col 6 "$tmp/r_f" | sort -n | tail -n 1)
	rcs=$(col 5 "$tmp/r_f" | sort -u | tr '\n' ' ' | sed 's/ $//')
	ofail=$(col 10 "$tmp/r_f" | sort -n | tail -n 1)

	echo "## 2. a tree of $nleaf certificate files"
	echo
	echo "$nleaf leaves in $(find "$tmp/tree" -type d | wc -l) directories + ica.pem, $(du -sk "$tmp/tree" | cut -f1) KB on disk (page cache warm); openssl over the first $nsub files (sorted), scaled x $(echo "$nleaf $nsub" | awk '{printf "%g", $1 / $2}'); median of $runs rounds"
	echo
	echo "| tool | files | wall s | CPU us / file | max RSS MiB | result |"
	echo "| --- | --- | --- | --- | --- | --- |"
	echo "| \`certscope check --at $at --trust root-rsa.pem TREE\` | $nleaf | $m_cs_wall | $m_cs_cpu | $m_cs_mb (max $mx_cs_mb) | exit $rcs; at most $notok not OK |"
	echo "| \`openssl x509 -checkend 2592000 -noout -in F\` loop | $nsub | $m_os_wall | $m_os_cpu | - | at most $ofail failed; $m_os_per us wall per file |"
	echo "| the same, scaled to $nleaf files | $nleaf | $m_os_scaled | - | - | - |"
	echo
	echo "| ratio (median of per-round ratios) | value | goal |"
	echo "| --- | --- | --- |"
	echo "| openssl loop (scaled) / certscope, wall | ${m_ratio}x | >= 20x: $(echo "$m_ratio" | awk '{print ($1 >= 20) ? "met" : "MISSED"}') |"
	echo "| certscope max RSS | $m_cs_mb MiB | < 64 MiB: $(echo "$m_cs_mb" | awk '{print ($1 < 64) ? "met" : "MISSED"}') |"
	echo
	echo "per round (certscope wall s, CPU us/file, RSS KB, openssl scaled s, ratio, openssl CPU us/file, openssl wall us/file):"
	echo
	sed 's/^/    /' "$tmp/r_f2"
	echo
fi
