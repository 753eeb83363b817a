package dev.ordo.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordo.Deployment;
import dev.ordo.testing.SimulatedBackend;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A down's grace-period override: every node gets it instead of its own stop grace period. */
class DownOptionsTest {
    private static final Deployment SLOW = Deployment.builder("slow")
            .service("db", s -> s.image("x:1").stopGracePeriod(Duration.ofSeconds(10)))
            .build();

    @Test
    void theOverrideCutsEveryNodesGracePeriod() {
        SimulatedBackend sim = SimulatedBackend.create().stopsAfter("db", Duration.ofSeconds(8));
        Orchestrator.using(sim).up(SLOW.plan());
        RunReport own = Orchestrator.using(sim).down(SLOW);
        assertThat(own.node("db").finished()).contains(Duration.ofSeconds(8)); // its own 10 s allow the 8 s

        Orchestrator.using(sim).up(SLOW.plan());
        RunReport cut = Orchestrator.using(sim).down(SLOW, DownOptions.defaults().gracePeriod(Duration.ofSeconds(2)));
        assertThat(cut.succeeded()).isTrue();
        assertThat(cut.node("db").finished()).contains(Duration.ofSeconds(2));   // killed after 2 s
    }

    @Test
    void optionsAreValuesThatSayWhatIsWrong() {
        assertThat(DownOptions.defaults().removeVolumes(true).gracePeriod(Duration.ZERO))
                .isEqualTo(new DownOptions(true, Optional.of(Duration.ZERO)));
        assertThatThrownBy(() -> DownOptions.defaults().gracePeriod(Duration.ofSeconds(-1)))
                .hasMessageContaining("cannot be negative");
    }
}
