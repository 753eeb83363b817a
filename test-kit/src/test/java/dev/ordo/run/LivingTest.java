package dev.ordo.run;

import static dev.ordo.Condition.COMPLETED_SUCCESSFULLY;
import static dev.ordo.Condition.HEALTHY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Overlap;
import dev.ordo.Param;
import dev.ordo.Plan;
import dev.ordo.RestartPolicy;
import dev.ordo.ValidationException;
import dev.ordo.testing.SimulatedBackend;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Living deployments in virtual time: schedules, pipelines, overlap, pools at run time, redeploy, restart. */
class LivingTest {
    private static final Instant MONDAY_1357 = Instant.parse("2026-03-02T13:57:00Z");

    private static Duration min(long n) {
        return Duration.ofMinutes(n);
    }

    static Deployment.Builder pipeline() {
        return Deployment.builder("pipeline")
                .service("namenode", s -> s.image("hdfs:3").port(9870)
                        .healthCheck(HealthCheck.http(9870, "/").interval(Duration.ofSeconds(30)))
                        .restart(RestartPolicy.UNLESS_STOPPED))
                .service("postgres", s -> s.image("postgres:14").port(5432).healthCheck(HealthCheck.tcp(5432)))
                .job("ingestion", j -> j.image("spark:3").onDemand().dependsOn("namenode", HEALTHY))
                .job("processing", j -> j.image("spark:3").onDemand().dependsOn("ingestion", COMPLETED_SUCCESSFULLY))
                .job("loader", j -> j.image("loader:1").onDemand()
                        .dependsOn("processing", COMPLETED_SUCCESSFULLY).dependsOn("postgres", HEALTHY))
                .trigger("daily", t -> t.target("loader").cron("0 2 * * *")
                        .env("ingestion", "MODE", "daily").env("ingestion", "EVENT_DATE", Param.previousDay())
                        .env("processing", "MODE", "incremental").env("processing", "PROCESSING_WINDOW_DAYS", "7")
                        .env("loader", "MODE", "incremental"));
    }

    private static SimulatedBackend steps(Duration each) {
        return SimulatedBackend.create().startAt(MONDAY_1357)
                .readyAfter("namenode", Duration.ofSeconds(90))
                .exitsAfter("ingestion", each, 0).exitsAfter("processing", each, 0).exitsAfter("loader", each, 0);
    }

    @Test
    void threeVirtualDaysOfADailyPipelineFireAtTwoUtcWithYesterdaysDate() {
        Plan plan = pipeline().build().plan();
        List<RunEvent> events = new ArrayList<>();
        try (LiveDeployment live = Orchestrator.using(steps(min(10))).listener(events::add).start(plan)) {
            assertThat(live.startup().succeeded()).isTrue();
            assertThat(live.nextFire("daily")).contains(Instant.parse("2026-03-03T02:00:00Z"));
            live.advanceTo(Instant.parse("2026-03-05T13:57:00Z"));
            List<RunReport> runs = live.history("daily");
            assertThat(runs).extracting(r -> r.origin().orElseThrow().firedAt()).containsExactly(
                    Instant.parse("2026-03-03T02:00:00Z"), Instant.parse("2026-03-04T02:00:00Z"),
                    Instant.parse("2026-03-05T02:00:00Z"));
            assertThat(runs).allMatch(RunReport::succeeded);
            assertThat(runs).extracting(r -> r.origin().orElseThrow().parameters().get("ingestion").get("EVENT_DATE"))
                    .containsExactly("2026-03-02", "2026-03-03", "2026-03-04");
            RunReport first = runs.get(0);
            assertThat(first.origin().orElseThrow().parameters().get("processing"))
                    .containsEntry("MODE", "incremental").containsEntry("PROCESSING_WINDOW_DAYS", "7");
            // the steps ran in order, each when the previous one completed: 02:00, 02:10, 02:20
            assertThat(first.node("ingestion").started()).contains(Duration.ZERO);
            assertThat(first.node("processing").started()).contains(min(10));
            assertThat(first.node("loader").started()).contains(min(20));
            assertThat(first.duration()).isEqualTo(min(30));
            assertThat(events).filteredOn(e -> e.type() == RunEvent.Type.FIRED).hasSize(3);
            assertThat(events).filteredOn(e -> e.type() == RunEvent.Type.RUN_SUCCEEDED).hasSize(3);
        }
    }

