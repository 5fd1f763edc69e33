#!/usr/bin/env bash
# The store, audit, access and crash tests again, against a real throwaway PostgreSQL (Debian's package):
# a cluster in a temporary folder on a free loopback port, trust auth, removed on exit. As root, the
# server runs as the `postgres` user (initdb refuses root). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
py=${THERAPY_PYTHON:-.venv/bin/python}    # the project venv that scripts/setup.sh made
say() { printf '\033[1;34m[postgres]\033[0m %s\n' "$*"; }

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  say "installing Debian's postgresql package"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
root=$(mktemp -d /tmp/therapy-pg.XXXXXX)
[ "$(id -u)" = 0 ] && chown postgres "$root"
port=$("$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
stop() {
  as_pg "$bindir/pg_ctl" -D "$root/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$root"
}
trap stop EXIT

as_pg "$bindir/initdb" -D "$root/data" -U postgres --auth=trust -E UTF8 >"$root/initdb.log" 2>&1 \
  || { cat "$root/initdb.log"; exit 1; }
as_pg "$bindir/pg_ctl" -D "$root/data" -l "$root/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $root -c fsync=off -c max_connections=200" start >/dev/null \
  || { cat "$root/server.log"; exit 1; }
say "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"

tests=(tests/test_store.py tests/test_audit.py tests/test_crash.py)
for extra in tests/test_access*.py; do [ -e "$extra" ] && tests+=("$extra"); done
export PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
export THERAPY_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:$port/postgres"
"$py" -m pytest -q "${tests[@]}" "$@"
