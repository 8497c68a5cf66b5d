#!/bin/sh
# Quick start: install dependencies, build, and run the main job on a
# default input: validate the test PKI's RSA chain for www.example.test
# at a fixed time, then show the leaf.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
[ -d build ] || meson setup build >/dev/null
ninja -C build >/dev/null
echo "\$ certscope verify --trust testcerts/pki/root-rsa.pem --host www.example.test --at 2026-06-01 testcerts/pki/chain-rsa.pem"
build/src/certscope verify --trust testcerts/pki/root-rsa.pem \
	--host www.example.test --at 2026-06-01 testcerts/pki/chain-rsa.pem
echo
echo "\$ certscope show --at 2026-06-01 testcerts/pki/ee-rsa.pem"
build/src/certscope show --at 2026-06-01 testcerts/pki/ee-rsa.pem
