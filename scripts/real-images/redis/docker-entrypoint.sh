#!/bin/sh
# Entry point of ordo-real/redis (Debian's redis-server 7), built by scripts/real-images.sh. Written for Ordo; it
# behaves as the official redis image's entry point where compose files rely on it:
#
#   - the command is redis-server (CMD ["redis-server"]); a first argument that is an option (--requirepass x) or a
#     *.conf file is handed to redis-server, so `command: redis-server --requirepass x` and `command: --appendonly
#     yes` both work;
#   - started as root, it makes /data (the working directory, where dumps go) the redis user's and runs redis-server
#     as that user;
#   - without a configuration file redis-server listens on all addresses with protected-mode off, as the official
#     image's build does (a later --protected-mode yes, or a configuration file, decides otherwise);
#   - redis-server replaces this script (exec) as PID 1: SIGTERM saves (when persistence is on) and exits, and the
#     log ends with "Redis is now ready to exit, bye bye...".
set -eu

case ${1-} in
    -* | *.conf) set -- redis-server "$@" ;;
esac

if [ "${1-}" = redis-server ]; then
    if [ "$(id -u)" = 0 ]; then
        mkdir -p /data
        find /data \! -user redis -exec chown redis:redis '{}' +
        HOME=/var/lib/redis exec setpriv --reuid=redis --regid=redis --init-groups -- "$0" "$@"
    fi
    shift
    case ${1-} in
        "" | -*) set -- redis-server --protected-mode no "$@" ;;
        *) set -- redis-server "$@" ;;
    esac
    # files only for the redis user, as the official image
    umask 0077
fi

exec "$@"
