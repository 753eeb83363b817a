#!/usr/bin/env bash
# The whole test suite, exactly as CI runs it: unit tests, property tests, the Kubernetes mock-server tests, and
# the Docker integration tests against real engines — the main one and two extra engines for the tests that span
# several (this script installs and starts them when missing; run it as root on Debian). Extra engines this script
# started are stopped again when it ends. Extra arguments go to Maven, e.g. scripts/test.sh -pl core.
set -euo pipefail
cd "$(dirname "$0")/.."
started_engines=0
if ! docker -H unix:///run/ordo-engines/engine-1.sock version >/dev/null 2>&1; then
    started_engines=1
fi
# docker-compose too: ordo-compose checks every exported file with the real `docker-compose config`
ORDO_WITH_COMPOSE=1 bash scripts/ensure-docker.sh
if [ "$started_engines" = 1 ]; then
    trap 'bash scripts/engines.sh stop || true' EXIT
fi
# real servers (PostgreSQL, MariaDB, Redis, RabbitMQ) from Debian's packages, for the ITs that run them; up to date
# images are kept (a label holds their package versions)
bash scripts/real-images.sh
# helm, kubectl and the OpenAPI schema validator check the Kubernetes exports; curl runs the exported waiters
ORDO_K8S_TOOLS="$(bash scripts/ensure-k8s-tools.sh)"
export ORDO_K8S_TOOLS
mvn -B -ntp -Dstyle.color=never verify "$@"
