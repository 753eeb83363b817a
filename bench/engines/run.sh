#!/usr/bin/env bash
# AlphaKraken's stand-ins brought up and down on one Docker engine and across three (the main engine and the two
# extra engines of scripts/engines.sh), alternating; prints the median up and down times (never asserted):
#
#   bench/engines/run.sh [RUNS]     # default 5 runs of each
#
# Needs root once for scripts/ensure-docker.sh (it installs and starts the engines).
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/ensure-docker.sh
mvn -B -q -ntp -Dstyle.color=never -Pbench -pl bench -am package -DskipTests
exec java -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp bench/target/benchmarks.jar \
    dev.ordo.bench.EnginesBenchmark "$@"
