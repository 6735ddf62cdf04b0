#!/bin/bash
# Issue 9 evidence (run as the postgres user): N commits after a backup, each followed, on the same connection,
# by the target tst_backup used to take (cut to milliseconds) and the same moment with microseconds. Then
#   target-precision-analyze.py DIR   compares them with the commit times pg_waldump reads from the WAL, and
#   target-precision-restore.sh CLI DIR afterN TARGET   restores to one, starts it and prints the server log line.
# Usage: target-precision.sh CLI [N_INSERTS]
set -eu
CLI=$1; N=${2:-200}; R=${3:-6}
BIN=/usr/lib/postgresql/15/bin
W=$(mktemp -d "${TMPDIR:-/tmp}/pga-target-precision.XXXX"); cd $W
PORT=$(( 20000 + RANDOM % 10000 ))
export PGHOST=$W PGPORT=$PORT PGUSER=postgres PGDATABASE=postgres TZ=America/New_York
$BIN/initdb -D $W/data -A trust >/dev/null
$CLI repo-init --repo $W/repo >/dev/null
cat >> $W/data/postgresql.conf <<C
port=$PORT
unix_socket_directories='$W'
listen_addresses=''
wal_level=replica
archive_mode=on
archive_command='$CLI archive-push --repo $W/repo --server main %p'
timezone='Asia/Tokyo'
fsync=off
C
$BIN/pg_ctl -D $W/data -l $W/server.log -w start >/dev/null
psql -qAt -c "CREATE TABLE marker(t text, at timestamptz default clock_timestamp())" -c "INSERT INTO marker(t) VALUES ('before')"
$CLI backup --repo $W/repo --server main --conninfo "host=$W port=$PORT user=postgres" >/dev/null
# N inserts, each followed by the test's own way of taking the target (ms) and the same moment with µs.
: > targets.txt
for i in $(seq 1 $N); do
  psql -qAt -c "INSERT INTO marker(t) VALUES ('after$i')" -c "SELECT 'after$i', (SELECT xmin FROM marker WHERE t='after$i'), to_char(c AT TIME ZONE 'Europe/Berlin', 'YYYY-MM-DD HH24:MI:SS.MS') || '+01', to_char(c AT TIME ZONE 'Europe/Berlin', 'YYYY-MM-DD HH24:MI:SS.US') || '+01' FROM clock_timestamp() c" >> targets.txt
done
psql -qAt -c "SELECT pg_switch_wal()" >/dev/null
sleep 2
# Commit records: xid and timestamp, from the server's WAL.
for s in $(ls $W/data/pg_wal | grep -E '^[0-9A-F]{24}$'); do $BIN/pg_waldump -p $W/data/pg_wal --rmgr=Transaction $s $s 2>/dev/null || true; done > waldump.txt
grep -c COMMIT waldump.txt
echo "$W"
