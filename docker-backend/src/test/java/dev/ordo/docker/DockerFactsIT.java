package dev.ordo.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunEvent;
import dev.ordo.run.RunReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The facts the Docker backend reports where Docker makes them hard to get right: the order of a job's last lines
 * across stdout and stderr, and a detection latency that never spans the container's start.
 */
class DockerFactsIT {
    private DockerBackend docker;
    private String name;

    @BeforeEach
    void open() {
        docker = DockerTestSupport.backend();
        name = DockerTestSupport.uniqueName("dkf");
    }

    @AfterEach
    void close() {
        if (docker != null) {
            DockerTestSupport.purge(name);
            docker.close();
        }
    }

    @Test
    void aJobsErrorOnStderrRightAfterItsProgressOnStdoutIsItsLastOutputEveryTime() {
        Deployment d = Deployment.builder(name)
                .job("migrate", j -> j.image(DockerTestSupport.IMAGE)
                        .shell("echo migrating; echo 'ERROR: relation exists' >&2; exit 3"))
                .build();
        for (int run = 1; run <= 10; run++) {
            RunReport r = Orchestrator.using(docker).up(d.plan());
            assertThat(r.node("migrate").failure().orElseThrow().message()).as("run %d", run)
                    .endsWith("last output: 'ERROR: relation exists'");
            assertThat(r.node("migrate").failure().orElseThrow().logTail()).as("run %d", run)
                    .containsExactly("migrating", "ERROR: relation exists");
        }
    }

    @Test
    void theDetectionLatencyOfAServiceReadyAtItsFirstProbeNeverSpansItsStart() {
        Deployment d = Deployment.builder(name)
                .service("cmd", s -> s.image(DockerTestSupport.IMAGE).shell("touch /tmp/ready; exec sleep 1000")
                        .healthCheck(HealthCheck.command("test", "-e", "/tmp/ready")))
                .service("tcp", s -> s.image(DockerTestSupport.IMAGE).port(8080)
                        .shell("exec nc -ll -p 8080 -e cat").healthCheck(HealthCheck.tcp(8080)))
                .build();
        List<RunEvent> events = new ArrayList<>();
        RunReport r = Orchestrator.using(docker).listener(events::add).up(d.plan());
        assertThat(r.succeeded()).as(r.render()).isTrue();
        for (String node : List.of("cmd", "tcp")) {
            Instant containerStart = Instant.parse(DockerTestSupport.docker("inspect", "-f",
                    "{{.State.StartedAt}}", name + "-" + node + "-1").trim());
            Instant healthy = r.startedAt().plus(events.stream()
                    .filter(e -> e.node().equals(node) && e.type() == RunEvent.Type.HEALTHY).findFirst()
                    .orElseThrow().at());
            Duration latency = r.node(node).detectionLatency().orElse(Duration.ZERO);
            // whatever the machine's speed: the check cannot have passed before the process ran
            assertThat(latency).as("%s: latency %s, healthy %s after the container's start", node, latency,
                    Duration.between(containerStart, healthy))
                    .isLessThanOrEqualTo(Duration.between(containerStart, healthy).plusMillis(5));
        }
    }
}
