package dev.ordo.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ordo.Condition;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.RestartPolicy;
import dev.ordo.Plan;
import dev.ordo.testing.ReportAssert;
import dev.ordo.testing.SimulatedBackend;
import dev.ordo.testing.SimulatedBackend.Action;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Failure propagation, failure kinds and failure policies, in virtual time. */
class FailureTest {
    private static Duration s(long seconds) {
        return Duration.ofSeconds(seconds);
    }

    private static final Deployment MIGRATION = Deployment.builder("app")
            .job("migrate", j -> j.image("x:1"))
            .service("api", x -> x.image("x:1").dependsOn("migrate", Condition.COMPLETED_SUCCESSFULLY))
            .service("ui", x -> x.image("x:1").dependsOn("api", Condition.STARTED))
            .service("independent", x -> x.image("x:1"))
            .build();

    @Test
    void aFailedJobSkipsItsDependentsNamingTheRootExitCodeAndLogTail() {
        Plan plan = MIGRATION.plan();
        SimulatedBackend sim = SimulatedBackend.create().exitsAfter("migrate", s(3), 3)
                .logs("migrate", "connecting to db", "ERROR: relation \"users\" already exists");
        RunReport report = Orchestrator.using(sim).up(plan);

        ReportAssert.assertThat(report).failed().respectsDependencies(plan)
                .hasState("migrate", NodeState.FAILED)
                .failedWith("migrate", Failure.Reason.JOB_FAILED)
                .failedBecause("migrate", "job 'migrate' exited with code 3")
                .failedBecause("migrate", "ERROR: relation \"users\" already exists")
                .hasState("api", NodeState.SKIPPED).neverStarted("api")
                .failedWith("api", Failure.Reason.DEPENDENCY_FAILED)
                .failedBecause("api", "service 'api' never started: it waits for 'migrate' to be COMPLETED_SUCCESSFULLY")
                .hasState("ui", NodeState.SKIPPED).neverStarted("ui")
                .failedWith("ui", Failure.Reason.DEPENDENCY_FAILED)
                .failedBecause("ui", "'api' did not start because 'migrate' failed");
        Failure f = report.node("migrate").failure().orElseThrow();
        assertThat(f.exitCode()).hasValue(3);
        assertThat(f.logTail()).containsExactly("connecting to db", "ERROR: relation \"users\" already exists");
        assertThat(f.cause()).isEmpty();
        assertThat(report.node("migrate").finished()).contains(s(3));
        assertThat(report.node("migrate").exitCode()).hasValue(3);
        assertThat(report.node("api").failure().orElseThrow().cause()).contains("migrate");
        assertThat(report.node("ui").failure().orElseThrow().cause()).contains("migrate");
        assertThat(report.rootFailures()).extracting(NodeTimeline::node).containsExactly("migrate");
        // started at 0 s, before the failure: default policy leaves it running
        assertThat(report.node("independent").state()).isEqualTo(NodeState.STARTED);

        JobFailedException e = catchThrowableOfType(report::throwIfFailed, JobFailedException.class);
        assertThat(e).isNotNull();
        assertThat(e.node()).isEqualTo("migrate");
        assertThat(e.exitCode()).isEqualTo(3);
        assertThat(e.logTail()).containsExactly("connecting to db", "ERROR: relation \"users\" already exists");
        assertThat(e.getMessage()).contains("up of 'app' failed").contains("migrate: job 'migrate' exited with code 3")
                .contains("api: ").contains("ui: ");
        assertThat(e.report()).isSameAs(report);
    }

    @Test
    void aJobIsRetriedUpToItsBackoffLimitBeforeItFails() {
        Deployment d = Deployment.builder("retry").job("flaky", j -> j.image("x:1").retries(2)).build();
        RunReport report = Orchestrator.using(SimulatedBackend.create().exitsAfter("flaky", s(3), 1)).up(d.plan());
        ReportAssert.assertThat(report).failedWith("flaky", Failure.Reason.JOB_FAILED);
        assertThat(report.node("flaky").finished()).contains(s(9)); // three attempts of 3 s
    }

    @Test
    void aSucceedingRunDoesNotThrow() {
        RunReport report = Orchestrator.using(SimulatedBackend.create()).up(MIGRATION.plan());
        assertThat(report.throwIfFailed()).isSameAs(report);
        assertThat(report.failures()).isEmpty();
    }

