package dev.ordo.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Each health-check kind on a real engine, driven through the backend SPI with a recording listener. */
class HealthChecksIT extends BackendFixture {
    HealthChecksIT() {
        super("hc");
    }

    @Test
    void commandCheckTurnsHealthyOnlyAfterTheCommandPassesAndIsNoticedFast() {
        // The file appears 1.5 s after start; Docker's own first check would run only after the 10 s interval.
        Deployment d = Deployment.builder(name)
                .service("web", s -> s.image(DockerTestSupport.IMAGE)
                        .shell("sleep 1.5; touch /tmp/up; exec sleep 1000")
                        .healthCheck(HealthCheck.command("test", "-e", "/tmp/up").interval(Duration.ofSeconds(10))))
                .build();
        start(d, "web");
        var started = events.await("web", LIMIT, "started");
        var healthy = events.await("web", LIMIT, "healthy", "unhealthy", "failed", "exited");
        assertThat(healthy.type()).isEqualTo("healthy");
        // not before the command passes, and long before Docker's own first check at the 10 s interval (the
        // margins are wide on purpose: this checks who noticed, not how fast; bench/docker measures that)
        assertThat(Duration.between(started.at(), healthy.at())).isBetween(Duration.ofMillis(1200),
                Duration.ofSeconds(8));
        assertThat(healthy.latency()).isLessThan(Duration.ofSeconds(5));
        assertThat(events.all()).extracting(RecordingEvents.Recorded::type).containsExactly("started", "healthy");
    }

    @Test
    void httpCheckProbesTheContainerFromTheHost() {
        Deployment d = Deployment.builder(name)
                .service("web", s -> s.image(DockerTestSupport.IMAGE)
                        .shell("sleep 1; mkdir -p /srv/status; echo ok > /srv/status/ok; exec httpd -f -p 8080 -h /srv")
                        .healthCheck(HealthCheck.http(8080, "/status/ok")))
                .build();
        start(d, "web");
        var started = events.await("web", LIMIT, "started");
        var healthy = events.await("web", LIMIT, "healthy", "unhealthy", "failed", "exited");
        assertThat(healthy.type()).isEqualTo("healthy");
        assertThat(Duration.between(started.at(), healthy.at())).isGreaterThan(Duration.ofMillis(800));
    }

    @Test
    void httpCheckRejectsA404() {
        Deployment d = Deployment.builder(name)
                .service("web", s -> s.image(DockerTestSupport.IMAGE)
                        .shell("exec httpd -f -p 8080 -h /www")
                        .healthCheck(HealthCheck.http(8080, "/missing").interval(Duration.ofMillis(300)).retries(2)))
                .build();
        start(d, "web");
        var verdict = events.await("web", LIMIT, "healthy", "unhealthy", "failed", "exited");
        assertThat(verdict.type()).isEqualTo("unhealthy");
        assertThat(verdict.detail()).contains("HTTP 404");
    }

    @Test
    void tcpCheckWaitsForTheListener() {
        Deployment d = Deployment.builder(name)
                .service("cache", s -> s.image(DockerTestSupport.IMAGE)
                        .shell("sleep 1; exec httpd -f -p 6379 -h /www")
                        .healthCheck(HealthCheck.tcp(6379)))
                .build();
        start(d, "cache");
        var started = events.await("cache", LIMIT, "started");
        var healthy = events.await("cache", LIMIT, "healthy", "unhealthy", "failed", "exited");
        assertThat(healthy.type()).isEqualTo("healthy");
        assertThat(Duration.between(started.at(), healthy.at())).isGreaterThan(Duration.ofMillis(800));
        // Ordo's own probes, not the 5 s default interval, noticed it (wide margin: bench/docker measures speed)
        assertThat(healthy.latency()).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void logLineCheckFollowsTheOutputAndStreamsLines() {
        Deployment d = Deployment.builder(name)
                .service("db", s -> s.image(DockerTestSupport.IMAGE)
                        .shell("echo booting; sleep 1; echo 'mysqld: ready for connections'; exec sleep 1000")
                        .healthCheck(HealthCheck.logLine("ready for connections$")))
                .build();
        start(d, "db");
        var started = events.await("db", LIMIT, "started");
        var healthy = events.await("db", LIMIT, "healthy", "unhealthy", "failed", "exited");
        assertThat(healthy.type()).isEqualTo("healthy");
        assertThat(Duration.between(started.at(), healthy.at())).isGreaterThan(Duration.ofMillis(800));
        assertThat(healthy.latency()).as("measured from the line's own timestamp").isLessThan(Duration.ofSeconds(3));
        assertThat(events.logs()).contains("db: booting", "db: mysqld: ready for connections");
    }

    @Test
    void commandCheckThatNeverPassesIsReportedUnhealthyWithItsOutput() {
        Deployment d = Deployment.builder(name)
                .service("web", s -> s.image(DockerTestSupport.IMAGE)
                        .command("sleep", "1000")
                        .healthCheck(HealthCheck.shell("echo 'still warming up'; exit 1")
                                .interval(Duration.ofMillis(300)).retries(2)))
                .build();
        start(d, "web");
        var verdict = events.await("web", LIMIT, "healthy", "unhealthy", "failed", "exited");
        assertThat(verdict.type()).isEqualTo("unhealthy");
        assertThat(verdict.detail()).contains("still warming up");
    }

    @Test
    void logLineThatNeverAppearsIsUnhealthyAfterStartPeriodAndRetries() {
        Deployment d = Deployment.builder(name)
                .service("db", s -> s.image(DockerTestSupport.IMAGE)
                        .command("sleep", "1000")
                        .healthCheck(HealthCheck.logLine("ready").interval(Duration.ofMillis(200)).retries(2)
                                .startPeriod(Duration.ofMillis(600))))
                .build();
        start(d, "db");
        var started = events.await("db", LIMIT, "started");
        var verdict = events.await("db", LIMIT, "healthy", "unhealthy", "failed", "exited");
        assertThat(verdict.type()).isEqualTo("unhealthy");
        assertThat(verdict.detail()).contains("/ready/");
        assertThat(Duration.between(started.at(), verdict.at())).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void replicasAreHealthyOnlyWhenEveryReplicaIs() {
        Deployment d = Deployment.builder(name)
                .service("web", s -> s.image(DockerTestSupport.IMAGE).replicas(3)
                        .shell("sleep 1; touch /tmp/up; exec sleep 1000")
                        .healthCheck(HealthCheck.command("test", "-e", "/tmp/up")))
                .build();
        start(d, "web");
        assertThat(events.await("web", LIMIT, "healthy", "unhealthy", "failed").type()).isEqualTo("healthy");
        assertThat(DockerTestSupport.containers(name)).extracting(c -> c.getNames()[0])
                .containsExactlyInAnyOrder("/" + name + "-web-1", "/" + name + "-web-2", "/" + name + "-web-3");
    }
}
