#!/bin/sh
# Entry point of ordo-real/postgres (Debian's postgresql-15), built by scripts/real-images.sh. Written for Ordo; it
# follows the official postgres image's documented environment, so that the same compose files run on both:
#
#   POSTGRES_PASSWORD / POSTGRES_PASSWORD_FILE  the superuser's password; required unless POSTGRES_HOST_AUTH_METHOD=trust
#   POSTGRES_USER / _FILE                       the superuser (default postgres)
#   POSTGRES_DB / _FILE                         a database made on first start (default: the superuser's name)
#   POSTGRES_INITDB_ARGS                        more initdb arguments (e.g. "--data-checksums")
#   POSTGRES_INITDB_WALDIR                      initdb --waldir
#   POSTGRES_HOST_AUTH_METHOD                   pg_hba method for all remote hosts (default scram-sha-256)
#   PGDATA                                      the data directory (default /var/lib/postgresql/data)
#
# On first start (no PG_VERSION in PGDATA) it runs initdb, allows remote hosts with the auth method above, starts a
# temporary server that listens on a private socket only (so readiness checks do not pass during initialisation),
# makes POSTGRES_DB, runs /docker-entrypoint-initdb.d/* once in name order (*.sql, *.sql.gz, *.sql.xz and *.sql.zst
# with psql; *.sh executed when executable, else run with bash when it says so in its first line, else sourced) and
# stops it. Then it execs postgres as user postgres, as PID 1: SIGINT (the image's STOPSIGNAL) is a fast shutdown,
# SIGTERM a smart one; the log ends with "database system is shut down".
set -eu

log() { echo "entrypoint: $*"; }
die() {
    echo "entrypoint: error: $*" >&2
    exit 1
}

# file_env VAR [DEFAULT]: VAR from itself or from the file named by VAR_FILE (not both), exported
file_env() {
    _var=$1
    eval "_val=\${$_var-}"
    eval "_file=\${${_var}_FILE-}"
    if [ -n "$_val" ] && [ -n "$_file" ]; then
        die "both $_var and ${_var}_FILE are set; they are exclusive"
    fi
    if [ -n "$_file" ]; then
        [ -r "$_file" ] || die "${_var}_FILE=$_file: cannot read that file"
        _val=$(cat "$_file")
    elif [ -z "$_val" ]; then
        _val=${2-}
    fi
    export "$_var=$_val"
    unset "${_var}_FILE"
}

# quote ARG...: the arguments as one shell-quoted string (for pg_ctl -o)
quote() {
    for _a in "$@"; do
        printf "'%s' " "$(printf '%s' "$_a" | sed "s/'/'\\\\''/g")"
    done
}

: "${PGDATA:=/var/lib/postgresql/data}"
export PGDATA

# an option as first argument: the server's
if [ "${1#-}" != "${1-}" ]; then
    set -- postgres "$@"
fi

if [ "${1-}" = postgres ] && [ "$(id -u)" = 0 ]; then
    # as root: make the data directory (a fresh volume included) and the socket directory the postgres user's, then
    # run this script again as that user
    mkdir -p "$PGDATA" /var/run/postgresql
    find "$PGDATA" \! -user postgres -exec chown postgres:postgres '{}' +
    chmod 700 "$PGDATA"
    chown postgres:postgres /var/run/postgresql
    chmod 3777 /var/run/postgresql
    if [ -n "${POSTGRES_INITDB_WALDIR-}" ]; then
        mkdir -p "$POSTGRES_INITDB_WALDIR"
        find "$POSTGRES_INITDB_WALDIR" \! -user postgres -exec chown postgres:postgres '{}' +
        chmod 700 "$POSTGRES_INITDB_WALDIR"
    fi
    HOME=/var/lib/postgresql exec setpriv --reuid=postgres --regid=postgres --init-groups -- "$0" "$@"
fi

