#!/usr/bin/env bash
# Makes sure a Docker engine answers on this machine, for Ordo's Docker integration tests and benchmark.
#
# Idempotent; run as root on Debian 12. Installs docker.io (the engine) and busybox-static (the stand-in image's
# only binary) when missing, starts dockerd in the background when nothing answers, and waits for it; then starts
# two extra engines side by side (scripts/engines.sh) for the tests that need engines of their own.
# Set ORDO_WITH_COMPOSE=1 to also install Debian's docker-compose (the benchmark, and ordo-compose's tests via scripts/test.sh).
#
#   sudo scripts/ensure-docker.sh && mvn -pl docker-backend verify
set -euo pipefail

WAIT_SECONDS="${ORDO_DOCKER_WAIT_SECONDS:-60}"
LOG=/tmp/dockerd.log

say() { echo "ensure-docker: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }

answers() { docker version >/dev/null 2>&1; }

need=()
# A docker client binary may exist without an engine (it does on some images), so check for dockerd itself.
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
# The stand-in image is Debian's static busybox alone; the dynamic "busybox" package would not run in it.
dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)
if [ "${ORDO_WITH_COMPOSE:-0}" = "1" ] && ! command -v docker-compose >/dev/null 2>&1; then
    need+=(docker-compose)
fi

if [ "${#need[@]}" -gt 0 ]; then
    [ "$(id -u)" = "0" ] || die "missing packages ${need[*]}; run this script as root (it uses apt-get)"
    say "installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || die "apt-get update failed; check the machine's access to Debian's package mirror"
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/tmp/ensure-docker-apt.log 2>&1 \
        || { tail -20 /tmp/ensure-docker-apt.log >&2; die "apt-get install ${need[*]} failed (log: /tmp/ensure-docker-apt.log)"; }
fi

if [ -n "${DOCKER_HOST:-}" ]; then
    # The user pointed us at an engine elsewhere: wait for it, never start a local one behind their back.
    say "DOCKER_HOST=$DOCKER_HOST is set; waiting for that engine"
elif ! answers; then
    [ "$(id -u)" = "0" ] || die "no Docker engine answers on /var/run/docker.sock; start one or run this script as root"
    if pgrep -x dockerd >/dev/null 2>&1; then
        say "dockerd is running but not answering yet; waiting"
    else
        say "starting dockerd (log: $LOG)"
        # Debian's docker.io wants containerd; dockerd starts its own when none runs.
        nohup dockerd >"$LOG" 2>&1 </dev/null &
    fi
fi

main_up=0
for ((i = 0; i < WAIT_SECONDS * 4; i++)); do
    if answers; then
        say "Docker engine $(docker version --format '{{.Server.Version}}' 2>/dev/null) answers"
        main_up=1
        break
    fi
    sleep 0.25
done
if [ "$main_up" != 1 ]; then
    [ -f "$LOG" ] && tail -30 "$LOG" >&2
    die "no Docker engine answered within ${WAIT_SECONDS}s; see $LOG, or set DOCKER_HOST to a reachable engine"
fi

# Extra engines for the tests that need an engine of their own (killed mid-up) or several (one deployment across
# engines). ORDO_EXTRA_ENGINES=0 skips them; those tests then fail under CI=true.
extra="${ORDO_EXTRA_ENGINES_COUNT:-2}"
if [ -z "${DOCKER_HOST:-}" ] && [ "$extra" -gt 0 ]; then
    [ "$(id -u)" = "0" ] || die "starting $extra extra Docker engines needs root (or set ORDO_EXTRA_ENGINES_COUNT=0)"
    uris=$(bash "$(dirname "$0")/engines.sh" start "$extra") \
        || die "the $extra extra Docker engines did not start; see /tmp/ordo-engine-*.log"
    say "extra engines answer: $uris"
fi
