#!/usr/bin/env bash
# gen.sh - regenerate the certscope test PKI.
#
#   bash testcerts/gen.sh
#
# Needs: certtool (gnutls-bin), openssl, /usr/bin/python3 with
# python3-cryptography.  Wipes and rewrites pki/ formats/ bad/ dirtree/.
# Keys are random, so every run gives new bytes; the output is committed
# and tests use the committed files.  All validity periods, CRL times and
# serial numbers are fixed; tests evaluate at 2026-06-01T00:00:00Z.
# manifest.ini describes the scenarios and is NOT generated (it depends
# only on the structure made here, not on the random keys).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$HERE"
PY=/usr/bin/python3
export LC_ALL=C TZ=UTC

for tool in certtool openssl "$PY"; do
	command -v "$tool" >/dev/null || { echo "gen.sh: $tool not found" >&2; exit 1; }
done
"$PY" -c 'import cryptography' 2>/dev/null ||
	{ echo "gen.sh: python3-cryptography missing" >&2; exit 1; }

rm -rf pki formats bad dirtree
mkdir -p pki formats bad dirtree
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

P=pki
ORG='organization = "certscope test PKI"'
ROOT_DATES='activation_date = "2020-01-01 00:00:00"
expiration_date = "2045-01-01 00:00:00"'
ICA_DATES='activation_date = "2021-01-01 00:00:00"
expiration_date = "2040-01-01 00:00:00"'
EE_DATES='activation_date = "2025-01-01 00:00:00"
expiration_date = "2027-12-31 23:59:59"'
CA_EXT='ca
cert_signing_key
crl_signing_key'
SERVER_EXT='signing_key
encryption_key
tls_www_server'
SERVER_EXT_EC='signing_key
tls_www_server'
WWW_SAN='dns_name = "www.example.test"
dns_name = "example.test"'

certtool_q() {
	# certtool is chatty on stderr; keep it quiet unless it fails.
	if ! certtool "$@" 2>"$TMP/certtool.err"; then
		cat "$TMP/certtool.err" >&2
		echo "gen.sh: certtool $* failed" >&2
		exit 1
	fi
}

# genkey NAME rsa|rsa1024|ec|ed25519
genkey() {
	case "$2" in
	rsa)     set -- "$1" --key-type rsa --bits 2048 ;;
	rsa1024) set -- "$1" --key-type rsa --bits 1024 ;;
	ec)      set -- "$1" --key-type ecdsa --curve secp256r1 ;;
	ed25519) set -- "$1" --key-type ed25519 ;;
	*) echo "genkey: bad type $2" >&2; exit 1 ;;
	esac
	local name=$1; shift
	certtool_q --generate-privkey "$@" --no-text --outfile "$P/$name.key"
}

# tmpl NAME  (template text on stdin)
tmpl() { cat >"$TMP/$1.tmpl"; }

# selfsign NAME KEYNAME  [extra certtool args]
selfsign() {
	local name=$1 key=$2; shift 2
	certtool_q --generate-self-signed --load-privkey "$P/$key.key" \
		--template "$TMP/$name.tmpl" --no-text --outfile "$P/$name.pem" "$@"
}

# sign NAME KEYNAME ISSUER  [extra certtool args]
sign() {
	local name=$1 key=$2 issuer=$3; shift 3
	certtool_q --generate-certificate --load-privkey "$P/$key.key" \
		--load-ca-certificate "$P/$issuer.pem" \
		--load-ca-privkey "$P/$issuer.key" \
		--template "$TMP/$name.tmpl" --no-text --outfile "$P/$name.pem" "$@"
}

# leaf NAME ISSUER KEYTYPE SERIAL CN [certtool args]  (template body on stdin)
# A server leaf: own key, EE_DATES unless the body sets dates.
leaf() {
	local name=$1 issuer=$2 ktype=$3 serial=$4 cn=$5
	shift 5
	genkey "$name" "$ktype"
	{
		echo "cn = \"$cn\""
		echo "$ORG"
		echo "serial = $serial"
		cat
	} >"$TMP/$name.tmpl"
	grep -q '^activation_date' "$TMP/$name.tmpl" || echo "$EE_DATES" >>"$TMP/$name.tmpl"
	sign "$name" "$name" "$issuer" "$@"
}

##########################################################################
# The three main hierarchies: RSA, ECDSA P-256, Ed25519.
##########################################################################
serial=0x1000
for alg in rsa ec ed25519; do
	case $alg in
	rsa) label=RSA ;; ec) label="ECDSA P-256" ;; ed25519) label=Ed25519 ;;
	esac
	genkey "root-$alg" "$alg"
	tmpl "root-$alg" <<EOF
