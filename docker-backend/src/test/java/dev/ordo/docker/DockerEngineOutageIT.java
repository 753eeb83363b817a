package dev.ordo.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.Condition;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.run.DownOptions;
import dev.ordo.run.Failure;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunEvent;
import dev.ordo.run.RunReport;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A dockerd killed with SIGKILL while an up waits on it: the up ends with one error naming the engine and its address,
 * no node is blamed, nothing hangs, and once the engine is back the next up converges. It runs on an engine of its
 * own (extra engine 2), which it kills and restarts.
 */
class DockerEngineOutageIT {
    private static Deployment deployment() {
        return Deployment.builder("outage")
                .service("db", s -> s.image("db:1").port(5432).healthCheck(HealthCheck.tcp(5432)
                        .interval(Duration.ofSeconds(1)).retries(120)))
                .service("api", s -> s.image("api:1").dependsOn("db", Condition.HEALTHY))
                .build();
    }

    @Test
    @Timeout(180) // a hang is the defect under test: never wait for ever
    void aKilledEngineEndsTheRunWithOneErrorNamingItAndTheNextUpConverges() {
        URI engine = ExtraEngines.require(2);
        Deployment d = deployment();
        AtomicBoolean killed = new AtomicBoolean();
        long[] killedAt = {0};
        RunReport lost;
        try (DockerBackend slow = DockerBackend.connect(engine).withStandIns(StandIns.defaults()
                .readyAfter("db", Duration.ofSeconds(60)))) {
            lost = Orchestrator.using(slow).listener(e -> {
                if (e.type() == RunEvent.Type.STARTED && e.node().equals("db") && killed.compareAndSet(false, true)) {
                    ExtraEngines.script("kill", "2");
                    killedAt[0] = System.nanoTime();
                }
            }).up(d.plan());
            // a figure for the README, not an assertion: how long the run took to end after the kill
            System.out.printf("engine outage: up ended %d ms after the engine was killed%n",
                    (System.nanoTime() - killedAt[0]) / 1_000_000);
        } finally {
            ExtraEngines.script("restart", "2");
        }
        assertThat(killed).isTrue();
        assertThat(lost.error()).hasValueSatisfying(e -> {
            assertThat(e.reason()).isEqualTo(Failure.Reason.PLATFORM_UNREACHABLE);
            assertThat(e.message()).contains("the Docker engine at " + engine).contains("no node is at fault")
                    .contains("run up again");
        });
        assertThat(lost.rootFailures()).as("no node is blamed").isEmpty();
        assertThat(lost.render()).doesNotContain("check the node's").doesNotContain("fix the node's definition");

        try (DockerBackend quick = DockerBackend.connect(engine).withStandIns(StandIns.defaults()
                .readyAfter(Duration.ofMillis(300)))) {
            RunReport again = Orchestrator.using(quick).up(d.plan());
            assertThat(again.succeeded()).as(again.render()).isTrue();
            Orchestrator.using(quick).down(d, DownOptions.defaults().removeVolumes(true));
        }
    }
}
