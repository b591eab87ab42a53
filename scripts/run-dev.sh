#!/usr/bin/env bash
# Start the embedded Wonder sandbox in the background and the dashboard in the foreground;
# stopping the dashboard (Ctrl-C) stops the sandbox too. Called by `make run`.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
SANDBOX_PORT=${SANDBOX_PORT:-8765}
DASHBOARD_PORT=${DASHBOARD_PORT:-8000}
export WONDER_BASE_URL=${WONDER_BASE_URL:-http://127.0.0.1:$SANDBOX_PORT}

if [ -z "${WONDER_APP_ID:-}" ]; then
  SANDBOX_PUBLIC_KEY_FILE=var/wonder_dev_public.pem "$BIN/python" -m wonder_sandbox \
    --host 127.0.0.1 --port "$SANDBOX_PORT" &
  sandbox_pid=$!
  trap 'kill "$sandbox_pid" 2>/dev/null || true' EXIT INT TERM
  for _ in $(seq 50); do
    (echo >/dev/tcp/127.0.0.1/"$SANDBOX_PORT") 2>/dev/null && break
    kill -0 "$sandbox_pid" 2>/dev/null || { echo "The sandbox failed to start." >&2; exit 1; }
    sleep 0.1
  done
fi

echo
echo "  Dashboard: http://127.0.0.1:$DASHBOARD_PORT/"
echo "  Log in with the demo admin printed above (sandbox mode), or a user from"
echo "  'python manage.py createsuperuser'. Ctrl-C stops the dashboard and the sandbox."
echo
"$BIN/python" manage.py runserver "127.0.0.1:$DASHBOARD_PORT"
