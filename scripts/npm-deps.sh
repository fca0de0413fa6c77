#!/bin/sh
# Installs a folder's npm dependencies from its lockfile (npm ci) when they are missing or older
# than the lockfile; does nothing otherwise.   scripts/npm-deps.sh DIR
set -eu
dir=$1
if [ ! -f "$dir/node_modules/.package-lock.json" ] ||
   [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
  command -v npm >/dev/null 2>&1 || { echo "npm not found: run 'sh scripts/install-deps.sh'" >&2; exit 1; }
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
fi
