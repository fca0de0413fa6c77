#!/bin/sh
# 一条命令：安装缺少的软件包、构建并运行全部测试（SQLite 与 PostgreSQL 两种引擎）。
# One command: install what is missing, build, and run the whole test suite on SQLite and
# PostgreSQL (unit, API and browser tests). .ci/run calls this.
set -eu
cd "$(dirname "$0")"
sh scripts/install-deps.sh
exec make check "$@"
