#!/usr/bin/env bash
# Start N replicas of the dashboard behind nginx on this machine (the deployment example).
#
#   scripts/run_replicas.sh start   # prints the proxy URL when everything answers /_stcore/health
#   scripts/run_replicas.sh stop
#
# Every replica shares DATABASE_URL (PostgreSQL: required for several replicas), the Streamlit
# cookie secret and the sign-in cookie key. Settings: CCHC_PROXY_PORT (8700), CCHC_REPLICA_PORTS
# ("8701 8702"), CCHC_RUN_DIR (/tmp/cchc-replicas). nginx comes from Debian's package.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUN="${CCHC_RUN_DIR:-/tmp/cchc-replicas}"
PROXY_PORT="${CCHC_PROXY_PORT:-8700}"
PORTS="${CCHC_REPLICA_PORTS:-8701 8702}"
PY="${PYTHON:-$ROOT/.venv/bin/python}"

stop() {
  [ -f "$RUN/nginx.pid" ] && kill "$(cat "$RUN/nginx.pid")" 2>/dev/null || true
  for pidfile in "$RUN"/app-*.pid; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  rm -f "$RUN"/*.pid
}

start() {
  : "${DATABASE_URL:?DATABASE_URL must point at the shared PostgreSQL store}"
  if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nginx-light >&2
  fi
  NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
  mkdir -p "$RUN"
  export STREAMLIT_SERVER_COOKIE_SECRET="${STREAMLIT_SERVER_COOKIE_SECRET:-$("$PY" -c 'import secrets;print(secrets.token_urlsafe(32))')}"
  export CCHC_COOKIE_KEY="${CCHC_COOKIE_KEY:-$("$PY" -c 'import secrets;print(secrets.token_urlsafe(48))')}"
  "$PY" -m data_access init-db >&2
  upstreams=""
  for port in $PORTS; do
    (cd "$ROOT" && exec "$PY" -m streamlit run dashboard.py --server.headless true --server.port "$port" \
        --server.address 127.0.0.1 >"$RUN/app-$port.log" 2>&1) &
    echo $! > "$RUN/app-$port.pid"
    upstreams="$upstreams server 127.0.0.1:$port;"
  done
  sed -e "s#@RUN@#$RUN#g" -e "s#@PORT@#$PROXY_PORT#g" -e "s#@UPSTREAMS@#$upstreams#" \
    "$ROOT/deploy/nginx.conf.template" > "$RUN/nginx.conf"
  "$NGINX" -t -c "$RUN/nginx.conf" -p "$RUN" >&2 2>&1 | tail -n 1 >&2
  "$NGINX" -c "$RUN/nginx.conf" -p "$RUN"
  for port in $PORTS "$PROXY_PORT"; do
    for _ in $(seq 1 120); do
      curl -fsS "http://127.0.0.1:$port/_stcore/health" >/dev/null 2>&1 && break
      sleep 0.5
    done
    curl -fsS "http://127.0.0.1:$port/_stcore/health" >/dev/null || { echo "port $port không trả lời" >&2; stop; exit 1; }
  done
  echo "http://127.0.0.1:$PROXY_PORT"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
