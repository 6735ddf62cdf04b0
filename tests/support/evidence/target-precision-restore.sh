#!/bin/bash
# restore-check.sh CLI RUN NAME TARGET: restore to TARGET, start, report the log's stop line and the last marker row.
set -eu
CLI=$1; W=$2; NAME=$3; T=$4
export TZ=America/Sao_Paulo
D=$W/r-$NAME-$RANDOM; PORT=$(( 30000 + RANDOM % 10000 ))
$CLI restore --repo $W/repo --server main --target-dir $D --target-time "$T" --target-action promote >/dev/null
echo "written: $(grep recovery_target_time $D/postgresql.auto.conf)"
printf "port=$PORT\narchive_mode=off\nunix_socket_directories='$W'\nlisten_addresses=''\n" >> $D/postgresql.conf
/usr/lib/postgresql/15/bin/pg_ctl -D $D -l $D.log -w start >/dev/null
for i in $(seq 50); do [ "$(psql -h $W -p $PORT -qAt -c 'select pg_is_in_recovery()' postgres 2>/dev/null)" = f ] && break; sleep 0.2; done
echo "server log: $(grep -o 'recovery stopping.*' $D.log)"
echo "has $NAME: $(psql -h $W -p $PORT -qAt -c "select count(*) from marker where t='$NAME'" postgres)"
/usr/lib/postgresql/15/bin/pg_ctl -D $D -m immediate stop >/dev/null
