#!/bin/sh
# Entry point of ordo-real/mariadb (Debian's mariadb-server 10.11), built by scripts/real-images.sh. Written for Ordo;
# it follows the official mariadb image's documented environment, so that the same compose files run on both. Each
# MARIADB_X may also be given as MARIADB_X_FILE, MYSQL_X or MYSQL_X_FILE (in that order of preference):
#
#   MARIADB_ROOT_PASSWORD            root's password (root@localhost and root@MARIADB_ROOT_HOST)
#   MARIADB_ROOT_PASSWORD_HASH       root's password as a mysql_native_password hash instead
#   MARIADB_ALLOW_EMPTY_ROOT_PASSWORD  root without a password (MYSQL_ALLOW_EMPTY_PASSWORD)
#   MARIADB_RANDOM_ROOT_PASSWORD     a random root password, printed as "GENERATED ROOT PASSWORD: ..."
#                                    (one of these four is required on first start)
#   MARIADB_ROOT_HOST                where root may connect from besides localhost (default %)
#   MARIADB_DATABASE                 a database made on first start
#   MARIADB_USER, MARIADB_PASSWORD (or MARIADB_PASSWORD_HASH)  a user made on first start, with all rights on
#                                    MARIADB_DATABASE
#   MARIADB_INITDB_SKIP_TZINFO       do not load the time zone tables
#
# On first start (no mysql/ in the data directory) it runs mariadb-install-db, starts a temporary server without
# networking on a private socket (so readiness checks do not pass during initialisation), sets the users up, makes a
# "healthcheck" user for healthcheck.sh, runs /docker-entrypoint-initdb.d/* once in name order (*.sql, *.sql.gz,
# *.sql.xz, *.sql.zst into MARIADB_DATABASE; *.sh executed when executable, else run with bash when it says so in its
# first line, else sourced) and stops it. Then it execs mariadbd as user mysql, as PID 1: SIGTERM (the image's
# STOPSIGNAL) shuts it down cleanly and the log says "mariadbd: Shutdown complete".
set -eu

log() { echo "entrypoint: $*"; }
die() {
    echo "entrypoint: error: $*" >&2
    exit 1
}

# mariadb_env NAME [DEFAULT [MYSQL_NAME]]: exports MARIADB_NAME from MARIADB_NAME, its _FILE, MYSQL_NAME or its _FILE
mariadb_env() {
    _name=$1
    _val=
    for _v in "MARIADB_$1" "${3:-MYSQL_$1}"; do
        eval "_val=\${$_v-}"
        eval "_file=\${${_v}_FILE-}"
        if [ -n "$_val" ] && [ -n "$_file" ]; then
            die "both $_v and ${_v}_FILE are set; they are exclusive"
        fi
        if [ -n "$_file" ]; then
            [ -r "$_file" ] || die "${_v}_FILE=$_file: cannot read that file"
            _val=$(cat "$_file")
        fi
        unset "${_v}_FILE"
        [ -z "$_val" ] || break
    done
    [ -n "$_val" ] || _val=${2-}
    export "MARIADB_$_name=$_val"
}

# SQL string literal and identifier contents
sql_str() { printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e "s/'/\\\\'/g"; }
sql_ident() { printf '%s' "$1" | sed 's/`/``/g'; }
random_password() { LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c "${1:-32}"; }

# an option as first argument: the server's
if [ "${1#-}" != "${1-}" ]; then
    set -- mariadbd "$@"
fi
case ${1-} in
    mariadbd | mysqld) ;;
    *) exec "$@" ;;
esac

