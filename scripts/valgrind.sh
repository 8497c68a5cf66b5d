#!/bin/bash
# Run the end-to-end tests (show, verify, bad-input, the command line,
# --write-chain and valid-until, connect and its --trace against the
# loopback test server, --fetch-missing and --revocation against loopback
# HTTP and OCSP servers, the whole shared corpus, check and serve) with
# every certscope process under valgrind --leak-check=full: a leak or a
# memory error makes that process exit 99, which no test expects, so the
# test fails.  (99, not 1: 1 is verify's "not trusted".)  The test server
# itself is not wrapped.  CS_VALGRIND_SUITES picks suites (default: all).
# Usage: scripts/valgrind.sh [BUILD_DIR]   (default: build-ci, else build)
set -uo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build-ci}
[ -x "$dir/src/certscope" ] || dir=build
[ -x "$dir/src/certscope" ] || { echo "build first" >&2; exit 2; }
top=$PWD
wrap=$(mktemp -d)
trap 'rm -rf "$wrap"' EXIT
cat >"$wrap/certscope" <<WRAP
#!/bin/sh
exec valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \\
	--error-exitcode=99 --suppressions=$top/tests/valgrind.supp \\
	$top/$dir/src/certscope "\$@"
WRAP
chmod +x "$wrap/certscope"
shared=../shared
[ -d "$shared/corpus" ] || shared=/work/shared
[ -d "$shared/corpus" ] || shared=tests/data
export CERTSCOPE="$wrap/certscope" CS_TESTCERTS=$top/testcerts \
	CS_SHARED=$(cd "$shared" && pwd) NO_COLOR=1 \
	CS_TLS_SERVER=$top/$dir/tests/tls_server \
	CS_DNS_SERVER=$top/tests/dns_server.py \
	CS_CORPUS_BATCH=${CS_CORPUS_BATCH:-64} \
	CS_CORPUS_STRIDE=${CS_CORPUS_STRIDE:-8} \
	CS_DEADLINE_SLACK=${CS_DEADLINE_SLACK:-10} \
	CS_TIMEOUT_SCALE=${CS_TIMEOUT_SCALE:-5} \
	CS_CHECK_TIMEOUT=${CS_CHECK_TIMEOUT:-15} \
	CS_SCRAPE_SECONDS=${CS_SCRAPE_SECONDS:-5}
suites=${CS_VALGRIND_SUITES:-show verify badinput cli chain asn1 conform connect trace corpus fetch revocation check serve}
# The suites run side by side (valgrind is single-threaded); each prints
# one line: "e2e NAME: N tests, clean" or "e2e NAME: FAILED".
# connect, trace, fetch, revocation, check and serve time deadlines, so
# they run alone, after the others, one at a time.
run() { python3 "tests/e2e/test_$1.py" >"$wrap/$1.log" 2>&1; echo $? >"$wrap/$1.rc"; }
timed=" connect trace fetch revocation check serve "
for t in $suites; do
	case $timed in *" $t "*) ;; *) run "$t" & ;; esac
done
wait
for t in $suites; do
	case $timed in *" $t "*) run "$t" ;; esac
done
fail=0
for t in $suites; do
	n=$(sed -n 's/^\([0-9]*\) passed, 0 failed.*/\1/p' "$wrap/$t.log")
	if [ "$(cat "$wrap/$t.rc")" = 0 ] && ! grep -q "skipped" "$wrap/$t.log"; then
		echo "e2e $t under valgrind: ${n:-?} tests, clean"
	else
		grep -E "^(FAIL|ERROR):|==[0-9]+==|skipped" "$wrap/$t.log" | head -20
		tail -n 3 "$wrap/$t.log"
		echo "e2e $t under valgrind: FAILED"
		fail=1
	fi
done
exit $fail