    @Test
    void aFailingStepAbortsTheRestAndIsReported() {
        Plan plan = pipeline().build().plan();
        SimulatedBackend sim = steps(min(5)).exitsAfter("processing", min(3), 4);
        try (LiveDeployment live = Orchestrator.using(sim).start(plan)) {
            RunReport run = live.trigger("daily").join();
            assertThat(run.succeeded()).isFalse();
            assertThat(run.node("ingestion").state()).isEqualTo(NodeState.COMPLETED);
            assertThat(run.node("processing").failure().orElseThrow().reason()).isEqualTo(Failure.Reason.JOB_FAILED);
            assertThat(run.node("processing").failure().orElseThrow().exitCode()).hasValue(4);
            assertThat(run.node("loader").state()).isEqualTo(NodeState.SKIPPED);
            assertThat(run.node("loader").failure().orElseThrow().cause()).contains("processing");
            assertThat(run.origin().orElseThrow().cause()).isEqualTo("manual");
        }
    }

    @Test
    void aManualRunTakesOverridesOverTheTriggersValues() {
        Plan plan = pipeline().build().plan();
        try (LiveDeployment live = Orchestrator.using(steps(min(1))).start(plan)) {
            RunReport run = live.trigger("daily", Map.of("PROCESSING_WINDOW_DAYS", "14")).join();
            assertThat(run.succeeded()).isTrue();
            assertThat(run.origin().orElseThrow().parameters().get("processing"))
                    .containsEntry("PROCESSING_WINDOW_DAYS", "14").containsEntry("MODE", "incremental");
        }
    }

    @Test
    void anInitialLoadAtStartRunsOnceBeforeTheFirstSchedule() {
        Plan plan = pipeline().trigger("initial-load", t -> t.target("loader").atStart()
                .env("MODE", "initial").env("processing", "MODE", "initial_load")).build().plan();
        try (LiveDeployment live = Orchestrator.using(steps(min(2))).start(plan)) {
            live.advanceTo(Instant.parse("2026-03-03T03:00:00Z"));
            assertThat(live.history("initial-load")).singleElement().satisfies(r -> {
                assertThat(r.succeeded()).isTrue();
                assertThat(r.origin().orElseThrow().cause()).isEqualTo("at start");
                assertThat(r.origin().orElseThrow().parameters().get("ingestion")).containsEntry("MODE", "initial");
                assertThat(r.origin().orElseThrow().parameters().get("processing"))
                        .containsEntry("MODE", "initial_load");
            });
            assertThat(live.history("daily")).hasSize(1);
        }
    }

    @Test
    void aRunWhoseServicesAreNotReadyFailsNamingThem() {
        Plan plan = pipeline().build().plan();
        SimulatedBackend sim = steps(min(1)).neverHealthy("postgres");
        try (LiveDeployment live = Orchestrator.using(sim).timeout(min(2)).start(plan)) {
            assertThat(live.startup().succeeded()).isFalse();
            RunReport run = live.trigger("daily").join();
            assertThat(run.succeeded()).isFalse();
            assertThat(run.error().orElseThrow().message()).contains("step 'loader' needs 'postgres' to be HEALTHY")
                    .contains("but it is failed");
        }
    }

    static Deployment.Builder backups() {
        return Deployment.builder("manticore")
                .service("manticore", s -> s.image("manticore:15").port(9306).healthCheck(HealthCheck.tcp(9306)))
                .job("backup", j -> j.image("backup:1").onDemand().dependsOn("manticore", HEALTHY))
                .trigger("addresses-delta", t -> t.target("backup").cron("0 */6 * * *")
                        .env("DATASET", "addresses").env("TYPE", "delta").concurrencyKey("addresses"))
                .trigger("addresses-main", t -> t.target("backup").cron("0 2 * * *")
                        .env("DATASET", "addresses").env("TYPE", "main").concurrencyKey("addresses"))
                .trigger("people-delta", t -> t.target("backup").cron("0 */6 * * *")
                        .env("DATASET", "people").env("TYPE", "delta").concurrencyKey("people"))
                .trigger("backup-now", t -> t.target("backup").manual().overlap(Overlap.ALLOW));
    }

