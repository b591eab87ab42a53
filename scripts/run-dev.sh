#!/usr/bin/env bash
# Start the embedded Wonder sandbox in the background and the dashboard in the foreground;
# stopping the dashboard (Ctrl-C) stops the sandbox too. Called by `make run`.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/sandbox.sh
. scripts/sandbox.sh
BIN=${BIN:-.venv/bin}
SANDBOX_PORT=${SANDBOX_PORT:-8765}
DASHBOARD_PORT=${DASHBOARD_PORT:-8000}
export WONDER_BASE_URL=${WONDER_BASE_URL:-http://127.0.0.1:$SANDBOX_PORT}

if [ -z "${WONDER_APP_ID:-}" ]; then
  start_sandbox
fi

# One task worker beside the dashboard: syncs and digests run there, never in a web request.
"$BIN/python" manage.py db_worker &
worker_pid=$!
# (Replaces the sandbox's trap: stop both.)
trap 'kill "$worker_pid" ${sandbox_pid:+"$sandbox_pid"} 2>/dev/null || true' EXIT INT TERM

echo
echo "  Dashboard: http://127.0.0.1:$DASHBOARD_PORT/"
echo "  Log in with the demo admin printed above (sandbox mode), or a user from"
echo "  'python manage.py createsuperuser'. Ctrl-C stops the dashboard, the task worker and the sandbox."
echo
"$BIN/python" manage.py runserver "127.0.0.1:$DASHBOARD_PORT"
