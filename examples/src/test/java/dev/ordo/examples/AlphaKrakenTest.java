package dev.ordo.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.Plan;
import dev.ordo.Selection;
import dev.ordo.run.LiveDeployment;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunReport;
import dev.ordo.testing.ReportAssert;
import dev.ordo.testing.SimulatedBackend;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** AlphaKraken in virtual time: start-up order, the profiles, and the seed's redeploy procedure. */
class AlphaKrakenTest {
    private static Duration s(long n) {
        return Duration.ofSeconds(n);
    }

    @Test
    void theLocalProfileComesUpWithAirflowInitBeforeTheInfrastructureAndTheWorkersLast() {
        Plan plan = AlphaKraken.deployment().plan(Selection.profiles("local"));
        RunReport up = Orchestrator.using(AlphaKraken.simulated()).up(plan);
        ReportAssert.assertThat(up).succeeded().respectsDependencies(plan)
                .startedAt("airflow-init", s(4))                     // postgres healthy after 4 s
                .startedAt("airflow-scheduler", s(44))               // airflow-init done after 40 s
                .startedAt("airflow-worker-test1", s(69))            // the scheduler healthy after 25 s
                .startedAt("webapp", s(6))                           // only MongoDB first
                .criticalPathIs("postgres-service", "airflow-init", "airflow-scheduler", "airflow-worker-test1");
        assertThat(up.nodes()).hasSize(10);
    }

    @Test
    void eachProfileAloneIsWhatOneMachineRuns() {
        assertThat(AlphaKraken.deployment().plan(Selection.profiles("dbs")).nodes())
                .extracting(n -> n.name()).containsExactlyInAnyOrder("mongodb-service", "postgres-service",
                        "redis-service", "airflow-init");
        // the infrastructure needs airflow-init and the databases, which another machine runs: planning it alone
        // says so rather than starting it without them
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AlphaKraken.deployment()
                        .plan(Selection.profiles("infrastructure")))
                .hasMessageContaining("airflow-scheduler").hasMessageContaining("airflow-init");
        assertThat(AlphaKraken.deployment().plan(Selection.profiles("dbs", "infrastructure", "workers", "webapp"))
                .nodes()).hasSize(10);
    }

    @Test
    void redeployDrainsTheFileCopyPoolWaitsForRunningCopiesStopsTheWorkersAndRestoresThePool() {
        Plan v1 = AlphaKraken.deployment("1").plan(Selection.profiles("local"));
        SimulatedBackend sim = AlphaKraken.simulated();
        try (LiveDeployment live = Orchestrator.using(sim).start(v1)) {
            assertThat(live.startup().succeeded()).as(live.startup().render()).isTrue();
            List<CompletableFuture<RunReport>> copies = List.of(live.trigger(AlphaKraken.COPY),
                    live.trigger(AlphaKraken.COPY));
            live.advance(Duration.ofMinutes(1));

            Plan v2 = AlphaKraken.deployment("2").plan(Selection.profiles("local"));
            RunReport up = live.redeploy(v2, Duration.ofMinutes(30), AlphaKraken.FILE_COPY_POOL);

            assertThat(copies).allSatisfy(c -> {
                assertThat(c).as("the running copies finished before anything stopped").isDone();
                assertThat(c.join().succeeded()).isTrue();
            });
            assertThat(up.succeeded()).as(up.render()).isTrue();
            assertThat(up.node("airflow-worker-test1").reused()).isFalse();
            assertThat(up.node("airflow-scheduler").reused()).isTrue();
            assertThat(up.node("mongodb-service").reused()).isTrue();
            // the workers were removed only once the copies had ended (7 minutes after they started), then started
            // again with the new image
            var workerActions = sim.history().stream().filter(a -> a.node().equals("airflow-worker-test1")).toList();
            assertThat(workerActions).extracting(SimulatedBackend.Action::kind).containsSubsequence(
                    SimulatedBackend.Action.Kind.START, SimulatedBackend.Action.Kind.REMOVE,
                    SimulatedBackend.Action.Kind.START);
            Duration removedAt = workerActions.stream().filter(a -> a.kind() == SimulatedBackend.Action.Kind.REMOVE)
                    .findFirst().orElseThrow().at();
            Duration copiesStarted = sim.history().stream().filter(a -> a.node().startsWith(AlphaKraken.COPY)
                    && a.kind() == SimulatedBackend.Action.Kind.START).map(SimulatedBackend.Action::at)
                    .max(Duration::compareTo).orElseThrow();
            assertThat(removedAt).isGreaterThanOrEqualTo(copiesStarted.plus(Duration.ofMinutes(7)));
            assertThat(live.trigger(AlphaKraken.COPY).join().succeeded()).as("the pool is restored").isTrue();
        }
    }
}