cn = "certscope Test Root $label"
$ORG
serial = $((serial + 1))
$ROOT_DATES
$CA_EXT
EOF
	selfsign "root-$alg" "root-$alg"

	genkey "ica-$alg" "$alg"
	tmpl "ica-$alg" <<EOF
cn = "certscope Test Intermediate $label"
$ORG
serial = $((serial + 2))
$ICA_DATES
$CA_EXT
path_len = 0
crl_dist_points = "http://crl.example.test/root-$alg.crl"
EOF
	sign "ica-$alg" "ica-$alg" "root-$alg"

	if [ "$alg" = rsa ]; then ext=$SERVER_EXT; else ext=$SERVER_EXT_EC; fi
	leaf "ee-$alg" "ica-$alg" "$alg" $((serial + 3)) www.example.test <<EOF
$WWW_SAN
$ext
EOF
	cat "$P/ee-$alg.pem" "$P/ica-$alg.pem" >"$P/chain-$alg.pem"
	serial=$((serial + 0x100))
done
cat "$P/ee-rsa.pem" "$P/ica-rsa.pem" "$P/root-rsa.pem" >"$P/fullchain-rsa.pem"

##########################################################################
# Scenario leaves under ica-rsa.  Serials 0x2001...
##########################################################################
leaf ee-expired ica-rsa rsa 0x2001 www.example.test <<EOF
activation_date = "2024-01-01 00:00:00"
expiration_date = "2025-01-01 00:00:00"
$WWW_SAN
$SERVER_EXT
EOF

leaf ee-notyet ica-rsa rsa 0x2002 www.example.test <<EOF
activation_date = "2030-01-01 00:00:00"
expiration_date = "2031-01-01 00:00:00"
$WWW_SAN
$SERVER_EXT
EOF

leaf ee-wronghost ica-rsa rsa 0x2003 other.example.test <<EOF
dns_name = "other.example.test"
$SERVER_EXT
EOF

leaf ee-wildcard ica-rsa rsa 0x2004 '*.example.test' <<EOF
dns_name = "*.example.test"
$SERVER_EXT
EOF

leaf ee-ip ica-rsa rsa 0x2005 localhost <<EOF
ip_address = "127.0.0.1"
ip_address = "::1"
dns_name = "localhost"
$SERVER_EXT
EOF

leaf ee-email ica-rsa rsa 0x2006 'Alice Example' <<EOF
email = "alice@example.test"
signing_key
encryption_key
email_protection_key
EOF

leaf ee-cn-only ica-rsa rsa 0x2007 www.example.test <<EOF
$SERVER_EXT
EOF

# SHA-1 signature: certtool 3.7 still signs with it when asked.
leaf ee-sha1 ica-rsa rsa 0x2008 www.example.test --hash SHA1 <<EOF
$WWW_SAN
$SERVER_EXT
EOF

leaf ee-client ica-rsa rsa 0x2009 'client.example.test' <<EOF
dns_name = "client.example.test"
signing_key
tls_www_client
EOF

leaf ee-rsa1024 ica-rsa rsa1024 0x200a www.example.test <<EOF
$WWW_SAN
$SERVER_EXT
EOF

leaf ee-revoked ica-rsa rsa 0x200b www.example.test <<EOF
$WWW_SAN
$SERVER_EXT
EOF

# Self-signed leaf: CA:FALSE, own key signs itself.
genkey ee-selfsigned rsa
tmpl ee-selfsigned <<EOF
cn = "www.example.test"
$ORG
serial = 0x200c
$EE_DATES
$WWW_SAN
$SERVER_EXT
EOF
selfsign ee-selfsigned ee-selfsigned

# A leaf with many extensions, for "show --long".
# SCT list (1.3.6.1.4.1.11129.2.4.2): one v1 SCT, fixed log id (SHA-256 of
# "certscope test CT log"), timestamp 2025-01-01T00:00:00.000Z, dummy
# ECDSA signature (it does not verify; it is for display only).
# certtool drops "email" from the SAN when tls_www_server is set, so the
# whole SAN (DNS www.example.test, example.test, IP 192.0.2.10,
# 2001:db8::10, email alice@example.test, URI https://www.example.test/)
# is built by gen_py.py and added as a raw extension.
SCT_HEX=$("$PY" "$HERE/gen_py.py" sct-hex)
SAN_HEX=$("$PY" "$HERE/gen_py.py" full-san-hex)
leaf ee-full ica-rsa rsa 0x200d www.example.test <<EOF
add_extension = "2.5.29.17 0x$SAN_HEX"
signing_key
encryption_key
tls_www_server
tls_www_client
ocsp_uri = "http://ocsp.example.test"
ca_issuers_uri = "http://ca.example.test/ica.der"
crl_dist_points = "http://crl.example.test/ica.crl"
policy1 = 2.23.140.1.2.1
add_extension = "1.3.6.1.4.1.11129.2.4.2 octet_string(0x$SCT_HEX)"
EOF

