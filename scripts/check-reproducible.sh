#!/usr/bin/env bash
# Builds every artifact twice from clean and compares the jars byte for byte: a reproducible build gives the same
# bytes for the same commit (project.build.outputTimestamp fixes every entry's time). Prints the jars that differ.
set -euo pipefail
cd "$(dirname "$0")/.."
sums() { find . -path ./bench -prune -o -path '*/target/*.jar' -print | sort | xargs sha256sum; }
mvn -B -q -ntp clean package -DskipTests
sums > /tmp/ordo-build-1.sha
mvn -B -q -ntp clean package -DskipTests
sums > /tmp/ordo-build-2.sha
if diff /tmp/ordo-build-1.sha /tmp/ordo-build-2.sha; then
    echo "reproducible: $(wc -l < /tmp/ordo-build-1.sha) jars identical across two clean builds"
else
    echo "NOT reproducible: the jars above differ" >&2
    exit 1
fi
