package dev.ordo.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.ClpTopology;
import dev.ordo.Condition;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Edge;
import dev.ordo.Plan;
import dev.ordo.run.DownOptions;
import dev.ordo.run.Failure;
import dev.ordo.run.NodeState;
import dev.ordo.run.NodeTimeline;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunReport;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The core engine driving {@link KubernetesBackend} end to end against the mock API server. Ordering is checked from
 * the cluster's side: the test kubelet's record of when each workload appeared and when each became ready,
 * completed or was deleted.
 */
class OrchestratorOnKubernetesTest {
    private MockCluster cluster;
    private KubernetesBackend backend;
    private Orchestrator ordo;

    @BeforeEach
    void setUp() {
        cluster = new MockCluster();
        cluster.kubelet
                .readyAfter("database", Duration.ofMillis(300))
                .readyAfter("results-cache", Duration.ofMillis(150))
                .readyAfter("queue", Duration.ofMillis(100))
                .logs("log-ingestor", "starting", "ready")
                .exitsAfter("db-table-creator", Duration.ofMillis(150), 0)
                .exitsAfter("results-cache-indices-creator", Duration.ofMillis(150), 0);
        backend = cluster.backend();
        ordo = Orchestrator.using(backend).timeout(Duration.ofSeconds(30));
    }

    @AfterEach
    void tearDown() {
        backend.close();
        cluster.close();
    }

    private Instant conditionTime(Edge e) {
        String what = switch (e.condition()) {
            case HEALTHY -> "ready";
            case COMPLETED_SUCCESSFULLY -> "completed";
            case STARTED -> "running";
        };
        return cluster.kubelet.first(what, e.dependency())
                .orElseThrow(() -> new AssertionError(e.dependency() + " never " + what));
    }

    @Test
    void clpComesUpInDependencyOrderOnTheCluster() {
        // long enough that the check below on independent roots does not race a loaded machine
        cluster.kubelet.readyAfter("database", Duration.ofSeconds(3));
        Deployment clp = ClpTopology.rehearsal("clp", Duration.ofSeconds(1)).build();
        Plan plan = clp.plan();
        RunReport report = ordo.up(plan);

        assertThat(report.failures()).isEmpty();
        assertThat(report.backend()).isEqualTo("kubernetes");
        assertThat(report.nodes()).hasSize(18);
        assertThat(plan.edges()).hasSize(21);
        for (Edge e : plan.edges()) {
            Instant created = cluster.kubelet.first("created", e.dependent()).orElseThrow();
            assertThat(created).as("%s created after %s is %s", e.dependent(), e.dependency(), e.condition().label())
                    .isAfterOrEqualTo(conditionTime(e));
        }
        for (NodeTimeline t : report.nodes()) {
            assertThat(t.state()).as(t.node())
                    .isEqualTo(t.kind() == dev.ordo.Node.Kind.JOB ? NodeState.COMPLETED : NodeState.HEALTHY);
        }
        // readiness is timed from the pods' Ready condition: there is a latency to report; how long it is is a
        // figure of this machine, printed, not asserted
        assertThat(report.medianDetectionLatency()).as("readiness is timed from the pods' Ready condition")
                .hasValueSatisfying(l -> assertThat(l.isNegative()).as("negative latency %s", l).isFalse());
        System.out.printf("kubernetes: median readiness detection latency %d ms over %d nodes%n",
                report.medianDetectionLatency().orElseThrow().toMillis(), report.nodes().size());
        // Independent roots are not serialised behind one another.
        assertThat(cluster.kubelet.first("created", "queue").orElseThrow())
                .isBefore(cluster.kubelet.first("ready", "database").orElseThrow());
    }

    @Test
    void poolSlotsBoundHowManyMembersExistAtOnce() {
        RunReport report = ordo.up(ClpTopology.rehearsal("clp", Duration.ofSeconds(1)).build().plan());
        assertThat(report.failures()).isEmpty();
        Instant dbCreated = cluster.kubelet.first("created", "db-table-creator").orElseThrow();
        Instant dbDone = cluster.kubelet.first("completed", "db-table-creator").orElseThrow();
        Instant rcCreated = cluster.kubelet.first("created", "results-cache-indices-creator").orElseThrow();
        Instant rcDone = cluster.kubelet.first("completed", "results-cache-indices-creator").orElseThrow();
        // Pool "init" has one slot: the two jobs' lifetimes on the cluster never overlap.
        assertThat(rcCreated.isAfter(dbDone) || dbCreated.isAfter(rcDone))
                .as("db-table-creator [%s..%s] and results-cache-indices-creator [%s..%s] overlap",
                        dbCreated, dbDone, rcCreated, rcDone)
                .isTrue();
    }

    @Test
    void failingJobStopsItsDependentsAndReportsTheReason() {
        cluster.kubelet.exitsAfter("db-table-creator", Duration.ofMillis(100), 2,
                "Connecting to database", "ERROR 1045: Access denied for user 'clp-user'");
        RunReport report = ordo.up(ClpTopology.rehearsal("clp", Duration.ofSeconds(1)).build().plan());

        NodeTimeline creator = report.node("db-table-creator");
        assertThat(creator.state()).isEqualTo(NodeState.FAILED);
        assertThat(creator.exitCode()).hasValue(2);
        Failure failure = creator.failure().orElseThrow();
        assertThat(failure.logTail()).containsExactly("Connecting to database",
                "ERROR 1045: Access denied for user 'clp-user'");
        assertThat(failure.message()).contains("last output: 'ERROR 1045: Access denied for user 'clp-user''");
        for (String dependent : List.of("webui", "api-server", "compression-scheduler", "query-scheduler",
                "log-ingestor", "reducer")) {
            assertThat(report.node(dependent).state()).as(dependent).isIn(NodeState.SKIPPED, NodeState.PENDING);
            assertThat(cluster.kubelet.count("created", dependent)).as(dependent + " never created").isZero();
        }
    }

