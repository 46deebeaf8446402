#!/usr/bin/env bash
# Make a throwaway PostgreSQL server available for the test suite and print its URL.
#
# Installs Debian's postgresql package when no server binaries exist, then starts a private
# cluster on 127.0.0.1:$CCHC_PG_PORT (default 55432) under a temp directory, owned by the
# `postgres` system user (the server refuses to run as root). Idempotent: an already running
# private cluster is reused. Prints the SQLAlchemy URL of a superuser connection on stdout;
# everything else goes to stderr. Exits non-zero when no server can be had.
set -euo pipefail
PORT="${CCHC_PG_PORT:-55432}"
BASE="${CCHC_PG_DIR:-/tmp/cchc-pg-$PORT}"
URL="postgresql+psycopg://cchc:cchc@127.0.0.1:$PORT/postgres"

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
BIN="$(find_bin)"
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
  echo "PostgreSQL chưa có: cài gói postgresql của Debian..." >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >&2
  BIN="$(find_bin)"
fi

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if as_pg "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
  echo "$URL"; exit 0
fi
mkdir -p "$BASE"
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$BASE"
if [ ! -f "$BASE/data/PG_VERSION" ]; then
  as_pg "$BIN/initdb" -D "$BASE/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
as_pg "$BIN/pg_ctl" -D "$BASE/data" -l "$BASE/server.log" -w -t 60 \
  -o "-p $PORT -k $BASE -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start >&2
as_pg "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -qAt -c \
  "DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='cchc') THEN
     CREATE ROLE cchc LOGIN SUPERUSER PASSWORD 'cchc'; END IF; END\$\$;" >&2
echo "$URL"
