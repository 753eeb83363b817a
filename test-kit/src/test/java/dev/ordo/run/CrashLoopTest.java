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
}
