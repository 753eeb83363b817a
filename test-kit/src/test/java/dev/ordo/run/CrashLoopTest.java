package dev.ordo.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.RestartPolicy;
import dev.ordo.testing.ReportAssert;
import dev.ordo.testing.SimulatedBackend;
import java.time.Duration;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** A service whose restart policy brings it back after every crash must still end the run. */
class CrashLoopTest {
    private static Deployment worker() {
        return Deployment.builder("loop")
                .service("worker", x -> x.image("x:1").restart(RestartPolicy.ALWAYS)
                        .healthCheck(HealthCheck.tcp(80).interval(Duration.ofSeconds(1)).retries(100)))
                .service("api", x -> x.image("api:1").dependsOn("worker", dev.ordo.Condition.HEALTHY))
                .build();
    }

    @Test
    void aServiceThatCrashLoopsBeforeItIsEverReadyTimesOutAtItsFirstDeadline() {
        SimulatedBackend sim = SimulatedBackend.create().readyAfter("worker", Duration.ofSeconds(10))
                .crashesAfter("worker", Duration.ofSeconds(5), 1);
        // preemptive: before the fix every restart granted a fresh deadline and the run never ended
        RunReport report = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> Orchestrator.using(sim).timeout(Duration.ofSeconds(60)).up(worker().plan()));
        ReportAssert.assertThat(report).failedWith("worker", Failure.Reason.TIMEOUT)
                .failedWith("api", Failure.Reason.DEPENDENCY_FAILED).neverStarted("api");
        assertThat(report.node("worker").finished()).hasValue(Duration.ofSeconds(60));
        assertThat(report.node("worker").restarts()).isGreaterThan(1);
    }

    @Test
    void aServiceThatCrashesAfterItWasReadyAndComesBackDoesNotFailTheRun() {
        SimulatedBackend sim = SimulatedBackend.create().readyAfter("worker", Duration.ofSeconds(2))
                .crashesAfter("worker", Duration.ofSeconds(30), 1);
        RunReport report = Orchestrator.using(sim).timeout(Duration.ofSeconds(60)).up(worker().plan());
        ReportAssert.assertThat(report).succeeded().startedAfter("api", "worker");
    }

    private static Deployment slowRestarts() {
        return Deployment.builder("slow-restarts")
                .service("worker", x -> x.image("x:1").restart(RestartPolicy.ALWAYS))
                .service("warehouse", x -> x.image("w:1").healthCheck(HealthCheck.tcp(5432).startPeriod(Duration.ofSeconds(90))))
                .service("api", x -> x.image("api:1").dependsOn("worker", dev.ordo.Condition.STARTED)
                        .dependsOn("warehouse", dev.ordo.Condition.HEALTHY))
                .build();
    }

    @Test
    void aRestartThePlatformHasTakenUpIsWaitedForEvenWhenItIsSlowerThanTheBackoff() {
        // a loaded Docker engine took 2.3 s from die to start at its 100 ms delay; before Fact.RestartPending core
        // called that a crash after 2.1 s
        SimulatedBackend sim = SimulatedBackend.create().crashesAfter("worker", Duration.ofSeconds(1), 3)
                .restartsSlowly("worker", Duration.ofSeconds(10)).readyAfter("warehouse", Duration.ofSeconds(60));
        RunReport report = Orchestrator.using(sim).timeout(Duration.ofSeconds(120)).up(slowRestarts().plan());
        ReportAssert.assertThat(report).succeeded().startedAfter("api", "warehouse");
        assertThat(report.node("worker").restarts()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aRestartThePlatformTookUpButNeverMadeIsACrashNamingThePromise() {
        SimulatedBackend sim = SimulatedBackend.create().crashesAfter("worker", Duration.ofSeconds(1), 3)
                .restartsSlowly("worker", Duration.ofMinutes(5)).readyAfter("warehouse", Duration.ofSeconds(60));
        RunReport report = Orchestrator.using(sim).timeout(Duration.ofSeconds(120)).up(slowRestarts().plan());
        ReportAssert.assertThat(report).failedWith("worker", Failure.Reason.CRASHED);
        assertThat(report.node("worker").failure().orElseThrow().message())
                .contains("the platform said it would").contains("within 30.1s");
        // the verdict comes the pending slack after the exit (1 s) plus the backoff (0.1 s)
        assertThat(report.node("worker").finished()).hasValue(Duration.ofMillis(31_100));
    }
}