# Unrelated leaf from the EC hierarchy.
leaf ee-unrelated ica-ec ec 0x200e unrelated.example.test <<EOF
dns_name = "unrelated.example.test"
$SERVER_EXT_EC
EOF

##########################################################################
# CA-structure defects.  Serials 0x3001...
##########################################################################
# Intermediate that is not a CA (basicConstraints CA:FALSE).
genkey ica-notca rsa
tmpl ica-notca <<EOF
cn = "certscope Test Not-A-CA Intermediate"
$ORG
serial = 0x3001
$ICA_DATES
signing_key
encryption_key
EOF
sign ica-notca ica-notca root-rsa
leaf ee-under-notca ica-notca rsa 0x3002 www.example.test <<EOF
$WWW_SAN
$SERVER_EXT
EOF

# pathlen: ica-pathlen0 (pathlen 0) -> ica-sub (CA) -> ee-pathlen.
genkey ica-pathlen0 rsa
tmpl ica-pathlen0 <<EOF
cn = "certscope Test Intermediate pathlen 0"
$ORG
serial = 0x3003
$ICA_DATES
$CA_EXT
path_len = 0
EOF
sign ica-pathlen0 ica-pathlen0 root-rsa
genkey ica-sub rsa
tmpl ica-sub <<EOF
cn = "certscope Test Sub-Intermediate"
$ORG
serial = 0x3004
$ICA_DATES
$CA_EXT
EOF
sign ica-sub ica-sub ica-pathlen0
leaf ee-pathlen ica-sub rsa 0x3005 www.example.test <<EOF
$WWW_SAN
$SERVER_EXT
EOF

# Name constraints.
genkey ica-nc rsa
tmpl ica-nc <<EOF
cn = "certscope Test Name-Constrained Intermediate"
$ORG
serial = 0x3006
$ICA_DATES
$CA_EXT
nc_permit_dns = "example.test"
nc_exclude_dns = "bad.example.test"
nc_permit_ip = "127.0.0.0/8"
EOF
sign ica-nc ica-nc root-rsa
leaf ee-nc-ok ica-nc rsa 0x3007 www.example.test <<EOF
dns_name = "www.example.test"
$SERVER_EXT
EOF
leaf ee-nc-bad ica-nc rsa 0x3008 www.evil.test <<EOF
dns_name = "www.evil.test"
$SERVER_EXT
EOF
leaf ee-nc-excluded ica-nc rsa 0x3009 x.bad.example.test <<EOF
dns_name = "x.bad.example.test"
$SERVER_EXT
EOF

##########################################################################
# Cross-signing.  Serials 0x4001...
##########################################################################
genkey root-old rsa
tmpl root-old <<EOF
cn = "certscope Test Old Root"
$ORG
serial = 0x4001
activation_date = "2010-01-01 00:00:00"
expiration_date = "2020-06-01 00:00:00"
$CA_EXT
EOF
selfsign root-old root-old

genkey root-new rsa
tmpl root-new <<EOF
cn = "certscope Test New Root"
$ORG
serial = 0x4002
$ROOT_DATES
$CA_EXT
EOF
selfsign root-new root-new

# root-new's subject and key, issued by root-old (valid 2020..2030, i.e.
# it outlives its issuer, like real-world cross-signs do).
tmpl root-new-by-old <<EOF
cn = "certscope Test New Root"
$ORG
serial = 0x4003
activation_date = "2020-01-01 00:00:00"
expiration_date = "2030-01-01 00:00:00"
$CA_EXT
EOF
sign root-new-by-old root-new root-old

# root-old's subject and key, issued by root-new.
tmpl root-old-by-new <<EOF
cn = "certscope Test Old Root"
$ORG
serial = 0x4004
activation_date = "2020-01-01 00:00:00"
expiration_date = "2030-01-01 00:00:00"
$CA_EXT
EOF
sign root-old-by-new root-old root-new

genkey ica-x rsa
tmpl ica-x <<EOF
cn = "certscope Test Cross Intermediate"
$ORG
serial = 0x4005
$ICA_DATES
$CA_EXT
path_len = 0
EOF
sign ica-x ica-x root-new
leaf ee-x ica-x rsa 0x4006 www.example.test <<EOF
$WWW_SAN
$SERVER_EXT
EOF

