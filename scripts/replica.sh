#!/usr/bin/env bash
# Starts a PostgreSQL primary on 127.0.0.1:5433 and a streaming replica of it on 127.0.0.1:5434 (made with
# pg_basebackup), for the tests of the read-replica router. Idempotent: a running pair is left as it is.
# Prints nothing but problems; the URLs are postgres://postgres@127.0.0.1:5433 and :5434.
set -euo pipefail
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)"
DIR="${COALITION_PG_REPLICA_DIR:-/tmp/coalition-pg-replica}"
PRIMARY_PORT=5433
REPLICA_PORT=5434
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
ready() { "$BIN/pg_isready" -h 127.0.0.1 -p "$1" -q; }
start() {  # data directory, port, log name
  as_pg "$BIN/pg_ctl" -D "$1" -l "$DIR/$3.log" -w -t 60 \
    -o "-p $2 -c listen_addresses=127.0.0.1 -c unix_socket_directories=$DIR -c fsync=off -c full_page_writes=off" start >/dev/null
}

if ready "$PRIMARY_PORT" && ready "$REPLICA_PORT"; then exit 0; fi
for cluster in replica primary; do
  [ -f "$DIR/$cluster/postmaster.pid" ] && as_pg "$BIN/pg_ctl" -D "$DIR/$cluster" -m immediate stop >/dev/null 2>&1 || true
done
rm -rf "$DIR" && mkdir -p "$DIR"
[ "$(id -u)" -eq 0 ] && chown postgres "$DIR"
as_pg "$BIN/initdb" -D "$DIR/primary" -U postgres --auth=trust -E UTF8 --no-instructions >/dev/null
echo "host replication all 127.0.0.1/32 trust" | as_pg tee -a "$DIR/primary/pg_hba.conf" >/dev/null
start "$DIR/primary" "$PRIMARY_PORT" primary
as_pg "$BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$DIR/replica" -R -X stream
start "$DIR/replica" "$REPLICA_PORT" replica
ready "$REPLICA_PORT" || { echo "the replica did not start (see $DIR/replica.log)" >&2; exit 1; }
