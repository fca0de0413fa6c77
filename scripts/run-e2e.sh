#!/bin/sh
# Browser tests: installs tests/e2e's one dependency (playwright-core, from its lockfile) and runs
# tests/e2e/*.test.mjs with node's test runner against BIN (default build/tongxin), which must
# have been built with the web UI (make). Drives Debian's chromium (/usr/bin/chromium, or
# TONGXIN_CHROMIUM); CJK fonts (fonts-noto-cjk) make the screenshots legible.
#   scripts/run-e2e.sh [BIN]          TONGXIN_TEST_ENGINE=postgres for PostgreSQL
set -eu
cd "$(dirname "$0")/.."
BIN=${1:-build/tongxin}
CHROMIUM=${TONGXIN_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
  echo "run-e2e: $CHROMIUM not found: apt-get install chromium (or set TONGXIN_CHROMIUM)" >&2
  exit 1
fi
if [ ! -f tests/e2e/node_modules/.package-lock.json ] ||
   [ tests/e2e/package-lock.json -nt tests/e2e/node_modules/.package-lock.json ]; then
  (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
fi
export TONGXIN_BIN="$BIN"
echo "==> browser tests (${TONGXIN_TEST_ENGINE:-sqlite}) against $BIN ($(date +%T))"
exec node --test --test-concurrency=1 tests/e2e/