# the data directory and socket the server will use, with the options given (found once, before the switch of user)
if [ -n "${_ORDO_MARIADB_DIRS-}" ]; then
    datadir=${_ORDO_MARIADB_DIRS%%|*}
    socket=${_ORDO_MARIADB_DIRS#*|}
    unset _ORDO_MARIADB_DIRS
else
    help=$("$@" --verbose --help 2>/dev/null) || true
    datadir=$(printf '%s\n' "$help" | awk '$1 == "datadir" { print $2; exit }')
    socket=$(printf '%s\n' "$help" | awk '$1 == "socket" { print $2; exit }')
    datadir=${datadir:-/var/lib/mysql}
    datadir=${datadir%/}
    socket=${socket:-/run/mysqld/mysqld.sock}
fi

if [ "$(id -u)" = 0 ]; then
    # as root: make the data directory (a fresh volume included) and the socket's directory the mysql user's, then
    # run this script again as that user
    mkdir -p "$datadir" "$(dirname "$socket")"
    find "$datadir" \! -user mysql -exec chown mysql:mysql '{}' +
    chown mysql:mysql "$(dirname "$socket")"
    _ORDO_MARIADB_DIRS="$datadir|$socket" HOME=/var/lib/mysql exec setpriv --reuid=mysql --regid=mysql --init-groups -- "$0" "$@"
fi

if [ ! -d "$datadir/mysql" ]; then
    mariadb_env ROOT_PASSWORD
    mariadb_env ROOT_PASSWORD_HASH
    mariadb_env ALLOW_EMPTY_ROOT_PASSWORD "" MYSQL_ALLOW_EMPTY_PASSWORD
    mariadb_env RANDOM_ROOT_PASSWORD
    mariadb_env ROOT_HOST %
    mariadb_env DATABASE
    mariadb_env USER
    mariadb_env PASSWORD
    mariadb_env PASSWORD_HASH
    mariadb_env INITDB_SKIP_TZINFO
    if [ -z "$MARIADB_ROOT_PASSWORD$MARIADB_ROOT_PASSWORD_HASH$MARIADB_ALLOW_EMPTY_ROOT_PASSWORD$MARIADB_RANDOM_ROOT_PASSWORD" ]; then
        die "the database is uninitialised and no root password option is set: set one of MARIADB_ROOT_PASSWORD
  (or _FILE), MARIADB_ROOT_PASSWORD_HASH, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD or MARIADB_RANDOM_ROOT_PASSWORD
  (the MYSQL_* names work too)"
    fi
    if [ "$MARIADB_USER" = root ]; then
        die "MARIADB_USER=root: MARIADB_USER and MARIADB_PASSWORD make a regular user; root's password is MARIADB_ROOT_PASSWORD"
    fi
    if [ -n "$MARIADB_RANDOM_ROOT_PASSWORD" ] && [ -z "$MARIADB_ROOT_PASSWORD$MARIADB_ROOT_PASSWORD_HASH" ]; then
        MARIADB_ROOT_PASSWORD=$(random_password 32)
        export MARIADB_ROOT_PASSWORD
        log "GENERATED ROOT PASSWORD: $MARIADB_ROOT_PASSWORD"
    fi

    log "initialising database files in $datadir"
    server=$1
    shift
    mariadb-install-db --datadir="$datadir" --rpm --auth-root-authentication-method=normal --skip-test-db \
        --old-mode='UTF8_IS_UTF8MB3' --default-time-zone=SYSTEM --enforce-storage-engine= --skip-log-bin \
        --expire-logs-days=0 --loose-innodb_buffer_pool_load_at_startup=0 \
        --loose-innodb_buffer_pool_dump_at_shutdown=0 "$@"

    initsock="$(dirname "$socket")/ordo-init.sock"
    log "starting a temporary server on $initsock"
    "$server" "$@" --skip-networking --socket="$initsock" --default-time-zone=SYSTEM --loose-wsrep_on=OFF \
        --expire-logs-days=0 --skip-slave-start --loose-innodb_buffer_pool_load_at_startup=0 \
        --loose-innodb_buffer_pool_dump_at_shutdown=0 &
    tmp_pid=$!
    set -- "$server" "$@"
    sql() { mariadb --no-defaults --protocol=socket --socket="$initsock" --user=root "$@"; }
    i=0
    until sql --database=mysql -e 'SELECT 1' >/dev/null 2>&1; do
        kill -0 "$tmp_pid" 2>/dev/null || die "the temporary server stopped during initialisation (its log is above)"
        i=$((i + 1))
        [ "$i" -lt 600 ] || die "the temporary server did not answer on $initsock in 60 s"
        sleep 0.1
    done

    if [ -z "$MARIADB_INITDB_SKIP_TZINFO" ]; then
        log "loading the time zone tables"
        mariadb-tzinfo-to-sql --skip-write-binlog /usr/share/zoneinfo 2>/dev/null | sql --database=mysql
    fi

    hc_password=$(random_password 32)
    root_pw=$(sql_str "$MARIADB_ROOT_PASSWORD")
    if [ -n "$MARIADB_ROOT_PASSWORD" ]; then
        root_auth="IDENTIFIED BY '$root_pw'"
    elif [ -n "$MARIADB_ROOT_PASSWORD_HASH" ]; then
        root_auth="IDENTIFIED BY PASSWORD '$(sql_str "$MARIADB_ROOT_PASSWORD_HASH")'"
    else
        root_auth=""
    fi
    root_host=$(sql_str "$MARIADB_ROOT_HOST")
    {
        echo "SET @@SESSION.SQL_LOG_BIN=0;"
        echo "SET @@SESSION.SQL_MODE=REPLACE(@@SESSION.SQL_MODE, 'NO_BACKSLASH_ESCAPES', '');"
        # mariadb-install-db's other passwordless roots go; root@localhost stays, root@MARIADB_ROOT_HOST is made
        echo "DROP USER IF EXISTS root@'127.0.0.1', root@'::1';"
        echo "EXECUTE IMMEDIATE CONCAT('DROP USER IF EXISTS root@\\'', @@hostname, '\\'');"
        if [ "$MARIADB_ROOT_HOST" != localhost ]; then
            echo "CREATE USER 'root'@'$root_host' $root_auth;"
            echo "GRANT ALL ON *.* TO 'root'@'$root_host' WITH GRANT OPTION;"
            echo "GRANT PROXY ON ''@'%' TO 'root'@'$root_host' WITH GRANT OPTION;"
        fi
        for host in localhost 127.0.0.1 ::1; do
            echo "CREATE USER 'healthcheck'@'$host' IDENTIFIED BY '$hc_password';"
        done
        if [ -n "$MARIADB_DATABASE" ]; then
            echo "CREATE DATABASE IF NOT EXISTS \`$(sql_ident "$MARIADB_DATABASE")\`;"
        fi
        if [ -n "$MARIADB_USER" ]; then
            if [ -n "$MARIADB_PASSWORD_HASH" ]; then
                echo "CREATE USER '$(sql_str "$MARIADB_USER")'@'%' IDENTIFIED BY PASSWORD '$(sql_str "$MARIADB_PASSWORD_HASH")';"
            else
                echo "CREATE USER '$(sql_str "$MARIADB_USER")'@'%' IDENTIFIED BY '$(sql_str "$MARIADB_PASSWORD")';"
            fi
            if [ -n "$MARIADB_DATABASE" ]; then
                echo "GRANT ALL ON \`$(sql_ident "$MARIADB_DATABASE")\`.* TO '$(sql_str "$MARIADB_USER")'@'%';"
            fi
        fi
        # root@localhost's password last, so that everything above runs without it (a hash: after the init files)
        [ -z "$MARIADB_ROOT_PASSWORD" ] || echo "ALTER USER 'root'@'localhost' $root_auth;"
        echo "FLUSH PRIVILEGES;"
    } | sql --database=mysql
    printf '[mariadb-client]\nport=3306\nsocket=%s\nuser=healthcheck\npassword=%s\n' "$socket" "$hc_password" \
        >"$datadir/.my-healthcheck.cnf"
    chmod 600 "$datadir/.my-healthcheck.cnf"

    # from here on root needs its password, when it has one we know
    [ -z "$MARIADB_ROOT_PASSWORD" ] || export MYSQL_PWD="$MARIADB_ROOT_PASSWORD"
    run_sql() { sql ${MARIADB_DATABASE:+--database="$MARIADB_DATABASE"} "$@"; }
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
            *.sql) log "running $f" && run_sql <"$f" ;;
            *.sql.gz) log "running $f" && gzip -dc "$f" | run_sql ;;
            *.sql.xz) log "running $f" && xz -dc "$f" | run_sql ;;
            *.sql.zst) log "running $f" && zstd -dc "$f" | run_sql ;;
            *) log "ignoring $f" ;;
        esac
    done
    unset MYSQL_PWD
    if [ -z "$MARIADB_ROOT_PASSWORD" ] && [ -n "$MARIADB_ROOT_PASSWORD_HASH" ]; then
        echo "ALTER USER 'root'@'localhost' $root_auth; FLUSH PRIVILEGES;" | sql --database=mysql
    fi

    log "stopping the temporary server"
    kill -TERM "$tmp_pid"
    wait "$tmp_pid"
    rm -f "$initsock"
    log "MariaDB init process done. Ready for start up."
else
    log "MariaDB data directory $datadir already holds a database; skipping initialisation"
fi

exec "$@"
