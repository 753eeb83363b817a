#!/usr/bin/env bash
# Living-deployment figures (printed, never asserted):
#
#   bench/living/run.sh virtual [TRIGGERS]   # 30 virtual days of 100 cron triggers on the simulated backend
#   bench/living/run.sh triggers [N]         # a handle with 1,000 cron triggers on the local engine: heap, threads
#   bench/living/run.sh jitter [FIRES]       # fire-time jitter of a 1 s interval trigger on the local engine (~FIRES s)
#
# The Docker ones need root once for scripts/ensure-docker.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
case "${1:-virtual}" in
    triggers|jitter) scripts/ensure-docker.sh ;;
esac
mvn -B -q -ntp -Dstyle.color=never -Pbench -pl bench -am package -DskipTests
exec java -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp bench/target/benchmarks.jar \
    dev.ordo.bench.LivingBenchmark "$@"