    @Test
    void aServiceThatNeverBecomesHealthyFailsAfterIntervalTimesRetries() {
        Deployment d = Deployment.builder("sick")
                .service("db", x -> x.image("x:1")
                        .healthCheck(HealthCheck.command("pg_isready").interval(s(2)).retries(3)))
                .job("seed", x -> x.image("x:1").dependsOn("db", Condition.HEALTHY))
                .build();
        RunReport report = Orchestrator.using(SimulatedBackend.create().neverHealthy("db")).up(d.plan());
        ReportAssert.assertThat(report).failed()
                .failedWith("db", Failure.Reason.UNHEALTHY)
                .failedBecause("db", "service 'db' failed its health check for 6s after its start (start period 0s + 3 retries x interval 2s)")
                .failedBecause("db", "command pg_isready")
                .neverStarted("seed").failedWith("seed", Failure.Reason.DEPENDENCY_FAILED);
        assertThat(report.node("db").finished()).contains(s(6)); // probes at 2, 4, 6 s fail
        assertThat(report.node("db").ready()).isEmpty();

        ReadinessTimeoutException e = catchThrowableOfType(report::throwIfFailed, ReadinessTimeoutException.class);
        assertThat(e).isNotNull();
        assertThat(e.node()).isEqualTo("db");
        assertThat(e.lastHealthOutput()).contains("pg_isready");
    }

    @Test
    void failuresDuringTheStartPeriodDoNotCount() {
        Deployment d = Deployment.builder("sick")
                .service("db", x -> x.image("x:1").healthCheck(HealthCheck.tcp(5432).interval(s(2)).retries(3)
                        .startPeriod(s(9))))
                .build();
        RunReport report = Orchestrator.using(SimulatedBackend.create().neverHealthy("db")).up(d.plan());
        // probes at 2..8 s are in the start period; 10, 12, 14 s count
        ReportAssert.assertThat(report).failedWith("db", Failure.Reason.UNHEALTHY);
        assertThat(report.node("db").finished()).contains(s(14));
    }

    @Test
    void aLogLineCheckThatNeverMatchesIsUnhealthyOnceItsStartPeriodAndRetriesHavePassed() {
        Deployment d = Deployment.builder("slow")
                .service("db", x -> x.image("mysql:8").healthCheck(HealthCheck.logLine("ready for connections")))
                .service("api", x -> x.image("x:1").dependsOn("db", Condition.HEALTHY))
                .build();
        SimulatedBackend sim = SimulatedBackend.create().logs("db", "starting", "still initialising");
        RunReport report = Orchestrator.using(sim).timeout(s(30)).up(d.plan());
        ReportAssert.assertThat(report).failed()
                .failedWith("db", Failure.Reason.UNHEALTHY)
                .failedBecause("db", "service 'db' printed no line matching /ready for connections/ within 15s after"
                        + " its start (start period 0s + 3 retries x interval 5s); last output: 'still initialising'")
                .neverStarted("api");
        assertThat(report.node("db").finished()).contains(s(15));
        ReadinessTimeoutException e = catchThrowableOfType(report::throwIfFailed, ReadinessTimeoutException.class);
        assertThat(e).isNotNull();
        assertThat(e.node()).isEqualTo("db");
    }

    @Test
    void aServiceThatNeverPassesAndHasAGenerousBudgetTimesOut() {
        Deployment d = Deployment.builder("slow")
                .service("db", x -> x.image("mysql:8").healthCheck(HealthCheck.tcp(3306).retries(100)))
                .service("api", x -> x.image("x:1").dependsOn("db", Condition.HEALTHY))
                .build();
        SimulatedBackend sim = SimulatedBackend.create().neverHealthy("db");
        RunReport report = Orchestrator.using(sim).timeout(s(30)).up(d.plan());
        ReportAssert.assertThat(report).failed()
                .failedWith("db", Failure.Reason.TIMEOUT)
                .failedBecause("db", "service 'db' was not healthy within 30s of being started")
                .failedBecause("db", "Orchestrator.timeout, or the runner's --timeout")
                .neverStarted("api");
        assertThat(report.node("db").finished()).contains(s(30));
        assertThat(report.duration()).isEqualTo(s(30));
    }

    @Test
    void aJobPastItsActiveDeadlineTimesOut() {
        Deployment d = Deployment.builder("slow")
                .job("backfill", j -> j.image("x:1").activeDeadline(s(20)))
                .build();
        RunReport report = Orchestrator.using(SimulatedBackend.create().exitsAfter("backfill", s(60), 0))
                .up(d.plan());
        ReportAssert.assertThat(report).failedWith("backfill", Failure.Reason.TIMEOUT)
                .failedBecause("backfill", "job 'backfill' exceeded its active deadline of 20s and was killed");
        assertThat(report.node("backfill").finished()).contains(s(20));
    }

