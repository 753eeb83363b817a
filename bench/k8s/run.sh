#!/usr/bin/env bash
# Requests and wall time of an up on fabric8's mock API server with the test kubelet: the CLP rehearsal (18 nodes)
# and a generated deployment of 1,000 nodes. No cluster needed.
#
#   bench/k8s/run.sh            # 18 and 1000 nodes
#   bench/k8s/run.sh 18 200
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q -ntp -Dstyle.color=never -pl k8s-backend -am install -DskipTests -Dmaven.javadoc.skip
CP_FILE=$(mktemp)
mvn -B -q -ntp -pl k8s-backend dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test >/dev/null
CP="k8s-backend/target/test-classes:k8s-backend/target/classes:core/target/test-classes:$(cat "$CP_FILE")"
rm -f "$CP_FILE"
exec java -Dorg.slf4j.simpleLogger.defaultLogLevel=error -Djava.util.logging.config.file=/dev/null \
    -cp "$CP" dev.ordo.kubernetes.KubernetesScaleBenchmark "$@"
