package dev.ordo.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.HealthCheck;
import dev.ordo.spi.ObservedNode.ReplicaHealth;
import dev.ordo.spi.ObservedNode.ReplicaHealth.Health;
import dev.ordo.spi.ObservedNode.State;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Core's one rule for the health {@code status} reports, whatever the backend. */
class ObservedHealthTest {
    private static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");
    /** Unhealthy 5 s after a start: start period 2 s (first counted probe at 2 s), then 3 retries at 1 s. */
    private static final Optional<HealthCheck> CHECK = Optional.of(HealthCheck.tcp(5432)
            .interval(Duration.ofSeconds(1)).retries(3).startPeriod(Duration.ofSeconds(2)));

    private static ReplicaHealth started(Health h, Instant at) {
        return new ReplicaHealth(h, Optional.of(at));
    }

    @Test
    void theBudgetIsDockersCountWhichCoreUsesWhileItRunsTheNode() {
        assertThat(CHECK.get().unhealthyAfter()).isEqualTo(Duration.ofSeconds(4));
        assertThat(HealthCheck.tcp(1).interval(Duration.ofSeconds(2)).retries(3).unhealthyAfter())
                .isEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void aReplicaThatHasNotPassedIsStartingWithinItsBudgetAndUnhealthyAfter() {
        List<ReplicaHealth> one = List.of(started(Health.UNKNOWN, T0));
        assertThat(ObservedNode.runningState(CHECK, one, 1, T0.plusSeconds(3))).isEqualTo(State.RUNNING);
        assertThat(ObservedNode.runningState(CHECK, one, 1, T0.plusSeconds(4))).isEqualTo(State.UNHEALTHY);
    }

    @Test
    void theVerdictNeedsAStartTheRuleCannotGuessOne() {
        List<ReplicaHealth> unknownStart = List.of(new ReplicaHealth(Health.UNKNOWN, Optional.empty()));
        assertThat(ObservedNode.runningState(CHECK, unknownStart, 1, T0.plusSeconds(3600))).isEqualTo(State.RUNNING);
    }

    @Test
    void healthyNeedsEveryWantedReplicaPassingAndAPlatformsFailingVerdictWins() {
        List<ReplicaHealth> both = List.of(started(Health.PASSING, T0), started(Health.PASSING, T0));
        assertThat(ObservedNode.runningState(CHECK, both, 2, T0)).isEqualTo(State.HEALTHY);
        assertThat(ObservedNode.runningState(CHECK, both.subList(0, 1), 2, T0)).isEqualTo(State.RUNNING);
        assertThat(ObservedNode.runningState(CHECK, List.of(started(Health.PASSING, T0),
                started(Health.FAILING, T0)), 2, T0)).isEqualTo(State.UNHEALTHY);
    }

    @Test
    void withoutACheckThePlatformProbesARunningNodeIsRunning() {
        assertThat(ObservedNode.runningState(Optional.empty(), List.of(started(Health.UNKNOWN, T0)), 1,
                T0.plusSeconds(3600))).isEqualTo(State.RUNNING);
    }
}
