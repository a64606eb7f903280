#!/usr/bin/env bash
# Finds PostgreSQL and Redis for `make dev` and `make test`, and prints the
# `export` lines that point Chis at them. In order of preference:
#   1. DATABASE_URL / REDIS_URL when already set;
#   2. the local servers on 127.0.0.1:5432 and 127.0.0.1:6379 when they answer;
#   3. private servers started from the installed binaries, kept under .dev/.
# Usage: eval "$(local/services.sh dev|test)"
# "dev" points DATABASE_URL at a database named chis (created if missing);
# "test" points it at the server's postgres database, where tests create
# databases of their own.
set -euo pipefail

mode=${1:-dev}
root=$(cd "$(dirname "$0")/.." && pwd)
state="$root/.dev"
say() { echo "services: $*" >&2; }

pg_bin() {
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/$1" ] && { echo "$d/$1"; return; }
  done
  command -v "$1" || true
}

pg_answers() { pg_isready -q -h 127.0.0.1 -p "$1" >/dev/null 2>&1; }

# as_pg runs a command as the postgres user when we are root (initdb and the
# server refuse to run as root), else as ourselves.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_private_pg() {
  local initdb pg_ctl port=55432 data="$state/pg"
  initdb=$(pg_bin initdb); pg_ctl=$(pg_bin pg_ctl)
  if [ -z "$initdb" ] || [ -z "$pg_ctl" ]; then
    say "no PostgreSQL answers on 127.0.0.1:5432 and none is installed."
    say "install it (Debian: apt-get install postgresql) or set DATABASE_URL."
    exit 1
  fi
  if ! pg_answers $port; then
    mkdir -p "$data"
    [ "$(id -u)" = 0 ] && chown postgres "$data"
    if [ ! -f "$data/PG_VERSION" ]; then
      as_pg "$initdb" -D "$data" -U postgres --auth=trust >/dev/null
    fi
    as_pg "$pg_ctl" -D "$data" -l "$data/server.log" -w \
      -o "-p $port -c listen_addresses=127.0.0.1 -k /tmp" start >/dev/null
    say "started a private PostgreSQL on 127.0.0.1:$port (data in .dev/pg)"
  fi
  echo $port
}

start_private_redis() {
  local port=56379
  if ! command -v redis-server >/dev/null; then
    say "no Redis answers on 127.0.0.1:6379 and none is installed."
    say "install it (Debian: apt-get install redis-server) or set REDIS_URL."
    exit 1
  fi
  if ! redis-cli -h 127.0.0.1 -p $port ping >/dev/null 2>&1; then
    mkdir -p "$state"
    redis-server --daemonize yes --bind 127.0.0.1 --port $port --save "" \
      --appendonly no --dir "$state" --logfile "$state/redis.log" \
      --pidfile "$state/redis.pid" >/dev/null
    for _ in $(seq 50); do
      redis-cli -h 127.0.0.1 -p $port ping >/dev/null 2>&1 && break
      sleep 0.1
    done
    say "started a private Redis on 127.0.0.1:$port"
  fi
  echo $port
}

if [ -z "${DATABASE_URL:-}" ]; then
  port=5432
  pg_answers $port || port=$(start_private_pg)
  base="postgres://postgres@127.0.0.1:$port"
  if [ "$mode" = dev ]; then
    psql "$base/postgres?sslmode=disable" -qtAc \
      "SELECT 1 FROM pg_database WHERE datname = 'chis'" | grep -q 1 ||
      psql "$base/postgres?sslmode=disable" -qc "CREATE DATABASE chis" >/dev/null
    DATABASE_URL="$base/chis?sslmode=disable"
  else
    DATABASE_URL="$base/postgres?sslmode=disable"
  fi
fi

if [ -z "${REDIS_URL:-}" ]; then
  port=6379
  redis-cli -h 127.0.0.1 -p $port ping >/dev/null 2>&1 || port=$(start_private_redis)
  REDIS_URL="redis://127.0.0.1:$port/0"
fi

printf 'export DATABASE_URL=%q\nexport REDIS_URL=%q\n' "$DATABASE_URL" "$REDIS_URL"
