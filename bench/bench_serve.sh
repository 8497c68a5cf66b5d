#!/bin/sh
# bench_serve.sh - `certscope serve` (the Prometheus exporter): probes per
# second for one TLS endpoint under CLIENTS concurrent clients, against
# blackbox_exporter's TLS probe (Debian package
# prometheus-blackbox-exporter) on the same endpoint in the same run, and
# the latency the HTTP layer adds.  Loopback only; every server started
# here is stopped on exit.
#
# Fixtures: bench/tls_pool.c serving the test PKI's chain on one endpoint
# 127.0.0.1:PORT (32 worker threads, backlog 1,024; CHAINS=rsa:
# chain-rsa.pem under root-rsa.pem, ec: chain-ec.pem under root-ec.pem,
# host www.example.test).  certscope serve --listen 127.0.0.1:P --config
# C --at 2026-06-01, C allowing 127.0.0.0/8 and that one port, one module
# (trust ROOT, host www.example.test, timeout 10s) and
# max_concurrent_probes = CLIENTS (the default, 16, would answer the
# other half 503: measured once at the end).  blackbox_exporter
# --web.listen-address 127.0.0.1:Q with a tcp module, tls: true,
# tls_config {ca_file: ROOT, server_name: www.example.test}: the same
# handshake and chain validation.
#
# Load: bench/loadgen.c (C, one thread per client, a new connection per
# request unless said otherwise), built here with cc.
#
# 1. Throughput, per round: CLIENTS clients send GET /probe?target=
#    127.0.0.1:PORT&module=tls for SECS seconds to certscope, then to
#    blackbox.  Probes per second (2xx answers), probe_success of every
#    answer, latency percentiles, and each exporter's CPU per probe
#    (/proc/PID/stat) and the TLS server's CPU per handshake.
# 2. Latency, per round, one client, LAT_N requests each, medians:
#    - GET /metrics (new connection; and keep-alive): the HTTP layer
#      alone (accept, a thread per connection, parse, answer);
#    - GET /probe of a target the allow-list refuses (403): the HTTP
#      layer plus query parsing and the allow-list, no probe;
#    - GET /probe of the endpoint: the answer's latency minus its own
#      probe_duration_seconds (the time serve measured around trust
#      loading, the check and the report: in-process, millisecond
#      resolution, so the mean of the differences is given too);
#    - the same check in-process: `certscope check --jobs 1 --format
#      prometheus` over K copies of the target in one process, (wall(K) -
#      wall(1)) / (K - 1); a /probe's median latency minus that is
#      everything the exporter adds to a check (HTTP, a thread, loading
#      the module's trust store again, the report).
#    and blackbox's /metrics and /probe (minus its probe_duration_seconds)
#    for comparison.
#
# Medians over RUNS rounds (the machine may be shared); ratios within a
# round.
#
# Usage: bench/bench_serve.sh [BUILD_DIR]   (default: build-rel)
# Env:   CERTSCOPE, RUNS (default 5), SECS (default 10), CLIENTS (default
#        32), CHAINS (default "rsa ec"), LAT_N (default 500), K (default
#        200), BLACKBOX (default prometheus-blackbox-exporter, else
#        blackbox_exporter)
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build-rel}
cs=${CERTSCOPE:-$build/src/certscope}
runs=${RUNS:-5}
secs=${SECS:-10}
clients=${CLIENTS:-32}
chains=${CHAINS:-rsa ec}
lat_n=${LAT_N:-500}
k=${K:-200}
pki=$top/testcerts/pki
host=www.example.test
at=2026-06-01

[ -x "$cs" ] || { echo "no certscope at $cs (build first)" >&2; exit 77; }
for t in cc pkg-config python3; do
	command -v $t >/dev/null 2>&1 ||
		{ echo "bench_serve: $t missing" >&2; exit 77; }
done
bb=${BLACKBOX:-}
if [ -z "$bb" ]; then
	for b in prometheus-blackbox-exporter blackbox_exporter; do
		command -v $b >/dev/null 2>&1 && { bb=$b; break; }
	done
fi
[ -n "$bb" ] || echo "bench_serve: no blackbox_exporter: certscope alone" >&2

