#!/bin/sh
# The streaming replica: on first start copy the primary (pg_basebackup -R writes standby.signal
# and primary_conninfo), then run as a hot standby that answers read-only queries.
set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until PGPASSWORD="$REPLICATION_PASSWORD" pg_basebackup -h postgres-primary -U replicator -D "$PGDATA" -S replica_1 -R -X stream; do
    echo "waiting for the primary"; sleep 2; rm -rf "$PGDATA"/*
  done
  chmod 700 "$PGDATA"
fi
exec postgres -c hot_standby=on -c hot_standby_feedback=on
