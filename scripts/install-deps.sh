#!/bin/sh
# Install what certscope needs to build and test on Debian 12 (run as root,
# or with sudo available).  Idempotent: does nothing when all is present.
set -eu
# zsh, fish, bash-completion and man-db: the completion and install tests
# ask the real shells and render the man page with man -l.  prometheus:
# promtool checks the exposition text, and serve's tests scrape it with a
# real Prometheus server (started and stopped by the test, not the
# package's service).
pkgs="meson ninja-build pkg-config gcc libgnutls28-dev libtasn1-6-dev
libidn2-dev libjansson-dev libc-ares-dev libcurl4-gnutls-dev libmicrohttpd-dev libyaml-dev libcmocka-dev
gnutls-bin openssl python3 python3-cryptography scdoc valgrind
ca-certificates clang libclang-rt-14-dev
zsh fish bash-completion man-db prometheus"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "installing:$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
