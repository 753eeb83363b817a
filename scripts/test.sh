#!/usr/bin/env bash
# The whole test suite, exactly as CI runs it: unit tests, property tests, the Kubernetes mock-server tests, and
# the Docker integration tests against a real engine (which this script installs and starts when missing; run it
# as root on Debian). Extra arguments go to Maven, e.g. scripts/test.sh -pl core.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-docker.sh
exec mvn -B -ntp -Dstyle.color=never verify "$@"