tmp=$(mktemp -d)
pids=""
stop_all() {
	for p in $pids; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	pids=""
}
cleanup() {
	stop_all
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cc -O2 -pthread -o "$tmp/loadgen" "$top/bench/loadgen.c"
cc -O2 -pthread -o "$tmp/tls_pool" "$top/bench/tls_pool.c" \
	$(pkg-config --cflags --libs gnutls)

col() { awk -v c="$1" '{print $c}' "$2"; }
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
now_us() { echo $(($(date +%s%N) / 1000)); }
field() { # NAME LINE: value of NAME=... in a loadgen line
	echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

free_port() {
	python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_port() { # PORT PID
	python3 - "$1" "$2" <<'EOF'
import os, socket, sys, time
end = time.monotonic() + 20
while time.monotonic() < end:
    try:
        os.kill(int(sys.argv[2]), 0)
    except OSError:
        sys.exit("process %s exited" % sys.argv[2])
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.05)
sys.exit("nothing listens on %s" % sys.argv[1])
EOF
}

echo "# certscope serve: probes per second and the HTTP layer"
echo
echo "command: sh bench/bench_serve.sh${1:+ $1}  (RUNS=$runs SECS=$secs CLIENTS=$clients CHAINS=\"$chains\" LAT_N=$lat_n K=$k)"
echo "certscope: $cs ($("$cs" --version 2>/dev/null | head -n 1))"
echo "blackbox: $([ -n "$bb" ] && "$bb" --version 2>&1 | head -n 1 || echo none)"
echo "machine: $(nproc) cores, $(grep -m 1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo

# loadgen_run OUT_PREFIX ARGS...: one loadgen run, its summary line in
# $tmp/OUT_PREFIX.line
lg() {
	o=$1
	shift
	"$tmp/loadgen" "$@" >"$tmp/$o.line" 2>"$tmp/$o.err" || true
	cat "$tmp/$o.line"
}

one_chain() { # NAME CHAIN KEY ROOT
	name=$1 root=$4
	rm -f "$tmp/ports"
	"$tmp/tls_pool" --cert "$2" --key "$3" >"$tmp/ports" &
	pids="$pids $!"
	srv=$!
	i=0
	while [ ! -s "$tmp/ports" ] && [ $i -lt 200 ]; do
		sleep 0.1; i=$((i + 1))
	done
	port=$(cat "$tmp/ports")
	target=127.0.0.1:$port
	refused=127.0.0.1:1

	cat >"$tmp/exporter.yml" <<EOF
allow:
  networks: [127.0.0.0/8]
  ports: [$port]
max_concurrent_probes: $clients
modules:
  tls:
    trust: [$root]
    host: $host
    timeout: 10s
EOF
	sed '/^max_concurrent_probes/d' "$tmp/exporter.yml" >"$tmp/exporter16.yml"
	cat >"$tmp/blackbox.yml" <<EOF
modules:
  tls:
    prober: tcp
    timeout: 10s
    tcp:
      tls: true
      tls_config:
        ca_file: $root
        server_name: $host
EOF
	csp=$(free_port)
	"$cs" serve --listen "127.0.0.1:$csp" --config "$tmp/exporter.yml" \
		--at $at 2>"$tmp/serve.err" &
	pids="$pids $!"
	cspid=$!
	wait_port "$csp" "$cspid"
	cs_url=http://127.0.0.1:$csp
	if [ -n "$bb" ]; then
		bbp=$(free_port)
		"$bb" --config.file="$tmp/blackbox.yml" \
			--web.listen-address="127.0.0.1:$bbp" 2>"$tmp/bb.err" &
		pids="$pids $!"
		bbpid=$!
		wait_port "$bbp" "$bbpid"
		bb_url=http://127.0.0.1:$bbp
	fi
	q="probe?target=$target&module=tls"
	# warm-up
	"$tmp/loadgen" -c 4 -n 100 "$cs_url/$q" >/dev/null || true
	[ -z "$bb" ] || "$tmp/loadgen" -c 4 -n 100 "$bb_url/$q" >/dev/null || true

	: >"$tmp/r_tp"
	: >"$tmp/r_lat"
	r=0
	while [ $r -lt "$runs" ]; do
		r=$((r + 1))
		# 1. throughput
		for who in cs bb; do
			[ $who = bb ] && [ -z "$bb" ] && continue
			if [ $who = cs ]; then url=$cs_url pid=$cspid
			else url=$bb_url pid=$bbpid; fi
			c0=$(cpu_ticks "$pid")
			s0=$(cpu_ticks "$srv")
			line=$(lg tp -c "$clients" -n 100000000 -d "$secs" \
				-m probe_success -o "$tmp/tp.$who" "$url/$q")
			c1=$(cpu_ticks "$pid")
			s1=$(cpu_ticks "$srv")
			n=$(field requests "$line")
			okp=$(awk '$2 == 1' "$tmp/tp.$who" | wc -l)
			echo "$who $(field rps "$line") $(field p50_ms "$line") $(field p99_ms "$line") $n $(field non_2xx "$line") $(field errors "$line") $okp $(echo "$c1 $c0 $s1 $s0 $n $hz" | awk '{printf "%.0f %.0f", ($1 - $2) * 1e6 / $6 / $5, ($3 - $4) * 1e6 / $6 / $5}')" >>"$tmp/r_tp"
		done
		# 2. latency, one client
		m=$(field p50_ms "$(lg l1 -n "$lat_n" "$cs_url/metrics")")
		mk=$(field p50_ms "$(lg l2 -k -n "$lat_n" "$cs_url/metrics")")
		rf=$(lg l3 -n "$lat_n" "$cs_url/probe?target=$refused&module=tls")
		rf_p50=$(field p50_ms "$rf")
		rf_403=$(field non_2xx "$rf")
		pl=$(lg l4 -n "$lat_n" -m probe_duration_seconds -o "$tmp/pd.cs" \
			"$cs_url/$q")
		p_p50=$(field p50_ms "$pl")
		d_p50=$(awk '{print $2 * 1000}' "$tmp/pd.cs" | median)
		diff_p50=$(awk '{printf "%.3f\n", ($1 - $2) * 1000}' "$tmp/pd.cs" | median)
		diff_mean=$(awk '{s += ($1 - $2) * 1000} END {printf "%.3f", s / NR}' "$tmp/pd.cs")
		# the same check in-process, K in one run
		i=0
		: >"$tmp/same"
		while [ $i -lt "$k" ]; do echo "$target" >>"$tmp/same"; i=$((i + 1)); done
		head -n 1 "$tmp/same" >"$tmp/same1"
		t0=$(now_us)
		"$cs" check --jobs 1 --format prometheus --at $at --trust "$root" \
			--host $host --targets "$tmp/same1" >/dev/null 2>&1 || true
		t1=$(now_us)
		"$cs" check --jobs 1 --format prometheus --at $at --trust "$root" \
			--host $host --targets "$tmp/same" >/dev/null 2>&1 || true
		t2=$(now_us)
		inproc=$(echo "$t0 $t1 $t2 $k" | awk '{printf "%.3f", (($3 - $2) - ($2 - $1)) / ($4 - 1) / 1000}')
		if [ -n "$bb" ]; then
			bm=$(field p50_ms "$(lg l5 -n "$lat_n" "$bb_url/metrics")")
			bl=$(lg l6 -n "$lat_n" -m probe_duration_seconds \
				-o "$tmp/pd.bb" "$bb_url/$q")
			b_p50=$(field p50_ms "$bl")
			bdiff_p50=$(awk '{printf "%.3f\n", ($1 - $2) * 1000}' "$tmp/pd.bb" | median)
		else
			bm=- b_p50=- bdiff_p50=-
		fi
		echo "$m $mk $rf_p50 $rf_403 $p_p50 $d_p50 $diff_p50 $diff_mean $inproc $bm $b_p50 $bdiff_p50" >>"$tmp/r_lat"
		echo "  round $r: $(grep -c . "$tmp/r_tp") throughput rows; /metrics ${m} ms, probe ${p_p50} ms - duration ${d_p50} ms, in-process ${inproc} ms" >&2
	done

	# the default max_concurrent_probes (16), once
	csp16=$(free_port)
	"$cs" serve --listen "127.0.0.1:$csp16" --config "$tmp/exporter16.yml" \
		--at $at 2>"$tmp/serve16.err" &
	pids="$pids $!"
	wait_port "$csp16" $!
	l16=$(lg l16 -c "$clients" -n 100000000 -d "$secs" \
		"http://127.0.0.1:$csp16/$q")
	stop_all

	grep '^cs ' "$tmp/r_tp" | cut -d' ' -f2- >"$tmp/tp_cs"
	grep '^bb ' "$tmp/r_tp" | cut -d' ' -f2- >"$tmp/tp_bb" || true
	echo "### $name"
	echo
	echo "endpoint $target (tls_pool, 32 threads); $clients clients x $secs s per exporter per round, medians of $runs rounds"
	echo
	echo "| exporter | probes/s | p50 ms | p99 ms | probes | non-2xx | errors | probe_success=1 | exporter CPU us/probe | TLS server CPU us/handshake |"
	echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
	row() { # LABEL FILE
		[ -s "$2" ] || return 0
		echo "| $1 | $(col 1 "$2" | median) | $(col 2 "$2" | median) | $(col 3 "$2" | median) | $(col 4 "$2" | median) | $(col 5 "$2" | sort -n | tail -n 1) (max) | $(col 6 "$2" | sort -n | tail -n 1) (max) | $(col 7 "$2" | median) | $(col 8 "$2" | median) | $(col 9 "$2" | median) |"
	}
	row "certscope serve" "$tmp/tp_cs"
	row "blackbox_exporter" "$tmp/tp_bb"
	if [ -s "$tmp/tp_bb" ]; then
		ratio=$(paste -d' ' "$tmp/tp_cs" "$tmp/tp_bb" | awk '{printf "%.2f\n", $1 / $10}' | median)
		echo
		echo "certscope / blackbox probes per second, median of per-round ratios: **${ratio}x**"
	fi
	echo
	echo "With the default max_concurrent_probes (16), $clients clients, $secs s, once: $(field rps "$l16") 2xx/s, $(field non_2xx "$l16") of $(field requests "$l16") answered non-2xx (503)"
	echo
	L=$tmp/r_lat
	echo "Latency, one client, $lat_n requests per kind per round, medians of the per-round medians:"
	echo
	echo "| request | certscope ms | blackbox ms |"
	echo "| --- | --- | --- |"
	echo "| GET /metrics, new connection | $(col 1 "$L" | median) | $(col 10 "$L" | median) |"
	echo "| GET /metrics, keep-alive | $(col 2 "$L" | median) | - |"
	echo "| GET /probe of a refused target (403; $(col 4 "$L" | sort -n | head -n 1) of $lat_n were) | $(col 3 "$L" | median) | - |"
	echo "| GET /probe of the endpoint | $(col 5 "$L" | median) | $(col 11 "$L" | median) |"
	echo "| its probe_duration_seconds (in-process, ms resolution for certscope) | $(col 6 "$L" | median) | - |"
	echo "| /probe latency - its probe_duration_seconds, median of per-request differences | $(col 7 "$L" | median) (mean $(col 8 "$L" | median)) | $(col 12 "$L" | median) |"
	echo "| the same check in-process (\`check --jobs 1\`, $k in one run, per check) | $(col 9 "$L" | median) | - |"
	echo "| /probe median latency - in-process check | $(awk '{printf "%.3f\n", $5 - $9}' "$L" | median) | - |"
	echo
	http=$(col 7 "$L" | median)
	met=$(col 1 "$L" | median | awk -v h="$http" '{print ($1 < 1 && h < 1) ? "met" : "MISSED"}')
	echo "Goal, HTTP layer under 1 ms at the median (/metrics and /probe - probe_duration_seconds): $met"
	echo
	echo "per round, throughput (who probes/s p50 p99 probes non2xx errors success cpu_us srv_us):"
	echo
	sed 's/^/    /' "$tmp/r_tp"
	echo
	echo "per round, latency (metrics metrics-keepalive refused refused-403s probe duration probe-duration mean inproc bb-metrics bb-probe bb-probe-duration):"
	echo
	sed 's/^/    /' "$tmp/r_lat"
	echo
}

for c in $chains; do
	case $c in
	rsa) one_chain "RSA-2048 chain (chain-rsa.pem)" "$pki/chain-rsa.pem" \
		"$pki/ee-rsa.key" "$pki/root-rsa.pem" ;;
	ec) one_chain "P-256 chain (chain-ec.pem)" "$pki/chain-ec.pem" \
		"$pki/ee-ec.key" "$pki/root-ec.pem" ;;
	*) echo "unknown chain $c" >&2; exit 2 ;;
	esac
done
