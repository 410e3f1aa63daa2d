#!/usr/bin/env bash
# The web server `make run` starts (embedded mode: SQLite, files on local disk), on loopback:
# gunicorn with the production settings file deploy/gunicorn.conf.py, so the demo serves with
# several processes as a node does (runserver's one process answered about 15 messages a
# second; docs/interaction.md). bench/bench_interaction_load.py starts this same script.
#   scripts/serve.sh [PORT]      GOVSITES_WEB_WORKERS overrides the process count.
# Request lines (time, request, status, size, milliseconds; no client address) go to
# DATA_DIR/log/access.log; errors to the console and DATA_DIR/log/govsites.log.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${1:-8000}"
DATA_DIR="${GOVSITES_DATA_DIR:-var}"
mkdir -p "$DATA_DIR/log"
export GOVSITES_WEB_BIND="127.0.0.1:${PORT}"
exec "${VENV:-.venv}/bin/gunicorn" govsites.config.wsgi -c deploy/gunicorn.conf.py \
  --access-logfile "$DATA_DIR/log/access.log" \
  --access-logformat '%(t)s "%(r)s" %(s)s %(b)s %(M)sms'
