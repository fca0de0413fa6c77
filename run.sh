#!/bin/sh
# 一条命令：安装缺少的 Debian 软件包、构建、（首次）创建演示数据库并启动服务。
# One command: install missing Debian packages, build, create the demo database if there is
# none, and serve at http://127.0.0.1:8080 (TONGXIN_LISTEN to change). Run as root on Debian 12.
set -eu
cd "$(dirname "$0")"
sh scripts/install-deps.sh
exec make run