    @Test
    void aSlowBackupMakesTheNextFireOfTheSameTableSkipWhileAnotherTableRuns() {
        Plan plan = backups().build().plan();
        // every backup takes 7 h: the 06:00 delta of addresses finds the 00:00 one (same key) still running
        SimulatedBackend sim = SimulatedBackend.create().startAt(Instant.parse("2026-03-01T23:30:00Z"))
                .exitsAfter("backup", Duration.ofHours(7), 0);
        List<RunEvent> events = new ArrayList<>();
        try (LiveDeployment live = Orchestrator.using(sim).listener(events::add).start(plan)) {
            live.advanceTo(Instant.parse("2026-03-02T07:30:00Z"));
            // the 00:00 backup ran until 07:00; the 06:00 fire of the same trigger was skipped
            // (reports are kept in the order the runs ended: the skip at 06:00 before the backup ending at 07:00)
            assertThat(live.history("addresses-delta")).extracting(r -> r.origin().orElseThrow().firedAt() + " "
                    + r.succeeded()).containsExactly("2026-03-02T06:00:00Z false", "2026-03-02T00:00:00Z true");
            assertThat(live.history("addresses-main")).singleElement().satisfies(r -> {
                assertThat(r.succeeded()).isFalse();
                assertThat(r.error().orElseThrow().message()).contains("skipped").contains("concurrency key"
                        + " 'addresses'");
            });
            assertThat(events).filteredOn(e -> e.type() == RunEvent.Type.FIRE_SKIPPED)
                    .extracting(RunEvent::node).contains("addresses-main");
            // people's backups (another key) ran alongside
            assertThat(live.history("people-delta")).filteredOn(RunReport::succeeded).singleElement()
                    .extracting(r -> r.origin().orElseThrow().firedAt()).isEqualTo(Instant.parse("2026-03-02T00:00:00Z"));
            // a manual backup runs alongside the scheduled ones
            RunReport manual = live.trigger("backup-now", Map.of("DATASET", "addresses", "TYPE", "delta")).join();
            assertThat(manual.succeeded()).isTrue();
        }
    }

    @Test
    void aPoolDrainedAtRunTimeHoldsRunsBackUntilItIsResized() {
        Plan plan = Deployment.builder("kraken").pool("file-copy", 1)
                .job("copy", j -> j.image("copy:1").onDemand().pool("file-copy"))
                .trigger("copy-now", t -> t.target("copy").overlap(Overlap.ALLOW))
                .build().plan();
        SimulatedBackend sim = SimulatedBackend.create().exitsAfter("copy", min(10), 0);
        try (LiveDeployment live = Orchestrator.using(sim).start(plan)) {
            var first = live.trigger("copy-now");
            live.resizePool("file-copy", 0);
            var second = live.trigger("copy-now");
            assertThat(live.awaitPoolIdle("file-copy", min(30))).isTrue();
            assertThat(first.join().succeeded()).isTrue();
            live.advance(min(60));
            assertThat(second.isDone()).as("a run waiting for a drained pool is queued, not dropped").isFalse();
            live.resizePool("file-copy", 1);
            RunReport late = second.join();
            assertThat(late.succeeded()).isTrue();
            assertThat(late.node("copy").requested().orElseThrow()).isGreaterThanOrEqualTo(min(70));
        }
    }

    @Test
    void queuedRunsStartOneAfterAnotherWhileAnotherTriggersRunEndsFirst() {
        // A run's future drives virtual time: facts at one instant (another run's container removed) are progress,
        // not the end of everything that could happen.
        Plan plan = Deployment.builder("queue")
                .job("copy", j -> j.image("copy:1").onDemand())
                .job("other", j -> j.image("copy:1").onDemand())
                .trigger("copy-now", t -> t.target("copy").manual().overlap(Overlap.QUEUE))
                .trigger("other-now", t -> t.target("other").manual().overlap(Overlap.ALLOW))
                .build().plan();
        SimulatedBackend sim = SimulatedBackend.create().exitsAfter("copy", min(10), 0).exitsAfter("other", min(3), 0);
        try (LiveDeployment live = Orchestrator.using(sim).start(plan)) {
            var copies = List.of(live.trigger("copy-now"), live.trigger("copy-now"), live.trigger("copy-now"));
            assertThat(live.trigger("other-now").join().succeeded()).isTrue();
            List<RunReport> done = copies.stream().map(java.util.concurrent.CompletableFuture::join).toList();
            assertThat(done).allMatch(RunReport::succeeded);
            assertThat(done).extracting(r -> Duration.between(sim.now().minus(sim.elapsed()), r.startedAt()))
                    .containsExactly(Duration.ZERO, min(10), min(20));
        }
    }

