#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster: TEST_DATABASE_URL points at it.
# Uses the machine's PostgreSQL binaries, installing Debian's `postgresql` when none.
set -euo pipefail

find_bin() {
  for dir in $(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/x)") /usr/local/bin /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && { echo "$dir"; return 0; }
  done
  return 1
}

if ! PGBIN=$(find_bin); then
  echo "Installing Debian's PostgreSQL for the database tests"
  SUDO=$( [ "$(id -u)" -eq 0 ] || echo sudo )
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq postgresql >/dev/null
  PGBIN=$(find_bin)
fi

DATA=$(mktemp -d /tmp/session-pg.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
AS=()
if [ "$(id -u)" -eq 0 ]; then
  # PostgreSQL refuses to run as root.
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$DATA"
  AS=(su postgres -s /bin/sh -c)
else
  AS=(sh -c)
fi
"${AS[@]}" "'$PGBIN/initdb' -D '$DATA' -A trust -U postgres >'$DATA.log' 2>&1"
"${AS[@]}" "'$PGBIN/pg_ctl' -D '$DATA' -o '-p $PORT -k $DATA -c listen_addresses=127.0.0.1' -l '$DATA/server.log' -w start >/dev/null"
trap '"${AS[@]}" "'"'$PGBIN/pg_ctl'"' -D '"'$DATA'"' -m fast -w stop >/dev/null" || true; rm -rf "$DATA" "$DATA.log"' EXIT
"$PGBIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -q -c "CREATE DATABASE session_test" 2>/dev/null \
  || "${AS[@]}" "psql -h 127.0.0.1 -p $PORT -U postgres -q -c 'CREATE DATABASE session_test'"

export TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$PORT/session_test"
"$@"
