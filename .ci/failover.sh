#!/usr/bin/env bash
# A PostgreSQL primary with a synchronous standby on 127.0.0.1, for the
# district hub's failover test (cmd/casebook-district TestFailover): the
# primary is killed in the middle of syncs and the standby promoted by hand,
# as an operator (or pg_auto_failover) would.
#
#   .ci/failover.sh test            starts the pair, runs the test, stops it
#   .ci/failover.sh start           starts the pair; prints the multi-host
#                                   connection string, then the folder
#   .ci/failover.sh failover FOLDER kills the primary (SIGKILL, no shutdown)
#                                   and promotes the standby
#   .ci/failover.sh stop FOLDER     stops whatever of the pair still runs
#
# The standby is synchronous (synchronous_standby_names): a commit the hub
# was told of is on the standby, so nothing a device was told it pushed is
# lost with the primary. fsync is off: killing a process does not lose what
# the kernel holds, and the data are thrown away after the test.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

start() {
  local dir p1 p2
  dir=$(mktemp -d /tmp/casebook-failover.XXXXXX)
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; else sudo chown postgres "$dir"; fi
  p1=$(free_port)
  p2=$(free_port)
  echo "$p1 $p2" >"$dir/ports"
  as_postgres "$bin/initdb" -D "$dir/primary" -A trust -U postgres >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  as_postgres "$bin/pg_ctl" -D "$dir/primary" -w -l "$dir/primary.log" \
    -o "-k $dir -p $p1 -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null ||
    { cat "$dir/primary.log" >&2; exit 1; }
  as_postgres "$bin/psql" -q -h 127.0.0.1 -p "$p1" -U postgres -c 'create database casebook_test' >/dev/null
  as_postgres "$bin/pg_basebackup" -h 127.0.0.1 -p "$p1" -U postgres -D "$dir/standby" -X stream -R >"$dir/basebackup.log" 2>&1 ||
    { cat "$dir/basebackup.log" >&2; exit 1; }
  # The standby names itself standby1, the name the primary waits for.
  echo "primary_conninfo = 'host=127.0.0.1 port=$p1 user=postgres application_name=standby1'" |
    as_postgres tee -a "$dir/standby/postgresql.auto.conf" >/dev/null
  as_postgres "$bin/pg_ctl" -D "$dir/standby" -w -l "$dir/standby.log" \
    -o "-k $dir -p $p2 -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null ||
    { cat "$dir/standby.log" >&2; exit 1; }
  # Synchronous only now: with no standby yet, every commit would wait.
  as_postgres "$bin/psql" -q -h 127.0.0.1 -p "$p1" -U postgres \
    -c "alter system set synchronous_standby_names = 'standby1'" -c 'select pg_reload_conf()' >/dev/null
  state=
  for _ in $(seq 100); do
    state=$(as_postgres "$bin/psql" -tA -h 127.0.0.1 -p "$p1" -U postgres \
      -c "select sync_state from pg_stat_replication where application_name = 'standby1'")
    [ "$state" = sync ] && break
    sleep 0.2
  done
  [ "$state" = sync ] || { echo "the standby did not become synchronous" >&2; cat "$dir/standby.log" >&2; exit 1; }
  echo "postgres://postgres@127.0.0.1:$p1,127.0.0.1:$p2/casebook_test?sslmode=disable&target_session_attrs=read-write&connect_timeout=5"
  echo "$dir"
}

failover() {
  local dir=$1 pm
  pm=$(head -1 "$dir/primary/postmaster.pid")
  # The postmaster and its children at once, as a machine that dies: no
  # shutdown, no last words to the clients.
  kill -9 "$pm" $(pgrep -P "$pm") 2>/dev/null || true
  as_postgres "$bin/pg_ctl" -D "$dir/standby" -w promote >/dev/null
}

stop() {
  local dir=$1
  for d in primary standby; do
    [ -f "$dir/$d/postmaster.pid" ] && as_postgres "$bin/pg_ctl" -D "$dir/$d" -m immediate stop >/dev/null 2>&1 || true
  done
}

case "${1:-}" in
start) start ;;
failover) failover "$2" ;;
stop) stop "$2" ;;
test)
  out=$(start)
  url=$(sed -n 1p <<<"$out")
  dir=$(sed -n 2p <<<"$out")
  echo "primary and synchronous standby in $dir"
  rc=0
  CASEBOOK_FAILOVER_URL=$url CASEBOOK_FAILOVER_CMD="bash $PWD/.ci/failover.sh failover $dir" CASEBOOK_REQUIRE_FAILOVER=1 \
    go test -count=1 -timeout 10m -run '^TestFailover$' -v ./cmd/casebook-district/ || rc=$?
  [ $rc -eq 0 ] || tail -n 20 "$dir"/primary.log "$dir"/standby.log >&2 || true
  stop "$dir"
  [ $rc -ne 0 ] || rm -rf "$dir"
  exit $rc
  ;;
*)
  echo "usage: $0 test | start | failover FOLDER | stop FOLDER" >&2
  exit 2
  ;;
esac
