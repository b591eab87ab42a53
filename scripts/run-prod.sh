#!/usr/bin/env bash
# The production profile on this machine: collectstatic, migrate, then gunicorn (several
# workers, WhiteNoise for static files). Without WONDER_APP_ID it also starts the embedded
# Wonder sandbox, like `make run`. Called by `make serve`; Ctrl-C stops everything.
#
# Use DATABASE_URL=postgres://... and REDIS_URL=redis://... to run it as one of several app
# servers; GUNICORN_WORKERS / GUNICORN_THREADS / GUNICORN_BIND tune gunicorn.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/sandbox.sh
. scripts/sandbox.sh
BIN=${BIN:-.venv/bin}
SANDBOX_PORT=${SANDBOX_PORT:-8765}
DASHBOARD_PORT=${DASHBOARD_PORT:-8000}
export GUNICORN_BIND=${GUNICORN_BIND:-127.0.0.1:$DASHBOARD_PORT}
export ALLOWED_HOSTS=${ALLOWED_HOSTS:-127.0.0.1,localhost}

if [ -z "${WONDER_APP_ID:-}" ]; then
  export WONDER_BASE_URL=${WONDER_BASE_URL:-http://127.0.0.1:$SANDBOX_PORT}
  # Local sandbox profile over plain http: no https redirect, cookies allowed over http.
  # A deployment sits behind TLS and keeps the secure defaults (README "Deploying").
  export SECURE_SSL_REDIRECT=${SECURE_SSL_REDIRECT:-false}
  export SESSION_COOKIE_SECURE=${SESSION_COOKIE_SECURE:-false}
  export CSRF_COOKIE_SECURE=${CSRF_COOKIE_SECURE:-false}
  if [ -z "${SECRET_KEY:-}" ]; then
    # Sandbox data only: a throwaway key per start is fine (everyone logs in again).
    SECRET_KEY=$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(50))')
    export SECRET_KEY
  fi
fi

# The SQLite database (the default) and the development keys live here.
mkdir -p "${DASHBOARD_VAR_DIR:-var}"
# The translation catalogues are build output too (ui/catalogue.py: only if a .po changed).
"$BIN/python" -m ui.catalogue
"$BIN/python" manage.py collectstatic --noinput --verbosity 0
"$BIN/python" manage.py migrate --noinput

if [ -z "${WONDER_APP_ID:-}" ]; then
  "$BIN/python" manage.py wonder_dev_keys
  "$BIN/python" manage.py ensure_demo_admin
  start_sandbox
fi

# Task workers beside gunicorn (SYNC_WORKERS, default 1; 0 when workers run elsewhere):
# the customer sync runs there, never in a web request.
worker_pids=()
for _ in $(seq 1 "${SYNC_WORKERS:-1}"); do
  "$BIN/python" manage.py db_worker --no-reload &
  worker_pids+=("$!")
done
trap 'kill ${worker_pids[@]+"${worker_pids[@]}"} ${sandbox_pid:+"$sandbox_pid"} 2>/dev/null || true' EXIT INT TERM

echo
echo "  Dashboard (production profile): http://$GUNICORN_BIND/"
echo "  Probes: /healthz and /readyz. Ctrl-C stops gunicorn, the task workers (and the sandbox)."
echo
"$BIN/gunicorn" -c dashboard/gunicorn.conf.py
