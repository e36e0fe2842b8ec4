#!/usr/bin/env bash
# `make serve`: the production server (gunicorn) and the background worker side by side, stopped together.
# Uses the configured database (DATABASE_URL) and cache (REDIS_URL); both processes log to this terminal.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export COALITION_TASKS=database
"$BIN/python" manage.py migrate --noinput
"$BIN/python" manage.py collectstatic --noinput --verbosity 0
"$BIN/python" manage.py db_worker --no-reload &
worker=$!
trap 'kill "$worker" 2>/dev/null; wait "$worker" 2>/dev/null' EXIT INT TERM
"$BIN/gunicorn" -c deploy/gunicorn.conf.py
