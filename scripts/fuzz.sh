#!/bin/bash
# Build the libFuzzer targets (clang, -Dfuzzing=true) into build-fuzz/ and
# run each for SECONDS (default 30) from its seed corpus in fuzz/corpus/
# (plus ../shared/corpus/ when it is there).  New inputs go to a scratch
# corpus, never into the repository.  Prints the executions per target;
# exits non-zero if any target crashed, leaked or hit a sanitizer report
# (the reproducer is left in build-fuzz/crashes/).
# Usage: scripts/fuzz.sh [SECONDS] [TARGET ...]
set -uo pipefail
cd "$(dirname "$0")/.."
secs=${1:-30}
shift || true
targets=${*:-load model verify starttls ocsp targets serve issuers crl asn1}
dir=build-fuzz

if [ ! -d "$dir" ]; then
	CC=clang meson setup "$dir" -Dfuzzing=true -Dtests=disabled \
		-Dman-pages=disabled >"$dir.setup.log" 2>&1 ||
		{ cat "$dir.setup.log"; exit 2; }
fi
ninja -C "$dir" -j2 >"$dir.build.log" 2>&1 || { tail -30 "$dir.build.log"; exit 2; }

shared=../shared/corpus
extra_for() {	# extra_for TARGET: read-only seed dirs from the shared corpus
	[ -d "$shared" ] || return 0
	case $1 in
	load) echo "$shared/boringssl-fuzz-read-pem $shared/s2n-tls-pems" ;;
	model) echo "$shared/gnutls-regress $shared/boringssl-fuzz-cert" ;;
	asn1) echo "$shared/openssl-fuzz-x509" ;;
	esac
}

mkdir -p "$dir/crashes"
fail=0
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
for t in $targets; do
	work="$dir/corpus-$t"
	mkdir -p "$work"
	# shellcheck disable=SC2046
	"$dir/fuzz/fuzz_$t" -max_total_time="$secs" -timeout=10 \
		-rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
		-artifact_prefix="$dir/crashes/$t-" \
		"$work" "fuzz/corpus/$t" $(extra_for "$t") \
		>"$dir/fuzz-$t.log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/fuzz-$t.log")
	if [ $rc -ne 0 ]; then
		echo "fuzz_$t: FAILED (exit $rc) after ${execs:-?} executions"
		grep -E "ERROR|SUMMARY|runtime error" "$dir/fuzz-$t.log" | head -5
		fail=1
	else
		echo "fuzz_$t: ${execs:-?} executions in ${secs} s, no crash"
	fi
done
exit $fail
