#!/usr/bin/env bash
# JMH benchmarks of the core: validate+plan of random DAGs (1k/10k/100k nodes, ~3 edges per node) and a simulated
# up of 10k nodes. Not part of the test run; figures go in the README.
#
#   bench/run.sh                       # every benchmark, JMH's default output
#   bench/run.sh PlanBenchmark -p nodes=100000
#   bench/run.sh --breakdown           # phase-by-phase timing outside JMH (validator, build, plan, topological sort)
#   bench/run.sh --hostile [N]         # build()+plan() of hostile input under 1,000 nodes, N deployments per shape
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B -q -ntp -Dstyle.color=never -Pbench -pl bench -am package -DskipTests
if [ "${1:-}" = "--hostile" ]; then
    shift
    exec java -Xms1g -Xmx1g -cp bench/target/benchmarks.jar dev.ordo.bench.HostileInput "$@"
fi
if [ "${1:-}" = "--breakdown" ]; then
    shift
    exec java -Xms2g -Xmx2g -cp bench/target/benchmarks.jar dev.ordo.bench.Breakdown "$@"
fi
exec java -jar bench/target/benchmarks.jar "$@"