    @Test
    void teardownDeletesDependentsBeforeTheirDependencies() {
        Deployment clp = ClpTopology.rehearsal("clp", Duration.ofSeconds(1)).build();
        Plan plan = clp.plan();
        assertThat(ordo.up(plan).failures()).isEmpty();
        RunReport down = ordo.down(clp, DownOptions.defaults());
        assertThat(down.failures()).isEmpty();
        for (Edge e : plan.edges()) {
            Instant dependentGone = cluster.kubelet.first("deleted", e.dependent()).orElseThrow();
            Instant dependencyGone = cluster.kubelet.first("deleted", e.dependency()).orElseThrow();
            assertThat(dependentGone).as("%s deleted before %s", e.dependent(), e.dependency())
                    .isBeforeOrEqualTo(dependencyGone);
        }
        assertThat(backend.observe(clp)).isEmpty();
        assertThat(cluster.client.persistentVolumeClaims().inNamespace("clp").list().getItems())
                .as("volumes are kept unless asked").hasSize(1);
        ordo.down(clp, DownOptions.defaults().removeVolumes(true));
        assertThat(cluster.client.persistentVolumeClaims().inNamespace("clp").list().getItems()).isEmpty();
    }

    @Test
    void secondUpChangesNothing() {
        Plan plan = ClpTopology.rehearsal("clp", Duration.ofSeconds(1)).build().plan();
        assertThat(ordo.up(plan).failures()).isEmpty();
        long created = cluster.kubelet.count("created");
        RunReport again = ordo.up(plan);
        assertThat(again.failures()).isEmpty();
        assertThat(again.nodes()).allSatisfy(t -> assertThat(t.reused()).as(t.node()).isTrue());
        assertThat(cluster.kubelet.count("created")).isEqualTo(created);
        assertThat(cluster.kubelet.count("deleted")).isZero();
    }

    @Test
    void changedNodeIsReplacedAlone() {
        Deployment clp = ClpTopology.rehearsal("clp", Duration.ofSeconds(1)).build();
        assertThat(ordo.up(clp.plan()).failures()).isEmpty();
        Deployment changed = ClpTopology.rehearsal("clp", Duration.ofSeconds(1)).build().toBuilder()
                .service("webui", s -> s.image("clp-package:v2").port(4000).healthCheck(HealthCheck.http(4000, "/"))
                        .secretAsEnv("db-password", "CLP_DB_PASS")
                        .dependsOn("db-table-creator", Condition.COMPLETED_SUCCESSFULLY)
                        .dependsOn("results-cache-indices-creator", Condition.COMPLETED_SUCCESSFULLY))
                .build();
        RunReport again = ordo.up(changed.plan());
        assertThat(again.failures()).isEmpty();
        assertThat(again.node("webui").reused()).isFalse();
        assertThat(cluster.kubelet.count("deleted", "webui")).isEqualTo(1);
        assertThat(cluster.kubelet.count("created", "webui")).isEqualTo(2);
        for (NodeTimeline t : again.nodes()) {
            if (!t.node().equals("webui")) {
                assertThat(t.reused()).as(t.node()).isTrue();
                assertThat(cluster.kubelet.count("created", t.node())).as(t.node()).isEqualTo(1);
            }
        }
        assertThat(cluster.client.apps().deployments().inNamespace("clp").withName("webui").get().getSpec()
                .getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("clp-package:v2");
    }

    @Test
    void secretsLandOnlyInSecretObjects() {
        assertThat(ordo.up(ClpTopology.rehearsal("clp", Duration.ofSeconds(1)).build().plan()).failures()).isEmpty();
        List<HasMetadata> objects = cluster.objects("clp");
        assertThat(objects).filteredOn(o -> o.getKind().equals("Secret")).hasSize(1);
        assertThat(objects).filteredOn(o -> o.getKind().equals("ConfigMap")).isEmpty();
        String encoded = java.util.Base64.getEncoder().encodeToString(ClpTopology.DB_PASSWORD.getBytes());
        for (HasMetadata o : objects) {
            String json = Serialization.asJson(o);
            assertThat(json).as(o.getKind() + " " + o.getMetadata().getName()).doesNotContain(ClpTopology.DB_PASSWORD);
            if (!o.getKind().equals("Secret")) {
                assertThat(json).as(o.getKind() + " " + o.getMetadata().getName()).doesNotContain(encoded);
            }
        }
    }

    @Test
    void statusListsEveryNodeUpToDate() {
        Deployment clp = ClpTopology.rehearsal("clp", Duration.ofSeconds(1)).build();
        assertThat(ordo.up(clp.plan()).failures()).isEmpty();
        var status = ordo.status(clp);
        assertThat(status).hasSize(18);
        assertThat(status).allSatisfy(s -> {
            assertThat(s.upToDate()).as(s.node()).isTrue();
            assertThat(s.defined()).as(s.node()).isTrue();
        });
    }
}
