package dev.ordo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordo.ClpTopology;
import dev.ordo.Condition;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Node;
import dev.ordo.OrdoException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlanTest {

    private static List<String> names(Plan plan) {
        return plan.nodes().stream().map(Node::name).toList();
    }

    /** Every node comes after every node it depends on. */
    private static void assertTopological(Plan plan) {
        List<String> order = names(plan);
        for (Edge e : plan.edges()) {
            assertThat(order.indexOf(e.dependency())).as("%s before %s", e.dependency(), e.dependent())
                    .isLessThan(order.indexOf(e.dependent()));
        }
    }

    @Test
    void clpWavesAreTheTopologicalLevels() {
        Plan plan = ClpTopology.deployment().plan();
        assertThat(plan.size()).isEqualTo(18);
        assertTopological(plan);
        List<Set<String>> waves = plan.waves().stream().map(Set::copyOf).toList();
        assertThat(waves).containsExactly(
                Set.of("database", "queue", "redis", "results-cache", "compression-worker", "query-worker"),
                Set.of("db-table-creator", "results-cache-indices-creator"),
                Set.of("compression-scheduler", "query-scheduler", "spider-scheduler", "spider-compression-worker",
                        "api-server", "garbage-collector", "webui", "mcp-server", "log-ingestor"),
                Set.of("reducer"));
        assertThat(plan.edges()).hasSize(ClpTopology.EDGES.size());
    }

    @Test
    void wavesAreLevelsEveryNodeOneAfterItsDeepestDependency() {
        Plan plan = ClpTopology.deployment().plan();
        Map<String, Integer> level = new HashMap<>();
        for (int i = 0; i < plan.waves().size(); i++) {
            for (String n : plan.waves().get(i)) {
                level.put(n, i);
            }
        }
        for (Node n : plan.nodes()) {
            int expected = plan.dependenciesOf(n.name()).stream().mapToInt(e -> level.get(e.dependency()) + 1)
                    .max().orElse(0);
            assertThat(level.get(n.name())).as(n.name()).isEqualTo(expected);
        }
    }

    @Test
    void teardownWavesStartWithNodesNothingDependsOn() {
        Plan plan = ClpTopology.deployment().plan();
        List<Set<String>> waves = plan.teardownWaves().stream().map(Set::copyOf).toList();
        assertThat(waves).hasSize(4);
        assertThat(waves.get(0)).containsExactlyInAnyOrder("reducer", "compression-scheduler", "spider-scheduler",
                "spider-compression-worker", "api-server", "garbage-collector", "webui", "mcp-server",
                "log-ingestor", "compression-worker", "query-worker");
        assertThat(waves.get(1)).containsExactlyInAnyOrder("query-scheduler", "results-cache-indices-creator");
        assertThat(waves.get(2)).containsExactlyInAnyOrder("db-table-creator", "results-cache", "queue", "redis");
        assertThat(waves.get(3)).containsExactly("database");
        // every node's dependents are in earlier teardown waves
        Map<String, Integer> level = new HashMap<>();
        for (int i = 0; i < plan.teardownWaves().size(); i++) {
            for (String n : plan.teardownWaves().get(i)) {
                level.put(n, i);
            }
        }
        for (Edge e : plan.edges()) {
            assertThat(level.get(e.dependent())).as("%s torn down before %s", e.dependent(), e.dependency())
                    .isLessThan(level.get(e.dependency()));
        }
    }

    @Test
    void startOrderKeepsDeclarationOrderAmongIndependentNodes() {
        Deployment d = Deployment.builder("demo")
                .service("c", s -> s.image("x:1"))
                .service("a", s -> s.image("x:1").dependsOn("b"))
                .service("b", s -> s.image("x:1"))
                .service("d", s -> s.image("x:1"))
                .build();
        Plan plan = d.plan();
        assertThat(names(plan)).containsExactly("c", "b", "a", "d");
        assertThat(plan.waves()).containsExactly(List.of("c", "b", "d"), List.of("a"));
    }

    @Test
    void transitiveDependencies() {
        Plan plan = ClpTopology.deployment().plan();
        assertThat(plan.transitiveDependencies("reducer")).containsExactlyInAnyOrder("query-scheduler", "queue",
                "redis", "db-table-creator", "database", "results-cache-indices-creator", "results-cache");
        assertThat(plan.transitiveDependencies("webui")).containsExactlyInAnyOrder("db-table-creator", "database",
                "results-cache-indices-creator", "results-cache");
        assertThat(plan.transitiveDependencies("database")).isEmpty();
        // in start order
        List<String> order = names(plan);
        List<String> deps = new ArrayList<>(plan.transitiveDependencies("reducer"));
        assertThat(deps).isSortedAccordingTo((x, y) -> Integer.compare(order.indexOf(x), order.indexOf(y)));
    }

    @Test
    void targetsBringOnlyWhatTheyNeed() {
        Plan plan = ClpTopology.deployment().plan(Selection.defaults().withTargets("webui"));
        assertThat(names(plan)).containsExactlyInAnyOrder("webui", "db-table-creator", "database",
                "results-cache-indices-creator", "results-cache");
        assertTopological(plan);
        assertThat(plan.contains("queue")).isFalse();
        Plan two = ClpTopology.deployment().plan(Selection.defaults().withTargets("compression-scheduler", "redis"));
        assertThat(names(two)).containsExactlyInAnyOrder("compression-scheduler", "queue", "redis",
                "db-table-creator", "database");
        assertThat(two.edges()).allSatisfy(e -> assertThat(two.contains(e.dependency()) && two.contains(e.dependent()))
                .isTrue());
    }

    @Test
    void profilesEnableNodes() {
        Deployment clp = ClpTopology.withProfiles();
        assertThat(clp.profiles()).containsExactly("celery", "mcp", "native-query", "spider");
        Plan base = clp.plan();
        assertThat(names(base)).containsExactlyInAnyOrder("database", "queue", "redis", "results-cache",
                "db-table-creator", "results-cache-indices-creator", "api-server", "garbage-collector", "webui",
                "log-ingestor");
        Plan full = clp.plan(Selection.profiles("celery", "native-query"));
        assertThat(names(full)).contains("compression-scheduler", "compression-worker", "query-scheduler",
                "query-worker", "reducer").doesNotContain("spider-scheduler", "spider-compression-worker",
                "mcp-server");
        Plan spider = clp.plan(Selection.profiles("spider").withProfiles("mcp"));
        assertThat(names(spider)).contains("spider-scheduler", "spider-compression-worker", "mcp-server")
                .doesNotContain("compression-scheduler", "reducer");
        assertThat(clp.plan(Selection.allProfiles()).size()).isEqualTo(18);
    }

    @Test
    void aTargetIsEnabledEvenWhenItsProfileIsNot() {
        Plan plan = ClpTopology.withProfiles().plan(Selection.defaults().withTargets("spider-scheduler"));
        assertThat(names(plan)).containsExactlyInAnyOrder("spider-scheduler", "db-table-creator", "database");
    }

    @Test
    void scheduledJobsStayOutOfTheStartOrder() {
        Deployment d = Deployment.builder("demo")
                .service("db", s -> s.image("x:1").healthCheck(HealthCheck.tcp(5432)))
                .job("backup", j -> j.image("x:1").schedule("@daily").dependsOn("db", Condition.HEALTHY))
                .job("nightly", j -> j.image("x:1").schedule("0 3 * * *").profiles("ops"))
                .build();
        Plan plan = d.plan();
        assertThat(names(plan)).containsExactly("db");
        assertThat(plan.contains("backup")).isFalse();
        assertThat(plan.scheduledJobs()).extracting(Node::name).containsExactly("backup");
        assertThat(plan.edges()).isEmpty();
        assertThat(plan.waves()).containsExactly(List.of("db"));
        assertThat(d.plan(Selection.profiles("ops")).scheduledJobs()).extracting(Node::name)
                .containsExactly("backup", "nightly");
    }

    @Test
    void criticalPathWithEstimates() {
        Plan plan = ClpTopology.deployment().plan();
        CriticalPath cp = plan.criticalPath(Map.of("database", Duration.ofSeconds(20),
                "db-table-creator", Duration.ofSeconds(5), "results-cache", Duration.ofSeconds(3),
                "queue", Duration.ofSeconds(10), "query-scheduler", Duration.ofSeconds(2),
                "reducer", Duration.ofSeconds(1)));
        assertThat(cp.nodes()).containsExactly("database", "db-table-creator", "query-scheduler", "reducer");
        assertThat(cp.length()).isEqualTo(Duration.ofSeconds(28));
        assertThat(cp.toString()).isEqualTo("database -> db-table-creator -> query-scheduler -> reducer (PT28S)");

        CriticalPath other = plan.criticalPath(n -> n.name().equals("results-cache") ? Duration.ofMinutes(1)
                : n.name().equals("reducer") ? Duration.ofSeconds(2) : Duration.ofSeconds(1));
        assertThat(other.nodes()).containsExactly("results-cache", "results-cache-indices-creator", "reducer");
        assertThat(other.length()).isEqualTo(Duration.ofSeconds(63));
    }

    @Test
    void criticalPathOfAnEmptyPlan() {
        Deployment d = Deployment.builder("demo").service("a", s -> s.image("x:1").profiles("p")).build();
        Plan plan = d.plan();
        assertThat(plan.size()).isZero();
        assertThat(plan.waves()).isEmpty();
        assertThat(plan.criticalPath(Map.of()).nodes()).isEmpty();
        assertThat(plan.criticalPath(Map.of()).length()).isZero();
    }

    @Test
    void dependenciesOfAndDependentsOf() {
        Plan plan = ClpTopology.deployment().plan();
        assertThat(plan.dependenciesOf("compression-scheduler"))
                .extracting(Edge::dependency, Edge::condition)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("queue", Condition.HEALTHY),
                        org.assertj.core.groups.Tuple.tuple("redis", Condition.HEALTHY),
                        org.assertj.core.groups.Tuple.tuple("db-table-creator", Condition.COMPLETED_SUCCESSFULLY));
        assertThat(plan.dependenciesOf("compression-scheduler")).allSatisfy(e ->
                assertThat(e.dependent()).isEqualTo("compression-scheduler"));
        assertThat(plan.dependentsOf("db-table-creator")).extracting(Edge::dependent).containsExactlyInAnyOrder(
                "api-server", "compression-scheduler", "garbage-collector", "log-ingestor", "mcp-server",
                "query-scheduler", "spider-compression-worker", "spider-scheduler", "webui");
        assertThat(plan.dependentsOf("reducer")).isEmpty();
        assertThat(plan.dependenciesOf("database")).isEmpty();
    }

    @Test
    void unknownNodeInPlanQueriesIsAnErrorNamingIt() {
        Plan plan = ClpTopology.withProfiles().plan();
        assertThatThrownBy(() -> plan.dependenciesOf("webiu")).isInstanceOf(OrdoException.class)
                .hasMessageContaining("'webiu'").hasMessageContaining("did you mean 'webui'?");
        assertThatThrownBy(() -> plan.dependentsOf("reducer")).isInstanceOf(OrdoException.class)
                .hasMessageContaining("'reducer' is not in this plan").hasMessageContaining("profiles");
        assertThatThrownBy(() -> plan.transitiveDependencies("nope")).isInstanceOf(OrdoException.class)
                .hasMessageContaining("'nope'");
    }

    @Test
    void restartFlagIsCarriedOnTheEdge() {
        Deployment d = Deployment.builder("demo")
                .service("db", s -> s.image("x:1"))
                .service("api", s -> s.image("x:1").dependsOn(dev.ordo.Dependency.on("db", Condition.STARTED)
                        .restart(true)))
                .build();
        assertThat(d.plan().edges()).containsExactly(new Edge("db", "api", Condition.STARTED, true));
    }
}
