package dev.ordo.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.Plan;
import dev.ordo.run.Failure;
import dev.ordo.run.LiveDeployment;
import dev.ordo.run.NodeState;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunEvent;
import dev.ordo.run.RunReport;
import dev.ordo.testing.ReportAssert;
import dev.ordo.testing.SimulatedBackend;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The orchestration layer in virtual time: start-up, the initial load, three days of the daily pipeline. */
class OrchestrationLayerTest {
    private static final Instant MONDAY_1357 = Instant.parse("2026-03-02T13:57:00Z");

    @Test
    void threeVirtualDaysRunTheInitialLoadOnceAndTheDailyPipelineAtTwoUtc() {
        Plan plan = OrchestrationLayer.deployment().plan();
        SimulatedBackend sim = OrchestrationLayer.simulated().startAt(MONDAY_1357);
        List<RunEvent> events = new ArrayList<>();
        try (LiveDeployment live = Orchestrator.using(sim).listener(events::add).start(plan)) {
            RunReport startup = live.startup();
            ReportAssert.assertThat(startup).succeeded().respectsDependencies(plan)
                    .startedAfter("datanode1", "namenode").startedAfter("recommendation-api", "postgres");
            assertThat(startup.node("datanode2").started()).contains(Duration.ofSeconds(90));
            assertThat(startup.nodes()).extracting(t -> t.node())
                    .containsExactlyInAnyOrderElementsOf(OrchestrationLayer.SERVICES);

            live.advanceTo(MONDAY_1357.plus(Duration.ofDays(3)));

            assertThat(live.history(OrchestrationLayer.INITIAL_LOAD)).singleElement().satisfies(r -> {
                assertThat(r.succeeded()).isTrue();
                assertThat(r.origin().orElseThrow().parameters().get("ingestion")).containsEntry("MODE", "initial");
            });
            List<RunReport> daily = live.history(OrchestrationLayer.DAILY);
            assertThat(daily).extracting(r -> r.origin().orElseThrow().firedAt()).containsExactly(
                    Instant.parse("2026-03-03T02:00:00Z"), Instant.parse("2026-03-04T02:00:00Z"),
                    Instant.parse("2026-03-05T02:00:00Z"));
            assertThat(daily).allMatch(RunReport::succeeded);
            // each step ran when the previous one completed: 12 min ingestion, 25 min processing, 6 min loading
            RunReport first = daily.get(0);
            assertThat(first.node("processing").started()).contains(Duration.ofMinutes(12));
            assertThat(first.node("recommendation-loader").started()).contains(Duration.ofMinutes(37));
            assertThat(first.duration()).isEqualTo(Duration.ofMinutes(43));
        }
        // what the steps' containers really received: the initial load, then each day with yesterday's date
        assertThat(sim.environments("ingestion")).extracting(e -> e.get("MODE") + " " + e.get("EVENT_DATE"))
                .containsExactly("initial null", "daily 2026-03-02", "daily 2026-03-03", "daily 2026-03-04");
        assertThat(sim.environments("processing")).extracting(e -> e.get("MODE") + " " + e.get("PROCESSING_WINDOW_DAYS"))
                .containsExactly("initial_load null", "incremental 7", "incremental 7", "incremental 7");
        assertThat(events).filteredOn(e -> e.type() == RunEvent.Type.FIRED).extracting(RunEvent::node)
                .containsExactly(OrchestrationLayer.INITIAL_LOAD, OrchestrationLayer.DAILY, OrchestrationLayer.DAILY,
                        OrchestrationLayer.DAILY);
    }

    @Test
    void aFailingProcessingStepAbortsTheLoaderAndIsReported() {
        Plan plan = OrchestrationLayer.deployment().plan();
        SimulatedBackend sim = OrchestrationLayer.simulated().startAt(MONDAY_1357)
                .exitsAfter("processing", Duration.ofMinutes(4), 3)
                .logs("processing", "ERROR: partition 2026-03-02 missing in HDFS");
        try (LiveDeployment live = Orchestrator.using(sim).start(plan)) {
            live.advanceTo(Instant.parse("2026-03-03T03:00:00Z"));
            assertThat(live.history(OrchestrationLayer.INITIAL_LOAD)).singleElement()
                    .satisfies(r -> assertThat(r.succeeded()).isFalse());
            RunReport failed = live.history(OrchestrationLayer.DAILY).get(0);
            assertThat(failed.succeeded()).isFalse();
            assertThat(failed.node("ingestion").state()).isEqualTo(NodeState.COMPLETED);
            Failure why = failed.node("processing").failure().orElseThrow();
            assertThat(why.reason()).isEqualTo(Failure.Reason.JOB_FAILED);
            assertThat(why.exitCode()).hasValue(3);
            assertThat(why.logTail()).contains("ERROR: partition 2026-03-02 missing in HDFS");
            assertThat(failed.node("recommendation-loader").state()).isEqualTo(NodeState.SKIPPED);
            assertThat(failed.render()).contains("processing").contains("exited with code 3");
        }
        assertThat(sim.environments("recommendation-loader")).isEmpty(); // neither run got as far as the loader
    }

    @Test
    void aManualRunTakesAWiderWindowAndLeavesTheScheduleAlone() {
        Plan plan = OrchestrationLayer.deployment().plan();
        SimulatedBackend sim = OrchestrationLayer.simulated().startAt(MONDAY_1357);
        try (LiveDeployment live = Orchestrator.using(sim).start(plan)) {
            RunReport manual = live.trigger(OrchestrationLayer.DAILY, Map.of("PROCESSING_WINDOW_DAYS", "14")).join();
            assertThat(manual.succeeded()).isTrue();
            assertThat(manual.origin().orElseThrow().cause()).isEqualTo("manual");
            assertThat(manual.origin().orElseThrow().parameters().get("processing"))
                    .containsEntry("PROCESSING_WINDOW_DAYS", "14").containsEntry("MODE", "incremental");
            assertThat(live.nextFire(OrchestrationLayer.DAILY)).contains(Instant.parse("2026-03-03T02:00:00Z"));
        }
        assertThat(sim.environments("processing")).last()
                .satisfies(e -> assertThat(e).containsEntry("PROCESSING_WINDOW_DAYS", "14"));
    }
}
