#!/bin/sh
# `make run`: creates the database and loads the demo district when it is empty, prints the
# demo accounts, then serves. Settings: TONGXIN_DATABASE, TONGXIN_DATA_DIR, TONGXIN_LISTEN.
set -eu
BIN=$1
"$BIN" init
"$BIN" demo --if-empty
echo
echo "  打开 open: http://${TONGXIN_LISTEN:-127.0.0.1:8080}/"
echo
exec "$BIN" serve