    @Test
    void aNodeThatCannotBeRunFailsToStart() {
        SimulatedBackend sim = SimulatedBackend.create().failsToStart("api", "image clp:nope not found");
        RunReport report = Orchestrator.using(sim).up(MIGRATION.plan());
        ReportAssert.assertThat(report).failed()
                .failedWith("api", Failure.Reason.START_FAILED)
                .failedBecause("api", "service 'api' could not be started: image clp:nope not found")
                .hasState("api", NodeState.FAILED)
                .neverStarted("ui").failedWith("ui", Failure.Reason.DEPENDENCY_FAILED)
                .hasState("migrate", NodeState.COMPLETED);
        RunFailedException e = catchThrowableOfType(report::throwIfFailed, RunFailedException.class);
        assertThat(e).isNotInstanceOf(JobFailedException.class).isNotInstanceOf(ReadinessTimeoutException.class);
        assertThat(e.getMessage()).contains("image clp:nope not found");
    }

    private static Deployment crashing(RestartPolicy policy) {
        return Deployment.builder("crash")
                .service("worker", x -> x.image("x:1").restart(policy)
                        .healthCheck(HealthCheck.command("true").interval(s(1))))
                .job("long", j -> j.image("x:1"))
                .build();
    }

    @Test
    void aServiceThatCrashesWithRestartPolicyNoFails() {
        SimulatedBackend sim = SimulatedBackend.create().readyAfter("worker", s(2))
                .crashesAfter("worker", s(5), 137).exitsAfter("long", s(6), 0);
        RunReport report = Orchestrator.using(sim).up(crashing(RestartPolicy.NO).plan());
        ReportAssert.assertThat(report).failed()
                .hasState("worker", NodeState.FAILED)
                .failedWith("worker", Failure.Reason.CRASHED)
                .failedBecause("worker", "service 'worker' exited with code 137 after it was ready and its restart policy is NO")
                .hasState("long", NodeState.COMPLETED);
        assertThat(report.node("worker").ready()).contains(s(2));
        assertThat(report.node("worker").finished()).contains(s(5));
        assertThat(report.node("worker").exitCode()).hasValue(137);
        assertThat(report.node("worker").restarts()).isZero();
    }

    @Test
    void aServiceThatCrashesWithRestartPolicyAlwaysIsBroughtBack() {
        SimulatedBackend sim = SimulatedBackend.create().readyAfter("worker", s(2))
                .crashesAfter("worker", s(5), 137).exitsAfter("long", s(6), 0);
        List<RunEvent> events = new ArrayList<>();
        RunReport report = Orchestrator.using(sim).listener(events::add).up(crashing(RestartPolicy.ALWAYS).plan());
        ReportAssert.assertThat(report).succeeded();
        NodeTimeline worker = report.node("worker");
        assertThat(worker.failure()).isEmpty();
        assertThat(worker.restarts()).isEqualTo(1);
        assertThat(worker.state()).isIn(NodeState.STARTED, NodeState.HEALTHY);
        assertThat(events).filteredOn(e -> e.type() == RunEvent.Type.RESTARTING).singleElement()
                .satisfies(e -> {
                    assertThat(e.node()).isEqualTo("worker");
                    assertThat(e.at()).isEqualTo(s(5));
                    assertThat(e.detail()).contains("exit code 137").contains("ALWAYS");
                });
    }

    /** bad fails at 1 s; slow runs 0..5 s; later waits for slow; after-bad waits for bad. */
    private static final Deployment POLICY = Deployment.builder("policy")
            .job("bad", j -> j.image("x:1"))
            .job("slow", j -> j.image("x:1"))
            .job("later", j -> j.image("x:1").dependsOn("slow", Condition.COMPLETED_SUCCESSFULLY))
            .job("after-bad", j -> j.image("x:1").dependsOn("bad", Condition.COMPLETED_SUCCESSFULLY))
            .build();

    private static SimulatedBackend policySim() {
        return SimulatedBackend.create().exitsAfter("bad", s(1), 1).exitsAfter("slow", s(5), 0)
                .exitsAfter("later", s(1), 0);
    }

