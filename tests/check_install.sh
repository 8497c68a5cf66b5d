#!/bin/sh
# Install into a temporary DESTDIR and check what lands there: the binary
# runs, the man page, the three completions and the bundled trust store.
# Usage: check_install.sh BUILDDIR
set -eu
build=${1:?usage: check_install.sh BUILDDIR}
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
meson install -C "$build" --destdir "$dest" --no-rebuild --quiet >/dev/null
prefix=$(meson introspect "$build" --buildoptions |
	python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"][0])')
root=$dest$prefix
fail=0
check() { if [ -e "$root/$1" ]; then echo "ok: $1"; else echo "missing: $1"; fail=1; fi; }
check bin/certscope
check share/certscope/ca-bundle.pem
check share/bash-completion/completions/certscope
check share/zsh/site-functions/_certscope
check share/fish/vendor_completions.d/certscope.fish
if command -v scdoc >/dev/null; then check share/man/man1/certscope.1; fi
out=$("$root/bin/certscope" --version)
case $out in
certscope\ *) echo "ok: installed binary runs: $out" ;;
*) echo "installed binary printed: $out"; fail=1 ;;
esac
# the installed bash completion must at least parse
bash -n "$root/share/bash-completion/completions/certscope" || fail=1
exit $fail
