# Sourced by run-dev.sh and run-prod.sh: start the embedded Wonder sandbox in the background
# on $SANDBOX_PORT with the development public key, stop it when the caller exits, and wait
# until it accepts connections (or say it failed).
start_sandbox() {
  SANDBOX_PUBLIC_KEY_FILE=var/wonder_dev_public.pem "$BIN/python" -m wonder_sandbox \
    --host 127.0.0.1 --port "$SANDBOX_PORT" &
  sandbox_pid=$!
  trap 'kill "$sandbox_pid" 2>/dev/null || true' EXIT INT TERM
  for _ in $(seq 50); do
    (echo >/dev/tcp/127.0.0.1/"$SANDBOX_PORT") 2>/dev/null && return 0
    kill -0 "$sandbox_pid" 2>/dev/null || { echo "The sandbox failed to start." >&2; exit 1; }
    sleep 0.1
  done
}
