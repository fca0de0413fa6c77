#!/bin/sh
# Starts the local PostgreSQL cluster (Debian's postgresql package) if it is not running, and
# makes sure the test role exists. Prints the base URL the tests use. Idempotent.
set -eu
PGVER=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -n 1)
[ -n "$PGVER" ] || { echo "postgresql is not installed (run scripts/install-deps.sh)" >&2; exit 1; }
if ! pg_lsclusters -h 2>/dev/null | grep -q .; then
  pg_createcluster "$PGVER" main >&2
fi
if ! pg_lsclusters -h | awk '{print $4}' | grep -q online; then
  # only the URL may reach standard output: callers capture it, and pg_ctlcluster talks
  # ("Removed stale pid file.")
  pg_ctlcluster "$PGVER" main start >&2
fi
PORT=$(pg_lsclusters -h | awk 'NR==1{print $3}')
for i in $(seq 1 50); do
  runuser -u postgres -- pg_isready -q -p "$PORT" && break
  sleep 0.2
done
runuser -u postgres -- psql -p "$PORT" -qtAc "SELECT 1 FROM pg_roles WHERE rolname='tongxin'" | grep -q 1 ||
  runuser -u postgres -- psql -p "$PORT" -qc "CREATE ROLE tongxin LOGIN CREATEDB PASSWORD 'tongxin'"
echo "postgres://tongxin:tongxin@127.0.0.1:$PORT"
