#!/bin/sh
# Browser tests on each engine (TONGXIN_E2E_ENGINES, else TONGXIN_TEST_ENGINES, default
# "sqlite postgres").
set -eu
BIN=$1
status=0
for engine in ${TONGXIN_E2E_ENGINES:-${TONGXIN_TEST_ENGINES:-sqlite postgres}}; do
  if [ "$engine" = postgres ]; then
    TONGXIN_TEST_PG_URL=$(scripts/pg-test.sh)
    export TONGXIN_TEST_PG_URL
  fi
  TONGXIN_TEST_ENGINE=$engine scripts/run-e2e.sh "$BIN" || status=1
done
exit $status
