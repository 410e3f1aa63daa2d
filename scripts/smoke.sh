#!/usr/bin/env bash
# What an operator does on a fresh database, start to finish, then a few requests:
#
#   scripts/smoke.sh [DATABASE_URL] [PORT]
#
# Without DATABASE_URL: the embedded mode (SQLite in a fresh data folder). With a PostgreSQL
# URL: that database is dropped and created anew, and the start is a production one (random
# secret key, GOVSITES_PUBLIC_SCHEME=https, requests arrive as from nginx on the same machine).
# Steps: migrate, demo, publish --all, collectstatic, gunicorn (the embedded mode: the server
# `make run` starts, scripts/serve.sh); then a published page, its
# 繁体 twin, a dynamic answer, the admin login page (200 each) and an unknown host (400).
set -euo pipefail
cd "$(dirname "$0")/.."
URL="${1:-}"
PORT="${2:-8140}"
PY=.venv/bin/python
work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
export GOVSITES_DATA_DIR="$work/var"
unset GOVSITES_ENV GOVSITES_DEBUG DJANGO_SETTINGS_MODULE
say() { echo "smoke: $*"; }

if [ -n "$URL" ]; then
  export DATABASE_URL="$URL"
  export GOVSITES_SECRET_KEY="$($PY -c 'import secrets; print(secrets.token_urlsafe(64))')"
  export GOVSITES_PUBLIC_SCHEME=https
  say "fresh database $(echo "$URL" | sed 's#//[^@]*@#//#')"
  $PY - "$URL" <<'PY'
import sys
from urllib.parse import urlsplit, urlunsplit

import psycopg

url = urlsplit(sys.argv[1])
name = url.path.lstrip("/")
admin = urlunsplit(url._replace(path="/postgres"))
with psycopg.connect(admin, autocommit=True) as conn:
    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.execute(f'CREATE DATABASE "{name}"')
PY
else
  unset DATABASE_URL
  say "embedded mode, SQLite in $GOVSITES_DATA_DIR"
fi

$PY -m govsites check --fail-level ERROR
$PY -m govsites migrate --noinput -v0
$PY -m govsites demo --port "$PORT" >/dev/null
$PY -m govsites publish --all --no-progress >/dev/null
$PY -m govsites collectstatic --noinput -v0
if [ -n "$URL" ]; then
  say "gunicorn on 127.0.0.1:$PORT"
  .venv/bin/gunicorn govsites.config.wsgi --bind "127.0.0.1:$PORT" --workers 2 \
    --log-level warning --error-logfile - &
else
  say "make run's server (scripts/serve.sh) on 127.0.0.1:$PORT"
  scripts/serve.sh "$PORT" &
fi
server=$!

$PY - "$PORT" <<'PY'
import sys
import time

import httpx

port = int(sys.argv[1])
base = f"http://127.0.0.1:{port}"
# As nginx on the same machine forwards it (publishing/nginx.py sets these headers).
proxy = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.1",
         "X-Real-IP": "198.51.100.1"}
host = {"Host": f"localhost:{port}"}
deadline = time.monotonic() + 60
while True:
    try:
        httpx.get(base + "/", headers={**host, **proxy}, timeout=5)
        break
    except httpx.TransportError:
        if time.monotonic() > deadline:
            sys.exit("smoke: the server did not start")
        time.sleep(0.5)

checks = [
    ("published page", "/", host, 200, lambda r: r.headers.get("X-Govsites-Static") == "1"),
    ("published 繁体 page", "/zh-hant/", host, 200, lambda r: "繁" in r.text or "體" in r.text),
    ("dynamic answer", "/_govsites/mode.css", host, 200,
     lambda r: "X-Govsites-Static" not in r.headers),
    ("admin login page", "/admin/login/", host, 200,
     lambda r: "Content-Security-Policy" in r.headers and 'name="password"' in r.text),
    ("unknown host", "/", {"Host": "attacker.example"}, 400, lambda r: True),
]
failed = False
for label, path, headers, status, ok in checks:
    response = httpx.get(base + path, headers={**headers, **proxy}, timeout=30)
    good = response.status_code == status and ok(response)
    failed |= not good
    print(f"smoke: {'ok  ' if good else 'FAIL'} {label}: GET {path} -> {response.status_code}")
sys.exit(1 if failed else 0)
PY
say "passed"
