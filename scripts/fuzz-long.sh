#!/bin/bash
# Long fuzzing runs: each target is run in chunks of CHUNK wall seconds
# (default 300, niced) until the CPU time it used adds up to CPU_MINUTES;
# LANES targets (default 2) run at once.  The CPU time, wall time and
# executions add up across runs in build-fuzz/long-<target>.total, so a
# budget can be spent over several runs (a stopped run loses its chunk).
# New inputs collect in build-fuzz/long-<target>/; at the end each
# target's corpus is minimised with them (scripts/fuzz-merge.sh).  One
# line per target goes to build-fuzz/long.tsv: target, CPU seconds, wall
# seconds, executions, coverage of the last chunk (cov, ft), chunks that
# failed.  A crash leaves its input in
# build-fuzz/crashes/long-<target>-*; it becomes a row in tests/fuzz-regress.
# Usage: scripts/fuzz-long.sh CPU_MINUTES [TARGET ...]
set -uo pipefail
cd "$(dirname "$0")/.."
mins=${1:?usage: fuzz-long.sh CPU_MINUTES [TARGET ...]}
shift
targets=${*:-load model verify starttls ocsp targets serve issuers crl asn1}
dir=build-fuzz
chunk=${CHUNK:-300}
lanes=${LANES:-2}

if [ ! -d "$dir" ]; then
	CC=clang meson setup "$dir" -Dfuzzing=true -Dtests=disabled \
		-Dman-pages=disabled >"$dir.setup.log" 2>&1 ||
		{ cat "$dir.setup.log"; exit 2; }
fi
ninja -C "$dir" -j2 >"$dir.build.log" 2>&1 || { tail -30 "$dir.build.log"; exit 2; }
mkdir -p "$dir/crashes"

one() {	# one TARGET: fuzz until the CPU budget is spent, then merge
	local t=$1 cpu=0 wall=0 execs=0 fails=0 n=0 log cov ft
	local work="$dir/long-$t" bin="$dir/fuzz/fuzz_$t"
	local total="$dir/long-$t.total"
	[ -x "$bin" ] || { echo "fuzz_$t: not built" >&2; return 1; }
	mkdir -p "$work"
	[ -f "$total" ] && read -r cpu wall execs n fails <"$total"
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
	export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
	while [ "$cpu" -lt $((mins * 60)) ]; do
		n=$((n + 1))
		log="$dir/long-$t.$n.log"
		/usr/bin/time -f "%e %U %S" -o "$log.time" nice -n 19 "$bin" \
			-max_total_time="$chunk" -timeout=10 -rss_limit_mb=2048 \
			-max_len=65536 -print_final_stats=1 \
			-artifact_prefix="$dir/crashes/long-$t-" \
			"$work" "fuzz/corpus/$t" >"$log" 2>&1 || fails=$((fails + 1))
		read -r w u s < <(tail -1 "$log.time")
		cpu=$((cpu + ${u%.*} + ${s%.*}))
		wall=$((wall + ${w%.*}))
		execs=$((execs + $(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)))
		cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
		ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
		echo "$cpu $wall $execs $n $fails" >"$total"
		echo "fuzz_$t: chunk $n, ${cpu} CPU s so far, cov ${cov:-?}" >&2
	done
	bash scripts/fuzz-merge.sh "$t"
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$cpu" "$wall" "$execs" \
		"${cov:-?}" "${ft:-?}" "$fails" >>"$dir/long.tsv"
}
export -f one
export dir chunk mins
printf '%s\n' $targets | xargs -P "$lanes" -I{} bash -c 'one {}'
column -t "$dir/long.tsv"
