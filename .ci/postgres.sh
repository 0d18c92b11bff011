#!/usr/bin/env bash
# A throwaway PostgreSQL server for the district hub's store contract test
# (sync/hub, cmd/casebook-district), in a new temporary folder.
#
#   .ci/postgres.sh start [--fsync]  starts it on 127.0.0.1 (a free port);
#                                    prints the connection string, then the
#                                    folder
#   .ci/postgres.sh stop FOLDER      stops it
#
# fsync is off: the data are thrown away after the tests. --fsync keeps it
# on, as a deployed database has it, for the benchmarks' figures.
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}
case "${1:-}" in
start)
  fsync=off
  [ "${2:-}" = --fsync ] && fsync=on
  dir=$(mktemp -d /tmp/casebook-pg.XXXXXX)
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; else sudo chown postgres "$dir"; fi
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_postgres "$bin/initdb" -D "$dir/data" -A trust -U postgres >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  as_postgres "$bin/pg_ctl" -D "$dir/data" -w -l "$dir/server.log" \
    -o "-k $dir -p $port -c listen_addresses=127.0.0.1 -c fsync=$fsync" start >/dev/null ||
    { cat "$dir/server.log" >&2; exit 1; }
  as_postgres "$bin/psql" -q -h 127.0.0.1 -p "$port" -U postgres -c 'create database casebook_test' >/dev/null
  echo "postgres://postgres@127.0.0.1:$port/casebook_test?sslmode=disable"
  echo "$dir"
  ;;
stop)
  as_postgres "$bin/pg_ctl" -D "$2/data" -m fast stop >/dev/null
  ;;
*)
  echo "usage: $0 start | stop FOLDER" >&2
  exit 2
  ;;
esac
