#!/usr/bin/env bash
# Builds the runner and runs the CLP demo on the simulated backend: the plan, live progress, the per-node timeline
# and the critical path, then the teardown. Extra arguments go to `ordo demo`, e.g. scripts/demo.sh --type base.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -ntp -DskipTests -pl cli -am package
exec java -jar cli/target/ordo.jar demo "$@"
