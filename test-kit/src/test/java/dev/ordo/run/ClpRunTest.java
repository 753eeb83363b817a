package dev.ordo.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.ClpTopology;
import dev.ordo.Condition;
import dev.ordo.Deployment;
import dev.ordo.Plan;
import dev.ordo.Selection;
import dev.ordo.testing.ReportAssert;
import dev.ordo.testing.SimulatedBackend;
import dev.ordo.testing.SimulatedBackend.Action;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The 18-node CLP topology of Figure 1, brought up and down on the simulated backend. */
class ClpRunTest {
    private static Duration s(long seconds) {
        return Duration.ofSeconds(seconds);
    }

    private static SimulatedBackend clpSim() {
        return SimulatedBackend.create()
                .readyAfter("database", s(20))
                .readyAfter("results-cache", s(8))
                .readyAfter("queue", s(5))
                .readyAfter("redis", s(3))
                .readyAfter("query-scheduler", s(2))
                .exitsAfter("db-table-creator", s(5), 0)
                .exitsAfter("results-cache-indices-creator", s(4), 0);
    }

    @Test
    void theWholeClpTopologyComesUpInDependencyOrder() {
        Deployment clp = ClpTopology.deployment();
        Plan plan = clp.plan();
        SimulatedBackend sim = clpSim();

        long t0 = System.nanoTime();
        RunReport report = Orchestrator.using(sim).up(plan);
        long wallMillis = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("simulated up of the 18-node CLP topology: " + wallMillis + " ms of wall time, "
                + report.duration() + " of virtual time");

        assertThat(report.nodes()).hasSize(18);
        ReportAssert.assertThat(report).succeeded().respectsDependencies(plan)
                .startedAt("database", s(0))
                .startedAt("db-table-creator", s(20))               // database healthy: first probe >= 20 s
                .startedAt("results-cache-indices-creator", s(8))
                .startedAt("webui", s(25))
                .startedAt("api-server", s(25))
                .startedAt("query-scheduler", s(25))
                .startedAt("reducer", s(27))                        // query-scheduler's first probe after 2 s
                .startedAt("compression-worker", s(0))
                // reducer (no health check) is ready the instant it starts, together with query-scheduler: the path
                // must run on to the dependent, not stop at the tie
                .criticalPathIs("database", "db-table-creator", "query-scheduler", "reducer");
        for (Object[] e : ClpTopology.EDGES) {
            ReportAssert.assertThat(report).startedAfter((String) e[1], (String) e[0]);
        }
        assertThat(report.node("db-table-creator").state()).isEqualTo(NodeState.COMPLETED);
        assertThat(report.node("results-cache-indices-creator").state()).isEqualTo(NodeState.COMPLETED);
        assertThat(report.node("database").state()).isEqualTo(NodeState.HEALTHY);
        assertThat(report.node("reducer").gatedBy()).contains("query-scheduler");
        // the schedulers' conditions of kind HEALTHY held at the right times
        assertThat(report.node("queue").ready()).contains(s(5)); // Ordo probes until it passes
        assertThat(report.node("redis").ready()).contains(s(3));
        assertThat(report.node("compression-scheduler").requested()).contains(s(25));
    }

    @Test
    void theClpTopologyGoesDownDependentsFirst() {
        Deployment clp = ClpTopology.deployment();
        SimulatedBackend sim = clpSim();
        Orchestrator ordo = Orchestrator.using(sim);
        ordo.up(clp.plan()).throwIfFailed();
        int mark = sim.history().size();
        ordo.down(clp).throwIfFailed();
        List<Action> removes = sim.history().subList(mark, sim.history().size()).stream()
                .filter(a -> a.kind() == Action.Kind.REMOVE).toList();
        assertThat(removes).hasSize(18);
        List<String> order = removes.stream().map(Action::node).toList();
        for (Object[] e : ClpTopology.EDGES) {
            assertThat(order.indexOf((String) e[1])).as("%s removed before %s", e[1], e[0])
                    .isLessThan(order.indexOf((String) e[0]));
        }
    }

    @Test
    void aFailedInitJobStopsEverythingThatNeedsIt() {
        Deployment clp = ClpTopology.deployment();
        SimulatedBackend sim = clpSim().exitsAfter("db-table-creator", s(5), 1)
                .logs("db-table-creator", "ERROR 1045 (28000): Access denied for user 'clp-user'");
        RunReport report = Orchestrator.using(sim).failurePolicy(FailurePolicy.CONTINUE).up(clp.plan());
        ReportAssert.assertThat(report).failed()
                .failedWith("db-table-creator", Failure.Reason.JOB_FAILED)
                .failedBecause("db-table-creator", "Access denied");
        List<String> needsIt = ClpTopology.EDGES.stream().filter(e -> e[0].equals("db-table-creator"))
                .map(e -> (String) e[1]).toList();
        for (String n : needsIt) {
            ReportAssert.assertThat(report).neverStarted(n).failedWith(n, Failure.Reason.DEPENDENCY_FAILED);
            assertThat(report.node(n).failure().orElseThrow().cause()).contains("db-table-creator");
        }
        // reducer only indirectly needs it, through query-scheduler
        ReportAssert.assertThat(report).neverStarted("reducer")
                .failedBecause("reducer", "'query-scheduler' did not start because 'db-table-creator' failed");
        // the rest of the system comes up under CONTINUE
        ReportAssert.assertThat(report).hasState("results-cache-indices-creator", NodeState.COMPLETED)
                .hasState("compression-worker", NodeState.STARTED)
                .hasState("query-worker", NodeState.STARTED);
    }

    @Test
    void theBaseDeploymentTypeBringsUpOnlyItsNodes() {
        Deployment clp = ClpTopology.withProfiles();
        Plan base = clp.plan(Selection.profiles("celery"));
        RunReport report = Orchestrator.using(clpSim()).up(base);
        ReportAssert.assertThat(report).succeeded().respectsDependencies(base);
        assertThat(report.nodes()).extracting(NodeTimeline::node).containsExactlyInAnyOrder("database", "queue",
                "redis", "results-cache", "db-table-creator", "results-cache-indices-creator", "api-server",
                "garbage-collector", "webui", "log-ingestor", "compression-scheduler", "compression-worker");
        assertThat(base.edges()).allSatisfy(e -> assertThat(e.condition()).isIn(Condition.HEALTHY,
                Condition.COMPLETED_SUCCESSFULLY));
    }
}
