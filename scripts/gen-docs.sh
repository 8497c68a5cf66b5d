#!/bin/sh
# Refresh what is written from the option table (src/cli/opts.c) with the
# built binary: completions/* and the generated SYNOPSIS and OPTIONS of
# doc/certscope.1.scd.  The lint test 'generated' fails until this has run
# after a change to the table.
# Usage: scripts/gen-docs.sh [BUILDDIR]   (default: build)
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
ninja -C "$build" src/certscope >/dev/null
CERTSCOPE=$build/src/certscope python3 tests/check_generated.py --write .
