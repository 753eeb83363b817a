package dev.ordo.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordo.Deployment;
import dev.ordo.Selection;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The catalog the runner reaches the examples through: names, deployments, types, placement, estimates. */
class ExampleTest {
    @Test
    void everyExampleHasANameAndLoads() {
        assertThat(Arrays.stream(Example.values()).map(Example::cliName))
                .containsExactly("clp", "orchestration-layer", "manticore", "alphakraken");
        for (Example e : Example.values()) {
            assertThat(Example.parse(e.cliName().toUpperCase(Locale.ROOT))).isEqualTo(e);
            Deployment d = e.load(Optional.empty()).deployment();
            assertThat(d.nodes()).isNotEmpty();
            assertThat(e.standIns(d)).isNotNull();
            assertThat(e.simulated()).isNotNull();
        }
        assertThatThrownBy(() -> Example.parse("shop")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown example 'shop'; the examples are clp, orchestration-layer, manticore,"
                        + " alphakraken");
    }

    @Test
    void onlyClpHasDeploymentTypesAndReadinessEstimates() {
        assertThat(Example.CLP.types()).containsExactly("base", "full", "spider-base", "spider-full");
        assertThat(Example.CLP.type("base")).isEqualTo(Clp.Type.BASE.selection(false));
        assertThat(Example.CLP.readinessEstimates()).containsEntry("database", Clp.READINESS.get("database"));
        assertThatThrownBy(() -> Example.CLP.type("huge")).hasMessageContaining("unknown CLP deployment type 'huge'");
        assertThat(Example.MANTICORE.types()).isEmpty();
        assertThat(Example.MANTICORE.readinessEstimates()).isEmpty();
        assertThatThrownBy(() -> Example.MANTICORE.type("base"))
                .hasMessage("the manticore example has no deployment types (leave --type out)");
    }

    @Test
    void onlyAlphaKrakenSaysWhereItsNodesRun() {
        assertThat(Example.ALPHAKRAKEN.placement()).isPresent();
        assertThat(Example.CLP.placement()).isEmpty();
    }

    @Test
    void everyExampleRehearsesItsSchedulesAtAnInterval() {
        Deployment every5s = Example.ORCHESTRATION_LAYER.load(Optional.of(Duration.ofSeconds(5))).deployment();
        assertThat(every5s.plan(Selection.allProfiles()).triggers()).isNotEmpty();
    }
}
