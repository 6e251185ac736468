#!/bin/sh
# Entry point of the ita/postgres image; runs as the postgres user, data in $PGDATA (a volume).
#   ITA_PG_ROLE=primary (default): on first start initdb, the application role and database
#     (ITA_DB_USER/ITA_DB_NAME, password from ITA_DB_PASSWORD_FILE) and a replication role
#     (ITA_REPL_USER, password from ITA_REPL_PASSWORD_FILE); password auth is scram-sha-256 on
#     the network, peer auth for the postgres superuser on the local socket only.
#   ITA_PG_ROLE=standby: on first start, wait for ITA_PRIMARY_HOST and clone it with
#     pg_basebackup (streaming WAL, a physical replication slot ITA_REPL_SLOT, -R: standby.signal
#     and primary_conninfo); then run as a read-only hot standby.
# Afterwards `exec postgres`, so SIGINT/SIGTERM from `docker stop` reach PostgreSQL itself.
set -eu
: "${PGDATA:=/var/lib/postgresql/data/pgdata}"
ROLE=${ITA_PG_ROLE:-primary}
DB_USER=${ITA_DB_USER:-ita}
DB_NAME=${ITA_DB_NAME:-ita}
REPL_USER=${ITA_REPL_USER:-replicator}
say() { echo "ita-postgres: $*" >&2; }
secret() {
    [ -n "$1" ] && [ -s "$1" ] || { say "missing password file '$1'"; exit 1; }
    cat "$1"
}

init_primary() {
    say "initialising a new primary cluster in $PGDATA"
    secret "${ITA_DB_PASSWORD_FILE:-}" >/dev/null
    secret "${ITA_REPL_PASSWORD_FILE:-}" >/dev/null
    initdb -D "$PGDATA" -U postgres --encoding=UTF8 --locale=C.UTF-8 \
        --auth-local=peer --auth-host=scram-sha-256 >/dev/null
    cat >> "$PGDATA/postgresql.conf" <<CONF
# ita (docker/postgres/entrypoint.sh)
listen_addresses = '*'
password_encryption = scram-sha-256
wal_level = replica
max_wal_senders = 10
max_replication_slots = 10
hot_standby = on
# a standby that falls behind by more than this loses its slot instead of filling the disk
max_slot_wal_keep_size = 2GB
log_line_prefix = '%m [%p] %q%u@%d '
CONF
    cat > "$PGDATA/pg_hba.conf" <<HBA
# TYPE  DATABASE     USER          ADDRESS   METHOD
local   all          postgres                peer
local   all          all                     scram-sha-256
host    replication  $REPL_USER    all       scram-sha-256
host    all          postgres      all       reject
host    all          all           all       scram-sha-256
HBA
    pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -c unix_socket_directories=/var/run/postgresql" -w start >/dev/null
    # psql reads the passwords itself (backquotes), so they never appear in a process list.
    psql -v ON_ERROR_STOP=1 -q -h /var/run/postgresql -U postgres -d postgres \
        -v db_user="$DB_USER" -v db_name="$DB_NAME" -v repl_user="$REPL_USER" \
        -v db_pw_file="$ITA_DB_PASSWORD_FILE" -v repl_pw_file="$ITA_REPL_PASSWORD_FILE" <<'SQL'
\set db_pw `cat :'db_pw_file'`
\set repl_pw `cat :'repl_pw_file'`
CREATE ROLE :"db_user" LOGIN PASSWORD :'db_pw';
CREATE DATABASE :"db_name" OWNER :"db_user" ENCODING 'UTF8' TEMPLATE template0;
CREATE ROLE :"repl_user" LOGIN REPLICATION PASSWORD :'repl_pw';
SQL
    pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
    say "primary initialised: database $DB_NAME owned by $DB_USER, replication role $REPL_USER"
}

init_standby() {
    host=${ITA_PRIMARY_HOST:-db}
    slot=${ITA_REPL_SLOT:-standby1}
    PGPASSWORD=$(secret "${ITA_REPL_PASSWORD_FILE:-}")
    export PGPASSWORD
    say "waiting for the primary $host"
    i=0
    until pg_isready -q -h "$host" -p 5432; do
        i=$((i + 1))
        [ $i -lt 120 ] || { say "primary $host not ready after 120 s"; exit 1; }
        sleep 1
    done
    say "cloning the primary $host with pg_basebackup (slot $slot)"
    # -C creates the slot; if it is left over from an earlier standby, use it as it is.
    if ! pg_basebackup -h "$host" -U "$REPL_USER" -D "$PGDATA" -X stream -R -C -S "$slot" \
            --checkpoint=fast 2>/tmp/basebackup.err; then
        if grep -q 'already exists' /tmp/basebackup.err; then
            rm -rf "$PGDATA"
            pg_basebackup -h "$host" -U "$REPL_USER" -D "$PGDATA" -X stream -R -S "$slot" --checkpoint=fast
        else
            cat /tmp/basebackup.err >&2
            exit 1
        fi
    fi
    unset PGPASSWORD
    say "standby cloned; it replays WAL streamed from $host"
}

umask 077
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    case "$ROLE" in
    primary) init_primary ;;
    standby) init_standby ;;
    *) say "ITA_PG_ROLE must be primary or standby, not '$ROLE'"; exit 2 ;;
    esac
fi
exec postgres -D "$PGDATA" -c unix_socket_directories=/var/run/postgresql "$@"
