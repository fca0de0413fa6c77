#!/bin/sh
# Runs the API tests (node's test runner) against a real `tongxin serve`, once on SQLite and
# once on PostgreSQL. TONGXIN_TEST_ENGINES=sqlite limits it to one engine. Installs tests/api's
# dependencies first (ajv + ajv-formats, which check every reply against the OpenAPI document,
# and the document's linter), from its lockfile.
set -eu
BIN=$(realpath "$1")
cd "$(dirname "$0")/.."
sh scripts/npm-deps.sh tests/api
ENGINES=${TONGXIN_TEST_ENGINES:-"sqlite postgres"}
status=0
for engine in $ENGINES; do
  echo "==> API tests on $engine ($(date +%T))"
  if [ "$engine" = postgres ]; then
    TONGXIN_TEST_PG_URL=$(scripts/pg-test.sh)
    export TONGXIN_TEST_PG_URL
  fi
  TONGXIN_BIN="$BIN" TONGXIN_TEST_ENGINE="$engine" \
    node --test --test-concurrency=2 tests/api/ || status=1
  # tests that disturb shared services (restarting PostgreSQL) run alone, afterwards
  TONGXIN_BIN="$BIN" TONGXIN_TEST_ENGINE="$engine" \
    node --test --test-concurrency=1 tests/api-serial/ || status=1
done
exit $status
