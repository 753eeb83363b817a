package dev.ordo.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.Deployment;
import dev.ordo.RestartPolicy;
import dev.ordo.run.DownOptions;
import dev.ordo.run.Orchestrator;
import dev.ordo.spi.Fact;
import dev.ordo.spi.Launch;
import dev.ordo.spi.NodeEvents;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Docker side of {@link Fact.RestartPending}: when a service under a restart policy dies, the backend asks the
 * engine whether it has taken the restart up and says so, so that core waits out a slow restart on a loaded engine
 * (MariaDB and RabbitMQ under load took seconds from die to start) instead of calling it a crash; a service without
 * a policy gets no such fact.
 */
class DockerRestartPendingIT {
    private static List<Fact> run(Deployment d, int exits) throws InterruptedException {
        List<Fact> facts = new CopyOnWriteArrayList<>();
        CountDownLatch exited = new CountDownLatch(exits);
        NodeEvents events = f -> {
            facts.add(f);
            if (f instanceof Fact.Exited) {
                exited.countDown();
            }
        };
        try (DockerBackend docker = DockerTestSupport.backend()) {
            try {
                docker.prepare(d);
                docker.start(new Launch(d, d.requireNode("flaky"), Launch.Mode.CREATE, 1, 0,
                        Launch.probesOf(d.requireNode("flaky"))), events);
                assertThat(exited.await(60, TimeUnit.SECONDS)).as("exits seen: %s", facts).isTrue();
            } finally {
                Orchestrator.using(docker).timeout(Duration.ofMinutes(1))
                        .down(d, DownOptions.defaults().removeVolumes(true).gracePeriod(Duration.ZERO));
            }
        }
        assertThat(DockerTestSupport.containers(d.name())).isEmpty();
        return facts;
    }

    private static Deployment flaky(RestartPolicy policy) {
        return Deployment.builder(DockerTestSupport.uniqueName("pending"))
                .service("flaky", s -> s.image(DockerTestSupport.IMAGE).shell("sleep 0.3; exit 3").restart(policy))
                .build();
    }

    @Test
    @Timeout(120)
    void aServiceThatDockerRestartsIsReportedRestartPendingAfterEachExit() throws Exception {
        List<Fact> facts = run(flaky(RestartPolicy.ALWAYS), 2);
        int firstExit = indexOf(facts, Fact.Exited.class, 0);
        assertThat(firstExit).as("facts: %s", facts).isNotNegative();
        assertThat(((Fact.Exited) facts.get(firstExit)).exitCode()).isEqualTo(3);
        assertThat(indexOf(facts, Fact.RestartPending.class, firstExit)).as("facts: %s", facts)
                .isEqualTo(firstExit + 1);
        assertThat(facts).filteredOn(f -> f instanceof Fact.Started).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    @Timeout(120)
    void aServiceWithoutARestartPolicyIsNot() throws Exception {
        List<Fact> facts = run(flaky(RestartPolicy.NO), 1);
        assertThat(facts).filteredOn(f -> f instanceof Fact.Exited).hasSize(1);
        assertThat(facts).noneMatch(f -> f instanceof Fact.RestartPending);
    }

    private static int indexOf(List<Fact> facts, Class<? extends Fact> type, int from) {
        for (int i = from; i < facts.size(); i++) {
            if (type.isInstance(facts.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
