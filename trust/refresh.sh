#!/bin/sh
# Refresh trust/ca-bundle.pem, the bundled fallback trust store, from the
# Mozilla roots as packaged by Debian's ca-certificates (no network needed
# beyond apt: `apt-get install ca-certificates`).
# Usage: sh trust/refresh.sh   (from the repository root)
set -eu
src=/usr/share/ca-certificates/mozilla
out=$(dirname "$0")/ca-bundle.pem
[ -d "$src" ] || { echo "refresh.sh: $src not found: apt-get install ca-certificates" >&2; exit 1; }
ver=$(dpkg-query -W -f='${Version}' ca-certificates 2>/dev/null || echo unknown)
tmp=$(mktemp)
{
	echo "# certscope bundled trust store: Mozilla roots from Debian ca-certificates $ver"
	echo "# snapshot taken $(date -u +%Y-%m-%d) by trust/refresh.sh; $(ls "$src"/*.crt | wc -l) roots"
	for f in "$src"/*.crt; do
		echo
		echo "# $(basename "$f" .crt)"
		cat "$f"
	done
} > "$tmp"
mv "$tmp" "$out"
echo "wrote $out"