    @Test
    void stopSchedulingStartsNothingNewButLetsRunningNodesSettle() {
        RunReport report = Orchestrator.using(policySim()).up(POLICY.plan()); // the default policy
        ReportAssert.assertThat(report).failed()
                .hasState("slow", NodeState.COMPLETED)
                .neverStarted("later").hasState("later", NodeState.SKIPPED)
                .failedWith("later", Failure.Reason.NOT_SCHEDULED)
                .failedBecause("later", "stopped scheduling after 'bad' failed")
                .failedBecause("later", "FailurePolicy.CONTINUE")
                .failedWith("after-bad", Failure.Reason.DEPENDENCY_FAILED);
        assertThat(report.node("later").failure().orElseThrow().cause()).contains("bad");
        assertThat(report.rootFailures()).extracting(NodeTimeline::node).containsExactly("bad");
    }

    @Test
    void continueStartsEveryNodeThatDoesNotDependOnTheFailure() {
        RunReport report = Orchestrator.using(policySim()).failurePolicy(FailurePolicy.CONTINUE).up(POLICY.plan());
        ReportAssert.assertThat(report).failed()
                .startedAt("later", s(5)).hasState("later", NodeState.COMPLETED)
                .neverStarted("after-bad").failedWith("after-bad", Failure.Reason.DEPENDENCY_FAILED);
    }

    @Test
    void tearDownRemovesEverythingThisRunStartedInReverseDependencyOrder() {
        Deployment d = Deployment.builder("teardown")
                .service("db", x -> x.image("x:1"))
                .service("api", x -> x.image("x:1").dependsOn("db", Condition.STARTED))
                .job("bad", j -> j.image("x:1").dependsOn("db", Condition.STARTED))
                .job("slow", j -> j.image("x:1"))
                .service("late", x -> x.image("x:1").dependsOn("slow", Condition.COMPLETED_SUCCESSFULLY))
                .build();
        SimulatedBackend sim = SimulatedBackend.create().exitsAfter("bad", s(2), 1).exitsAfter("slow", s(60), 0)
                .stopsAfter("api", s(3));
        RunReport report = Orchestrator.using(sim).failurePolicy(FailurePolicy.TEAR_DOWN).up(d.plan());

        ReportAssert.assertThat(report).failed()
                .hasState("db", NodeState.REMOVED).hasState("api", NodeState.REMOVED)
                .hasState("slow", NodeState.REMOVED).hasState("bad", NodeState.FAILED)
                .neverStarted("late").failedWith("late", Failure.Reason.NOT_SCHEDULED)
                .failedBecause("api", "tore down after 'bad' failed");
        List<Action> removes = sim.history().stream().filter(a -> a.kind() == Action.Kind.REMOVE).toList();
        assertThat(removes).extracting(Action::node).containsExactlyInAnyOrder("db", "api", "bad", "slow");
        Action db = removes.stream().filter(a -> a.node().equals("db")).findFirst().orElseThrow();
        for (Action a : removes) {
            if (!a.node().equals("db")) {
                assertThat(a.at()).as(a.node()).isEqualTo(s(2));
                assertThat(removes.indexOf(a)).isLessThan(removes.indexOf(db));
            }
        }
        assertThat(db.at()).isEqualTo(s(5)); // after api's 3 s stop
        assertThat(report.node("db").finished()).contains(s(5));
        assertThat(sim.history().get(sim.history().size() - 1).kind()).isEqualTo(Action.Kind.RELEASE);
        assertThat(Orchestrator.using(sim).status(d)).isEmpty();
    }

    @Test
    void tearDownLeavesNodesKeptFromAnEarlierRunAlone() {
        Deployment d = Deployment.builder("keep")
                .service("db", x -> x.image("x:1"))
                .build();
        SimulatedBackend sim = SimulatedBackend.create();
        Orchestrator.using(sim).up(d.plan()).throwIfFailed();
        Deployment d2 = d.toBuilder().job("bad", j -> j.image("x:1").dependsOn("db", Condition.STARTED)).build();
        sim.exitsAfter("bad", s(1), 2);
        RunReport report = Orchestrator.using(sim).failurePolicy(FailurePolicy.TEAR_DOWN).up(d2.plan());
        ReportAssert.assertThat(report).failedWith("bad", Failure.Reason.JOB_FAILED);
        assertThat(report.node("db").reused()).isTrue();
        assertThat(sim.history()).filteredOn(a -> a.kind() == Action.Kind.REMOVE).extracting(Action::node)
                .containsExactly("bad");
        assertThat(Orchestrator.using(sim).status(d2)).extracting(NodeStatus::node).containsExactly("db");
    }
}
