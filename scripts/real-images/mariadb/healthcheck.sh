#!/bin/sh
# healthcheck.sh of ordo-real/mariadb: the tests of the official image's healthcheck.sh that compose files use, so
# that `test: ["CMD", "healthcheck.sh", "--connect", "--innodb_initialized"]` works on both images. Written for Ordo.
#
#   --connect                     the server accepts connections (and is not the init-time server without networking)
#   --innodb_initialized          InnoDB is up
#   --innodb_buffer_pool_loaded   InnoDB's buffer pool load at start-up has completed
#   --su-mysql, --su=USER         accepted and ignored (the checks run as the caller)
#   --datadir=DIR                 where .my-healthcheck.cnf is (default /var/lib/mysql)
#   --defaults-file=F, --defaults-extra-file=F, --no-defaults   client options to use instead
#
# Connects as the "healthcheck" user that the entry script made on first start (credentials in
# DATADIR/.my-healthcheck.cnf). Exit 0 when every test passes.
set -eu

datadir=/var/lib/mysql
defaults=
tests=
for arg in "$@"; do
    case $arg in
        --connect | --innodb_initialized | --innodb_buffer_pool_loaded) tests="$tests ${arg#--}" ;;
        --su-mysql | --su=*) ;;
        --datadir=*) datadir=${arg#--datadir=} ;;
        --defaults-file=* | --defaults-extra-file=* | --no-defaults) defaults=$arg ;;
        *)
            echo "healthcheck.sh: unknown option $arg" >&2
            exit 2
            ;;
    esac
done
[ -n "$tests" ] || tests=" connect"
if [ -z "$defaults" ] && [ -r "$datadir/.my-healthcheck.cnf" ]; then
    defaults="--defaults-extra-file=$datadir/.my-healthcheck.cnf"
fi

query() { mariadb ${defaults:+"$defaults"} --skip-column-names --batch -e "$1"; }

for t in $tests; do
    case $t in
        connect)
            [ "$(query 'SELECT @@skip_networking')" = 0 ] || {
                echo "healthcheck.sh: connect: not accepting network connections" >&2
                exit 1
            }
            ;;
        innodb_initialized)
            [ "$(query "SELECT 1 FROM information_schema.ENGINES WHERE engine = 'InnoDB' AND support IN ('YES', 'DEFAULT', 'ENABLED')")" = 1 ] || {
                echo "healthcheck.sh: innodb_initialized: InnoDB is not up" >&2
                exit 1
            }
            ;;
        innodb_buffer_pool_loaded)
            case $(query "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'INNODB_BUFFER_POOL_LOAD_STATUS'") in
                "Buffer pool(s) load completed"*) ;;
                *)
                    echo "healthcheck.sh: innodb_buffer_pool_loaded: not yet" >&2
                    exit 1
                    ;;
            esac
            ;;
    esac
done
