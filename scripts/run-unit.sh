#!/bin/sh
# Runs every cmocka unit test binary given; fails if any fails.
set -u
status=0
for t in "$@"; do
  "$t" || status=1
done
exit $status
