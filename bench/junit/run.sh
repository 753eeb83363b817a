#!/usr/bin/env bash
# The README's test comparisons with Ordo's JUnit extension and with Testcontainers, alternating, median of N runs of
# each test class's wall time (containers up, tests, containers down), and their lines of code:
#   - three nodes on busybox (a database, a migration job, an API needing both): ShopDockerIT + Shop.deployment()
#     vs ShopTestcontainersComparison; and the same three with processes that ignore SIGTERM (UntrappedShopDockerIT);
#   - a real PostgreSQL (scripts/real-images.sh) with a migration and a JDBC test: PostgresJdbcDockerIT +
#     Postgres.deployment() vs PostgresTestcontainersComparison (PostgreSQLContainer on the same image).
#
#   bench/junit/run.sh        # 3 runs each
#   bench/junit/run.sh 5
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}
scripts/ensure-docker.sh >/dev/null
scripts/real-images.sh postgres >/dev/null
mvn -B -q -ntp install -pl junit -am -DskipTests -Dmaven.javadoc.skip
dir=junit/src/test/java/dev/ordo/junit
# code lines: not blank, not package/import, not a comment line
code() { grep -v -E '^\s*$|^\s*(package|import) |^\s*(//|/\*|\*)' "$@" | wc -l; }
ordo_lines=$(( $(code "$dir/ShopDockerIT.java") + $(sed -n '/static Deployment deployment()/,/^    }/p' "$dir/Shop.java" | code -) ))
tc_lines=$(code "$dir/ShopTestcontainersComparison.java")
pg_ordo_lines=$(( $(code "$dir/PostgresJdbcDockerIT.java") + $(sed -n '/static Deployment deployment()/,/^    }/p' "$dir/Postgres.java" | code -) ))
pg_tc_lines=$(( $(code "$dir/PostgresTestcontainersComparison.java") + $(code junit/src/test/resources/orders.sql) ))
elapsed() { sed -n 's/.*<testsuite [^>]*time="\([0-9.]*\)".*/\1/p' "junit/target/failsafe-reports/TEST-dev.ordo.junit.$1.xml" | head -1; }
declare -A times
for i in $(seq "$runs"); do
    for cls in ShopDockerIT ShopTestcontainersComparison UntrappedShopDockerIT PostgresJdbcDockerIT \
            PostgresTestcontainersComparison; do
        mvn -B -q -o -ntp verify -pl junit -Dmaven.javadoc.skip -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
            -Dit.test="$cls" >/dev/null
        t=$(elapsed "$cls")
        echo "run $i  $cls  $t s"
        times[$cls]="${times[$cls]:-} $t"
    done
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
m() { median ${times[$1]}; }
echo "three nodes, busybox:"
echo "  Ordo (JUnit extension):  $ordo_lines code lines, median $(m ShopDockerIT) s (3 tests: the two below + the run report)"
echo "  Testcontainers:          $tc_lines code lines, median $(m ShopTestcontainersComparison) s (2 tests)"
echo "  Ordo, processes ignoring SIGTERM (killed at once on teardown): median $(m UntrappedShopDockerIT) s"
echo "real PostgreSQL, a migration, a JDBC test:"
echo "  Ordo (JUnit extension):  $pg_ordo_lines code lines, median $(m PostgresJdbcDockerIT) s"
echo "  Testcontainers:          $pg_tc_lines code lines, median $(m PostgresTestcontainersComparison) s"
