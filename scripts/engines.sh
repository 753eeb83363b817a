#!/usr/bin/env bash
# Extra Docker engines side by side with the main one, for the tests that need an engine of their own (killed
# mid-up) or several engines (one deployment across hosts). Idempotent; run as root on Debian 12 after
# scripts/ensure-docker.sh (which calls it).
#
#   scripts/engines.sh start [N]     start engines 1..N (default 2); prints their socket URIs, comma-separated
#   scripts/engines.sh stop          stop every extra engine
#   scripts/engines.sh kill K        SIGKILL engine K (dockerd only; its containerd too)
#   scripts/engines.sh restart K     start engine K again after a kill or a stop
#   scripts/engines.sh uris [N]      print the socket URIs of engines 1..N
#
# Engine K listens on unix:///run/ordo-engines/engine-K.sock, keeps its data under /var/lib/ordo-engine-K and its
# state under /run/ordo-engine-K, and allocates networks from 10.21K.0.0/16 so that no two engines' networks overlap.
# The main engine owns the host's iptables chains; the extra ones leave iptables alone (--iptables=false), as two
# engines creating the same chains fail, and publish ports through docker-proxy.
set -euo pipefail

BASE=/run/ordo-engines
WAIT_SECONDS="${ORDO_DOCKER_WAIT_SECONDS:-60}"

say() { echo "engines: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }

sock() { echo "$BASE/engine-$1.sock"; }
uri() { echo "unix://$(sock "$1")"; }
pidfile() { echo "/run/ordo-engine-$1.pid"; }
answers() { docker -H "$(uri "$1")" version >/dev/null 2>&1; }

start_one() {
    local k=$1
    [ "$k" -ge 1 ] && [ "$k" -le 9 ] || die "engine number must be 1..9, got $k"
    if answers "$k"; then
        return 0
    fi
    [ "$(id -u)" = "0" ] || die "starting engine $k needs root"
    mkdir -p "$BASE" "/var/lib/ordo-engine-$k" "/run/ordo-engine-$k"
    rm -f "$(sock "$k")" "$(pidfile "$k")"
    # a killed engine leaves its containerd's pid file and sockets behind, and the next containerd would not start
    rm -f "/run/ordo-engine-$k/containerd/containerd.pid" /run/ordo-engine-"$k"/containerd/*.sock*
    say "starting engine $k on $(uri "$k") (log: /tmp/ordo-engine-$k.log)"
    nohup dockerd --host "$(uri "$k")" --data-root "/var/lib/ordo-engine-$k" --exec-root "/run/ordo-engine-$k" \
        --pidfile "$(pidfile "$k")" --bridge none --iptables=false --default-address-pool "base=10.21$k.0.0/16,size=24" \
        >"/tmp/ordo-engine-$k.log" 2>&1 </dev/null &
}

# The main engine sets the host's FORWARD policy to DROP and, with br_netfilter, that drops traffic between the
# containers of an extra engine's networks too: let the extra engines' address pools through.
allow_forwarding() {
    local k=$1 pool="10.21$1.0.0/16"
    command -v iptables >/dev/null 2>&1 || return 0
    iptables -L DOCKER-USER >/dev/null 2>&1 || iptables -N DOCKER-USER
    for dir in -s -d; do
        iptables -C DOCKER-USER "$dir" "$pool" -j ACCEPT 2>/dev/null || iptables -I DOCKER-USER "$dir" "$pool" -j ACCEPT
    done
}

wait_for() {
    local k=$1
    for ((i = 0; i < WAIT_SECONDS * 4; i++)); do
        if answers "$k"; then
            return 0
        fi
        sleep 0.25
    done
    tail -20 "/tmp/ordo-engine-$k.log" >&2 || true
    die "engine $k did not answer on $(uri "$k") within ${WAIT_SECONDS}s; see /tmp/ordo-engine-$k.log"
}

uris() {
    local n=${1:-2} out=""
    for ((k = 1; k <= n; k++)); do out="${out:+$out,}$(uri "$k")"; done
    echo "$out"
}

case "${1:-}" in
    start)
        n=${2:-2}
        for ((k = 1; k <= n; k++)); do start_one "$k"; done
        for ((k = 1; k <= n; k++)); do wait_for "$k"; allow_forwarding "$k"; done
        uris "$n"
        ;;
    stop)
        for p in /run/ordo-engine-*.pid; do
            [ -f "$p" ] || continue
            kill "$(cat "$p")" 2>/dev/null || true
        done
        ;;
    kill)
        k=${2:?engine number}
        [ -f "$(pidfile "$k")" ] || die "engine $k is not running (no $(pidfile "$k"))"
        kill -9 "$(cat "$(pidfile "$k")")"
        # its containerd would keep the containers alive; a machine's crash takes both
        pkill -9 -f "containerd.*/run/ordo-engine-$k/" 2>/dev/null || true
        ;;
    restart)
        k=${2:?engine number}
        start_one "$k"
        wait_for "$k"
        allow_forwarding "$k"
        uri "$k"
        ;;
    uris)
        uris "${2:-2}"
        ;;
    *)
        sed -n '2,13p' "$0" >&2
        exit 2
        ;;
esac