if [ "${1-}" = postgres ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
    mkdir -p "$PGDATA"
    chmod 700 "$PGDATA" 2>/dev/null || true
    file_env POSTGRES_PASSWORD
    file_env POSTGRES_USER postgres
    file_env POSTGRES_DB "$POSTGRES_USER"
    file_env POSTGRES_INITDB_ARGS
    auth=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}
    if [ -z "$POSTGRES_PASSWORD" ] && [ "$auth" != trust ]; then
        die "the database is uninitialised and no superuser password is set: set POSTGRES_PASSWORD (or
  POSTGRES_PASSWORD_FILE) to a non-empty value, e.g. -e POSTGRES_PASSWORD=secret, or POSTGRES_HOST_AUTH_METHOD=trust
  to allow every connection without a password (never do that outside tests)"
    fi
    if [ "$auth" = trust ]; then
        log "warning: POSTGRES_HOST_AUTH_METHOD=trust: every host may connect as any user without a password"
    fi

    log "initialising a new cluster in $PGDATA"
    pwfile=
    if [ -n "$POSTGRES_PASSWORD" ]; then
        pwfile=$(mktemp)
        printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
    fi
    waldir=
    [ -z "${POSTGRES_INITDB_WALDIR-}" ] || waldir="--waldir=$POSTGRES_INITDB_WALDIR"
    eval 'initdb --username="$POSTGRES_USER" ${pwfile:+--pwfile="$pwfile"} ${waldir:+"$waldir"} '"$POSTGRES_INITDB_ARGS"
    [ -z "$pwfile" ] || rm -f "$pwfile"
    printf '\n# remote hosts (ordo-real entry script)\nhost all all all %s\n' "$auth" >>"$PGDATA/pg_hba.conf"

    # the temporary server: no TCP, and its socket away from the default one
    initsock=$(mktemp -d)
    shift
    PGUSER=$POSTGRES_USER pg_ctl -D "$PGDATA" -w start \
        -o "$(quote "$@") -c listen_addresses='' -c unix_socket_directories='$initsock' -p 5432"
    set -- postgres "$@"
    export PGHOST="$initsock" PGPORT=5432 PGUSER="$POSTGRES_USER" PGPASSWORD="${PGPASSWORD:-$POSTGRES_PASSWORD}"

    if [ "$POSTGRES_DB" != postgres ]; then
        exists=$(psql -v ON_ERROR_STOP=1 --no-password --no-psqlrc --dbname postgres --tuples-only --no-align \
            --set db="$POSTGRES_DB" <<'EOSQL'
SELECT 1 FROM pg_database WHERE datname = :'db';
EOSQL
        )
        if [ -z "$exists" ]; then
            log "creating database $POSTGRES_DB"
            psql -v ON_ERROR_STOP=1 --no-password --no-psqlrc --dbname postgres --set db="$POSTGRES_DB" <<'EOSQL'
CREATE DATABASE :"db";
EOSQL
        fi
    fi

    run_sql() { psql -v ON_ERROR_STOP=1 --no-password --no-psqlrc --dbname "$POSTGRES_DB" "$@"; }
    for f in /docker-entrypoint-initdb.d/*; do
        [ -e "$f" ] || continue
        case $f in
            *.sh)
                if [ -x "$f" ]; then
                    log "running $f"
                    "$f"
                elif head -n1 "$f" | grep -q bash; then
                    log "running $f with bash"
                    bash "$f"
                else
                    log "sourcing $f"
                    . "$f"
                fi
                ;;
            *.sql) log "running $f" && run_sql -f "$f" ;;
            *.sql.gz) log "running $f" && gzip -dc "$f" | run_sql ;;
            *.sql.xz) log "running $f" && xz -dc "$f" | run_sql ;;
            *.sql.zst) log "running $f" && zstd -dc "$f" | run_sql ;;
            *) log "ignoring $f" ;;
        esac
    done

    pg_ctl -D "$PGDATA" -m fast -w stop
    rmdir "$initsock" 2>/dev/null || true
    unset PGHOST PGPORT PGUSER PGPASSWORD
    log "PostgreSQL init process complete; ready for start up."
elif [ "${1-}" = postgres ]; then
    log "PostgreSQL database directory appears to contain a database; skipping initialisation"
fi

exec "$@"
