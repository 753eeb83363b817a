package dev.ordo.junit;

import dev.ordo.run.Orchestrator;
import dev.ordo.testing.SimulatedBackend;
import java.time.Duration;

/** Brings the shop up in virtual time, in a JVM of its own whose SLF4J logs progress at INFO (ProgressLogTest). */
public final class ProgressLogVictim {
    private ProgressLogVictim() {
    }

    public static void main(String[] args) {
        SimulatedBackend sim = SimulatedBackend.create().readyAfter("db", Duration.ofSeconds(2))
                .exitsAfter("migrate", Duration.ofSeconds(1), 0);
        System.out.println(Orchestrator.using(sim).up(Shop.deployment().plan()).succeeded());
    }
}
