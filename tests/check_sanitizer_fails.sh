#!/bin/sh
# Passes when the UBSan canary (a deliberate overflow) makes its own run
# fail with a sanitizer report: a report must never be just a log line.
# usage: check_sanitizer_fails.sh CANARY
out=$("$1" 2>&1)
rc=$?
echo "$out"
if [ "$rc" -eq 0 ]; then
	echo "FAIL: the canary exited 0 after undefined behaviour" >&2
	exit 1
fi
case $out in
*"runtime error"*) echo "ok: exit $rc with a UBSan report"; exit 0 ;;
esac
echo "FAIL: exit $rc but no UBSan 'runtime error' report" >&2
exit 1
