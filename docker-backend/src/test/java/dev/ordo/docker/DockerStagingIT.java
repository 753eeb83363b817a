package dev.ordo.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Container;
import dev.ordo.Condition;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunEvent;
import dev.ordo.run.RunReport;
import dev.ordo.spi.Labels;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Staging on the real engine: a node's container is created while its dependency is still starting, is not started
 * before the dependency's condition holds, and is the very container that runs afterwards. (That a staged node whose
 * dependency fails leaves nothing is pinned for every backend by the contract's staging scenario.)
 */
class DockerStagingIT {
    private static final String IMAGE = DockerTestSupport.IMAGE;
    private DockerBackend docker;
    private String name;

    @BeforeEach
    void open() {
        docker = DockerTestSupport.backend();
        name = DockerTestSupport.uniqueName("stg");
    }

    @AfterEach
    void close() {
        DockerTestSupport.purge(name);
        docker.close();
    }

    private List<Container> containersOf(String node) {
        return DockerTestSupport.containers(name).stream()
                .filter(c -> node.equals(c.getLabels().get(Labels.NODE))).toList();
    }

    @Test
    @Timeout(120)
    void aDependentIsCreatedWhileItsDependencyStartsAndStartedOnlyOnceTheConditionHolds() {
        Deployment d = Deployment.builder(name)
                .service("db", s -> s.image(IMAGE).shell("sleep 2; touch /tmp/ready; exec sleep 1000")
                        .healthCheck(HealthCheck.command("test", "-f", "/tmp/ready")
                                .interval(Duration.ofMillis(200)).retries(100)))
                .service("app", s -> s.image(IMAGE).shell("exec sleep 1000").dependsOn("db", Condition.HEALTHY))
                .build();
        AtomicReference<Container> whenDbWasHealthy = new AtomicReference<>();
        RunReport up = Orchestrator.using(docker).timeout(Duration.ofSeconds(60)).listener(e -> {
            if (e.type() == RunEvent.Type.HEALTHY && e.node().equals("db")) {
                // core emits HEALTHY before it starts the dependents: app's container must exist, created only.
                // Staging runs in the background, so wait for it to show (bounded by the test's timeout).
                while (containersOf("app").isEmpty()) {
                    java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
                }
                whenDbWasHealthy.set(containersOf("app").get(0));
            }
        }).up(d.plan());

        assertThat(up.succeeded()).as(up.render()).isTrue();
        Container staged = whenDbWasHealthy.get();
        assertThat(staged).as("app's container when db became healthy").isNotNull();
        assertThat(staged.getState()).as("staged, not started early").isEqualTo("created");
        List<Container> running = containersOf("app");
        assertThat(running).hasSize(1);
        assertThat(running.get(0).getId()).as("the staged container is the one started").isEqualTo(staged.getId());
        assertThat(running.get(0).getState()).isEqualTo("running");
    }
}
