#!/usr/bin/env bash
# Serve the cluster and run the task worker until Ctrl-C (used by `make run`).
# Loopback only; one host name (localhost) for the admin and the sites, so the login cookie
# is shared. The console shows one line per event; everything else is in var/log/govsites.log.
# The web server is scripts/serve.sh (gunicorn, several processes), as in production.
set -euo pipefail
PORT="${1:-8000}"
PY=.venv/bin/python
export GOVSITES_ADMIN_BASE_URL="http://localhost:${PORT}"
$PY -m govsites worker &
WORKER=$!
trap 'kill $WORKER 2>/dev/null; wait $WORKER 2>/dev/null' EXIT INT TERM
echo
echo "站群已启动（仅本机可访问，Ctrl-C 停止）："
echo "  门户网站      http://localhost:${PORT}/"
echo "  教育局网站    http://jyj.localhost:${PORT}/"
echo "  卫健委网站    http://wjw.localhost:${PORT}/"
echo "  示例县网站    http://shixian.localhost:${PORT}/"
echo "  管理后台      http://localhost:${PORT}/admin/"
echo "  日志文件      ${GOVSITES_DATA_DIR:-var}/log/govsites.log"
echo
scripts/serve.sh "${PORT}"
