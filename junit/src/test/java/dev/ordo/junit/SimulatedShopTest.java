package dev.ordo.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordo.run.RunReport;
import dev.ordo.testing.ReportAssert;
import dev.ordo.testing.SimulatedBackend;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The same deployment in virtual time: a fresh instance per test (an instance field), asserted start order. */
class SimulatedShopTest {
    @Deployed
    final TestDeployment shop = TestDeployment.of(Shop.deployment()).on(SimulatedBackend.create()
            .readyAfter("db", Duration.ofSeconds(5)).exitsAfter("migrate", Duration.ofSeconds(3), 0));

    @Test
    void migrateRunsOnceTheDatabaseIsHealthyAndTheApiAfterIt(RunReport report) {
        ReportAssert.assertThat(report).succeeded().respectsDependencies(shop.deployment().plan())
                .startedAt("migrate", Duration.ofSeconds(5)).startedAt("api", Duration.ofSeconds(8))
                .criticalPathIs("db", "migrate", "api");
    }

    @Test
    void eachTestGetsItsOwnInstanceName(TestDeployment injected) {
        assertThat(injected).isSameAs(shop);
        assertThat(shop.deployment().name()).matches("shop-[0-9a-f]{6}");
    }

    @Test
    void whatTheSimulatedBackendCannotDoIsAnErrorNamingTheFix() {
        assertThatThrownBy(() -> shop.address("api", 8080)).hasMessageContaining("node 'api'")
                .hasMessageContaining("onDocker()");
        assertThatThrownBy(() -> shop.exec("db", "true")).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("node 'db'");
        assertThatThrownBy(shop::live).hasMessageContaining(".living()");
    }
}
