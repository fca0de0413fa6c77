#!/bin/sh
# Installs the Debian 12 packages Tongxin needs to build, test and run. Safe to repeat: it only
# calls apt-get when something is missing. Needs root (or sudo) when it has to install.
set -eu
PKGS="build-essential pkg-config ca-certificates curl
libmicrohttpd-dev libjansson-dev libsqlite3-dev sqlite3 libpq-dev libsodium-dev libicu-dev
libxlsxwriter-dev liboath-dev libqrencode-dev libical-dev libcmark-dev libcurl4-openssl-dev libcmocka-dev time unzip clang libclang-rt-14-dev fonts-noto-cjk
postgresql postgresql-client nginx-light wrk python3 python3-networkx python3-scipy
nodejs npm chromium"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
# A machine with a newer Node.js from elsewhere keeps it: only install Debian's when none runs.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  missing=$(printf '%s\n' $missing | grep -vxE 'nodejs|npm' | tr '\n' ' ' || true)
fi
missing=$(echo $missing)
[ -z "$missing" ] && exit 0
echo "==> installing Debian packages: $missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
# Debian starts nginx on install; the benchmark starts its own instance on another port.
$SUDO systemctl disable --now nginx >/dev/null 2>&1 || true
