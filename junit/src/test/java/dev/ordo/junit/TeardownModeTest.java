package dev.ordo.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.testing.SimulatedBackend;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How a test deployment goes: killed at once by default (grace period zero), as Testcontainers removes its
 * containers, so that a process ignoring SIGTERM does not hold the test; each node's own grace period with
 * {@link TestDeployment#gracefulTeardown()}.
 */
class TeardownModeTest {
    private static List<String> removals(SimulatedBackend sim) {
        return sim.history().stream().filter(a -> a.kind() == SimulatedBackend.Action.Kind.REMOVE)
                .map(a -> a.node() + " " + a.detail()).toList();
    }

    @Test
    void byDefaultEveryNodeIsKilledAtOnce() {
        SimulatedBackend sim = SimulatedBackend.create();
        TestDeployment shop = TestDeployment.of(Shop.deployment()).on(sim);
        shop.up();
        shop.close();
        assertThat(removals(sim)).containsExactlyInAnyOrder("api grace PT0S", "migrate grace PT0S", "db grace PT0S");
    }

    @Test
    void aGracefulTeardownGivesEachNodeItsOwnGracePeriod() {
        SimulatedBackend sim = SimulatedBackend.create();
        TestDeployment shop = TestDeployment.of(Shop.deployment().toBuilder().service("db", s -> s
                .image("x:1").port(5432).healthCheck(dev.ordo.HealthCheck.tcp(5432))
                .stopGracePeriod(java.time.Duration.ofSeconds(30))).build()).on(sim).gracefulTeardown();
        shop.up();
        shop.close();
        assertThat(removals(sim)).contains("db grace PT30S", "api grace PT10S");
    }
}
