#!/bin/bash
# Run the end-to-end tests of show, verify and the bad-input suite with
# every certscope process under valgrind --leak-check=full: a leak or a
# memory error makes that process exit 99, which no test expects, so the
# test fails.  (99, not 1: 1 is verify's "not trusted".)
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
	CS_SHARED=$(cd "$shared" && pwd) NO_COLOR=1
fail=0
for t in show verify badinput; do
	echo "== valgrind: e2e $t"
	if python3 "tests/e2e/test_$t.py" >"$wrap/$t.log" 2>&1; then
		tail -n 1 "$wrap/$t.log"
	else
		grep -E "^(FAIL|ERROR):|==[0-9]+==" "$wrap/$t.log" | head -20
		tail -n 1 "$wrap/$t.log"
		fail=1
	fi
done
exit $fail
