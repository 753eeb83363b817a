package dev.ordo.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.ordo.Condition;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.run.DownOptions;
import dev.ordo.run.Failure;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunReport;
import dev.ordo.spi.ExecResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * After a service's first pass, its command check runs once per interval, not twice: Ordo reads the results of the
 * check Docker runs in the container (the HEALTHCHECK it installs) instead of running the same command again. Run
 * twice, a real RabbitMQ's {@code rabbitmq-diagnostics check_running} (about a CPU-second each) took both cores until
 * the checks timed out and the up was held for two minutes. Docker's results still decide "unhealthy after ready".
 */
class DockerHealthAfterReadyIT {
    private DockerBackend docker;
    private String name;

    @BeforeEach
    void open() {
        docker = DockerTestSupport.backend();
        name = DockerTestSupport.uniqueName("once");
    }

    @AfterEach
    void close() {
        try {
            Orchestrator.using(docker).down(Deployment.builder(name).build(),
                    DownOptions.defaults().removeVolumes(true).gracePeriod(Duration.ZERO));
        } finally {
            DockerTestSupport.purge(name);
            docker.close();
        }
    }

    @Test
    @Timeout(120)
    void aHealthyServicesCheckRunsOncePerIntervalWhileTheUpGoesOn() {
        // every run of the check leaves a line; a job that needs db healthy keeps the up going for 8 s after that
        Deployment d = Deployment.builder(name)
                .service("db", s -> s.image(DockerTestSupport.IMAGE).shell(DockerTestSupport.IDLE)
                        .healthCheck(HealthCheck.shell("echo run >> /tmp/checks").interval(Duration.ofSeconds(1))))
                .job("slow", j -> j.image(DockerTestSupport.IMAGE).shell("sleep 8")
                        .dependsOn("db", Condition.HEALTHY))
                .build();
        RunReport r = Orchestrator.using(docker).up(d.plan());
        assertThat(r.succeeded()).as(r.render()).isTrue();
        Instant end = Instant.now();
        InspectContainerResponse db = DockerTestSupport.inspect(name, "db");
        double lived = Duration.between(Instant.parse(db.getState().getStartedAt()), end).toMillis() / 1000.0;
        ExecResult checks = docker.exec(d, "db", List.of("sh", "-c", "wc -l < /tmp/checks"));
        int runs = Integer.parseInt(checks.text().strip());
        // Docker's own check: at most one a second since the start, plus Ordo's first pass; both probing would have
        // made about two a second for the 8 s of the job
        assertThat(runs).as("runs of the check in %.1f s of db's life", lived).isLessThanOrEqualTo((int) lived + 2);
        System.out.printf("db's check ran %d times in %.1f s (interval 1 s)%n", runs, lived);
    }

    @Test
    @Timeout(120)
    void dockersFailingResultsAfterReadyStillMakeTheServiceUnhealthy() {
        // ready at once; 3 s later its check fails for good, while a job that needs it healthy runs on (the up waits for it)
        Deployment d = Deployment.builder(name)
                .service("db", s -> s.image(DockerTestSupport.IMAGE)
                        .shell("(sleep 3; touch /tmp/broken) & " + DockerTestSupport.IDLE)
                        .healthCheck(HealthCheck.command("sh", "-c", "test ! -e /tmp/broken || { echo broken; exit 1; }")
                                .interval(Duration.ofSeconds(1)).retries(2)))
                .job("slow", j -> j.image(DockerTestSupport.IMAGE).shell("sleep 12")
                        .dependsOn("db", Condition.HEALTHY))
                .build();
        RunReport r = Orchestrator.using(docker).up(d.plan());
        assertThat(r.succeeded()).as(r.render()).isFalse();
        assertThat(r.node("db").failure().orElseThrow().reason()).isEqualTo(Failure.Reason.UNHEALTHY);
        assertThat(r.node("db").failure().orElseThrow().message())
                .contains("service 'db' was healthy, then failed its health check 2 times in a row")
                .contains("broken");
    }
}
