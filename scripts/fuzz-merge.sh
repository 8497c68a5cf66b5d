#!/bin/bash
# Minimise the seed corpora: for each target, the named seeds of
# fuzz/corpus/<target>/ (hand-written or imported, see corpus/SOURCES.md)
# are kept as they are, and of the inputs the fuzzer found (files named by
# their SHA-1) and those in build-fuzz/long-<target>/ only a set that adds
# coverage beyond them is kept (libFuzzer's -merge=1).  Then the corpus is
# loaded once (-runs=0) and its coverage written to build-fuzz/merge.tsv:
# target, files before, files after, cov, ft.
# Needs build-fuzz (scripts/fuzz.sh or fuzz-long.sh makes it).
# Usage: scripts/fuzz-merge.sh [TARGET ...]
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
targets=${*:-load model verify starttls ocsp targets serve issuers crl asn1}
dir=build-fuzz
opts=(-max_len=65536 -rss_limit_mb=2048 -timeout=10)
rc=0

# the files of DIR named by their SHA-1 (the fuzzer's finds), or with
# "!" those that are not, and then any find(1) action
hashed() {
	local d=$1
	shift
	if [ "${1:-}" = "!" ]; then
		shift
		find "$d" -maxdepth 1 -type f -regextype posix-extended \
			! -regex '.*/[0-9a-f]{40}' "$@"
	else
		find "$d" -maxdepth 1 -type f -regextype posix-extended \
			-regex '.*/[0-9a-f]{40}' "$@"
	fi
}

for t in $targets; do
	bin="$dir/fuzz/fuzz_$t" corpus="fuzz/corpus/$t"
	[ -x "$bin" ] || { echo "fuzz_$t: not built" >&2; rc=1; continue; }
	tmp=$(mktemp -d)
	before=$(find "$corpus" -maxdepth 1 -type f | wc -l)
	# the named seeds first: whatever else is kept adds to them
	hashed "$corpus" ! -exec cp {} "$tmp/" \;
	found=$(mktemp -d)
	hashed "$corpus" -exec cp {} "$found/" \;
	finds=("$found")
	[ -d "$dir/long-$t" ] && finds+=("$dir/long-$t")
	if ! "$bin" -merge=1 "${opts[@]}" "$tmp" "${finds[@]}" \
		>"$dir/merge-$t.log" 2>&1; then
		echo "fuzz_$t: merge failed, corpus left as it was" \
			"($dir/merge-$t.log)" >&2
		rm -rf "$tmp" "$found"
		rc=1
		continue
	fi
	hashed "$corpus" -delete
	hashed "$tmp" -exec cp {} "$corpus/" \;
	rm -rf "$tmp" "$found"
	after=$(find "$corpus" -maxdepth 1 -type f | wc -l)
	"$bin" -runs=0 "${opts[@]}" "$corpus" >"$dir/cov-$t.log" 2>&1
	cov=$(grep -o 'cov: [0-9]*' "$dir/cov-$t.log" | tail -1 | cut -d' ' -f2)
	ft=$(grep -o 'ft: [0-9]*' "$dir/cov-$t.log" | tail -1 | cut -d' ' -f2)
	printf '%s\t%s\t%s\t%s\t%s\n' "$t" "$before" "$after" "${cov:-?}" \
		"${ft:-?}" >>"$dir/merge.tsv"
	echo "fuzz_$t: $before -> $after files, cov ${cov:-?}, ft ${ft:-?}" >&2
done
exit $rc
