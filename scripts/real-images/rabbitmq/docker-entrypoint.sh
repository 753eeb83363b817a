#!/bin/sh
# Entry point of ordo-real/rabbitmq (Debian's rabbitmq-server 3.10), built by scripts/real-images.sh. Written for
# Ordo; it follows the official rabbitmq image's documented environment, so that the same compose files run on both:
#
#   RABBITMQ_DEFAULT_USER / RABBITMQ_DEFAULT_PASS  the user made when the node first starts (default guest/guest);
#                                                   _FILE variants are read here and handed on as the plain ones
#   RABBITMQ_DEFAULT_VHOST                          that user's virtual host (default /)
#   RABBITMQ_NODENAME                               the node's name (default rabbit@<the container's hostname>)
#   RABBITMQ_ERLANG_COOKIE                          RabbitMQ's own (deprecated) variable, as there
#
# The configuration (/etc/rabbitmq/conf.d/10-defaults.conf) is the official image's default: every user may connect
# from other hosts (loopback_users = none) and logs go to the container's output. Data is in /var/lib/rabbitmq.
# Started as root, it makes /var/lib/rabbitmq the rabbitmq user's, gives the data directory an Erlang cookie when it
# has none (root's /root/.erlang.cookie and HOME=/var/lib/rabbitmq point the CLI tools at the same one, so
# `docker exec ... rabbitmq-diagnostics -q ping` works as root) and execs RabbitMQ's own rabbitmq-server launcher as
# user rabbitmq, as PID 1 (the official image runs the same launcher): it turns SIGTERM (the STOPSIGNAL) and SIGINT
# into a clean stop of the Erlang node, which logs "SIGTERM received - shutting down", stops its listeners and message
# stores, and exits 0 (130 after SIGINT). As in the official image, that launcher also exits 0 when the node fails to
# boot: look for "BOOT FAILED" in the log rather than at the exit code.
set -eu

die() {
    echo "entrypoint: error: $*" >&2
    exit 1
}

# file_env VAR: VAR from itself or from the file named by VAR_FILE (not both), exported when set
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
    fi
    unset "${_var}_FILE"
    if [ -n "$_val" ]; then export "$_var=$_val"; else unset "$_var"; fi
}

case ${1-} in
    -*) set -- rabbitmq-server "$@" ;;
esac

if [ "${1-}" = rabbitmq-server ]; then
    file_env RABBITMQ_DEFAULT_USER
    file_env RABBITMQ_DEFAULT_PASS
    if [ "$(id -u)" = 0 ]; then
        mkdir -p /var/lib/rabbitmq /var/log/rabbitmq
        find /var/lib/rabbitmq /var/log/rabbitmq \! -user rabbitmq -exec chown rabbitmq:rabbitmq '{}' +
        cookie=/var/lib/rabbitmq/.erlang.cookie
        if [ -z "${RABBITMQ_ERLANG_COOKIE-}" ] && [ ! -s "$cookie" ]; then
            rm -f "$cookie"
            (umask 0377 && LC_ALL=C tr -dc 'A-Z' </dev/urandom | head -c 20 >"$cookie")
            chown rabbitmq:rabbitmq "$cookie"
        fi
        [ -L /root/.erlang.cookie ] || ln -sfn "$cookie" /root/.erlang.cookie
        HOME=/var/lib/rabbitmq exec setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups -- "$0" "$@"
    fi
    shift
    set -- /usr/lib/rabbitmq/bin/rabbitmq-server "$@"
fi

exec "$@"
