#!/usr/bin/env bash
# A PostgreSQL primary and a hot standby on this machine, for the failover drill (issue 20) and for trying
# the deployment by hand. PostgreSQL's own streaming replication: a physical replication slot on the
# primary, the standby made with `pg_basebackup -R` (which writes its primary_conninfo and standby.signal).
#
#   scripts/pg-ha-pair.sh up DIR PRIMARY_PORT STANDBY_PORT   initdb, start the primary, slot, base backup,
#                                                           start the standby, wait until it streams;
#                                                           creates the database `liaison`
#   scripts/pg-ha-pair.sh sync DIR on|off                    synchronous replication on the primary:
#                                                           synchronous_commit=remote_apply and
#                                                           synchronous_standby_names='liaison_standby'
#                                                           (off: both back to the defaults)
#   scripts/pg-ha-pair.sh stop-primary DIR                   pg_ctl stop -m immediate (a crash, no shutdown
#                                                           checkpoint, every connection cut)
#   scripts/pg-ha-pair.sh stop-standby DIR                   pg_ctl stop -m fast the standby
#   scripts/pg-ha-pair.sh promote DIR                        pg_ctl promote the standby (waits until it
#                                                           accepts writes)
#   scripts/pg-ha-pair.sh down DIR                           stop both (immediate) if running; DIR is the
#                                                           caller's to remove
#
# Everything lives in DIR: primary/, standby/, their logs and sockets. The clusters listen on 127.0.0.1
# only, with trust authentication (a test machine). Run as root, the PostgreSQL programs run as the
# `postgres` user (initdb refuses root) and DIR is given to that user; run as another user, as that user.
# PG_BIN names the programs' folder (default: the newest /usr/lib/postgresql/*/bin, else the PATH).
set -euo pipefail

usage() { sed -n '2,22p' "$0" >&2; exit 2; }
[ $# -ge 2 ] || usage
cmd=$1
dir=$2

if [ -z "${PG_BIN:-}" ]; then
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
fi
pg() {
  local prog=$1
  shift
  local exe=$prog
  [ -n "${PG_BIN:-}" ] && [ -x "$PG_BIN/$prog" ] && exe="$PG_BIN/$prog"
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$exe" "$@"
  else
    "$exe" "$@"
  fi
}

primary=$dir/primary
standby=$dir/standby
port_of() { sed -n 's/^port = \([0-9]*\).*/\1/p' "$1/postgresql.conf" | tail -n 1; }
sql() { # sql DATA_DIR STATEMENT
  pg psql -X -q -At -h "$dir" -p "$(port_of "$1")" -U postgres -d postgres -v ON_ERROR_STOP=1 -c "$2"
}
running() { [ -f "$1/postmaster.pid" ] && pg pg_ctl status -D "$1" >/dev/null 2>&1; }

case $cmd in
up)
  [ $# -eq 4 ] || usage
  pport=$3
  sport=$4
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  pg initdb -D "$primary" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 >/dev/null
  cat >>"$primary/postgresql.conf" <<EOF
# scripts/pg-ha-pair.sh
port = $pport
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
wal_level = replica
max_wal_senders = 5
max_replication_slots = 5
hot_standby = on
wal_log_hints = on
max_connections = 60
shared_buffers = 32MB
cluster_name = 'liaison_primary'
EOF
  # initdb -A trust already lets local TCP connections replicate (host replication all 127.0.0.1/32).
  pg pg_ctl start -w -t 60 -D "$primary" -l "$dir/primary.log" >/dev/null
  sql "$primary" "SELECT pg_create_physical_replication_slot('liaison_standby')" >/dev/null
  sql "$primary" "CREATE DATABASE liaison"
  pg pg_basebackup -h 127.0.0.1 -p "$pport" -U postgres -D "$standby" -R -S liaison_standby -X stream \
    --checkpoint=fast --no-sync
  # The standby's own settings after the copied ones (the last setting in the file wins); its cluster_name
  # is the application_name it streams under, which synchronous_standby_names names.
  cat >>"$standby/postgresql.conf" <<EOF
port = $sport
cluster_name = 'liaison_standby'
EOF
  pg pg_ctl start -w -t 60 -D "$standby" -l "$dir/standby.log" >/dev/null
  for _ in $(seq 1 100); do
    state=$(sql "$primary" "SELECT state FROM pg_stat_replication WHERE application_name = 'liaison_standby'")
    [ "$state" = streaming ] && break
    sleep 0.1
  done
  [ "$state" = streaming ] || { echo "pg-ha-pair: the standby does not stream (state: '$state')" >&2; exit 1; }
  echo "primary 127.0.0.1:$pport, standby 127.0.0.1:$sport (streaming)"
  ;;
sync)
  [ $# -eq 3 ] || usage
  case $3 in
  on)
    sql "$primary" "ALTER SYSTEM SET synchronous_standby_names = 'liaison_standby'"
    sql "$primary" "ALTER SYSTEM SET synchronous_commit = 'remote_apply'"
    ;;
  off)
    sql "$primary" "ALTER SYSTEM RESET synchronous_standby_names"
    sql "$primary" "ALTER SYSTEM RESET synchronous_commit"
    ;;
  *) usage ;;
  esac
  sql "$primary" "SELECT pg_reload_conf()" >/dev/null
  want=$([ "$3" = on ] && echo sync || echo async)
  for _ in $(seq 1 50); do
    got=$(sql "$primary" "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'liaison_standby'")
    [ "$got" = "$want" ] && break
    sleep 0.1
  done
  [ "$got" = "$want" ] || { echo "pg-ha-pair: the standby is '$got', not '$want'" >&2; exit 1; }
  echo "standby replication: $got"
  ;;
stop-primary)
  pg pg_ctl stop -D "$primary" -m immediate >/dev/null
  ;;
stop-standby)
  pg pg_ctl stop -D "$standby" -m fast >/dev/null
  ;;
promote)
  pg pg_ctl promote -w -t 60 -D "$standby" >/dev/null
  ;;
down)
  for d in "$standby" "$primary"; do
    if running "$d"; then pg pg_ctl stop -D "$d" -m immediate >/dev/null 2>&1 || true; fi
  done
  ;;
*) usage ;;
esac
