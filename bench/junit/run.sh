#!/usr/bin/env bash
# The README's three-node test (a database, a migration job, an API needing both) with Ordo's JUnit extension
# (ShopDockerIT + the deployment in Shop.java) and with Testcontainers (ShopTestcontainersComparison): lines of
# code and wall time of the test class (containers up, tests, containers down), alternating, median of N runs.
#
#   bench/junit/run.sh        # 3 runs each
#   bench/junit/run.sh 5
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}
scripts/ensure-docker.sh >/dev/null
mvn -B -q -ntp install -pl junit -am -DskipTests -Dmaven.javadoc.skip
dir=junit/src/test/java/dev/ordo/junit
# code lines: not blank, not package/import, not a comment line
code() { grep -v -E '^\s*$|^\s*(package|import) |^\s*(//|/\*|\*)' "$@" | wc -l; }
ordo_lines=$(( $(code "$dir/ShopDockerIT.java") + $(sed -n '/static Deployment deployment()/,/^    }/p' "$dir/Shop.java" | code -) ))
tc_lines=$(code "$dir/ShopTestcontainersComparison.java")
elapsed() { sed -n 's/.*<testsuite [^>]*time="\([0-9.]*\)".*/\1/p' "junit/target/failsafe-reports/TEST-dev.ordo.junit.$1.xml" | head -1; }
ordo_t=(); tc_t=()
for i in $(seq "$runs"); do
    for cls in ShopDockerIT ShopTestcontainersComparison; do
        mvn -B -q -o -ntp verify -pl junit -Dmaven.javadoc.skip -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
            -Dit.test="$cls" >/dev/null
        t=$(elapsed "$cls")
        echo "run $i  $cls  $t s"
        if [ "$cls" = ShopDockerIT ]; then ordo_t+=("$t"); else tc_t+=("$t"); fi
    done
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "Ordo (JUnit extension):  $ordo_lines code lines, median $(median "${ordo_t[@]}") s (3 tests: the two below + the run report)"
echo "Testcontainers:          $tc_lines code lines, median $(median "${tc_t[@]}") s (2 tests)"
