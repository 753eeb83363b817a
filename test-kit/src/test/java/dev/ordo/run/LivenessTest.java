package dev.ordo.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.Condition;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.testing.ReportAssert;
import dev.ordo.testing.SimulatedBackend;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Core's liveness rule in virtual time: which failures count and when the restart comes. */
class LivenessTest {
    private static Deployment api(HealthCheck liveness) {
        return Deployment.builder("live")
                .service("api", s -> s.image("api:1").liveness(liveness))
                .job("slow", j -> j.image("slow:1").dependsOn("api", Condition.STARTED))
                .build();
    }

    private static List<SimulatedBackend.Action> restarts(SimulatedBackend sim) {
        return sim.history().stream().filter(a -> a.kind() == SimulatedBackend.Action.Kind.RESTART).toList();
    }

    @Test
    void failuresWithinTheStartPeriodDoNotCountAndTheRetriesThFailureRestarts() {
        SimulatedBackend sim = SimulatedBackend.create().livenessFailsAt("api", Duration.ZERO)
                .exitsAfter("slow", Duration.ofSeconds(30), 0);
        HealthCheck check = HealthCheck.tcp(80).interval(Duration.ofSeconds(1)).retries(3)
                .startPeriod(Duration.ofSeconds(10));
        RunReport r = Orchestrator.using(sim).up(api(check).plan());
        ReportAssert.assertThat(r).succeeded();
        // probes at 10, 11, 12 s count (the ones before 10 s do not): the third failure, at 12 s, restarts it
        assertThat(restarts(sim)).singleElement().satisfies(a -> assertThat(a.at()).isEqualTo(Duration.ofSeconds(12)));
        assertThat(r.node("api").restarts()).isEqualTo(1);
    }

    @Test
    void aLivenessCheckThatKeepsPassingRestartsNothing() {
        SimulatedBackend sim = SimulatedBackend.create().exitsAfter("slow", Duration.ofMinutes(5), 0);
        RunReport r = Orchestrator.using(sim).up(api(HealthCheck.tcp(80).retries(1)).plan());
        ReportAssert.assertThat(r).succeeded();
        assertThat(restarts(sim)).isEmpty();
        assertThat(r.node("api").restarts()).isZero();
    }
}