##########################################################################
# CRLs by ica-rsa.
##########################################################################
tmpl crl <<EOF
crl_number = 1
crl_this_update_date = "2026-01-01 00:00:00"
crl_next_update_date = "2027-01-01 00:00:00"
crl_revocation_date = "2025-06-01 00:00:00"
EOF
certtool_q --generate-crl --load-ca-privkey "$P/ica-rsa.key" \
	--load-ca-certificate "$P/ica-rsa.pem" \
	--load-certificate "$P/ee-revoked.pem" \
	--template "$TMP/crl.tmpl" --no-text --outfile "$P/crl-ica-rsa.pem"
tmpl crl-empty <<EOF
crl_number = 2
crl_this_update_date = "2026-01-01 00:00:00"
crl_next_update_date = "2027-01-01 00:00:00"
EOF
certtool_q --generate-crl --load-ca-privkey "$P/ica-rsa.key" \
	--load-ca-certificate "$P/ica-rsa.pem" \
	--template "$TMP/crl-empty.tmpl" --no-text \
	--outfile "$P/crl-ica-rsa-empty.pem"

##########################################################################
# Chains with presentation defects.
##########################################################################
cat "$P/ica-rsa.pem" "$P/ee-rsa.pem" >"$P/chain-out-of-order.pem"
cat "$P/ee-rsa.pem" "$P/ica-rsa.pem" "$P/ee-unrelated.pem" >"$P/chain-with-extra.pem"
cat "$P/ee-rsa.pem" "$P/ica-rsa.pem" "$P/ica-rsa.pem" >"$P/chain-duplicates.pem"
cp "$P/ee-rsa.pem" "$P/chain-missing-ica.pem"

# ee-badsig.pem: ee-rsa with one signature bit flipped (python).
"$PY" "$HERE/gen_py.py" badsig "$P/ee-rsa.pem" "$P/ee-badsig.pem"

##########################################################################
# formats/
##########################################################################
F=formats
openssl x509 -in "$P/ee-rsa.pem" -outform DER -out "$F/ee-rsa.der"
certtool_q --p7-generate --load-certificate "$P/chain-rsa.pem" --no-text \
	--outfile "$F/chain-rsa.p7b"
certtool_q --p7-generate --load-certificate "$P/chain-rsa.pem" --outder \
	--outfile "$F/chain-rsa.p7c"
printf 'test-password\n' >"$F/p12-password.txt"
certtool_q --to-p12 --load-privkey "$P/ee-rsa.key" \
	--load-certificate "$P/chain-rsa.pem" --p12-name ee-rsa \
	--password test-password --outder --outfile "$F/ee-rsa.p12"
certtool_q --to-p12 --load-privkey "$P/ee-rsa.key" \
	--load-certificate "$P/chain-rsa.pem" --p12-name ee-rsa \
	--empty-password --outder --outfile "$F/ee-rsa-nopass.p12"
"$PY" "$HERE/gen_py.py" crlf "$P/chain-rsa.pem" "$F/chain-rsa-crlf.pem"
"$PY" "$HERE/gen_py.py" bom "$P/chain-rsa.pem" "$F/chain-rsa-bom.pem"
{
	openssl x509 -in "$P/ee-rsa.pem" -text
	openssl x509 -in "$P/ica-rsa.pem" -text
} >"$F/chain-rsa-text.pem"
openssl x509 -in "$P/root-rsa.pem" -trustout -addtrust serverAuth \
	-out "$F/trusted-cert.pem"
openssl crl -in "$P/crl-ica-rsa.pem" -outform DER -out "$F/crl-ica-rsa.der"
cat "$P/ee-rsa.pem" "$P/crl-ica-rsa.pem" "$P/ee-rsa.key" "$P/ica-rsa.pem" \
	>"$F/bundle-mixed.pem"

##########################################################################
# bad/ (deterministic from the good files) and dirtree/
##########################################################################
"$PY" "$HERE/gen_py.py" bad "$HERE"

mkdir -p dirtree/a/b/c dirtree/c
cp "$P/ee-rsa.pem" dirtree/a/ee-rsa.pem
openssl x509 -in "$P/ica-rsa.pem" -outform DER -out dirtree/a/b/ica-rsa.der
cp "$P/chain-ec.pem" dirtree/a/b/c/chain-ec.pem
cat >dirtree/notes.txt <<'EOF'
This directory tree is for recursive loading tests.
It holds four certificates in three files; this file and c/empty.txt
hold none and are skipped.
EOF
: >dirtree/c/empty.txt

chmod 0644 pki/*.key
echo "gen.sh: done: $(find pki formats bad dirtree -type f | wc -l) files"
