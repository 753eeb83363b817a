#!/usr/bin/env bash
# Ordo vs docker-compose on the CLP stand-in topology, on this machine's Docker engine.
#
#   bench/docker/run.sh            # 3 runs each, then medians
#   bench/docker/run.sh --runs 5
#   bench/docker/run.sh --no-compose
#
# Needs root once for scripts/ensure-docker.sh (installs docker.io, busybox-static and docker-compose, starts dockerd).
set -euo pipefail
cd "$(dirname "$0")/../.."

case " $* " in
    *" --no-compose "*) scripts/ensure-docker.sh ;;
    *) ORDO_WITH_COMPOSE=1 scripts/ensure-docker.sh ;;
esac
# Build core and the backend from this working tree (-am), so the figures are for the code as it is here.
mvn -B -q -ntp -Dstyle.color=never -pl docker-backend -am install -DskipTests
CP_FILE=$(mktemp)
mvn -B -q -ntp -pl docker-backend dependency:build-classpath -Dmdep.outputFile="$CP_FILE" \
    -Dmdep.includeScope=test >/dev/null
CP="docker-backend/target/test-classes:docker-backend/target/classes:$(cat "$CP_FILE")"
rm -f "$CP_FILE"
exec java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ${ORDO_BENCH_JAVA_OPTS:-} -cp "$CP" dev.ordo.docker.DockerBenchmark "$@"
