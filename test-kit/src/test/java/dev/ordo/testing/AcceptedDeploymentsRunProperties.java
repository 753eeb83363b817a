package dev.ordo.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.Deployment;
import dev.ordo.OrdoException;
import dev.ordo.Plan;
import dev.ordo.RandomDeployments;
import dev.ordo.Selection;
import dev.ordo.run.DownOptions;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunReport;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * What {@code build()} accepts also runs: every random deployment that validates is brought up and down on the
 * simulated backend, and the only failures are reports (or {@link OrdoException}s that name the problem) — never an
 * arithmetic overflow, a date-time error or any other exception from a value that validation let through.
 */
class AcceptedDeploymentsRunProperties {
    private static final AtomicLong RAN = new AtomicLong();

    @Property(tries = 4_000, seed = "20261201")
    void whatValidatesRunsUpAndDownWithoutAnUnexpectedException(@ForAll long seed) {
        Deployment d;
        Plan plan;
        try {
            d = RandomDeployments.of(new Random(seed)).build();
            plan = d.plan(Selection.allProfiles());
        } catch (OrdoException rejected) {
            return; // BadInputProperties covers what is rejected
        } catch (IllegalArgumentException | NullPointerException refused) {
            return;
        }
        SimulatedBackend sim = SimulatedBackend.create();
        RunReport up = Orchestrator.using(sim).timeout(Duration.ofMinutes(5)).up(plan);
        assertThat(up.nodes()).hasSize(plan.nodes().size());
        RunReport down = Orchestrator.using(sim).down(d, DownOptions.defaults().removeVolumes(true));
        assertThat(down.error()).isEmpty();
        RAN.incrementAndGet();
    }

    @AfterContainer
    static void print() {
        System.out.printf("accepted random deployments brought up and down in virtual time: %d%n", RAN.get());
    }
}
