package dev.ordo.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.Condition;
import dev.ordo.Deployment;
import dev.ordo.run.DownOptions;
import dev.ordo.run.Orchestrator;
import dev.ordo.spi.Fact;
import dev.ordo.spi.Launch;
import dev.ordo.spi.NodeEvents;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A node of a 10,000-node chain starts: the backend no longer walks the dependency graph (which overflowed the stack
 * and cost O(N·E) per start); it takes the start priority core computed.
 */
class DockerLongChainIT {
    @Test
    void theFirstNodeOfATenThousandNodeChainStarts() throws Exception {
        Deployment.Builder b = Deployment.builder("chain");
        for (int i = 0; i < 10_000; i++) {
            int k = i;
            b.service("n" + i, s -> {
                s.image("n:1");
                if (k > 0) {
                    s.dependsOn("n" + (k - 1), Condition.STARTED);
                }
            });
        }
        Deployment d = b.build();
        try (DockerBackend docker = DockerTestSupport.backend().withStandIns(StandIns.defaults())) {
            docker.prepare(d);
            CompletableFuture<Fact> first = new CompletableFuture<>();
            NodeEvents events = f -> {
                if (f instanceof Fact.Started || f instanceof Fact.Refused) {
                    first.complete(f);
                }
            };
            docker.start(new Launch(d, d.requireNode("n0"), Launch.Mode.CREATE, 1, 9_999,
                    Launch.probesOf(d.requireNode("n0"))), events);
            assertThat(first.get(60, TimeUnit.SECONDS)).isInstanceOf(Fact.Started.class);
            Orchestrator.using(docker).timeout(Duration.ofMinutes(1))
                    .down(d, DownOptions.defaults().removeVolumes(true));
            assertThat(DockerTestSupport.containers("chain")).isEmpty();
        }
    }
}
