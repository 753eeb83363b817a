#!/usr/bin/env bash
# Ordo vs docker-compose on real servers (MariaDB, RabbitMQ, Redis from Debian's packages): bench/real/clp-real.yml
# brought up and down by both, alternately, on this machine's engine; prints up and down times and their ratios.
#
#   bench/real/run.sh          # 3 runs each
#   bench/real/run.sh 5
#
# Needs root once: scripts/ensure-docker.sh (docker.io, docker-compose) and scripts/real-images.sh (the images).
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}
ORDO_WITH_COMPOSE=1 scripts/ensure-docker.sh >/dev/null
scripts/real-images.sh mariadb rabbitmq redis
mvn -B -q -ntp -Dstyle.color=never -Pbench -pl bench -am package -DskipTests -Dmaven.javadoc.skip
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp bench/target/benchmarks.jar dev.ordo.bench.RealServers \
    "$runs" bench/real/clp-real.yml