    @Test
    void redeployDrainsThePoolStopsTheChangedNodesBringsTheNewPlanUpAndRestoresThePool() {
        Deployment d = Deployment.builder("kraken").pool("file-copy", 2)
                .service("scheduler", s -> s.image("airflow:1"))
                .service("worker", s -> s.image("worker:1").dependsOn("scheduler"))
                .job("copy", j -> j.image("copy:1").onDemand().pool("file-copy"))
                .trigger("copy-now", t -> t.target("copy").overlap(Overlap.ALLOW))
                .build();
        SimulatedBackend sim = SimulatedBackend.create().exitsAfter("copy", min(20), 0);
        try (LiveDeployment live = Orchestrator.using(sim).start(d.plan())) {
            var copy = live.trigger("copy-now");
            live.advance(min(1));
            Deployment next = d.toBuilder().service("worker", s -> s.image("worker:2").dependsOn("scheduler")).build();
            RunReport up = live.redeploy(next.plan(), min(60), "file-copy");
            assertThat(copy.isDone()).as("the running copy finished before anything stopped").isTrue();
            assertThat(up.succeeded()).isTrue();
            assertThat(up.node("scheduler").reused()).isTrue();
            assertThat(up.node("worker").reused()).isFalse();
            assertThat(sim.history()).filteredOn(a -> a.node().equals("worker"))
                    .extracting(SimulatedBackend.Action::kind).containsSubsequence(
                            SimulatedBackend.Action.Kind.START, SimulatedBackend.Action.Kind.REMOVE,
                            SimulatedBackend.Action.Kind.START);
            RunReport after = live.trigger("copy-now").join();
            assertThat(after.succeeded()).as("the pool is restored: %s", after.render()).isTrue();
        }
    }

    @Test
    void restartRecreatesTheNodeAndItsRestartDependentsInOrder() {
        Deployment d = Deployment.builder("web")
                .service("db", s -> s.image("pg:16"))
                .service("api", s -> s.image("api:1").dependsOn(dev.ordo.Dependency.on("db",
                        dev.ordo.Condition.STARTED).restart(true)))
                .service("ui", s -> s.image("ui:1").dependsOn("api"))
                .build();
        SimulatedBackend sim = SimulatedBackend.create();
        try (LiveDeployment live = Orchestrator.using(sim).start(d.plan())) {
            RunReport r = live.restart("db");
            assertThat(r.succeeded()).isTrue();
            assertThat(r.nodes()).extracting(NodeTimeline::node).containsExactly("db", "api");
            assertThat(r.node("api").requested().orElseThrow()).isGreaterThanOrEqualTo(r.node("db").started()
                    .orElseThrow());
        }
    }

    @Test
    void triggersAreValidatedWithNamedErrors() {
        assertThatThrownBy(() -> pipeline()
                .trigger("bad-cron", t -> t.target("loader").cron("0 25 * * *"))
                .trigger("nowhere", t -> t.target("lodaer"))
                .trigger("at-service", t -> t.target("postgres"))
                .job("startup-job", j -> j.image("x:1"))
                .trigger("not-on-demand", t -> t.target("startup-job"))
                .trigger("odd-step", t -> t.target("loader").env("ingest", "A", "b"))
                .build())
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("trigger 'bad-cron' has cron expression '0 25 * * *', which is invalid: its hour")
                .hasMessageContaining("trigger 'nowhere' targets 'lodaer', which is not defined; did you mean 'loader'?")
                .hasMessageContaining("trigger 'at-service' targets service 'postgres'")
                .hasMessageContaining("trigger 'not-on-demand' targets job 'startup-job', which runs at start-up;"
                        + " make it on demand with .onDemand()")
                .hasMessageContaining("trigger 'odd-step' sets environment for 'ingest', which is not a step of its"
                        + " pipeline; did you mean 'ingestion'?");
    }

    @Test
    void aTriggerWhosePipelineNeedsANodeTheSelectionDisablesIsRefusedAtPlanTime() {
        Deployment d = pipeline().build().toBuilder().service("postgres", s -> s.image("postgres:14").port(5432)
                .healthCheck(HealthCheck.tcp(5432)).profiles("serving")).build();
        assertThatThrownBy(d::plan).isInstanceOf(ValidationException.class)
                .hasMessageContaining("job 'loader' requires 'postgres', which the selection disables (it needs one of"
                        + " the profiles [serving]");
    }
}
