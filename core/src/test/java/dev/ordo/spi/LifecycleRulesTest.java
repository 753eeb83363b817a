package dev.ordo.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The rule values core hands to backends: when to probe, how long a restart may take, what a launch says. */
class LifecycleRulesTest {
    private static Duration ms(long n) {
        return Duration.ofMillis(n);
    }

    @Test
    void probesRunOnAFiftyMillisecondGridUntilTheFastPhaseEndsThenEveryInterval() {
        ProbeSchedule s = ProbeSchedule.of(HealthCheck.tcp(5432).interval(Duration.ofSeconds(5)));
        assertThat(s.nextBeforeReady(Duration.ofMillis(-1))).isEqualTo(Duration.ZERO);
        assertThat(s.nextBeforeReady(Duration.ZERO)).isEqualTo(ms(50));
        assertThat(s.nextBeforeReady(ms(70))).isEqualTo(ms(100));
        assertThat(s.nextBeforeReady(ms(29_990))).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.nextBeforeReady(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(35));
        assertThat(s.nextBeforeReady(Duration.ofSeconds(36))).isEqualTo(Duration.ofSeconds(40));
        assertThat(s.afterReady()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void theFirstProbeAtOrAfterAnInstantIsOnTheGrid() {
        ProbeSchedule s = ProbeSchedule.of(HealthCheck.tcp(5432).interval(Duration.ofSeconds(2)));
        assertThat(s.firstAtOrAfter(Duration.ZERO)).isEqualTo(Duration.ZERO);
        assertThat(s.firstAtOrAfter(ms(40))).isEqualTo(ms(50));
        assertThat(s.firstAtOrAfter(Duration.ofSeconds(20))).isEqualTo(Duration.ofSeconds(20));
        assertThat(s.firstAtOrAfter(Duration.ofSeconds(31))).isEqualTo(Duration.ofSeconds(32));
    }

    @Test
    void restartBackoffDoublesUpToItsMaximumAndTheBoundAddsTheSlack() {
        assertThat(RestartBackoff.DOCKER.delay(0)).isEqualTo(ms(100));
        assertThat(RestartBackoff.DOCKER.delay(3)).isEqualTo(ms(800));
        assertThat(RestartBackoff.DOCKER.delay(40)).isEqualTo(Duration.ofMinutes(1));
        assertThat(RestartBackoff.DOCKER.bound(0)).isEqualTo(ms(100).plus(RestartBackoff.SLACK));
        assertThat(RestartBackoff.KUBERNETES.delay(10)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void aLaunchCarriesCoreDecisionsAndRefusesNonsense() {
        Deployment d = Deployment.builder("l")
                .service("db", s -> s.image("pg:16").healthCheck(HealthCheck.tcp(5432)))
                .service("ui", s -> s.image("ui:1").healthCheck(HealthCheck.logLine("ready")))
                .job("migrate", j -> j.image("app:1"))
                .build();
        Launch db = Launch.create(d, d.requireNode("db"));
        assertThat(db.mode()).isEqualTo(Launch.Mode.CREATE);
        assertThat(db.recreates()).isTrue();
        assertThat(db.attempt()).isEqualTo(1);
        assertThat(db.probes()).contains(ProbeSchedule.of(HealthCheck.tcp(5432)));
        assertThat(Launch.probesOf(d.requireNode("ui"))).as("core matches log lines itself").isEmpty();
        assertThat(Launch.probesOf(d.requireNode("migrate"))).isEmpty();
        assertThatThrownBy(() -> new Launch(d, d.requireNode("db"), Launch.Mode.KEEP, 0, 0, db.probes()))
                .hasMessageContaining("attempt counts from 1");
    }
}
