#!/bin/bash
# Run every test: a warnings-as-errors build with the unit, end-to-end and
# lint suites, then the same suites again under AddressSanitizer and
# UndefinedBehaviorSanitizer (any sanitizer report fails the run), then
# every fuzz target for a short time, then the end-to-end tests under
# valgrind.
# Prints "N passed, M failed" at the end; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh || exit 2

total_pass=0
total_fail=0
total_skip=0

count() {	# count BUILDDIR: add meson's per-test results to the totals
	python3 - "$1/meson-logs/testlog.json" <<'PY'
import json, sys
p = f = s = 0
for line in open(sys.argv[1]):
    r = json.loads(line)["result"]
    if r in ("OK", "EXPECTEDFAIL"): p += 1
    elif r == "SKIP": s += 1
    else: f += 1
print(p, f, s)
PY
}

run_suite() {	# run_suite BUILDDIR LABEL MESON-SETUP-ARGS...
	local dir=$1 label=$2
	shift 2
	echo "== $label: configure and build ($dir)"
	if [ ! -d "$dir" ]; then
		meson setup "$dir" "$@" >"$dir.setup.log" 2>&1 || {
			cat "$dir.setup.log"; total_fail=$((total_fail + 1)); return; }
	fi
	if ! ninja -C "$dir" -j2 >"$dir.build.log" 2>&1; then
		tail -50 "$dir.build.log"
		total_fail=$((total_fail + 1))
		return
	fi
	echo "== $label: tests"
	meson test -C "$dir" --num-processes 2 --print-errorlogs
	read -r p f s < <(count "$dir")
	echo "== $label: $p passed, $f failed, $s skipped"
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	total_skip=$((total_skip + s))
}

run_suite build-ci "warnings-as-errors build" -Dwerror=true -Dbuildtype=debugoptimized

export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp
run_suite build-asan "ASan+UBSan build" -Dwerror=true -Db_sanitize=address,undefined \
	-Db_lundef=false -Dc_args=-fno-sanitize-recover=all

# Each stage below counts one result per line it prints that ends in
# "no crash" / "clean" (passed) or holds ": FAILED" (failed).
run_stage() {	# run_stage LABEL COMMAND...: a script with per-part lines
	local label=$1 out p f
	shift
	echo "== $label"
	out=$("$@" 2>&1)
	local rc=$?
	echo "$out"
	p=$(grep -cE "(no crash|clean)$" <<<"$out")
	f=$(grep -c ": FAILED" <<<"$out")
	# a script that failed without naming a part still fails the run
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	echo "== $label: $p passed, $f failed"
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
}

# libFuzzer targets over the instrumented core, CS_FUZZ_SECONDS each
# (default 30): catches regressions, the long runs are in fuzz/README.md.
run_stage "fuzzing (${CS_FUZZ_SECONDS:-30} s per target)" \
	bash scripts/fuzz.sh "${CS_FUZZ_SECONDS:-30}"
# The end-to-end tests with every certscope process under valgrind.
unset ASAN_OPTIONS LSAN_OPTIONS
run_stage "valgrind --leak-check=full (end-to-end tests)" \
	bash scripts/valgrind.sh build-ci

echo "$total_pass passed, $total_fail failed, $total_skip skipped"
[ "$total_fail" -eq 0 ]
